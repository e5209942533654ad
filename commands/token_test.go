package commands

import (
	"errors"
	"strings"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
	"github.com/google/uuid"
)

// TestTokensAndRSSKeys creates, looks up and revokes API tokens and rotates
// an RSS key with the projectors running and the default Await: each
// lookup right after the command sees its effect, with no polling. Then
// it scans the log's store: no token, invite code, RSS key, password or
// password hash is in it.
func TestTokensAndRSSKeys(t *testing.T) {
	e := newAccEnv(t)
	alice, bob := e.register("alice", false), e.register("bob", false).User
	self := UserActor(alice.User.ID, false)
	secrets := []string{alice.Password, "alice"}

	before := e.last()
	tok, err := e.c.CreateToken(e.ctx, self, "alice", "seedbox")
	if err != nil {
		t.Fatal(err)
	}
	created := e.one(before, domain.UserSubject(alice.User.ID), alice.User.ID.String()).(domain.TokenCreated)
	if !domain.ValidToken(tok.Token) || created.Hash != domain.SecretHash(tok.Token) || created.TokenID != tok.ID || created.Label != "seedbox" {
		t.Fatalf("created %+v for %+v", created, tok)
	}
	secrets = append(secrets, tok.Token, strings.TrimPrefix(tok.Token, "djt_"))
	u, err := projections.UserByToken(e.ctx, e.pool, tok.Token)
	if err != nil || u.ID != alice.User.ID || u.Name != "alice" || u.TokenID != tok.ID {
		t.Fatalf("the token right after its creation: %+v, %v", u, err)
	}
	other, err := e.c.CreateToken(e.ctx, Operator, "alice", "autodl")
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, other.Token)

	before = e.last()
	for _, tc := range []struct {
		err         error
		kind        domain.Kind
		field, want string
	}{
		{second(e.c.CreateToken(e.ctx, self, "alice", "")), domain.KindInvalid, "label", "1 to 64"},
		{second(e.c.CreateToken(e.ctx, self, "bob", "mine now")), domain.KindForbidden, "", "only your own"},
		{e.c.RevokeToken(e.ctx, UserActor(bob.ID, false), "alice", tok.ID), domain.KindForbidden, "", "only your own"},
		{e.c.RevokeToken(e.ctx, self, "alice", uuid.New()), domain.KindNotFound, "token", "has no token"},
		{e.c.RevokeToken(e.ctx, UserActor(bob.ID, false), "bob", tok.ID), domain.KindNotFound, "token", "has no token"},
	} {
		e.refused(tc.err, tc.kind, tc.field, tc.want, before)
	}

	if err := e.c.RevokeToken(e.ctx, self, "alice", tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := projections.UserByToken(e.ctx, e.pool, tok.Token); !errors.Is(err, projections.ErrBadToken) || domain.KindOf(err) != domain.KindForbidden {
		t.Fatalf("a revoked token, right after the revocation returned: %v; want ErrBadToken", err)
	}
	if _, err := projections.UserByToken(e.ctx, e.pool, other.Token); err != nil {
		t.Fatalf("revoking one token ended another: %v", err)
	}
	before = e.last()
	e.refused(e.c.RevokeToken(e.ctx, self, "alice", tok.ID), domain.KindConflict, "token", "revoked already", before)
	for _, bad := range []string{"", "djt_", strings.Replace(tok.Token, "djt_", "djx_", 1), tok.Token[:46] + "A"} {
		if _, err := projections.UserByToken(e.ctx, e.pool, bad); !errors.Is(err, projections.ErrBadToken) {
			t.Errorf("token %q: %v; want ErrBadToken", bad, err)
		}
	}
	rows, err := projections.Tokens(e.ctx, e.pool, alice.User.ID)
	if err != nil || len(rows) != 2 || rows[0].ID != other.ID || rows[0].RevokedAt != nil || rows[1].ID != tok.ID || rows[1].RevokedAt == nil {
		t.Fatalf("alice's tokens: %+v, %v", rows, err)
	}

	// RSS keys: every user has one from the start; a rotation ends the old one at once.
	key, err := e.c.RSSKey(e.ctx, self, "alice")
	if err != nil || key != testSecret.RSSKey(alice.User.ID, "") {
		t.Fatalf("alice's first RSS key: %q, %v", key, err)
	}
	if u, err := projections.UserByRSSKey(e.ctx, e.pool, testSecret, string(key)); err != nil || u.ID != alice.User.ID {
		t.Fatalf("look up alice's RSS key: %+v, %v", u, err)
	}
	before = e.last()
	rotated, err := e.c.RotateRSSKey(e.ctx, self, "alice")
	if err != nil {
		t.Fatal(err)
	}
	rot := e.one(before, domain.UserSubject(alice.User.ID), alice.User.ID.String()).(domain.RSSKeyRotated)
	if rotated == key || rotated != testSecret.RSSKey(alice.User.ID, rot.Nonce) || strings.Contains(string(rotated), string(alice.User.Passkey)) {
		t.Fatalf("rotated to %q (event %+v)", rotated, rot)
	}
	if _, err := projections.UserByRSSKey(e.ctx, e.pool, testSecret, string(key)); !errors.Is(err, projections.ErrBadToken) {
		t.Fatalf("the old RSS key right after the rotation: %v; want ErrBadToken", err)
	}
	if u, err := projections.UserByRSSKey(e.ctx, e.pool, testSecret, string(rotated)); err != nil || u.ID != alice.User.ID {
		t.Fatalf("the new RSS key: %+v, %v", u, err)
	}
	if got, err := e.c.RSSKey(e.ctx, Operator, "alice"); err != nil || got != rotated {
		t.Fatalf("the write side's RSS key after the rotation: %q, %v", got, err)
	}
	if _, err := e.c.RSSKey(e.ctx, UserActor(bob.ID, false), "alice"); domain.KindOf(err) != domain.KindForbidden {
		t.Fatalf("bob reads alice's RSS key: %v", err)
	}
	forged := string(rot.Nonce) + strings.Repeat("0", 32) // the log's nonce, a made-up rest
	if _, err := projections.UserByRSSKey(e.ctx, e.pool, testSecret, forged); !errors.Is(err, projections.ErrBadToken) {
		t.Fatalf("a key made from the log's nonce: %v", err)
	}
	secrets = append(secrets, string(key), string(rotated), string(key[32:]), string(rotated[32:]))

	// A disabled user's token and key stop working.
	if _, err := e.c.DisableUser(e.ctx, Operator, "alice", ""); err != nil {
		t.Fatal(err)
	}
	e.caughtUp()
	if _, err := projections.UserByToken(e.ctx, e.pool, other.Token); domain.KindOf(err) != domain.KindForbidden || !strings.Contains(err.Error(), "disabled") {
		t.Fatalf("a disabled user's token: %v", err)
	}
	if _, err := projections.UserByRSSKey(e.ctx, e.pool, testSecret, string(rotated)); domain.KindOf(err) != domain.KindForbidden {
		t.Fatalf("a disabled user's RSS key: %v", err)
	}

	// An invite and a password change, for the scan.
	if _, err := e.c.EnableUser(e.ctx, Operator, "alice"); err != nil {
		t.Fatal(err)
	}
	inv, err := e.c.CreateInvite(e.ctx, Operator, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.ChangePassword(e.ctx, self, "alice", alice.Password, "a new secret pass"); err != nil {
		t.Fatal(err)
	}
	e.caughtUp()
	var hash string
	if err := e.pool.QueryRow(e.ctx, `SELECT password_hash FROM users.users WHERE id = $1`, alice.User.ID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if ok, _ := verifyPassword(hash, "a new secret pass"); !ok {
		t.Fatalf("the users read model's hash %q does not verify the changed password", hash)
	}
	salt := strings.Split(hash, "$")[4]
	secrets = append(secrets, inv.Code, "a new secret pass", hash, salt, strings.Split(hash, "$")[5])
	if found := e.storeHolds(secrets); len(found) > 0 {
		t.Fatalf("the log's store holds secrets:\n%s", strings.Join(found, "\n"))
	}
}

func TestAccountsReadModelName(t *testing.T) {
	if (projections.Accounts{}).Name() != AccountsReadModel {
		t.Fatalf("commands wait for read model %q, which is called %q", AccountsReadModel, projections.Accounts{}.Name())
	}
}
