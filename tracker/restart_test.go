package tracker

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/natsd"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/nats-io/nats.go"
)

// TestRestartEquivalence proves that a restart changes nothing (DESIGN
// invariant 3): a seeded history played on tracker A, which never stops,
// and on tracker B, stopped at several points and replaced each time by a
// fresh tracker on the same log that replays it and plays on, leaves both
// with the same swarms (every peer with its counters, left, address,
// last-seen time and pause; seeders and leechers), the same snatches and
// the same recorded announces (credit, previous state, seed time, event).
// B stops gracefully (Run's final flush) in one run and abruptly in the
// other: everything accepted is flushed, then B is cut off the log and
// ended, as if it crashed, so its final flush reaches nothing.
func TestRestartEquivalence(t *testing.T) {
	const seed = 0x5eed_d7e3be
	rng := rand.New(rand.NewPCG(seed, seed))
	c := newCast(rng, 6, 3)
	steps := newHistory(rng, c, 400)
	runs := []struct {
		name     string
		restarts map[int]bool
		abrupt   bool
	}{
		{"graceful", restartPoints(rng, steps, 3), false},
		{"abrupt", restartPoints(rng, steps, 3), true},
	}
	want := playHistory(t, c, steps, nil, false)
	for _, run := range runs {
		t.Run(run.name, func(t *testing.T) {
			checkCoverage(t, want, steps, run.restarts)
			got := playHistory(t, c, steps, run.restarts, run.abrupt)
			compareTorrents(t, want.torrents, got.torrents)
			compareAnnounces(t, want.announces, got.announces)
		})
	}
}

// historyStart is when every history begins: a whole second, so that all
// times (whole seconds later) are whole ticks on every tracker's clock.
var historyStart = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// historyConfig: reaping after two hours of silence, no refusal for
// announcing early (its burst count is not replayed), and the background
// reaper made harmless: its ticker runs on real time, but every move of
// the test's clock is followed at once by an explicit reap at the same
// instant, so the loop can only ever reap what that reap does.
func historyConfig(clock *fakeClock) Config {
	return Config{Interval: time.Hour, MinInterval: time.Minute, Burst: 255, Now: clock.Now,
		FlushInterval: 10 * time.Millisecond}
}

// outcome is what a history leaves behind.
type outcome struct {
	torrents  []torrentView
	announces []domain.Announce // in canonical order (canonical)
}

// playHistory plays steps on a fresh log, restarting the tracker before
// each step in restarts, and returns the outcome.
func playHistory(t *testing.T, c cast, steps []step, restarts map[int]bool, abrupt bool) outcome {
	t.Helper()
	srv := testenv.NATS(t)
	log := testenv.LogOn(t, srv) // the test's own appends and reads
	for _, u := range c.users {
		appendEvent(t, log, domain.UsernameSubject(u.name), u.registered())
	}
	for _, h := range c.torrents {
		appendEvent(t, log, domain.TorrentSubject(h), domain.TorrentRegistered{InfoHash: h, Name: h.String(), Factors: domain.NormalFactors})
	}
	clock := &fakeClock{t: historyStart}
	n := startNode(t, srv, historyConfig(clock))
	for i, s := range steps {
		if restarts[i] {
			n.stop(t, abrupt)
			n = startNode(t, srv, historyConfig(clock))
		}
		playStep(t, n.tr, log, clock, c, s)
	}
	flush(t, n.tr)
	checkCounts(t, n.tr)
	return outcome{torrents: viewTorrents(n.tr, c.torrents), announces: canonical(stored(t, log, DefaultNode))}
}

func playStep(t *testing.T, tr *Tracker, log *eventlog.Log, clock *fakeClock, c cast, s step) {
	t.Helper()
	switch s.kind {
	case stepAnnounce:
		c.peers[s.peer].mustAnnounce(t, tr.Handler(), c.torrents[s.tor], s.a)
	case stepWait:
		clock.Advance(s.wait)
		tr.reap(clock.Now())
	case stepDelete:
		h := c.torrents[s.tor]
		appendEvent(t, log, domain.TorrentSubject(h), domain.TorrentDeleted{InfoHash: h})
		testenv.Eventually(t, "the tracker to delete the torrent", func() bool {
			var deleted bool
			tr.swarms.with(h, func(tor *torrent) { deleted = tor.deleted })
			return deleted
		})
	}
}

// node is one tracker process on srv's log, with a connection of its own
// that an abrupt stop cuts.
type node struct {
	tr      *Tracker
	nc      *nats.Conn
	cancel  context.CancelFunc
	done    chan error
	stopped bool
}

// startNode starts a tracker and waits until it is ready; the test's end
// stops it gracefully if nothing did before.
func startNode(t *testing.T, srv *natsd.Server, cfg Config) *node {
	t.Helper()
	nc, err := srv.Connect("tracker")
	if err != nil {
		t.Fatal(err)
	}
	log, err := eventlog.Open(context.Background(), nc, eventlog.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := &node{tr: New(cfg, log), nc: nc, cancel: cancel, done: make(chan error, 1)}
	go func() { n.done <- n.tr.Run(ctx) }()
	t.Cleanup(func() { n.stop(t, false) })
	select {
	case <-n.tr.Ready():
	case err := <-n.done:
		t.Fatalf("tracker stopped before ready: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("tracker not ready after 30s")
	}
	return n
}

// stop ends the node. Gracefully, Run returns after its final flush.
// Abruptly, as a crash just after a flush: what was accepted is stored,
// then the connection is closed before Run is ended, so nothing more
// reaches the log (Run's error then is expected).
func (n *node) stop(t *testing.T, abrupt bool) {
	t.Helper()
	if n.stopped {
		return
	}
	n.stopped = true
	if abrupt {
		flush(t, n.tr)
		n.nc.Close()
		n.cancel()
		<-n.done
		return
	}
	n.cancel()
	if err := <-n.done; err != nil {
		t.Errorf("tracker Run: %v", err)
	}
	n.nc.Close()
}

// canonical orders announces by time, then peer (info hash, user, peer
// id), keeping the stored order among equals: one peer's announces keep
// the order they were decided in, which is all the log promises across
// batches swept at different moments.
func canonical(as []domain.Announce) []domain.Announce {
	slices.SortStableFunc(as, func(a, b domain.Announce) int {
		return cmp.Or(cmp.Compare(a.TimeMillis, b.TimeMillis), bytes.Compare(a.InfoHash[:], b.InfoHash[:]),
			bytes.Compare(a.UserID[:], b.UserID[:]), bytes.Compare(a.PeerID[:], b.PeerID[:]))
	})
	return as
}

// compareAnnounces fails for every recorded announce of got that differs
// from want's (credit, previous state, seed time, event and the rest).
func compareAnnounces(t *testing.T, want, got []domain.Announce) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d announces recorded, want %d", len(got), len(want))
	}
	bad := 0
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			if bad++; bad <= 5 {
				t.Errorf("announce %d:\n got %s\nwant %s", i, describe(got[i]), describe(want[i]))
			}
		}
	}
	if bad > 5 {
		t.Errorf("... %d announces differ in all", bad)
	}
}

func describe(a domain.Announce) string {
	return fmt.Sprintf("%s %.8s %.8s %q %v prev=%v seed=%v up=%d down=%d left=%d %+v",
		time.UnixMilli(a.TimeMillis).UTC().Format(time.TimeOnly), a.InfoHash, a.UserID, a.PeerID[:8], a.Event,
		a.Prev, time.Duration(a.SeedMillis)*time.Millisecond, a.Uploaded, a.Downloaded, a.Left, a.Credit)
}

// checkCoverage fails when the history is too tame to prove anything: a
// restart must follow stops, reaps, completions, pauses and counter resets,
// and the swarms must hold peers at the end.
func checkCoverage(t *testing.T, want outcome, steps []step, restarts map[int]bool) {
	t.Helper()
	last, now := int64(0), historyStart
	for i, s := range steps {
		if restarts[i] {
			last = now.UnixMilli()
		}
		if s.kind == stepWait {
			now = now.Add(s.wait)
		}
	}
	seen := map[string]bool{}
	for _, a := range want.announces {
		if a.TimeMillis < last {
			seen[a.Event.String()] = true
			seen["new session"] = seen["new session"] || a.NewSession && a.Event != domain.EventStarted
		}
	}
	for _, what := range []string{"started", "completed", "stopped", "paused", "reaped", "new session"} {
		if !seen[what] {
			t.Errorf("no %s announce before the last restart: the history proves too little", what)
		}
	}
	peers := 0
	for _, v := range want.torrents {
		peers += len(v.peers)
	}
	if peers < 5 {
		t.Errorf("%d peers at the end: the history proves too little", peers)
	}
}
