package projections

import (
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
)

// The site's totals and traffic per day, and the staff lists' searches,
// read from real read models: two users, two torrents (one deleted), a
// seeder and a leecher, credit on two days.
func TestStatsAndStaffLists(t *testing.T) {
	const day = 24 * 60
	e := newCheatEnv(t)
	e.follow(Accounts{})
	e.follow(Catalog{})
	e.register(alice, "alice")
	e.register(bob, "Bob")
	e.registerTorrent(h1, "First Album", 1000)
	e.registerTorrent(h2, "Second", 2000)
	e.announce(
		an(0, alice, h1, "a1", domain.EventStarted, 1000),
		credit(an(10, alice, h1, "a1", domain.EventCompleted, 0), 0, 1000, 0, 500),
		an(0, bob, h1, "b1", domain.EventStarted, 1000),
	)
	e.sync()
	e.announce(credit(an(day+10, alice, h1, "a1", domain.EventNone, 0), 3000, 0, 1500, 0))
	e.sync()
	e.deleteTorrent(h2, day+20)
	e.sync()

	tot, err := Totals(e.ctx, e.pool)
	if err != nil {
		t.Fatal(err)
	}
	want := SiteTotals{Users: 2, Enabled: 2, Torrents: 1, Seeders: 1, Leechers: 1, Snatches: 1, Uploaded: 1500, Downloaded: 500, RawUp: 3000, RawDown: 1000}
	if tot != want {
		t.Errorf("totals %+v, want %+v", tot, want)
	}
	d0 := time.UnixMilli(atMin(0)).UTC().Truncate(24 * time.Hour)
	days, err := Traffic(e.ctx, e.pool, d0.Add(-48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 2 || days[0] != (TrafficDay{Day: d0, Downloaded: 500, RawDown: 1000}) || days[1] != (TrafficDay{Day: d0.AddDate(0, 0, 1), Uploaded: 1500, RawUp: 3000}) {
		t.Errorf("traffic %+v", days)
	}
	if later, _ := Traffic(e.ctx, e.pool, d0.Add(36*time.Hour)); len(later) != 1 {
		t.Errorf("traffic from the second day on: %+v", later)
	}

	// Registrations and the deletion are dated by their events' times: now.
	today := time.Now().UTC().Truncate(24 * time.Hour)
	growth, err := Growth(e.ctx, e.pool, today.AddDate(0, 0, -2), today)
	if err != nil || len(growth) != 3 || growth[2].Day != today || growth[2].Users != 2 {
		t.Fatalf("growth %+v %v", growth, err)
	}
	if growth[2].Torrents != 1 || growth[0].Users+growth[0].Torrents != 0 {
		t.Errorf("growth %+v: want 2 users and 1 live torrent today, none two days ago", growth)
	}

	users, err := StaffUsers(e.ctx, e.pool, "", 10, 0)
	if err != nil || len(users) != 2 || users[0].Name != "alice" || users[1].Name != "Bob" || users[0].Uploaded != 1500 || !users[1].CanLeech {
		t.Fatalf("users %+v %v", users, err)
	}
	if found, _ := StaffUsers(e.ctx, e.pool, "oB", 10, 0); len(found) != 1 || found[0].Name != "Bob" {
		t.Errorf("search oB: %+v", found)
	}
	if page2, _ := StaffUsers(e.ctx, e.pool, "", 1, 1); len(page2) != 1 || page2[0].Name != "Bob" {
		t.Errorf("the second page: %+v", page2)
	}
	if u, err := StaffUserNamed(e.ctx, e.pool, "BOB"); err != nil || u.ID != bob {
		t.Errorf("bob by name: %+v %v", u, err)
	}
	if _, err := StaffUserNamed(e.ctx, e.pool, "carol"); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("an unknown name: %v", err)
	}

	tors, err := StaffTorrents(e.ctx, e.pool, "", 10, 0)
	if err != nil || len(tors) != 1 || tors[0].InfoHash != h1 || tors[0].Name != "First Album" || tors[0].Seeders != 1 || tors[0].Leechers != 1 || tors[0].Size != 1000 {
		t.Fatalf("torrents %+v %v", tors, err)
	}
	if tors[0].Factors != domain.NormalFactors || tors[0].RegisteredAt.IsZero() {
		t.Errorf("the torrent's factors %+v, added %v", tors[0].Factors, tors[0].RegisteredAt)
	}
	e.append(domain.TorrentSubject(h1), domain.TorrentFactorsSet{InfoHash: h1, Factors: domain.Factors{UploadPercent: 100}})
	e.sync()
	if tors, _ := StaffTorrents(e.ctx, e.pool, "", 10, 0); len(tors) != 1 || tors[0].Factors != (domain.Factors{UploadPercent: 100}) {
		t.Errorf("after freeleech: %+v", tors)
	}
	for q, n := range map[string]int{"album": 1, "second": 0, h1.String(): 1, h2.String(): 0, "zzz": 0} {
		if got, err := StaffTorrents(e.ctx, e.pool, q, 10, 0); err != nil || len(got) != n {
			t.Errorf("search %q: %d torrents, want %d (%v)", q, len(got), n, err)
		}
	}
}
