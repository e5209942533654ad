package commands

import (
	"bytes"
	"strings"
	"testing"

	"github.com/djembe/djembe/domain"
)

func claimSubject(name string) string { return domain.ClaimSubject(domain.NameClaim(testSecret, name)) }

func TestRegisterUser(t *testing.T) {
	e := newEnv(t)
	r, err := e.c.RegisterUser(e.ctx, Operator, RegisterUser{Name: "Alice", Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	ev := e.one(0, claimSubject("alice"), domain.ActorOperator).(domain.UserRegistered)
	if ev.UserID != r.User.ID || r.User.Name != "Alice" || !ev.Admin || ev.Passkey != "" || ev.PasskeyNonce == "" ||
		testSecret.Passkey(ev.UserID, ev.PasskeyNonce, "") != r.User.Passkey || !domain.ValidPasskey(string(r.User.Passkey)) {
		t.Fatalf("appended %+v for %+v", ev, r)
	}
	if ev.Name != "" || ev.PasswordHash != "" || len(ev.Sealed) == 0 || bytes.Contains(ev.Sealed, []byte("Alice")) {
		t.Fatalf("the registration holds personal data in plain: %+v", ev)
	}
	alice, _, err := e.c.user(e.ctx, "test", "alice")
	if err != nil || alice.Name != "Alice" || alice.PasswordHash == "" {
		t.Fatalf("alice as the write side opens her: %+v, %v", alice, err)
	}
	if ok, _ := verifyPassword(alice.PasswordHash, r.Password); len(r.Password) < domain.MinPasswordLen || !ok || !strings.HasPrefix(alice.PasswordHash, "$argon2id$") {
		t.Fatalf("the generated password %q does not match the stored hash", r.Password)
	}

	bob, err := e.c.RegisterUser(e.ctx, Operator, RegisterUser{Name: "bob", Password: "correct horse"})
	if err != nil || bob.Password != "" {
		t.Fatalf("a given password: %+v, %v (it must not be handed back)", bob, err)
	}
	e.one(1, claimSubject("bob"), domain.ActorOperator)
	stored, _, err := e.c.user(e.ctx, "test", "bob")
	if ok, _ := verifyPassword(stored.PasswordHash, "correct horse"); err != nil || !ok {
		t.Fatal("the given password does not match the stored hash")
	}

	before := e.last()
	for _, tc := range []struct {
		actor       Actor
		in          RegisterUser
		kind        domain.Kind
		field, want string
	}{
		{Operator, RegisterUser{Name: "alice"}, domain.KindConflict, "name", `username "alice" is taken`},
		{Operator, RegisterUser{Name: "ALICE"}, domain.KindConflict, "name", `username "ALICE" is taken`},
		{Operator, RegisterUser{Name: "a"}, domain.KindInvalid, "name", "invalid username"},
		{Operator, RegisterUser{Name: "bad name"}, domain.KindInvalid, "name", "invalid username"},
		{Operator, RegisterUser{Name: "carol", Password: "short"}, domain.KindInvalid, "password", "at least 8 characters"},
		{UserActor(r.User.ID, false), RegisterUser{Name: "carol", Admin: true}, domain.KindForbidden, "admin", "only staff"},
	} {
		_, err := e.c.RegisterUser(e.ctx, tc.actor, tc.in)
		e.refused(err, tc.kind, tc.field, tc.want, before)
	}
}

func TestUserChanges(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.register("alice", false).User, e.register("bob", false).User
	aliceActor := UserActor(alice.ID, false)

	before := e.last()
	u, err := e.c.RotatePasskey(e.ctx, aliceActor, "alice")
	if err != nil {
		t.Fatal(err)
	}
	rot := e.one(before, domain.UserSubject(alice.ID), alice.ID.String()).(domain.PasskeyRotated)
	if rot.Passkey != "" || u.Passkey == alice.Passkey || u.Passkey != testSecret.Passkey(alice.ID, rot.Nonce, "") {
		t.Fatalf("rotation %+v, user now %+v", rot, u)
	}
	for _, tc := range []struct {
		name string
		run  func() (domain.User, error)
		want domain.Event
	}{
		{"disable", func() (domain.User, error) { return e.c.DisableUser(e.ctx, Operator, "alice", "ratio") },
			domain.UserDisabled{UserID: alice.ID, Reason: "ratio"}},
		{"leeching", func() (domain.User, error) { return e.c.SetLeeching(e.ctx, Operator, "alice", false) },
			domain.LeechingSet{UserID: alice.ID}},
		{"enable", func() (domain.User, error) { return e.c.EnableUser(e.ctx, Operator, "alice") },
			domain.UserEnabled{UserID: alice.ID}},
	} {
		before := e.last()
		if _, err := tc.run(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := e.one(before, domain.UserSubject(alice.ID), domain.ActorOperator); got != tc.want {
			t.Fatalf("%s appended %+v, want %+v", tc.name, got, tc.want)
		}
	}
	// The aggregate folds every change: the next rotation sees them all.
	u, err = e.c.RotatePasskey(e.ctx, Operator, "alice")
	if err != nil || u.Disabled || u.CanLeech || u.PasskeyNonce == rot.Nonce {
		t.Fatalf("alice after her changes: %+v, %v", u, err)
	}

	before = e.last()
	for _, tc := range []struct {
		name        string
		err         error
		kind        domain.Kind
		field, want string
	}{
		{"rotate another's", second(e.c.RotatePasskey(e.ctx, aliceActor, "bob")), domain.KindForbidden, "", "only your own"},
		{"disable as a user", second(e.c.DisableUser(e.ctx, aliceActor, "bob", "")), domain.KindForbidden, "", "only staff"},
		{"enable as a user", second(e.c.EnableUser(e.ctx, aliceActor, "alice")), domain.KindForbidden, "", "only staff"},
		{"leech as a user", second(e.c.SetLeeching(e.ctx, aliceActor, "alice", true)), domain.KindForbidden, "", "only staff"},
		{"unknown user", second(e.c.DisableUser(e.ctx, Operator, "nobody", "")), domain.KindNotFound, "user", `no user named "nobody"`},
		{"invalid name", second(e.c.RotatePasskey(e.ctx, Operator, "no body")), domain.KindInvalid, "user", "invalid username"},
	} {
		t.Run(tc.name, func(t *testing.T) { e.refused(tc.err, tc.kind, tc.field, tc.want, before) })
	}
	_ = bob
}

func second[T any](_ T, err error) error { return err }

func TestChangeOfAStaleAggregateIsRefused(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice", false).User
	if _, err := e.c.DisableUser(e.ctx, Operator, "alice", "first"); err != nil {
		t.Fatal(err)
	}
	before := e.last()
	// A change decided on the user as it was before the first change.
	err := e.c.change(e.ctx, "enable user", Operator, domain.UserSubject(alice.ID), 0, domain.UserEnabled{UserID: alice.ID})
	e.refused(err, domain.KindConflict, "", "try again", before)
}
