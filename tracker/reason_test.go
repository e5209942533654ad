package tracker

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/djembe/djembe/domain"
)

// TestReason: the one mapping from errors to failure reasons.
func TestReason(t *testing.T) {
	invalid := domain.FieldE("register torrent", "name", domain.KindInvalid, "give the torrent a name")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"client error", site.unregistered(), site.unregistered().Text},
		{"built client error", missingParam("port"), missingParam("port").Text},
		{"invalid", invalid, "give the torrent a name"},
		{"invalid, wrapped in operations", domain.Wrap("announce", domain.Wrap("check torrent", invalid)), "give the torrent a name"},
		{"invalid, wrapped by fmt", fmt.Errorf("tracker: %w", invalid), "give the torrent a name"},
		{"not found", domain.E("find torrent", domain.KindNotFound, "no torrent %s", "abc"), "no torrent abc"},
		{"conflict", domain.E("rotate passkey", domain.KindConflict, "the user changed meanwhile: try again"), "the user changed meanwhile: try again"},
		{"forbidden", domain.E("announce", domain.KindForbidden, "you may not do that"), "you may not do that"},
		{"unavailable", domain.E("append", domain.KindUnavailable, "nats: no responders"), ErrBusy.Text},
		{"unavailable, wrapped", domain.Wrap("announce", domain.E("append", domain.KindUnavailable, "down")), ErrBusy.Text},
		{"internal kind", domain.E("decode", domain.KindInternal, "bad version 9 at seq 17"), internalReason},
		{"internal wrapping a refusal", &domain.Error{Op: "x", Kind: domain.KindInternal, Err: invalid}, internalReason},
		{"unknown kind", domain.E("x", domain.Kind(200), "secret detail"), internalReason},
		{"plain error", errors.New("dial tcp 10.0.0.1:4222: connection refused"), internalReason},
		{"context", context.DeadlineExceeded, internalReason},
		// Refusals are returned bare; a wrapped one is not taken for the client's text.
		{"client error wrapped by fmt", fmt.Errorf("scrape: %w", ErrTooManyHashes), internalReason},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reason(tt.err); got != tt.want {
				t.Errorf("reason(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}
