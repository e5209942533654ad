package tracker

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
)

// world is a log with users and torrents, and a tracker running on it.

func TestLiveRegistryChanges(t *testing.T) {
	h1, h2 := randomHash(), randomHash()
	w, u := newWorld(t, Config{}, []string{"rot", "dis", "cli"}, map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors, h2: domain.NormalFactors})
	rot := newTestPeer(u["rot"], "-LT2080-", "10.0.0.1:1", 1)
	dis := newTestPeer(u["dis"], "-LT2080-", "10.0.0.2:1", 2)
	cli := newTestPeer(u["cli"], "-DE2110-", "10.0.0.3:1", 3)
	for _, p := range []testPeer{rot, dis, cli} {
		p.mustAnnounce(t, w.h, h1, ann{left: 1, event: "started"})
	}
	ctx := context.Background()

	newKey := passkey(t)
	appendEvent(t, w.log, domain.UserSubject(rot.user.id), domain.PasskeyRotated{UserID: rot.user.id, Passkey: domain.Passkey(newKey)})
	testenv.Eventually(t, "the old passkey to be refused", func() bool {
		return rot.announce(t, w.h, h2, ann{left: 1}).Failure == site.unknownPasskey(&h2).Text
	})
	rotNew := rot
	rotNew.user.passkey = newKey
	rotNew.mustAnnounce(t, w.h, h2, ann{left: 1})

	appendEvent(t, w.log, domain.UserSubject(dis.user.id), domain.UserDisabled{UserID: dis.user.id})
	testenv.Eventually(t, "the disabled user to be refused", func() bool {
		return dis.announce(t, w.h, h2, ann{left: 1}).Failure == site.userDisabled().Text
	})
	appendEvent(t, w.log, domain.UserSubject(dis.user.id), domain.UserEnabled{UserID: dis.user.id})
	testenv.Eventually(t, "the enabled user to be served", func() bool {
		return dis.announce(t, w.h, h2, ann{left: 1}).Failure == ""
	})

	appendEvent(t, w.log, domain.UserSubject(dis.user.id), domain.LeechingSet{UserID: dis.user.id, CanLeech: false})
	testenv.Eventually(t, "leeching to be refused", func() bool {
		return dis.announce(t, w.h, h1, ann{left: 1, event: "started"}).Failure == site.leechDisabled().Text
	})

	appendEvent(t, w.log, domain.TorrentSubject(h1), domain.TorrentDeleted{InfoHash: h1})
	testenv.Eventually(t, "the deleted torrent to be refused", func() bool {
		return cli.announce(t, w.h, h1, ann{left: 1, event: "started"}).Failure == ErrDeleted.Text
	})

	if _, err := w.log.Append(ctx, domain.SubjectClients, domain.ClientAllowListSet{Prefixes: []string{"-LT"}}); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, "Deluge to be refused", func() bool {
		return strings.HasPrefix(cli.announce(t, w.h, h2, ann{left: 1, event: "started"}).Failure, `client "-DE2110-" is not allowed`)
	})
	rotNew.mustAnnounce(t, w.h, h2, ann{left: 1, event: "started"})
}

// TestReaping: peers silent for two intervals are removed by the running
// reaper, and each reap is stored as an EventReaped announce.
func TestReaping(t *testing.T) {
	h1 := randomHash()
	clock := newFakeClock()
	w, u := newWorld(t, Config{Interval: 2 * time.Second, MinInterval: time.Second, Now: clock.Now},
		[]string{"a", "b"}, map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors})
	a := newTestPeer(u["a"], "-LT2080-", "10.0.0.1:1", 1)
	b := newTestPeer(u["b"], "-LT2080-", "10.0.0.2:1", 2)
	a.mustAnnounce(t, w.h, h1, ann{up: 7, left: 0, event: "started"})
	b.mustAnnounce(t, w.h, h1, ann{left: 5, event: "started"})
	clock.Advance(3 * time.Second)
	b.mustAnnounce(t, w.h, h1, ann{left: 5})
	clock.Advance(1500 * time.Millisecond) // a: 4.5 s silent, b: 1.5 s
	testenv.Eventually(t, "a to be reaped", func() bool { return w.tr.Stats().Peers == 1 })
	if r := b.mustAnnounce(t, w.h, h1, ann{left: 5}); r.Complete != 0 || len(compactPeers(t, r)) != 0 {
		t.Errorf("reaped seeder still in the swarm: %+v", r)
	}
	checkCounts(t, w.tr)
	flush(t, w.tr)
	var reaped []domain.Announce
	for _, s := range stored(t, w.log, "t1") {
		if s.Event == domain.EventReaped {
			reaped = append(reaped, s)
		}
	}
	if len(reaped) != 1 || reaped[0].UserID != u["a"].id || reaped[0].PeerID != a.id || reaped[0].Uploaded != 7 || reaped[0].Left != 0 || reaped[0].Credit != (domain.Credit{}) {
		t.Errorf("reaped events %+v", reaped)
	}
}

// TestTwoNodes: trackers on one log share their swarms through it; each
// records only its own peers' reaps.
func TestTwoNodes(t *testing.T) {
	h1 := randomHash()
	log := testenv.Log(t)
	ua, ub := newTestUser(t, "a"), newTestUser(t, "b")
	appendEvent(t, log, domain.UsernameSubject("a"), ua.registered())
	appendEvent(t, log, domain.UsernameSubject("b"), ub.registered())
	appendEvent(t, log, domain.TorrentSubject(h1), domain.TorrentRegistered{InfoHash: h1, Factors: domain.NormalFactors})
	clock := newFakeClock()
	cfg := Config{Interval: time.Hour, Now: clock.Now, FlushInterval: 10 * time.Millisecond}
	cfg.Node = "n1"
	t1, _ := running(t, log, cfg)
	cfg.Node = "n2"
	t2, _ := running(t, log, cfg)
	a := newTestPeer(ua, "-LT2080-", "10.0.0.1:1", 1)
	b := newTestPeer(ub, "-LT2080-", "10.0.0.2:1", 2)
	a.mustAnnounce(t, t1.Handler(), h1, ann{left: 0, event: "started"})
	testenv.Eventually(t, "node 2 to learn node 1's seeder", func() bool {
		return t2.Stats().Seeders == 1
	})
	if got := compactPeers(t, b.mustAnnounce(t, t2.Handler(), h1, ann{left: 9, event: "started"})); !slices.Equal(got, []string{"10.0.0.1:1"}) {
		t.Errorf("node 2 sent %v", got)
	}
	testenv.Eventually(t, "node 1 to learn node 2's leecher", func() bool {
		return t1.Stats().Leechers == 1
	})
	clock.Advance(3 * time.Hour)
	if n := t2.reap(clock.Now()); n != 2 {
		t.Errorf("node 2 reaped %d peers", n)
	}
	if n := t1.reap(clock.Now()); n != 2 {
		t.Errorf("node 1 reaped %d peers", n)
	}
	flush(t, t1)
	flush(t, t2)
	for node, want := range map[string]domain.UserID{"n1": ua.id, "n2": ub.id} {
		var reaped []domain.UserID
		for _, s := range stored(t, log, node) {
			if s.Event == domain.EventReaped {
				reaped = append(reaped, s.UserID)
			}
		}
		if !slices.Equal(reaped, []domain.UserID{want}) {
			t.Errorf("%s recorded reaps of %v, want only its own peer's", node, reaped)
		}
	}
}

// TestRecordedStatesAndSeedTime: each stored announce carries the peer's
// state just before it and the seed time it ends (domain.SeedTime), and
// deleting a torrent reaps its peers at once, recorded like any reap.
func TestRecordedStatesAndSeedTime(t *testing.T) {
	h1 := randomHash()
	clock := newFakeClock()
	w, u := newWorld(t, Config{Interval: time.Hour, MinInterval: time.Second, Now: clock.Now},
		[]string{"a", "b"}, map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors})
	a := newTestPeer(u["a"], "-LT2080-", "10.0.0.1:1", 1)
	b := newTestPeer(u["b"], "-LT2080-", "10.0.0.2:1", 2)
	a.mustAnnounce(t, w.h, h1, ann{left: 10, event: "started"})
	clock.Advance(10 * time.Second)
	a.mustAnnounce(t, w.h, h1, ann{down: 10, left: 0, event: "completed"}) // leeching until now
	clock.Advance(30 * time.Second)
	a.mustAnnounce(t, w.h, h1, ann{down: 10, left: 0})
	clock.Advance(20 * time.Second)
	a.mustAnnounce(t, w.h, h1, ann{down: 10, left: 0, event: "stopped"})
	b.mustAnnounce(t, w.h, h1, ann{left: 0, event: "started"})
	clock.Advance(5 * time.Second)
	a.mustAnnounce(t, w.h, h1, ann{left: 0, event: "stopped"}) // unknown peer stopping: nothing changes
	appendEvent(t, w.log, domain.TorrentSubject(h1), domain.TorrentDeleted{InfoHash: h1})
	testenv.Eventually(t, "the deleted torrent's peers to be reaped", func() bool { return w.tr.Stats().Peers == 0 })
	flush(t, w.tr)

	type rec struct {
		user       domain.UserID
		ev         domain.AnnounceEvent
		prev       domain.PeerState
		seedMillis uint64
	}
	want := []rec{
		{u["a"].id, domain.EventStarted, domain.PeerAbsent, 0},
		{u["a"].id, domain.EventCompleted, domain.PeerLeecher, 0},
		{u["a"].id, domain.EventNone, domain.PeerSeeder, 30_000},
		{u["a"].id, domain.EventStopped, domain.PeerSeeder, 20_000},
		{u["b"].id, domain.EventStarted, domain.PeerAbsent, 0},
		{u["a"].id, domain.EventStopped, domain.PeerAbsent, 0},
		{u["b"].id, domain.EventReaped, domain.PeerSeeder, 0},
	}
	var got []rec
	for _, s := range stored(t, w.log, "t1") {
		got = append(got, rec{s.UserID, s.Event, s.Prev, s.SeedMillis})
	}
	if !slices.Equal(got, want) {
		t.Errorf("stored announces:\n got %+v\nwant %+v", got, want)
	}
}
