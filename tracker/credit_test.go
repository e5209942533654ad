package tracker

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
)

// world is a log with users and torrents, and a tracker running on it.

func TestOneSnatchPerUser(t *testing.T) {
	h1 := randomHash()
	w, u := newWorld(t, Config{}, []string{"a", "b"}, map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors})
	a1 := newTestPeer(u["a"], "-LT2080-", "10.0.0.1:1", 1)
	a2 := newTestPeer(u["a"], "-TR3000-", "10.0.0.1:1", 2)
	b := newTestPeer(u["b"], "-LT2080-", "10.0.0.2:1", 3)
	a1.mustAnnounce(t, w.h, h1, ann{left: 5, event: "started"})
	if r := a1.mustAnnounce(t, w.h, h1, ann{left: 0, event: "completed"}); r.Downloaded != 1 {
		t.Errorf("after the first completed: downloaded %d", r.Downloaded)
	}
	if r := a1.mustAnnounce(t, w.h, h1, ann{left: 0, event: "completed"}); r.Downloaded != 1 {
		t.Errorf("a second completed by the same user counted: %d", r.Downloaded)
	}
	a2.mustAnnounce(t, w.h, h1, ann{left: 5, event: "started"})
	if r := a2.mustAnnounce(t, w.h, h1, ann{left: 0, event: "completed"}); r.Downloaded != 1 {
		t.Errorf("a completed by the same user's other client counted: %d", r.Downloaded)
	}
	b.mustAnnounce(t, w.h, h1, ann{left: 5, event: "started"})
	if r := b.mustAnnounce(t, w.h, h1, ann{left: 0, event: "completed"}); r.Downloaded != 2 {
		t.Errorf("another user's completed: downloaded %d, want 2", r.Downloaded)
	}
	checkCounts(t, w.tr)
	flush(t, w.tr)
	var snatches int
	for _, a := range stored(t, w.log, "t1") {
		if a.Snatch {
			snatches++
		}
	}
	if snatches != 2 {
		t.Errorf("%d snatches stored, want one per user", snatches)
	}
}

// TestSnatchIsACompletedDownload: a session that began with something left
// snatches when it reports left = 0, whatever the event (rtorrent sends
// "completed" only with a later regular announce, or "stopped" with
// left = 0); a session that began complete never does.
func TestSnatchIsACompletedDownload(t *testing.T) {
	h1 := randomHash()
	w, u := newWorld(t, Config{Burst: 255}, []string{"regular", "stopper", "seeder", "restarter"},
		map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors})
	peer := func(name string) testPeer { return newTestPeer(u[name], "-lt0D80-", "10.0.0.9:1", 7) }
	regular, stopper, seeder, restarter := peer("regular"), peer("stopper"), peer("seeder"), peer("restarter")
	regular.mustAnnounce(t, w.h, h1, ann{left: 100, event: "started"})
	regular.mustAnnounce(t, w.h, h1, ann{down: 100, left: 0}) // a regular announce with nothing left
	stopper.mustAnnounce(t, w.h, h1, ann{left: 100, event: "started"})
	stopper.mustAnnounce(t, w.h, h1, ann{down: 100, left: 0, event: "stopped"})
	seeder.mustAnnounce(t, w.h, h1, ann{left: 0, event: "started"})
	seeder.mustAnnounce(t, w.h, h1, ann{left: 0, event: "completed"}) // began complete: no snatch
	restarter.mustAnnounce(t, w.h, h1, ann{down: 50, left: 50, event: "started"})
	restarter.mustAnnounce(t, w.h, h1, ann{down: 0, left: 0}) // counters reset: a new session that begins complete
	flush(t, w.tr)
	snatched := map[domain.UserID]int{}
	for _, a := range stored(t, w.log, "t1") {
		if a.Snatch {
			snatched[a.UserID]++
		}
	}
	want := map[domain.UserID]int{u["regular"].id: 1, u["stopper"].id: 1}
	if !maps.Equal(snatched, want) {
		t.Errorf("snatches by user %v, want regular and stopper once each", snatched)
	}
	if r := regular.mustAnnounce(t, w.h, h1, ann{down: 100, left: 0}); r.Downloaded != 2 {
		t.Errorf("scrape-style count of snatches: %d, want 2", r.Downloaded)
	}
}

// credits sums the stored credit of user.
func credits(as []domain.Announce, user domain.UserID) (c domain.Credit) {
	for _, a := range as {
		if a.UserID == user {
			c.RawUp += a.RawUp
			c.RawDown += a.RawDown
			c.CreditedUp += a.CreditedUp
			c.CreditedDown += a.CreditedDown
		}
	}
	return c
}

func TestNoCreditAcrossCounterReset(t *testing.T) {
	h1 := randomHash()
	w, u := newWorld(t, Config{}, []string{"a", "b"}, map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors})
	a := newTestPeer(u["a"], "-LT2080-", "10.0.0.1:1", 1)
	leecher := newTestPeer(u["b"], "-TR3000-", "10.0.0.2:1", 2) // receives a's upload
	leecher.mustAnnounce(t, w.h, h1, ann{left: 1 << 30, event: "started"})
	a.mustAnnounce(t, w.h, h1, ann{up: 1000, down: 1000, left: 5, event: "started"}) // first: nothing
	a.mustAnnounce(t, w.h, h1, ann{up: 1500, down: 1200, left: 5})                   // +500 / +200
	a.mustAnnounce(t, w.h, h1, ann{up: 100, down: 5000, left: 5})                    // upload reset: new session
	a.mustAnnounce(t, w.h, h1, ann{up: 400, down: 5100, left: 5})                    // +300 / +100
	a.mustAnnounce(t, w.h, h1, ann{up: 900, down: 9100, left: 5, event: "started"})  // started: new session
	a.mustAnnounce(t, w.h, h1, ann{up: 1000, down: 9000, left: 5})                   // download reset
	a.mustAnnounce(t, w.h, h1, ann{up: 1010, down: 9001, left: 5})                   // +10 / +1
	flush(t, w.tr)
	as := stored(t, w.log, "t1")[1:] // after the leecher's
	if c := credits(as, u["a"].id); c.RawUp != 810 || c.RawDown != 301 || c.CreditedUp != 810 || c.CreditedDown != 301 {
		t.Errorf("credit %+v, want up 810 down 301", c)
	}
	wantNew := []bool{true, false, true, false, true, true, false}
	for i, a := range as {
		if a.NewSession != wantNew[i] {
			t.Errorf("announce %d: new session %v", i, a.NewSession)
		}
	}
}

func TestFactors(t *testing.T) {
	normal, free, neutral, double := randomHash(), randomHash(), randomHash(), randomHash()
	w, u := newWorld(t, Config{}, []string{"a", "b"}, map[domain.InfoHash]domain.Factors{
		normal:  domain.NormalFactors,
		free:    {UploadPercent: 100, DownloadPercent: 0},
		neutral: {UploadPercent: 0, DownloadPercent: 0},
		double:  {UploadPercent: 200, DownloadPercent: 100},
	})
	a := newTestPeer(u["a"], "-LT2080-", "10.0.0.1:1", 1)
	leecher := newTestPeer(u["b"], "-TR3000-", "10.0.0.2:1", 2) // receives a's upload
	for _, h := range []domain.InfoHash{normal, free, neutral, double} {
		leecher.mustAnnounce(t, w.h, h, ann{left: 1 << 30, event: "started"})
		a.mustAnnounce(t, w.h, h, ann{left: 5, event: "started"})
		a.mustAnnounce(t, w.h, h, ann{up: 1000, down: 3000, left: 5})
	}
	// A factor change applies to the next announce.
	appendEvent(t, w.log, domain.TorrentSubject(normal), domain.TorrentFactorsSet{InfoHash: normal, Factors: domain.Factors{UploadPercent: 150, DownloadPercent: 50}})
	testenv.Eventually(t, "the factor change", func() bool {
		var f domain.Factors
		w.tr.swarms.with(normal, func(tor *torrent) { f = tor.factors })
		return f.UploadPercent == 150
	})
	a.mustAnnounce(t, w.h, normal, ann{up: 2000, down: 5000, left: 5})
	flush(t, w.tr)
	got := map[domain.InfoHash][]domain.Credit{}
	for _, s := range stored(t, w.log, "t1") {
		if !s.NewSession && s.UserID == u["a"].id {
			got[s.InfoHash] = append(got[s.InfoHash], s.Credit)
		}
	}
	want := map[domain.InfoHash][]domain.Credit{
		normal:  {{RawUp: 1000, RawDown: 3000, CreditedUp: 1000, CreditedDown: 3000}, {RawUp: 1000, RawDown: 2000, CreditedUp: 1500, CreditedDown: 1000}},
		free:    {{RawUp: 1000, RawDown: 3000, CreditedUp: 1000, CreditedDown: 0}},
		neutral: {{RawUp: 1000, RawDown: 3000, CreditedUp: 0, CreditedDown: 0}},
		double:  {{RawUp: 1000, RawDown: 3000, CreditedUp: 2000, CreditedDown: 3000}},
	}
	for h, cs := range want {
		if !slices.Equal(got[h], cs) {
			t.Errorf("%s: credits %+v, want %+v", h, got[h], cs)
		}
	}
}

// TestCreditAcrossRestart: a tracker stopped and started again on the same
// log credits each peer's next announce as if it had never stopped, and
// still knows its swarm and snatches.
func TestCreditAcrossRestart(t *testing.T) {
	h1 := randomHash()
	log := testenv.Log(t)
	ua, ub := newTestUser(t, "a"), newTestUser(t, "b")
	appendEvent(t, log, domain.UsernameSubject("a"), ua.registered())
	appendEvent(t, log, domain.UsernameSubject("b"), ub.registered())
	appendEvent(t, log, domain.TorrentSubject(h1), domain.TorrentRegistered{InfoHash: h1, Factors: domain.Factors{UploadPercent: 200, DownloadPercent: 100}})
	a := newTestPeer(ua, "-LT2080-", "10.0.0.1:1", 1)
	b := newTestPeer(ub, "-TR3000-", "10.0.0.2:1", 2)

	tr1, stop1 := running(t, log, Config{Burst: 255})
	a.mustAnnounce(t, tr1.Handler(), h1, ann{up: 100, left: 0, event: "started"})
	b.mustAnnounce(t, tr1.Handler(), h1, ann{down: 50, left: 900, event: "started"})
	a.mustAnnounce(t, tr1.Handler(), h1, ann{up: 400, left: 0})
	b.mustAnnounce(t, tr1.Handler(), h1, ann{down: 350, left: 600})
	b.mustAnnounce(t, tr1.Handler(), h1, ann{down: 950, left: 0, event: "completed"})
	stop1() // flushes

	tr2, _ := running(t, log, Config{Burst: 255})
	r := a.mustAnnounce(t, tr2.Handler(), h1, ann{up: 1000, left: 0})
	if r.Complete != 2 || r.Downloaded != 1 {
		t.Errorf("after restart: complete %d downloaded %d, want the rebuilt swarm (2) and snatch (1)", r.Complete, r.Downloaded)
	}
	b.mustAnnounce(t, tr2.Handler(), h1, ann{up: 10, down: 1000, left: 0})
	flush(t, tr2)
	as := stored(t, log, "t1")
	if ca := credits(as, ua.id); ca.RawUp != 900 || ca.CreditedUp != 1800 {
		t.Errorf("a: %+v, want raw up 900 (1000-100), credited 1800", ca)
	}
	// b's last 10 bytes of upload went to nobody (a seeds): claimed, not credited.
	if cb := credits(as, ub.id); cb.RawDown != 950 || cb.CreditedDown != 950 || cb.RawUp != 10 || cb.CreditedUp != 0 {
		t.Errorf("b: %+v, want raw down 950 (1000-50), up 10 credited 0 (nobody to receive it)", cb)
	}
	if last := as[len(as)-1]; last.Caps != domain.CapUpEmpty {
		t.Errorf("b's upload into a swarm of seeders recorded caps %v, want up_empty", last.Caps.Names())
	}
	if last := as[len(as)-1]; last.NewSession {
		t.Error("the first announce after the restart started a new session")
	}
}

// TestRestartAfterDowntime: time the tracker was down does not count as a
// peer's silence, so a client that comes back after a long outage keeps its
// session; a peer already silent too long before the outage is reaped.
func TestRestartAfterDowntime(t *testing.T) {
	h1 := randomHash()
	log := testenv.Log(t)
	ua, ub := newTestUser(t, "a"), newTestUser(t, "b")
	appendEvent(t, log, domain.UsernameSubject("a"), ua.registered())
	appendEvent(t, log, domain.UsernameSubject("b"), ub.registered())
	appendEvent(t, log, domain.TorrentSubject(h1), domain.TorrentRegistered{InfoHash: h1, Factors: domain.NormalFactors})
	clock := newFakeClock()
	cfg := Config{Interval: time.Hour, MinInterval: time.Minute, Now: clock.Now}
	a := newTestPeer(ua, "-LT2080-", "10.0.0.1:1", 1)
	b := newTestPeer(ub, "-LT2080-", "10.0.0.2:1", 2)

	tr1, stop1 := running(t, log, cfg)
	b.mustAnnounce(t, tr1.Handler(), h1, ann{left: 0, event: "started"})
	clock.Advance(150 * time.Minute) // b silent for 2.5 intervals when the tracker stops
	a.mustAnnounce(t, tr1.Handler(), h1, ann{up: 100, left: 0, event: "started"})
	stop1()

	clock.Advance(5 * time.Hour) // the tracker is down for 5 intervals
	tr2, _ := running(t, log, cfg)
	if n := tr2.reap(clock.Now()); n != 1 {
		t.Errorf("reaped %d peers at restart, want b only", n)
	}
	clock.Advance(90 * time.Minute)
	if n := tr2.reap(clock.Now()); n != 0 {
		t.Errorf("reaped %d peers 1.5 intervals after the restart", n)
	}
	a.mustAnnounce(t, tr2.Handler(), h1, ann{up: 700, left: 0})
	flush(t, tr2)
	as := stored(t, log, "t1")
	if last := as[len(as)-1]; last.NewSession || last.RawUp != 600 {
		t.Errorf("a's announce after the outage: %+v, want a credit of 600 in the same session", last)
	}
}
