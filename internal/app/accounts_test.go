package app

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/projections"
)

// TestRevocationIsAtOnceInAServe revokes an API token and rotates an RSS
// key through a serve's write side (its default wait, on its own
// projectors): the lookups the site and the API make refuse the old ones
// right after the command returns, with no polling. A user registered by
// invite logs in. The log's store holds no code, token, key or password.
func TestRevocationIsAtOnceInAServe(t *testing.T) {
	data := dataDir(t)
	m := start(t, data)
	ctx, c, pool, secret := context.Background(), m.Commands(), m.Instance().Pool, m.Instance().Secret
	alice, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	self := commands.UserActor(alice.User.ID, false)
	tok, err := c.CreateToken(ctx, self, "alice", "seedbox")
	if err != nil {
		t.Fatal(err)
	}
	if u, err := projections.UserByToken(ctx, pool, tok.Token); err != nil || u.ID != alice.User.ID {
		t.Fatalf("a new token: %+v, %v", u, err)
	}
	if err := c.RevokeToken(ctx, self, "alice", tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := projections.UserByToken(ctx, pool, tok.Token); !errors.Is(err, projections.ErrBadToken) {
		t.Fatalf("a revoked token right after the revocation: %v", err)
	}
	key, err := c.RSSKey(ctx, self, "alice")
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := c.RotateRSSKey(ctx, self, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := projections.UserByRSSKey(ctx, pool, secret, string(key)); !errors.Is(err, projections.ErrBadToken) {
		t.Fatalf("the old RSS key right after the rotation: %v", err)
	}
	if u, err := projections.UserByRSSKey(ctx, pool, secret, string(rotated)); err != nil || u.Name != "alice" {
		t.Fatalf("the new RSS key: %+v, %v", u, err)
	}
	inv, err := c.CreateInvite(ctx, commands.Operator, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.RegisterWithInvite(ctx, inv.Code, commands.RegisterUser{Name: "bob", Password: "bob's own password"}); err != nil {
		t.Fatal(err)
	}
	if u, err := c.LogIn(ctx, "bob", "bob's own password"); err != nil || u.Name != "bob" {
		t.Fatalf("bob logs in: %+v, %v", u, err)
	}
	if err := m.Close(); err != nil { // the store is flushed to disk
		t.Fatal(err)
	}
	secrets := []string{tok.Token, string(key[32:]), string(rotated[32:]), inv.Code, alice.Password, "bob's own password"}
	if found := storeContains(t, data, secrets); len(found) > 0 {
		t.Fatalf("the log's store holds secrets:\n%s", strings.Join(found, "\n"))
	}
}
