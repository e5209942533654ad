package projections

import (
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/google/uuid"
)

// The profile's ratio history: alice's credit per day summed into running
// totals, the per-torrent-per-day changes newest first with the torrents'
// titles (the catalog's, else the info name), and her
// seeding/leeching/snatched lists.
func TestRatioHistoryAndChanges(t *testing.T) {
	const day = 24 * 60
	e := newAnnEnv(t)
	e.follow(CheatSignals{})
	e.follow(Catalog{})
	e.register(alice, "alice")
	e.register(bob, "bob")
	e.registerTorrent(h1, "First", 1000)
	e.append(domain.TorrentSubject(h2), domain.TorrentRegistered{InfoHash: h2, Name: "second.bin", Title: "Second",
		Size: 2000, Factors: domain.NormalFactors}, eventlog.ExpectNew())
	e.announce(
		an(0, alice, h1, "a1", domain.EventStarted, 1000),
		credit(an(10, alice, h1, "a1", domain.EventCompleted, 0), 0, 1000, 0, 1000), // day 0: 1000 down, snatched
		an(0, bob, h1, "b1", domain.EventStarted, 1000),
	)
	e.sync()
	e.announce(
		credit(an(day+10, alice, h1, "a1", domain.EventNone, 0), 3000, 0, 1500, 0), // day 1: claimed 3000, credited 1500
		an(day+20, alice, h2, "a2", domain.EventStarted, 2000),
		credit(an(day+30, alice, h2, "a2", domain.EventNone, 1500), 0, 500, 0, 250),
	)
	e.sync()
	e.announce(credit(an(3*day, alice, h1, "a1", domain.EventNone, 0), 500, 0, 500, 0)) // day 3
	e.sync()

	hist, err := RatioHistory(e.ctx, e.pool, alice)
	if err != nil {
		t.Fatal(err)
	}
	d0 := time.UnixMilli(atMin(0)).UTC().Truncate(24 * time.Hour)
	want := []HistoryDay{
		{Day: d0, Uploaded: 0, Downloaded: 1000, TotalUp: 0, TotalDown: 1000, Ratio: 0},
		{Day: d0.AddDate(0, 0, 1), Uploaded: 1500, Downloaded: 250, TotalUp: 1500, TotalDown: 1250, Ratio: 1.2},
		{Day: d0.AddDate(0, 0, 3), Uploaded: 500, Downloaded: 0, TotalUp: 2000, TotalDown: 1250, Ratio: 1.6},
	}
	if len(hist) != len(want) {
		t.Fatalf("history %+v", hist)
	}
	for i := range want {
		if !hist[i].Day.Equal(want[i].Day) || hist[i].Uploaded != want[i].Uploaded || hist[i].Downloaded != want[i].Downloaded ||
			hist[i].TotalUp != want[i].TotalUp || hist[i].TotalDown != want[i].TotalDown || hist[i].Ratio != want[i].Ratio {
			t.Errorf("day %d: %+v, want %+v", i, hist[i], want[i])
		}
	}

	ch, err := RatioChanges(e.ctx, e.pool, alice, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch) != 4 || ch[0].Name != "First" || !ch[0].Day.Equal(d0.AddDate(0, 0, 3)) || ch[0].Uploaded != 500 ||
		ch[1].Name != "First" || ch[1].RawUploaded != 3000 || ch[1].Uploaded != 1500 ||
		ch[2].Name != "Second" || ch[2].RawDownloaded != 500 || ch[2].Downloaded != 250 || ch[2].InfoHash != h2 ||
		ch[3].Downloaded != 1000 || !ch[3].Day.Equal(d0) {
		t.Errorf("changes %+v", ch)
	}
	if page, _ := RatioChanges(e.ctx, e.pool, alice, 2, 2); len(page) != 2 || page[0].Name != "Second" {
		t.Errorf("the second page of two: %+v", page)
	}
	if none, err := RatioHistory(e.ctx, e.pool, uuid.New()); err != nil || len(none) != 0 {
		t.Errorf("a user with no history: %v %v", none, err)
	}

	ts, err := ProfileTorrents(e.ctx, e.pool, alice)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].Name != "First" || !ts[0].Seeding() || ts[0].SnatchedAt == nil || ts[0].Size != 1000 ||
		ts[1].Name != "Second" || !ts[1].Leeching() || ts[1].Seeding() || ts[1].SnatchedAt != nil {
		t.Errorf("profile torrents %+v", ts)
	}
}
