package tracker

import (
	"math"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
)

// TestForgedCreditIsBounded: a claim of 8 EiB of upload on a torrent
// nobody else is downloading credits nothing (there was nobody to receive
// it), and with a leecher there at most the rate cap; each event keeps the
// whole claim and the caps that applied. Two users in a real swarm are
// still credited exactly.
func TestForgedCreditIsBounded(t *testing.T) {
	lonely, busy := randomHash(), randomHash()
	clock := newFakeClock()
	const rate = 100 << 20 // 100 MiB/s
	w, u := newWorld(t, Config{Burst: 255, MaxRate: rate, Now: clock.Now}, []string{"forger", "honest", "leecher"},
		map[domain.InfoHash]domain.Factors{lonely: domain.NormalFactors, busy: domain.NormalFactors})
	forger := newTestPeer(u["forger"], "-TR3000-", "10.0.0.1:1", 1)
	honest := newTestPeer(u["honest"], "-LT2080-", "10.0.0.2:1", 2)
	leecher := newTestPeer(u["leecher"], "-qB4650-", "10.0.0.3:1", 3)
	const eightEiB = math.MaxInt64

	forger.mustAnnounce(t, w.h, lonely, ann{left: 0, event: "started"})
	clock.Advance(time.Minute)
	forger.mustAnnounce(t, w.h, lonely, ann{up: eightEiB, left: 0})

	leecher.mustAnnounce(t, w.h, busy, ann{left: 1 << 30, event: "started"})
	honest.mustAnnounce(t, w.h, busy, ann{left: 0, event: "started"})
	forger.mustAnnounce(t, w.h, busy, ann{left: 0, event: "started"})
	clock.Advance(time.Minute)
	forger.mustAnnounce(t, w.h, busy, ann{up: eightEiB, left: 0})
	honest.mustAnnounce(t, w.h, busy, ann{up: 700 << 20, left: 0})
	leecher.mustAnnounce(t, w.h, busy, ann{down: 700 << 20, left: 1<<30 - 700<<20})
	flush(t, w.tr)

	type key struct {
		user domain.UserID
		h    domain.InfoHash
	}
	got := map[key]domain.Announce{}
	for _, a := range stored(t, w.log, "t1") {
		if !a.NewSession {
			got[key{a.UserID, a.InfoHash}] = a
		}
	}
	const capped = rate * 61 // 60 s since the previous announce, and the second of slack
	want := []struct {
		user       domain.UserID
		h          domain.InfoHash
		rawUp      uint64
		up, down   uint64
		caps       domain.Caps
		explaining string
	}{
		{u["forger"].id, lonely, eightEiB, 0, 0, domain.CapUpRate | domain.CapUpEmpty, "8 EiB into an empty swarm"},
		{u["forger"].id, busy, eightEiB, capped, 0, domain.CapUpRate, "8 EiB with a leecher there: the rate cap"},
		{u["honest"].id, busy, 700 << 20, 700 << 20, 0, 0, "an honest seeder"},
		{u["leecher"].id, busy, 0, 0, 700 << 20, 0, "its leecher"},
	}
	if len(got) != len(want) {
		t.Fatalf("stored %d credited announces, want %d: %+v", len(got), len(want), got)
	}
	for _, w := range want {
		a := got[key{w.user, w.h}]
		if a.UserID != w.user || a.RawUp != w.rawUp || a.CreditedUp != w.up || a.CreditedDown != w.down || a.Caps != w.caps {
			t.Errorf("%s: raw up %d, credited %d up %d down, caps %v; want raw %d, credited %d up %d down, caps %v",
				w.explaining, a.RawUp, a.CreditedUp, a.CreditedDown, a.Caps.Names(), w.rawUp, w.up, w.down, w.caps.Names())
		}
	}
}

// TestDownloadCappedAtTheTorrentSize: a session is credited at most the
// torrent's size of download, however much it claims.
func TestDownloadCappedAtTheTorrentSize(t *testing.T) {
	h := randomHash()
	w, u := newWorld(t, Config{Burst: 255}, []string{"a", "seeder"}, nil)
	appendEvent(t, w.log, domain.TorrentSubject(h), domain.TorrentRegistered{InfoHash: h, Name: "x", Size: 1000, Factors: domain.NormalFactors})
	seeder, a := newTestPeer(u["seeder"], "-LT2080-", "10.0.0.2:1", 2), newTestPeer(u["a"], "-LT2080-", "10.0.0.1:1", 1)
	eventuallyRegistered(t, w.tr, h)
	seeder.mustAnnounce(t, w.h, h, ann{left: 0, event: "started"})
	a.mustAnnounce(t, w.h, h, ann{left: 1000, event: "started"})
	a.mustAnnounce(t, w.h, h, ann{down: 600, left: 400})
	a.mustAnnounce(t, w.h, h, ann{down: 5000, left: 0})
	flush(t, w.tr)
	if c := credits(stored(t, w.log, "t1"), u["a"].id); c.RawDown != 5000 || c.CreditedDown != 1000 {
		t.Errorf("credited %+v, want 5000 claimed and the size (1000) credited", c)
	}
}

func eventuallyRegistered(t *testing.T, tr *Tracker, h domain.InfoHash) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; {
		var ok bool
		tr.swarms.with(h, func(*torrent) { ok = true })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the tracker never learned the torrent")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestPeersPerUserAndNewPeerRate: a user's extra clients in one swarm and
// new peers beyond the user's rate are refused, each with a reason, and
// stored nowhere.
func TestPeersPerUserAndNewPeerRate(t *testing.T) {
	h1, h2 := randomHash(), randomHash()
	clock := newFakeClock()
	w, u := newWorld(t, Config{Burst: 255, MaxPeersPerTorrent: 2, NewPeerBurst: 3, NewPeerRate: 0.5, Now: clock.Now},
		[]string{"mallory"}, map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors, h2: domain.NormalFactors})
	var peers [6]testPeer
	for i := range peers {
		peers[i] = newTestPeer(u["mallory"], "-LT2080-", "10.0.0.1:1", uint16(1000+i))
	}
	peer := func(i int) testPeer { return peers[i] }
	peer(1).mustAnnounce(t, w.h, h1, ann{left: 1, event: "started"})
	peer(2).mustAnnounce(t, w.h, h1, ann{left: 1, event: "started"})
	if r := peer(3).announce(t, w.h, h1, ann{left: 1, event: "started"}); r.Failure != tooManyPeers(2).Text {
		t.Errorf("a third client in one swarm: %q", r.Failure)
	}
	peer(1).mustAnnounce(t, w.h, h1, ann{left: 1}) // known peers announce on
	peer(4).mustAnnounce(t, w.h, h2, ann{left: 1, event: "started"})
	if r := peer(5).announce(t, w.h, h2, ann{left: 1, event: "started"}); r.Failure != tooManyNewPeers(2).Text {
		t.Errorf("a fourth new peer at once, beyond a burst of 3: %q", r.Failure)
	}
	clock.Advance(2 * time.Second)
	peer(5).mustAnnounce(t, w.h, h2, ann{left: 1, event: "started"}) // one token back after 2 s
	flush(t, w.tr)
	if n := len(stored(t, w.log, "t1")); n != 5 {
		t.Errorf("%d announces stored, want the 5 accepted", n)
	}
	if c := w.tr.RefusalCounts(); c["too_many_peers"] != 1 || c["too_many_new_peers"] != 1 {
		t.Errorf("refusal counts %v", c)
	}
}
