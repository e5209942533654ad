package domain

import (
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
	if e != want {
		t.Fatalf("v1 decoded to %+v, want %+v", e, want)
	}
	if CurrentVersion("UserRegistered") != 2 {
		t.Fatalf("UserRegistered is written as v%d, want v2", CurrentVersion("UserRegistered"))
	}
	if _, err := Decode("UserRegistered", 3, v1); err == nil {
		t.Fatal("an unknown future version decoded without error")
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
