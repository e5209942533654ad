package tracker

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
)

// TestConcurrentAnnounces: many peers announcing at once, while the log
// brings registry changes and the publisher, the reaper and Stats run, are
// each credited exactly the sum of their deltas.
func TestConcurrentAnnounces(t *testing.T) {
	const workers, rounds, torrents = 8, 150, 4
	var hashes []domain.InfoHash
	tors := map[domain.InfoHash]domain.Factors{}
	for range torrents {
		h := randomHash()
		hashes = append(hashes, h)
		tors[h] = domain.NormalFactors
	}
	var names []string
	for i := range workers {
		names = append(names, fmt.Sprintf("w%d", i))
	}
	w, u := newWorld(t, Config{FlushInterval: 5 * time.Millisecond}, append(names, "sink"), tors)
	// A leecher of another user is in every swarm from the start, so every
	// upload has somebody to go to and is credited.
	sink := newTestPeer(u["sink"], "-TR3000-", "10.0.1.1:1", 999)
	for _, h := range hashes {
		sink.mustAnnounce(t, w.h, h, ann{left: 1 << 30, event: "started"})
	}
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Go(func() {
			p := newTestPeer(u[n], "-LT2080-", fmt.Sprintf("10.0.0.%d:1", i+1), uint16(1000+i))
			for r := range rounds {
				for _, h := range hashes {
					a := ann{up: uint64(r) * 10, down: uint64(r), left: uint64(rounds - r)}
					if r == 0 {
						a.event = "started"
					}
					if body := serveRaw(w.h, p.remote, p.url(h, a)).Body.String(); !strings.HasPrefix(body, "d8:complete") {
						t.Errorf("announce refused: %q", body) // not Fatal: this is not the test's goroutine
						return
					}
				}
			}
		})
	}
	other := newTestUser(t, "other")
	wg.Go(func() { // registry changes and readers meanwhile
		ctx := context.Background()
		if _, err := w.log.Append(ctx, domain.UsernameSubject(other.name), other.registered()); err != nil {
			t.Error(err)
		}
		for range 20 {
			f := domain.TorrentFactorsSet{InfoHash: hashes[0], Factors: domain.NormalFactors}
			if _, err := w.log.Append(ctx, domain.TorrentSubject(hashes[0]), f); err != nil {
				t.Error(err)
			}
			w.tr.Stats()
			w.tr.reap(time.Now())
		}
	})
	wg.Wait()
	flush(t, w.tr)
	as := stored(t, w.log, "t1")
	if len(as) != (workers*rounds+1)*torrents {
		t.Fatalf("%d announces stored, want %d", len(as), (workers*rounds+1)*torrents)
	}
	for _, n := range names {
		c := credits(as, u[n].id)
		want := uint64(torrents * (rounds - 1) * 10)
		if c.RawUp != want || c.CreditedUp != want || c.RawDown != want/10 {
			t.Errorf("%s credited %+v, want up %d down %d", n, c, want, want/10)
		}
	}
	checkCounts(t, w.tr)
	if s := w.tr.Stats(); s.Peers != (workers+1)*torrents {
		t.Errorf("%d peers, want %d", s.Peers, (workers+1)*torrents)
	}
}
