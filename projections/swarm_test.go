package projections

import (
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
)

func TestSwarmSeedersLeechersSnatches(t *testing.T) {
	e := newAnnEnv(t)
	e.append(domain.TorrentSubject(h1), domain.TorrentRegistered{InfoHash: h1, Name: "Album (2026) [FLAC]", Size: 123456, Uploader: alice},
		eventlog.ExpectNew())
	e.announce(
		an(0, alice, h1, "a1", domain.EventStarted, 0),
		an(1, bob, h1, "b1", domain.EventStarted, 1000),
		an(1, bob, h1, "b2", domain.EventStarted, 1000), // bob's second client
		an(2, alice, h2, "a2", domain.EventStarted, 5),  // a torrent never registered
	)
	e.sync()
	s := e.swarm(h1)
	if !s.Registered || s.Name != "Album (2026) [FLAC]" || s.Size != 123456 || s.Deleted ||
		s.Seeders != 1 || s.Leechers != 2 || s.Snatches != 0 {
		t.Fatalf("h1: %+v", s)
	}
	if s := e.swarm(h2); s.Registered || s.Leechers != 1 {
		t.Fatalf("h2: %+v, want 1 leecher, not registered", s)
	}
	e.announce(
		an(10, bob, h1, "b1", domain.EventCompleted, 0),
		an(11, bob, h1, "b2", domain.EventCompleted, 0), // the same user: no second snatch
		an(12, alice, h1, "a1", domain.EventNone, 0),    // re-announce: no change
		an(12, alice, h2, "a2", domain.EventCompleted, 0),
	)
	e.sync()
	if s := e.swarm(h1); s.Seeders != 3 || s.Leechers != 0 || s.Snatches != 1 {
		t.Errorf("h1: %+v, want 3 seeders, 0 leechers, 1 snatch", s)
	}
	got, err := TorrentSwarms(e.ctx, e.pool, []domain.InfoHash{h1, h2, h3})
	if err != nil || len(got) != 2 || got[h2].Seeders != 1 || got[h2].Snatches != 1 {
		t.Errorf("TorrentSwarms = %+v, %v", got, err)
	}

	// Deleting a torrent (and the tracker's reaps of its peers) ends its
	// peers, in both read models.
	e.deleteTorrent(h1, 20)
	e.sync()
	if s := e.swarm(h1); !s.Deleted || s.DeletedAt == nil || s.Seeders != 0 || s.Leechers != 0 || s.Snatches != 1 || s.Name == "" {
		t.Errorf("deleted h1: %+v", s)
	}
	if r := e.ratio(bob); r.Seeding != 0 || r.Leeching != 0 || r.Snatches != 1 {
		t.Errorf("bob after the deletion: %+v", r)
	}
	if r := e.ratio(alice); r.Seeding != 1 {
		t.Errorf("alice after the deletion: seeding %d, want 1 (h2)", r.Seeding)
	}
	if ut := e.userTorrent(bob, h1); ut.Active || ut.SnatchedAt == nil {
		t.Errorf("bob on deleted h1: %+v", ut)
	}
}

func TestSwarmHistoryBuckets(t *testing.T) {
	e := newAnnEnv(t)
	// Bucket B0 starts at genEpoch (a multiple of 5 minutes), B1 5 minutes later.
	e.announce(
		an(1, alice, h1, "a1", domain.EventStarted, 10),
		an(2, bob, h1, "b1", domain.EventStarted, 10),
		an(3, bob, h1, "b2", domain.EventStarted, 10), // 3 leechers
		an(4, alice, h1, "a1", domain.EventCompleted, 0),
	)
	e.announce(
		an(4.5, bob, h1, "b1", domain.EventNone, 5),   // no change: no effect on the series
		an(6, bob, h1, "b1", domain.EventStopped, 5),  // B1: leechers 2 → 1
		an(7, bob, h1, "b2", domain.EventStarted, 10), // B1: restart, no change
		an(12, alice, h1, "a1", domain.EventNone, 0),  // B2: no change, no row
		an(16, bob, h1, "b3", domain.EventStarted, 0), // B3: a seeder joins ...
		an(17, bob, h1, "b3", domain.EventStopped, 0), // ... and leaves
	)
	e.sync()
	b0 := msTime(atMin(0))
	pts, err := SwarmHistory(e.ctx, e.pool, h1, b0, b0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := []SwarmPoint{
		{Bucket: b0, SeedersMax: 1, LeechersMax: 3, Seeders: 1, Leechers: 2, Snatches: 1},
		{Bucket: b0.Add(5 * time.Minute), SeedersMax: 1, LeechersMax: 2, Seeders: 1, Leechers: 1},
		{Bucket: b0.Add(15 * time.Minute), SeedersMax: 2, LeechersMax: 1, Seeders: 1, Leechers: 1},
	}
	if len(pts) != len(want) {
		t.Fatalf("history: %+v, want %+v", pts, want)
	}
	for i := range want {
		if !pts[i].Bucket.Equal(want[i].Bucket) {
			t.Errorf("point %d at %v, want %v", i, pts[i].Bucket, want[i].Bucket)
		}
		pts[i].Bucket = want[i].Bucket
		if pts[i] != want[i] {
			t.Errorf("point %d: %+v, want %+v", i, pts[i], want[i])
		}
	}
	// A window that starts later gets the last point before it first.
	pts, err = SwarmHistory(e.ctx, e.pool, h1, b0.Add(10*time.Minute), b0.Add(time.Hour))
	if err != nil || len(pts) != 2 || !pts[0].Bucket.Equal(b0.Add(5*time.Minute)) {
		t.Errorf("history from B2: %+v, %v", pts, err)
	}
}

// The site's peers per day sum every torrent's: the most at once, and
// the counts each day ends with, carried over days without a change.
func TestSitePeersOverTime(t *testing.T) {
	e := newAnnEnv(t)
	day := 24 * 60.0 // minutes
	e.announce(
		an(10, alice, h1, "a1", domain.EventStarted, 10),  // 0 seeders, 1 leecher
		an(20, bob, h2, "b1", domain.EventStarted, 0),     // 1, 1
		an(70, alice, h1, "a1", domain.EventCompleted, 0), // 2, 0 (the next hour)
	)
	e.announce(
		an(2*day+30, bob, h2, "b1", domain.EventStopped, 0), // 1, 0
		an(2*day+40, bob, h1, "b2", domain.EventStarted, 5), // 1, 1
		an(2*day+50, bob, h1, "b2", domain.EventStopped, 5), // 1, 0
	)
	e.sync()
	d0 := msTime(atMin(0))
	got, err := PeersOverTime(e.ctx, e.pool, d0, d0.AddDate(0, 0, 3))
	if err != nil {
		t.Fatal(err)
	}
	want := []PeersDay{
		{Day: d0, Peak: 2, Seeders: 2, Leechers: 0},
		{Day: d0.AddDate(0, 0, 1), Peak: 2, Seeders: 2, Leechers: 0},
		{Day: d0.AddDate(0, 0, 2), Peak: 2, Seeders: 1, Leechers: 0},
		{Day: d0.AddDate(0, 0, 3), Peak: 1, Seeders: 1, Leechers: 0},
	}
	if len(got) != len(want) {
		t.Fatalf("%+v, want %+v", got, want)
	}
	for i := range want {
		if !got[i].Day.Equal(want[i].Day) || got[i].Peak != want[i].Peak || got[i].Seeders != want[i].Seeders || got[i].Leechers != want[i].Leechers {
			t.Errorf("day %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	// A window that begins later starts from the counts before it.
	if got, err := PeersOverTime(e.ctx, e.pool, d0.AddDate(0, 0, 1), d0.AddDate(0, 0, 1)); err != nil || len(got) != 1 ||
		got[0].Peak != 2 || got[0].Seeders != 2 || got[0].Leechers != 0 {
		t.Errorf("day 1 alone: %+v, %v", got, err)
	}
	if got, err := PeersOverTime(e.ctx, e.pool, d0.AddDate(0, 0, -2), d0.AddDate(0, 0, -1)); err != nil || len(got) != 2 || got[1].Peak != 0 {
		t.Errorf("before any announce: %+v, %v", got, err)
	}
}
