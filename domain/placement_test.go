package domain

import (
	"errors"
	"testing"

	"github.com/google/uuid"
)

func TestEveryCoreEventTypeHasAPlacement(t *testing.T) {
	for _, typ := range EventTypes() {
		if !HasPlacement(typ) {
			t.Errorf("event type %s has no placement", typ)
		}
	}
}

func TestCheckPlacement(t *testing.T) {
	var h InfoHash
	h[0] = 0xab
	uid := uuid.MustParse("11111111-2222-3333-4444-555555555555")
	tests := []struct {
		typ, subject string
		ok           bool
	}{
		{TypeUserRegistered, UsernameSubject("alice"), true},
		{TypeUserRegistered, UserSubject(uid), false},
		{TypeUserRegistered, TorrentSubject(h), false},
		{TypeUserRegistered, "djembe.username.", false},
		{TypePasskeyRotated, UserSubject(uid), true},
		{TypePasskeyRotated, UsernameSubject("alice"), false},
		{TypeUserDisabled, UserSubject(uid), true},
		{TypeUserEnabled, "djembe.user.", false},
		{TypeLeechingSet, AnnounceSubject("t1"), false},
		{TypeRatioWatchStarted, UserSubject(uid), true},
		{TypeRatioWatchStarted, TorrentSubject(h), false},
		{TypeRatioWatchEnded, UserSubject(uid), true},
		{TypeRatioWatchEnded, "djembe.user.", false},
		{TypeTorrentRegistered, TorrentSubject(h), true},
		{TypeTorrentDeleted, UserSubject(uid), false},
		{TypeTorrentFactorsSet, TorrentSubject(h), true},
		{TypeClientAllowListSet, SubjectClients, true},
		{TypeClientAllowListSet, SubjectClients + ".x", false},
		{TypeClientAllowListSet, "djembe.admin", false},
		{TypeAnnounceBatch, AnnounceSubject("t1"), true},
		{TypeAnnounceBatch, AnnounceSubject("eu.1"), true},
		{TypeAnnounceBatch, "djembe.announce.", false},
		{TypeAnnounceBatch, TorrentSubject(h), false},
		{"NoSuchType", UserSubject(uid), false},
	}
	for _, tt := range tests {
		err := CheckPlacement(tt.typ, tt.subject)
		if tt.ok != (err == nil) || (err != nil && !errors.Is(err, ErrMisplaced)) {
			t.Errorf("CheckPlacement(%s, %s) = %v, want ok=%v", tt.typ, tt.subject, err, tt.ok)
		}
	}
}

func TestCheckEventPlacement(t *testing.T) {
	var h, other InfoHash
	h[0], other[0] = 1, 2
	alice, bob := uuid.New(), uuid.New()
	tests := []struct {
		name    string
		subject string
		e       Event
		ok      bool
	}{
		{"registration on its claim", UsernameSubject("Alice"), UserRegistered{UserID: alice, Name: "Alice"}, true},
		{"registration on another name's claim", UsernameSubject("bob"), UserRegistered{UserID: alice, Name: "alice"}, false},
		{"registration on a torrent", TorrentSubject(h), UserRegistered{UserID: alice, Name: "alice"}, false},
		{"rotation on its user", UserSubject(alice), PasskeyRotated{UserID: alice}, true},
		{"rotation on another user", UserSubject(bob), PasskeyRotated{UserID: alice}, false},
		{"ban on another user", UserSubject(bob), UserDisabled{UserID: alice}, false},
		{"unban on its user", UserSubject(alice), UserEnabled{UserID: alice}, true},
		{"leeching on another user", UserSubject(bob), LeechingSet{UserID: alice}, false},
		{"watch on its user", UserSubject(alice), RatioWatchStarted{UserID: alice}, true},
		{"watch's end on another user", UserSubject(bob), RatioWatchEnded{UserID: alice}, false},
		{"torrent on its hash", TorrentSubject(h), TorrentRegistered{InfoHash: h}, true},
		{"torrent on another hash", TorrentSubject(other), TorrentRegistered{InfoHash: h}, false},
		{"deletion on another hash", TorrentSubject(other), TorrentDeleted{InfoHash: h}, false},
		{"factors on its hash", TorrentSubject(h), TorrentFactorsSet{InfoHash: h}, true},
		{"allow-list", SubjectClients, ClientAllowListSet{Prefixes: []string{"-TR"}}, true},
		{"batch of another node", AnnounceSubject("t2"), &AnnounceBatch{Node: "t1"}, true},
		{"batch on a user", UserSubject(alice), &AnnounceBatch{Node: "t1"}, false},
	}
	for _, tt := range tests {
		err := CheckEventPlacement(tt.subject, tt.e)
		if tt.ok != (err == nil) || (err != nil && !errors.Is(err, ErrMisplaced)) {
			t.Errorf("%s: CheckEventPlacement(%s) = %v, want ok=%v", tt.name, tt.subject, err, tt.ok)
		}
	}
}

func TestSubjectFor(t *testing.T) {
	id := uuid.New()
	var h InfoHash
	h[3] = 7
	for _, tt := range []struct {
		e    Event
		want string
	}{
		{UserRegistered{Name: "Alice"}, UsernameSubject("alice")},
		{UserDisabled{UserID: id}, UserSubject(id)},
		{TorrentFactorsSet{InfoHash: h}, TorrentSubject(h)},
		{ClientAllowListSet{}, SubjectClients},
		{&AnnounceBatch{Node: "t1"}, ""},
	} {
		got, ok := SubjectFor(tt.e)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("SubjectFor(%s) = %q, %v; want %q", tt.e.EventType(), got, ok, tt.want)
		}
		if ok {
			if err := CheckEventPlacement(got, tt.e); err != nil {
				t.Errorf("%s on its own subject: %v", tt.e.EventType(), err)
			}
		}
	}
}

func TestRegisterPlacementRefusesTwiceAndOutsideTheStream(t *testing.T) {
	for _, p := range []struct {
		typ string
		pl  Placement
	}{
		{TypeUserEnabled, Placement{Prefix: subjectUser}},
		{"OutsideType", Placement{Prefix: "other."}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("RegisterPlacement(%s, %+v) did not panic", p.typ, p.pl)
				}
			}()
			RegisterPlacement(p.typ, p.pl)
		}()
	}
}
