package commands

import (
	"bytes"
	"strings"
	"testing"

	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
)

func TestAddTorrent(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.register("alice", false).User, e.register("bob", false).User
	file := testenv.TorrentFile(t, "album.flac", false)
	before := e.last()
	added, err := e.c.AddTorrent(e.ctx, UserActor(alice.ID, false), AddTorrent{File: file, Uploader: "alice", Category: "music"})
	if err != nil {
		t.Fatal(err)
	}
	reg := e.one(before, domain.TorrentSubject(added.Torrent.InfoHash), alice.ID.String()).(domain.TorrentRegistered)
	if reg.Uploader != alice.ID || reg.Category != "music" || reg.Name != "album.flac" || !added.MadePrivate ||
		reg.InfoHash != domain.InfoHash(metainfo.HashBytes(reg.Info)) || reg.Factors != domain.NormalFactors {
		t.Fatalf("registered %+v (%+v)", reg, added)
	}
	before = e.last()
	for _, tc := range []struct {
		name        string
		actor       Actor
		in          AddTorrent
		kind        domain.Kind
		field, want string
	}{
		{"duplicate", Operator, AddTorrent{File: file, Uploader: "bob"}, domain.KindConflict, "file", "is already registered"},
		{"not a torrent", Operator, AddTorrent{File: []byte("not bencode"), Uploader: "bob"}, domain.KindInvalid, "file", "this is not a valid .torrent"},
		{"no uploader", Operator, AddTorrent{File: testenv.TorrentFile(t, "x", true), Uploader: "nobody"}, domain.KindNotFound, "user", "no user named"},
		{"as another", UserActor(bob.ID, false), AddTorrent{File: testenv.TorrentFile(t, "y", true), Uploader: "alice"}, domain.KindForbidden, "user", "only as yourself"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.c.AddTorrent(e.ctx, tc.actor, tc.in)
			e.refused(err, tc.kind, tc.field, tc.want, before)
		})
	}
}

// A neutral registration carries factors 0/0 in its TorrentRegistered
// itself, so the tracker credits nothing for it from its first announce.
func TestAddTorrentNeutral(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice", false).User
	before := e.last()
	added, err := e.c.AddTorrent(e.ctx, UserActor(alice.ID, false), AddTorrent{File: testenv.TorrentFile(t, "backup", false), Uploader: "alice", Neutral: true})
	if err != nil {
		t.Fatal(err)
	}
	reg := e.one(before, domain.TorrentSubject(added.Torrent.InfoHash), alice.ID.String()).(domain.TorrentRegistered)
	if reg.Factors != (domain.Factors{}) || added.Torrent.Factors != (domain.Factors{}) {
		t.Fatalf("a neutral registration has factors %+v (returned %+v)", reg.Factors, added.Torrent.Factors)
	}
}

func TestPersonalTorrentCarriesTheCurrentPasskey(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.register("alice", false).User, e.register("bob", false).User
	reg := e.upload("album.flac", "alice")
	rotated, err := e.c.RotatePasskey(e.ctx, Operator, "alice")
	if err != nil {
		t.Fatal(err)
	}
	before := e.last()
	body, err := e.c.PersonalTorrent(e.ctx, UserActor(alice.ID, false), reg.InfoHash, "alice", "http://tracker.example:6969/")
	if err != nil {
		t.Fatal(err)
	}
	mi, err := metainfo.Load(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if want := "http://tracker.example:6969/announce/" + string(rotated.Passkey); mi.Announce != want || mi.HashInfoBytes() != metainfo.Hash(reg.InfoHash) {
		t.Fatalf("announce %q (want %q), hash %s", mi.Announce, want, mi.HashInfoBytes())
	}
	if e.last() != before {
		t.Fatal("building a .torrent appended an event")
	}
	_, err = e.c.PersonalTorrent(e.ctx, UserActor(bob.ID, false), reg.InfoHash, "alice", "http://x")
	e.refused(err, domain.KindForbidden, "", "only your own", before)
	_, err = e.c.PersonalTorrent(e.ctx, Operator, domain.InfoHash{1}, "alice", "http://x")
	e.refused(err, domain.KindNotFound, "info_hash", "no torrent with info hash", before)
	if _, err := e.c.DeleteTorrent(e.ctx, Operator, reg.InfoHash, "dupe"); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.PersonalTorrent(e.ctx, Operator, reg.InfoHash, "alice", "http://x")
	e.refused(err, domain.KindNotFound, "info_hash", "was deleted", e.last())
}

func TestTorrentFactorsAndDelete(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice", false).User
	reg := e.upload("album.flac", "alice")
	subject := domain.TorrentSubject(reg.InfoHash)
	free, _ := domain.NewFactors(100, 0)
	before := e.last()
	if _, err := e.c.SetTorrentFactors(e.ctx, Operator, reg.InfoHash, free); err != nil {
		t.Fatal(err)
	}
	if got := e.one(before, subject, domain.ActorOperator); got != (domain.TorrentFactorsSet{InfoHash: reg.InfoHash, Factors: free}) {
		t.Fatalf("appended %+v", got)
	}
	before = e.last()
	_, err := e.c.SetTorrentFactors(e.ctx, UserActor(alice.ID, false), reg.InfoHash, free)
	e.refused(err, domain.KindForbidden, "", "only staff", before)
	_, err = e.c.DeleteTorrent(e.ctx, UserActor(alice.ID, false), reg.InfoHash, "")
	e.refused(err, domain.KindForbidden, "", "only staff", before)
	_, err = e.c.SetTorrentFactors(e.ctx, Operator, domain.InfoHash{7}, free)
	e.refused(err, domain.KindNotFound, "info_hash", "no torrent with info hash", before)

	if _, err := e.c.DeleteTorrent(e.ctx, Operator, reg.InfoHash, "dupe"); err != nil {
		t.Fatal(err)
	}
	if got := e.one(before, subject, domain.ActorOperator); got != (domain.TorrentDeleted{InfoHash: reg.InfoHash, Reason: "dupe"}) {
		t.Fatalf("appended %+v", got)
	}
	before = e.last()
	_, err = e.c.DeleteTorrent(e.ctx, Operator, reg.InfoHash, "again")
	e.refused(err, domain.KindNotFound, "info_hash", "was deleted", before)
	_, err = e.c.SetTorrentFactors(e.ctx, Operator, reg.InfoHash, free)
	e.refused(err, domain.KindNotFound, "info_hash", "was deleted", before)
}

func TestSetClientAllowList(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice", false).User
	before := e.last()
	if _, err := e.c.SetClientAllowList(e.ctx, Operator, []string{"-TR", "-qB"}); err != nil {
		t.Fatal(err)
	}
	got := e.one(before, domain.SubjectClients, domain.ActorOperator).(domain.ClientAllowListSet)
	if strings.Join(got.Prefixes, " ") != "-TR -qB" {
		t.Fatalf("appended %+v", got)
	}
	before = e.last()
	_, err := e.c.SetClientAllowList(e.ctx, Operator, []string{""})
	e.refused(err, domain.KindInvalid, "prefixes", "1 to 20 bytes", before)
	_, err = e.c.SetClientAllowList(e.ctx, Operator, nil)
	e.refused(err, domain.KindInvalid, "prefixes", "at least one prefix", before)
	_, err = e.c.SetClientAllowList(e.ctx, UserActor(alice.ID, false), []string{"-TR"})
	e.refused(err, domain.KindForbidden, "", "only staff", before)
}

func TestALogThatIsDownMakesCommandsUnavailable(t *testing.T) {
	srv := testenv.NATS(t)
	log := testenv.LogOn(t, srv)
	c := New(log, testKeys(t))
	srv.Shutdown()
	_, err := c.RegisterUser(t.Context(), Operator, RegisterUser{Name: "alice"})
	if domain.KindOf(err) != domain.KindUnavailable || !strings.Contains(err.Error(), "try again") {
		t.Fatalf("with the log down: %v (%v); want unavailable", err, domain.KindOf(err))
	}
}
