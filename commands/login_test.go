package commands

import (
	"errors"
	"strings"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"
)

func TestArgon2idHashes(t *testing.T) {
	h := hashPassword("correct horse", DefaultArgon2id)
	parts := strings.Split(h, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != "v=19" || parts[3] != "m=19456,t=2,p=1" ||
		len(parts[4]) != 22 || len(parts[5]) != 43 {
		t.Fatalf("hash %q is not PHC argon2id with OWASP's parameters (16-byte salt, 32-byte hash)", h)
	}
	if d, ok := parseArgon2id(dummyHash); !ok || d.params != DefaultArgon2id {
		t.Fatalf("the dummy hash %q is not of DefaultArgon2id: a wrong name would not cost what a wrong password does", dummyHash)
	}
	if h == hashPassword("correct horse", DefaultArgon2id) {
		t.Fatal("two hashes of one password are equal: no random salt")
	}
	if ok, stale := verifyPassword(h, "correct horse"); !ok || stale {
		t.Fatalf("verify the right password: ok %v, stale %v", ok, stale)
	}
	for _, wrong := range []string{"correct horsE", "correct horse ", "", "correct hors"} {
		if ok, _ := verifyPassword(h, wrong); ok {
			t.Errorf("%q verifies", wrong)
		}
	}
	cheap := hashPassword("correct horse", Argon2idParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if ok, stale := verifyPassword(cheap, "correct horse"); !ok || !stale {
		t.Fatalf("a hash of other parameters: ok %v, stale %v; want it verified and due for a rehash", ok, stale)
	}
	legacy, _ := bcrypt.GenerateFromPassword([]byte("correct horse"), bcrypt.MinCost)
	if ok, stale := verifyPassword(string(legacy), "correct horse"); !ok || !stale {
		t.Fatalf("a bcrypt hash: ok %v, stale %v; want it verified and due for a rehash", ok, stale)
	}
	if ok, _ := verifyPassword(string(legacy), "wrong horse"); ok {
		t.Fatal("a wrong password verifies against bcrypt")
	}
	for _, bad := range []string{"", "x", "$argon2id$v=19$m=19456,t=2,p=1$$", "$argon2id$v=18$m=19456,t=2,p=1" + h[len("$argon2id$v=19$m=19456,t=2,p=1"):],
		"$argon2id$v=19$m=99999999,t=2,p=1" + h[len("$argon2id$v=19$m=19456,t=2,p=1"):], "$argon2i$" + h[len("$argon2id$"):]} {
		if ok, _ := verifyPassword(bad, "correct horse"); ok {
			t.Errorf("malformed hash %q verifies", bad)
		}
	}
}

func TestLogIn(t *testing.T) {
	e := newEnv(t)
	if _, err := e.c.RegisterUser(e.ctx, Operator, RegisterUser{Name: "Alice", Password: "correct horse"}); err != nil {
		t.Fatal(err)
	}
	before := e.last()
	u, err := e.c.LogIn(e.ctx, "alice", "correct horse")
	if err != nil || u.Name != "Alice" || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Fatalf("log in: %+v, %v", u, err)
	}
	if e.last() != before {
		t.Fatal("a login with a current hash appended an event")
	}
	var first error
	for _, tc := range []struct{ name, password string }{
		{"alice", "wrong horse"}, {"nobody", "correct horse"}, {"no body", "correct horse"}, {"alice", ""}, {"a", "x"},
	} {
		_, err := e.c.LogIn(e.ctx, tc.name, tc.password)
		if !errors.Is(err, ErrBadCredentials) || domain.KindOf(err) != domain.KindInvalid || domain.FieldOf(err) != "password" {
			t.Fatalf("log in as %q with %q: %v (%v); want ErrBadCredentials", tc.name, tc.password, err, domain.KindOf(err))
		}
		if first == nil {
			first = err
		} else if err.Error() != first.Error() {
			t.Fatalf("refusals differ: %q and %q; a wrong name must look like a wrong password", err, first)
		}
	}
	if e.last() != before {
		t.Fatal("refused logins appended events")
	}

	if _, err := e.c.DisableUser(e.ctx, Operator, "alice", "ratio"); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.LogIn(e.ctx, "alice", "correct horse")
	if !errors.Is(err, ErrAccountDisabled) || domain.KindOf(err) != domain.KindForbidden || !strings.Contains(err.Error(), "ratio") {
		t.Fatalf("a disabled user's login: %v", err)
	}
	if _, err := e.c.LogIn(e.ctx, "alice", "wrong horse"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("a disabled user with a wrong password: %v; want ErrBadCredentials (nothing said of the account)", err)
	}
	if _, err := e.c.ForgetUser(e.ctx, Operator, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.LogIn(e.ctx, "alice", "correct horse"); !errors.Is(err, ErrAccountForgotten) || domain.KindOf(err) != domain.KindForbidden {
		t.Fatalf("a forgotten user's login: %v", err)
	}
}

// registerBcrypt registers name as RegisterUser did before argon2id: the
// name and a bcrypt hash sealed with the user's key.
func (e *env) registerBcrypt(name, password string) domain.UserID {
	e.t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		e.t.Fatal(err)
	}
	ev := domain.UserRegistered{UserID: uuid.New(), PasskeyNonce: domain.NewPasskeyNonce(), Claim: domain.NameClaim(testSecret, name)}
	if ev.Sealed, err = e.c.seal(e.ctx, "test", ev.UserID, domain.Personal{Name: name, PasswordHash: string(hash)}); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.log.Append(e.ctx, domain.ClaimSubject(ev.Claim), ev, eventlog.ExpectNew()); err != nil {
		e.t.Fatal(err)
	}
	return ev.UserID
}

func TestBcryptIsUpgradedAtTheNextLogin(t *testing.T) {
	e := newAccEnv(t)
	id := e.registerBcrypt("carol", "correct horse")
	// One registered in plain, before names were sealed (no key in the vault yet).
	plain, _ := bcrypt.GenerateFromPassword([]byte("battery staple"), bcrypt.MinCost)
	dave := domain.UserRegistered{UserID: uuid.New(), Name: "dave", Passkey: "0123456789abcdef0123456789abcdef", PasswordHash: string(plain)}
	if _, err := e.log.Append(e.ctx, domain.UsernameSubject("dave"), dave, eventlog.ExpectNew()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.LogIn(e.ctx, "carol", "wrong horse"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("a wrong password against bcrypt: %v", err)
	}
	for _, u := range []struct {
		name, password string
		id             domain.UserID
	}{{"carol", "correct horse", id}, {"dave", "battery staple", dave.UserID}} {
		before := e.last()
		got, err := e.c.LogIn(e.ctx, u.name, u.password)
		if err != nil || got.ID != u.id || !strings.HasPrefix(got.PasswordHash, "$argon2id$") {
			t.Fatalf("%s's bcrypt login: %+v, %v", u.name, got, err)
		}
		pc := e.one(before, domain.UserSubject(u.id), u.id.String()).(domain.PasswordChanged)
		if pc.UserID != u.id || len(pc.Sealed) == 0 || holdsAny(pc.Sealed, "$argon2id$", "$2a$", u.password) {
			t.Fatalf("%s's upgrade: %+v", u.name, pc)
		}
		before = e.last()
		again, err := e.c.LogIn(e.ctx, u.name, u.password)
		if err != nil || again.PasswordHash != got.PasswordHash || e.last() != before {
			t.Fatalf("%s's next login: %v, appended %d events; want the argon2id hash verified and nothing appended", u.name, err, e.last()-before)
		}
		if _, err := e.c.LogIn(e.ctx, u.name, "wrong horse"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("a wrong password after the upgrade: %v", err)
		}
	}
	e.caughtUp()
	var hash string
	if err := e.pool.QueryRow(e.ctx, `SELECT password_hash FROM users.users WHERE name = 'carol'`).Scan(&hash); err != nil ||
		!strings.HasPrefix(hash, "$argon2id$") {
		t.Fatalf("the users read model holds %q (%v) for carol; want the upgraded argon2id hash", hash, err)
	}
	if ok, _ := verifyPassword(hash, "correct horse"); !ok {
		t.Fatal("the read model's hash does not verify")
	}
}

func holdsAny(b []byte, subs ...string) bool {
	for _, s := range subs {
		if strings.Contains(string(b), s) {
			return true
		}
	}
	return false
}

func TestChangePassword(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice", false)
	bob := e.register("bob", false).User
	self := UserActor(alice.User.ID, false)
	before := e.last()
	for _, tc := range []struct {
		a             Actor
		name, old, nw string
		kind          domain.Kind
		field, want   string
	}{
		{self, "alice", "wrong horse", "new horse!", domain.KindInvalid, "old_password", "current password is wrong"},
		{self, "alice", alice.Password, "short", domain.KindInvalid, "new_password", "at least 8"},
		{self, "bob", "whatever1", "new horse!", domain.KindForbidden, "", "only your own"},
		{UserActor(bob.ID, true), "alice", "", "new horse!", 0, "", ""}, // staff reset: no old password
	} {
		_, err := e.c.ChangePassword(e.ctx, tc.a, tc.name, tc.old, tc.nw)
		if tc.want == "" {
			if err != nil {
				t.Fatalf("staff reset: %v", err)
			}
			continue
		}
		e.refused(err, tc.kind, tc.field, tc.want, before)
	}
	before = e.last()
	if _, err := e.c.ChangePassword(e.ctx, self, "alice", "new horse!", "newer horse"); err != nil {
		t.Fatal(err)
	}
	pc := e.one(before, domain.UserSubject(alice.User.ID), alice.User.ID.String()).(domain.PasswordChanged)
	if holdsAny(pc.Sealed, "newer horse", "$argon2id$") {
		t.Fatal("the change holds the password or its hash in plain")
	}
	if _, err := e.c.LogIn(e.ctx, "alice", "newer horse"); err != nil {
		t.Fatalf("the new password: %v", err)
	}
	for _, old := range []string{alice.Password, "new horse!"} {
		if _, err := e.c.LogIn(e.ctx, "alice", old); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("an old password still logs in: %v", err)
		}
	}
}
