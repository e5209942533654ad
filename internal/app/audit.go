package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/tracker"
)

// coreChangeSubjects are the subjects of the changes operators and users
// make (everything but the announce batches), which the serve logs.
var coreChangeSubjects = []string{"djembe.username.>", "djembe.user.>", "djembe.torrent.>", "djembe.admin.>",
	"djembe.invite.>"}

// auditSubjects are the core change subjects and the plugins'.
func auditSubjects() []string {
	subjects := append([]string(nil), coreChangeSubjects...)
	for _, p := range plugins {
		subjects = append(subjects, p.Subjects...)
	}
	return subjects
}

// logChanges logs every change appended to the log from sequence from on,
// by whichever process: its type, actor and subject (never its payload,
// which may hold a passkey or a password hash), until ctx ends.
func logChanges(ctx context.Context, log *eventlog.Log, from uint64, logger *slog.Logger) error {
	return log.Follow(ctx, eventlog.FollowOptions{From: from, Subjects: auditSubjects()}, func(b eventlog.Batch) error {
		for _, rec := range b.Records {
			logger.Info("change", "type", rec.Meta.Type, "actor", rec.Meta.Actor, "subject", rec.Subject, "seq", rec.Seq)
		}
		return nil
	})
}

// logRefusals logs, once every period, how many announces and scrapes the
// tracker refused in it, by reason, when it refused any.
func logRefusals(ctx context.Context, trk *tracker.Tracker, logger *slog.Logger, period time.Duration) {
	tick := time.NewTicker(period)
	defer tick.Stop()
	prev := map[string]uint64{}
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		now := trk.RefusalCounts()
		var attrs []any
		for code, n := range now {
			if d := n - prev[code]; d > 0 {
				attrs = append(attrs, slog.Uint64(code, d))
			}
		}
		prev = now
		if len(attrs) > 0 {
			logger.Info("tracker refusals", "period", period.String(), slog.Group("by_reason", attrs...))
		}
	}
}
