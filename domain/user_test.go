package domain

import (
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestValidateUsername(t *testing.T) {
	tests := []struct {
		name    string
		wantErr string
	}{
		{"alice", ""},
		{"Bob_42", ""},
		{"x-y", ""},
		{"ab", ""},
		{strings.Repeat("a", 32), ""},
		{"a", "2 to 32 characters"},
		{"", "2 to 32 characters"},
		{strings.Repeat("a", 33), "2 to 32 characters"},
		{"_alice", "start with a letter or digit"},
		{"-alice", "start with a letter or digit"},
		{"al ice", "only letters, digits"},
		{"al.ice", "only letters, digits"},
		{"al*ce", "only letters, digits"},
		{"alïce", "only letters, digits"},
	}
	for _, tt := range tests {
		err := ValidateUsername(tt.name)
		if tt.wantErr == "" && err != nil {
			t.Errorf("ValidateUsername(%q) = %v, want nil", tt.name, err)
		}
		if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("ValidateUsername(%q) = %v, want error containing %q", tt.name, err, tt.wantErr)
		}
	}
}

func TestNewPasskey(t *testing.T) {
	seen := map[Passkey]bool{}
	for i := 0; i < 100; i++ {
		pk, err := NewPasskey()
		if err != nil {
			t.Fatal(err)
		}
		if !ValidPasskey(string(pk)) {
			t.Fatalf("passkey %q is not 32 lowercase hex characters", pk)
		}
		if seen[pk] {
			t.Fatalf("passkey %q repeated", pk)
		}
		seen[pk] = true
	}
	for _, bad := range []string{"", "abc", strings.Repeat("G", 32), strings.Repeat("A", 32), strings.Repeat("a", 33)} {
		if ValidPasskey(bad) {
			t.Errorf("ValidPasskey(%q) = true", bad)
		}
	}
}

func TestUserRegisteredUpcastFromV1(t *testing.T) {
	id := uuid.MustParse("0b7e6a9e-4c36-4f0a-9d8e-0a4b8f2c1d3e")
	v1 := []byte(`{"user_id":"` + id.String() + `","username":"alice","passkey":"0123456789abcdef0123456789abcdef","password_hash":"h"}`)
	e, err := Decode("UserRegistered", 1, v1)
	if err != nil {
		t.Fatal(err)
	}
	want := UserRegistered{UserID: id, Name: "alice", Admin: false, Passkey: "0123456789abcdef0123456789abcdef", PasswordHash: "h"}
	if !reflect.DeepEqual(e, want) {
		t.Fatalf("v1 decoded to %+v, want %+v", e, want)
	}
	if CurrentVersion("UserRegistered") != 3 {
		t.Fatalf("UserRegistered is written as v%d, want v3", CurrentVersion("UserRegistered"))
	}
	if _, err := Decode("UserRegistered", 4, v1); err == nil {
		t.Fatal("an unknown future version decoded without error")
	}
}

// TestDerivedPasskeys: a passkey is a function of the secret, the user and
// the nonce, each of which changes it; an old event's passkey is its own.
func TestDerivedPasskeys(t *testing.T) {
	id, other := uuid.New(), uuid.New()
	secret, nonce := ServerSecret("s3cret"), NewPasskeyNonce()
	pk := secret.Passkey(id, nonce, "")
	if !ValidPasskey(string(pk)) || secret.Passkey(id, nonce, "") != pk {
		t.Fatalf("passkey %q is not a stable 32-hex passkey", pk)
	}
	for name, changed := range map[string]Passkey{
		"another secret": ServerSecret("other").Passkey(id, nonce, ""),
		"another user":   secret.Passkey(other, nonce, ""),
		"another nonce":  secret.Passkey(id, NewPasskeyNonce(), ""),
	} {
		if changed == pk {
			t.Errorf("%s gives the same passkey", name)
		}
	}
	legacy := Passkey("0123456789abcdef0123456789abcdef")
	if got := secret.Passkey(id, "", legacy); got != legacy {
		t.Errorf("an old event's passkey came out as %q", got)
	}
	u := NewUser(UserRegistered{UserID: id, Passkey: legacy}, Personal{Name: "a"})
	u.Apply(PasskeyRotated{UserID: id, Nonce: nonce})
	if secret.UserPasskey(u) != pk {
		t.Errorf("after a rotation to a nonce, the user's passkey is %q, want %q", secret.UserPasskey(u), pk)
	}
}

// TestForgettingAUser: the aggregate of a forgotten user keeps its id but
// no name or hash, and cannot announce again; name claims are keyed by the
// secret and blind to case.
func TestForgettingAUser(t *testing.T) {
	id := uuid.New()
	u := NewUser(UserRegistered{UserID: id}, Personal{Name: "zelda", PasswordHash: "h"})
	u.Apply(UserForgotten{UserID: id})
	if !u.Forgotten || !u.Disabled || u.Name != AnonymousName(id) || u.PasswordHash != "" || ValidateUsername(u.Name) == nil {
		t.Fatalf("forgotten: %+v", u)
	}
	if f := NewForgottenUser(UserRegistered{UserID: id}); f != u {
		t.Fatalf("a registration that does not open: %+v, want %+v", f, u)
	}
	a, b := ServerSecret("one"), ServerSecret("two")
	if NameClaim(a, "Zelda") != NameClaim(a, "zelda") || NameClaim(a, "zelda") == NameClaim(b, "zelda") ||
		NameClaim(a, "zelda") == NameClaim(a, "zeldb") || strings.Contains(ClaimSubject(NameClaim(a, "zelda")), "zelda") {
		t.Fatalf("name claims: %s %s", NameClaim(a, "zelda"), NameClaim(b, "zelda"))
	}
	r := UserRegistered{UserID: id, Claim: NameClaim(a, "zelda"), Sealed: []byte{1}}
	if err := CheckEventPlacement(ClaimSubject(r.Claim), r); err != nil {
		t.Fatalf("a sealed registration on its claim: %v", err)
	}
	if err := CheckEventPlacement(ClaimSubject(NameClaim(a, "other")), r); err == nil {
		t.Fatal("a sealed registration on another name's claim was placed")
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	events := []Event{
		UserRegistered{UserID: uuid.New(), Name: "bob", Admin: true, Passkey: "0123456789abcdef0123456789abcdef", PasswordHash: "h"},
		PasskeyRotated{UserID: uuid.New(), Passkey: "fedcba9876543210fedcba9876543210"},
		UserDisabled{UserID: uuid.New(), Reason: "r"},
		UserEnabled{UserID: uuid.New()},
		LeechingSet{UserID: uuid.New(), CanLeech: false},
		TorrentDeleted{InfoHash: InfoHash{1, 2, 3}, Reason: "dupe"},
		TorrentFactorsSet{InfoHash: InfoHash{4}, Factors: Factors{UploadPercent: 200}},
		ClientAllowListSet{Prefixes: []string{"-TR"}},
	}
	for _, e := range events {
		v, p, err := Encode(e)
		if err != nil {
			t.Fatalf("%s: %v", e.EventType(), err)
		}
		got, err := Decode(e.EventType(), v, p)
		if err != nil {
			t.Fatalf("%s: %v", e.EventType(), err)
		}
		if got.EventType() != e.EventType() {
			t.Fatalf("%s decoded as %s", e.EventType(), got.EventType())
		}
	}
	if _, err := Decode("NoSuchEvent", 1, nil); err == nil {
		t.Fatal("unknown type decoded")
	}
}
