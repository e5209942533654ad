package domain

import (
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestRSSKeyDerivation(t *testing.T) {
	secret, other := ServerSecret("a server secret of thirty-two b."), ServerSecret("another secret")
	id, id2 := uuid.New(), uuid.New()
	def := secret.RSSKey(id, "")
	if def != secret.RSSKey(id, DefaultRSSNonce(id)) || len(def) != 64 {
		t.Fatalf("the default key %q is not the key of the id's nonce", def)
	}
	nonce := NewRSSNonce()
	key := secret.RSSKey(id, nonce)
	if key == def || key == secret.RSSKey(id2, nonce) || key == other.RSSKey(id, nonce) || key != secret.RSSKey(id, nonce) {
		t.Fatal("an RSS key depends on something other than the secret, the user and the nonce")
	}
	if got, ok := key.Nonce(); !ok || got != nonce {
		t.Fatalf("the key's nonce: %q, %v; want %q", got, ok, nonce)
	}
	if strings.Contains(string(key), string(secret.Passkey(id, PasskeyNonce(nonce), ""))) {
		t.Fatal("the RSS key holds the passkey of the same nonce: the labels must differ")
	}
	if !secret.CheckRSSKey(id, nonce, key) || secret.CheckRSSKey(id, nonce, def) || secret.CheckRSSKey(id2, nonce, key) {
		t.Fatal("CheckRSSKey accepts a wrong key or refuses the right one")
	}
	forged := RSSKey(string(nonce) + strings.Repeat("0", 32))
	if secret.CheckRSSKey(id, nonce, forged) {
		t.Fatal("a key made from the nonce alone (the log's) is accepted")
	}
	for _, bad := range []RSSKey{"", key[:63], key + "0", RSSKey(strings.ToUpper(string(key))), RSSKey(strings.Repeat("g", 64))} {
		if _, ok := bad.Nonce(); ok {
			t.Errorf("%q has the shape of an RSS key", bad)
		}
	}
}

func TestInviteCodesAndTokens(t *testing.T) {
	by := uuid.New()
	code, hash := NewInviteCode(by)
	code2, _ := NewInviteCode(by)
	if code == code2 || len(code) != 43 || hash != SecretHash(code) || len(hash) != 64 || strings.Contains(hash, code) {
		t.Fatalf("code %q (hash %q), second %q", code, hash, code2)
	}
	if got, ok := ParseInviteCode(code); !ok || got != by {
		t.Fatalf("ParseInviteCode(%q) = %v, %v; want %v", code, got, ok, by)
	}
	for _, bad := range []string{"", "x", code[:42], code + "A", "!" + code[1:]} {
		if _, ok := ParseInviteCode(bad); ok {
			t.Errorf("%q parses as an invite code", bad)
		}
	}
	token, thash := NewToken()
	if !ValidToken(token) || thash != SecretHash(token) || len(token) != 47 {
		t.Fatalf("token %q, hash %q", token, thash)
	}
	for _, bad := range []string{"", token[4:], "djx_" + token[4:], token + "A", token[:46]} {
		if ValidToken(bad) {
			t.Errorf("%q is a valid token", bad)
		}
	}
}

func TestAccountFolds(t *testing.T) {
	id, other := uuid.New(), uuid.New()
	a := Account{UserID: id}
	tok := uuid.New()
	nonce := NewRSSNonce()
	for _, e := range []Event{
		InvitesGranted{UserID: id, Count: 2},
		InviteCreated{UserID: id, InviteID: uuid.New(), CodeHash: "h1"},
		InviteCreated{UserID: id, InviteID: uuid.New(), CodeHash: "h2", Free: true},
		InvitesGranted{UserID: other, Count: 9},
		TokenCreated{UserID: id, TokenID: tok, Label: "box", Hash: "th"},
		TokenCreated{UserID: id, TokenID: uuid.New(), Label: "other", Hash: "th2"},
		TokenRevoked{UserID: id, TokenID: tok},
		RSSKeyRotated{UserID: id, Nonce: nonce},
		RSSKeyRotated{UserID: other, Nonce: "x"},
	} {
		a.Apply(e)
	}
	if a.InvitesLeft != 1 || len(a.Invites) != 2 || a.LiveTokens() != 1 || !a.Tokens[0].Revoked || a.RSSNonce != nonce {
		t.Fatalf("account folded to %+v", a)
	}
	if inv, ok := a.Invite("h2"); !ok || !inv.Free {
		t.Fatalf("Invite(h2) = %+v, %v", inv, ok)
	}
	if _, ok := a.Invite("nope"); ok {
		t.Fatal("found an invite nobody created")
	}
	a.Apply(InvitesGranted{UserID: id, Count: -5})
	if a.InvitesLeft != 0 {
		t.Fatalf("a count taken below zero: %d", a.InvitesLeft)
	}

	var s InviteState
	invitee := uuid.New()
	for _, step := range []struct {
		e    Event
		used bool
	}{
		{InviteUsed{CodeHash: "h1", By: id, UserID: invitee}, true},
		{InviteReturned{CodeHash: "h1", UserID: invitee}, false},
		{InviteUsed{CodeHash: "h1", By: id, UserID: other}, true},
	} {
		s.Apply(step.e)
		if s.Used != step.used {
			t.Fatalf("after %T: used %v, want %v", step.e, s.Used, step.used)
		}
	}
	if s.UsedBy != other {
		t.Fatalf("used by %v, want %v", s.UsedBy, other)
	}
}

func TestAccountEventPlacement(t *testing.T) {
	id := uuid.New()
	for _, tc := range []struct {
		e       Event
		subject string
	}{
		{PasswordChanged{UserID: id}, UserSubject(id)},
		{InvitesGranted{UserID: id}, UserSubject(id)},
		{InviteCreated{UserID: id}, UserSubject(id)},
		{TokenCreated{UserID: id}, UserSubject(id)},
		{TokenRevoked{UserID: id}, UserSubject(id)},
		{RSSKeyRotated{UserID: id}, UserSubject(id)},
		{InviteUsed{CodeHash: "abc"}, InviteSubject("abc")},
		{InviteReturned{CodeHash: "abc"}, InviteSubject("abc")},
		{RegistrationSet{Open: true}, SubjectRegistration},
	} {
		if got, ok := SubjectFor(tc.e); !ok || got != tc.subject {
			t.Errorf("%T belongs on %q, want %q", tc.e, got, tc.subject)
		}
		if err := CheckEventPlacement(UserSubject(uuid.New()), tc.e); err == nil {
			t.Errorf("%T is accepted on another user's subject", tc.e)
		}
	}
	if err := CheckEventPlacement(InviteSubject("other"), InviteUsed{CodeHash: "abc"}); err == nil {
		t.Error("an invite's use is accepted on another invite's subject")
	}
}

func TestValidateTokenLabelAndGrant(t *testing.T) {
	for label, ok := range map[string]bool{"seedbox": true, "autodl · home": true, "": false,
		strings.Repeat("x", 65): false, "tab\there": false, "bad\xffutf8": false} {
		if (ValidateTokenLabel(label) == nil) != ok {
			t.Errorf("ValidateTokenLabel(%q) ok=%v", label, !ok)
		}
	}
	for n, ok := range map[int]bool{1: true, -3: true, 0: false, 1001: false, -1001: false, 1000: true} {
		if (ValidateInviteGrant(n) == nil) != ok {
			t.Errorf("ValidateInviteGrant(%d) ok=%v", n, !ok)
		}
	}
}
