package app

import (
	"context"
	"io"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anacrolix/torrent/bencode"
	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *testClock) advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// failure announces the counters and returns the failure reason ("" when
// the tracker accepted the announce).
func (p *peer) failure(event string, up, down, left uint64) string {
	p.t.Helper()
	q := url.Values{"info_hash": {string(p.hash[:])}, "peer_id": {p.id}, "port": {"51413"}, "compact": {"1"},
		"uploaded": {strconv.FormatUint(up, 10)}, "downloaded": {strconv.FormatUint(down, 10)}, "left": {strconv.FormatUint(left, 10)}}
	if event != "" {
		q.Set("event", event)
	}
	_, b := get(p.t, p.announce+"?"+q.Encode())
	var answer map[string]any
	if err := bencode.Unmarshal([]byte(b), &answer); err != nil {
		p.t.Fatalf("announce: %q: %v", b, err)
	}
	reason, _ := answer["failure reason"].(string)
	return reason
}

// TestRatioWatchThroughTheTracker runs the whole system with the ratio
// watch every 50 ms on a clock the test moves: leo downloads 6 GiB through
// the tracker and seeds none of it, so he must keep 0.15 and is put on
// watch with a deadline two weeks away; past it the watch takes his
// leeching and the tracker refuses his downloads (not his seeding); once
// he uploads enough the watch gives leeching back and ends.
func TestRatioWatchThroughTheTracker(t *testing.T) {
	clock := &testClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	m := New(Config{Instance: instance.Config{DataDir: dataDir(t)}, Web: "127.0.0.1:0", Ops: "127.0.0.1:0", Trackers: []string{"127.0.0.1:0"},
		Roles: Roles{Tracker: true, Projectors: true}, Log: io.Discard,
		RatioWatch: RatioWatchConfig{Every: 50 * time.Millisecond, Now: clock.Now}})
	if err := m.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	<-m.Ready()
	ctx, c := context.Background(), m.Commands()
	users := map[string]domain.UserID{}
	for _, name := range []string{"alice", "leo", "carol"} {
		r, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		users[name] = r.User.ID
	}
	add := func(name string) domain.InfoHash {
		added, err := c.AddTorrent(ctx, commands.Operator, commands.AddTorrent{File: testenv.TorrentOfSize(t, name, 3*gib, false), Uploader: "alice"})
		if err != nil {
			t.Fatal(err)
		}
		return added.Torrent.InfoHash
	}
	a, b, later := add("a.flac"), add("b.flac"), add("later.flac")
	standing := func() projections.Standing {
		s, err := projections.UserStanding(ctx, m.Instance().Pool, nil, users["leo"])
		if domain.KindOf(err) == domain.KindNotFound {
			return s // the users read model has not caught up yet
		}
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	// leo downloads 3 GiB of each of a and b and stops: 6 GiB, nothing up,
	// nothing seeded.
	leoA, leoB, leoLater := newPeer(t, m, "leo", a, 1), newPeer(t, m, "leo", b, 2), newPeer(t, m, "leo", later, 3)
	testenv.Eventually(t, "the tracker knows leo and the torrents", func() bool {
		return trackerAccepts(t, leoA) && trackerAccepts(t, leoB) && trackerAccepts(t, leoLater)
	})
	for _, p := range []*peer{leoA, leoB} {
		p.send("started", 0, 0, 3*gib)
		p.send("", 0, 3*gib/2, 3*gib/2)
		p.send("completed", 0, 3*gib, 0)
		p.send("stopped", 0, 3*gib, 0)
	}
	deadline := clock.Now().Add(domain.DefaultRatioGrace)
	var s projections.Standing
	testenv.Eventually(t, "leo on watch", func() bool { s = standing(); return s.Watch.On })
	if s.Downloaded != 6*gib || s.Uploaded != 0 || s.Snatched != 2 || s.Seeding != 0 || s.Required != 0.15 ||
		!s.Watch.Deadline.Equal(deadline) || s.Watch.Downloaded != 6*gib || !s.CanLeech || s.Buffer != -6*gib {
		t.Fatalf("leo's standing on watch: %+v (deadline %v)", s, s.Watch.Deadline)
	}
	if reason := leoLater.failure("started", 0, 0, 3*gib); reason != "" {
		t.Fatalf("leo may leech within the grace, but: %s", reason)
	}
	leoLater.send("stopped", 0, 0, 3*gib)

	clock.advance(domain.DefaultRatioGrace - time.Minute)
	if run, err := m.ratioWatchOnce(ctx); err != nil || run != (commands.RatioWatchRun{}) {
		t.Fatalf("a run a minute before the deadline: %+v, %v", run, err)
	}
	if s = standing(); !s.CanLeech || !s.Watch.On {
		t.Fatalf("leo a minute before the deadline: %+v", s)
	}

	clock.advance(2 * time.Minute)
	testenv.Eventually(t, "the watch takes leo's leeching", func() bool { s = standing(); return !s.CanLeech })
	if !s.LeechingDisabledByWatch || !s.Watch.On || !strings.Contains(s.LeechReason, "deadline") {
		t.Fatalf("leo past the deadline: %+v", s)
	}
	testenv.Eventually(t, "the tracker refuses leo's downloads", func() bool {
		return strings.Contains(leoLater.failure("started", 0, 0, 3*gib), "may not download")
	})
	// Seeding is still allowed: leo seeds a again, and carol leeches from him.
	carolA := newPeer(t, m, "carol", a, 4)
	leoA.send("started", 0, 0, 0)
	carolA.send("started", 0, 0, 3*gib)
	leoA.send("", gib, 0, 0) // credited: carol was there to receive it
	carolA.send("", 0, gib, 2*gib)

	// 1 GiB up of 6 down is 0.17; seeding a (1 of 2 snatched) he must keep 0.075.
	testenv.Eventually(t, "the watch gives leo's leeching back and ends", func() bool {
		s = standing()
		return s.CanLeech && !s.Watch.On
	})
	if s.Uploaded != gib || s.Seeding != 1 || s.Required != 0.075 || s.LeechingDisabledByWatch || s.Watch.Times != 1 {
		t.Fatalf("leo recovered: %+v", s)
	}
	testenv.Eventually(t, "the tracker lets leo download again", func() bool { return leoLater.failure("started", 0, 0, 3*gib) == "" })
}
