package domain

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorKindsAndMessages(t *testing.T) {
	base := FieldE("register user", "name", KindConflict, "username %q is taken", "alice")
	wrapped := Wrap("sign up", base)
	plain := fmt.Errorf("disk full")
	for _, tc := range []struct {
		err            error
		kind           Kind
		field, message string
		text           string
	}{
		{base, KindConflict, "name", `username "alice" is taken`, `register user: username "alice" is taken`},
		{wrapped, KindConflict, "name", `username "alice" is taken`, `sign up: register user: username "alice" is taken`},
		{fmt.Errorf("cli: %w", wrapped), KindConflict, "name", `username "alice" is taken`, `cli: sign up: register user: username "alice" is taken`},
		{Wrap("store", plain), KindInternal, "", "disk full", "store: disk full"},
		{plain, KindInternal, "", "disk full", "disk full"},
		{E("", KindInvalid, "bad"), KindInvalid, "", "bad", "bad"},
	} {
		if got := KindOf(tc.err); got != tc.kind {
			t.Errorf("KindOf(%v) = %v, want %v", tc.err, got, tc.kind)
		}
		if got := FieldOf(tc.err); got != tc.field {
			t.Errorf("FieldOf(%v) = %q, want %q", tc.err, got, tc.field)
		}
		if got := Message(tc.err); got != tc.message {
			t.Errorf("Message(%v) = %q, want %q", tc.err, got, tc.message)
		}
		if got := tc.err.Error(); got != tc.text {
			t.Errorf("Error() = %q, want %q", got, tc.text)
		}
	}
	if Wrap("x", nil) != nil {
		t.Error("Wrap(nil) is not nil")
	}
	if !errors.Is(wrapped, base) {
		t.Error("a wrapped error does not unwrap to its cause")
	}
	for k, refused := range map[Kind]bool{KindInternal: false, KindInvalid: true, KindNotFound: true,
		KindConflict: true, KindForbidden: true, KindUnavailable: false} {
		if k.Refused() != refused {
			t.Errorf("%v.Refused() = %v", k, k.Refused())
		}
	}
	if KindNotFound.String() != "not_found" || Kind(99).String() != "kind(99)" {
		t.Error("Kind.String is wrong")
	}
}

func TestAggregatesFoldTheirEvents(t *testing.T) {
	id, other := UserID{1}, UserID{2}
	u := NewUser(UserRegistered{UserID: id, Passkey: "old"}, Personal{Name: "alice"})
	if !u.CanLeech || u.Disabled {
		t.Fatalf("a new user: %+v", u)
	}
	for _, e := range []Event{
		PasskeyRotated{UserID: id, Passkey: "new"}, UserDisabled{UserID: id, Reason: "ratio"},
		LeechingSet{UserID: id, CanLeech: false}, PasskeyRotated{UserID: other, Passkey: "theirs"},
		UserDisabled{UserID: other},
	} {
		u.Apply(e)
	}
	if u.Passkey != "new" || !u.Disabled || u.DisabledReason != "ratio" || u.CanLeech {
		t.Fatalf("after the changes: %+v", u)
	}
	u.Apply(UserEnabled{UserID: id})
	if u.Disabled || u.DisabledReason != "" {
		t.Fatalf("after UserEnabled: %+v", u)
	}

	h := InfoHash{9}
	tor := Torrent{TorrentRegistered: TorrentRegistered{InfoHash: h, Factors: NormalFactors}}
	tor.Apply(TorrentFactorsSet{InfoHash: h, Factors: Factors{UploadPercent: 200}})
	tor.Apply(TorrentDeleted{InfoHash: InfoHash{8}})
	if tor.Factors.UploadPercent != 200 || tor.Deleted {
		t.Fatalf("torrent: %+v", tor)
	}
	tor.Apply(TorrentDeleted{InfoHash: h, Reason: "dupe"})
	if !tor.Deleted || tor.DeleteReason != "dupe" {
		t.Fatalf("deleted torrent: %+v", tor)
	}
}

func TestValidatePassword(t *testing.T) {
	for pw, ok := range map[string]bool{"short": false, "12345678": true, string(make([]byte, 72)): true, string(make([]byte, 73)): false} {
		if err := ValidatePassword(pw); (err == nil) != ok {
			t.Errorf("ValidatePassword(%d bytes) = %v", len(pw), err)
		}
	}
}
