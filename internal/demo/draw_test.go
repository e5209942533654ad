package demo_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/demo"
	backupdemo "github.com/djembe/djembe/internal/demo/backup"
	moviesdemo "github.com/djembe/djembe/internal/demo/movies"
	musicdemo "github.com/djembe/djembe/internal/demo/music"
)

// plugins are the plugins' sample catalogues, as the wiring passes them.
func plugins() []demo.Plugin {
	return []demo.Plugin{musicdemo.New(), moviesdemo.New(), backupdemo.New()}
}

func TestDemoCatalogCoversTheCategoriesAndParses(t *testing.T) {
	p, _ := simulate(t, demo.DefaultSeed)
	items := p.Items
	if n := len(items); n < demo.DefaultTorrents-10 || n > demo.DefaultTorrents+10 {
		t.Fatalf("%d items, want about %d", n, demo.DefaultTorrents)
	}
	names, perCategory := map[string]bool{}, map[string]int{}
	rng := rand.New(rand.NewPCG(3, 4))
	var music, movies, backups int
	for _, it := range items {
		if names[it.Name] {
			t.Errorf("name %q twice", it.Name)
		}
		names[it.Name], perCategory[it.Category] = true, perCategory[it.Category]+1
		if it.Size < 1*demo.MiB || it.Size > 80*demo.GiB {
			t.Errorf("%s: %d bytes", it.Name, it.Size)
		}
		b, err := demo.BuildTorrent(rng, it.Name, it.Files)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := commands.ParseTorrent(b); err != nil {
			t.Errorf("%s: %v", it.Name, err)
		}
		if _, ok := it.Ref.(backupdemo.Ref); ok {
			backups++
		} else if err := commands.CheckCategory(it.Category); err != nil {
			t.Errorf("%s: category %q: %v", it.Name, it.Category, err)
		}
		switch it.Ref.(type) {
		case musicdemo.Format:
			music++
			if it.Category != "Music" {
				t.Errorf("music format %s in %s", it.Name, it.Category)
			}
		case moviesdemo.Format:
			movies++
			if it.Category != "Movies" {
				t.Errorf("movie format %s in %s", it.Name, it.Category)
			}
		case backupdemo.Ref:
			if it.Category != "Backup" || !it.Neutral || it.Uploader == "" {
				t.Errorf("backup version %s in %s, neutral %v, uploaded by %q", it.Name, it.Category, it.Neutral, it.Uploader)
			}
		case nil:
			if it.Category == "Music" || it.Category == "Movies" || it.Category == "Backup" {
				t.Errorf("generic torrent %s in the plugin's category %s", it.Name, it.Category)
			}
		default:
			t.Errorf("%s: a Ref of %T", it.Name, it.Ref)
		}
	}
	for _, c := range commands.Categories {
		if perCategory[c] == 0 {
			t.Errorf("no torrent in %s", c)
		}
	}
	if music < 60 || movies < 20 || backups < 10 {
		t.Errorf("%d music and %d movie formats, %d backup versions", music, movies, backups)
	}
	again, _ := simulate(t, demo.DefaultSeed)
	if !slices.EqualFunc(items, again.Items, func(a, b demo.Item) bool { return a.Name == b.Name && a.Size == b.Size }) {
		t.Fatal("the same seed gave another catalog")
	}
	small := demo.NewPlan(rand.New(rand.NewPCG(1, 2)), demo.People(), plugins(), commands.Categories, 50, p.Start, p.End)
	for _, c := range commands.Categories {
		if c == "Music" || c == "Movies" {
			continue
		}
		if n := countIn(small.Items, c); n == 0 {
			t.Errorf("a plan of 50 torrents has %d in %s", n, c)
		}
	}
}

func countIn(items []demo.Item, category string) int {
	n := 0
	for _, it := range items {
		if it.Category == category {
			n++
		}
	}
	return n
}

func simulate(t *testing.T, seed uint64) (demo.Plan, demo.Result) {
	t.Helper()
	end := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	return demo.Draw(seed, plugins(), commands.Categories, demo.DefaultTorrents, end.Add(-demo.DefaultDays*24*time.Hour), end)
}

// TestDemoHistoryIsWhatATrackerRecords checks the history's shape as
// the tracker and the read models need it: each session's announces in
// time order, from started to stopped (none left open), credit only as
// the tracker decides it, and the variety the demo promises.
func TestDemoHistoryIsWhatATrackerRecords(t *testing.T) {
	for _, seed := range []uint64{demo.DefaultSeed, 1, 2, 3, 4, 5, 6, 7, 8, 9} {
		p, res := simulate(t, seed)
		if n := len(res.Announces); n < 20_000 || n > 70_000 { // the backups' versions take about 7,000
			t.Errorf("seed %d: %d announces, want 20,000 to 70,000", seed, n)
		}
		capped := 0 // announces of honest clients credited less than claimed
		for _, a := range res.Announces {
			if a.Caps != 0 && p.People[a.User].FakeUp == 0 {
				capped++
			}
		}
		if capped != 0 || res.Capped == 0 {
			t.Errorf("seed %d: %d honest announces credited less than claimed, %d in all", seed, capped, res.Capped)
		}
		type key struct {
			user, item int
			peer       [20]byte
		}
		last := map[key]domain.Announce{}
		days := map[int]map[int64]bool{}
		for i, a := range res.Announces {
			if i > 0 && a.TimeMillis < res.Announces[i-1].TimeMillis {
				t.Fatalf("seed %d: announce %d goes back in time", seed, i)
			}
			if a.TimeMillis < p.Start.UnixMilli() || a.TimeMillis > p.End.UnixMilli() {
				t.Fatalf("seed %d: announce at %s outside the weeks", seed, time.UnixMilli(a.TimeMillis))
			}
			k := key{a.User, a.Item, a.PeerID}
			prev, seen := last[k]
			switch {
			case !seen && (a.Event != domain.EventStarted || a.Prev != domain.PeerAbsent || !a.NewSession):
				t.Fatalf("seed %d: a session begins with %+v", seed, a.Announce)
			case seen && (prev.Event == domain.EventStopped || a.Prev != prev.StateAfter() || a.Uploaded < prev.Uploaded || a.Downloaded < prev.Downloaded):
				t.Fatalf("seed %d: %+v follows %+v", seed, a.Announce, prev)
			case seen && a.TimeMillis-prev.TimeMillis < (5*time.Minute).Milliseconds() && a.Event == domain.EventNone:
				t.Fatalf("seed %d: an announce inside the min interval", seed)
			}
			if !strings.HasPrefix(string(a.PeerID[:]), p.People[a.User].Client) {
				t.Fatalf("seed %d: peer_id %q of %s", seed, a.PeerID, p.People[a.User].Name)
			}
			last[k] = a.Announce
			if a.CreditedUp+a.CreditedDown > 0 {
				if days[a.User] == nil {
					days[a.User] = map[int64]bool{}
				}
				days[a.User][a.TimeMillis/(24*time.Hour).Milliseconds()] = true
			}
		}
		for k, a := range last {
			if a.Event != domain.EventStopped {
				t.Fatalf("seed %d: the session of %s on item %d ends with %v", seed, p.People[k.user].Name, k.item, a.Event)
			}
		}
		ratio := func(u int) float64 { return float64(res.Up[u]) / float64(max(res.Down[u], 1)) }
		for u, pe := range p.People {
			t.Logf("seed %d: %-8s up %4d GiB, down %4d GiB, ratio %.2f (required at most %.2f), %d days", seed, pe.Name, res.Up[u]>>30, res.Down[u]>>30, ratio(u),
				domain.GazelleRatioTable.Required(res.Down[u], 0), len(days[u]))
			switch {
			case pe.Idle && res.Up[u]+res.Down[u] > 0:
				t.Errorf("seed %d: idle %s transferred", seed, pe.Name)
			case pe.Early && (ratio(u) <= 5 || len(days[u]) < 14):
				t.Errorf("seed %d: the seedbox %s has ratio %.2f over %d days", seed, pe.Name, ratio(u), len(days[u]))
			case pe.BigTaste && (res.Down[u] < 20*uint64(demo.GiB) || ratio(u) >= 0.2):
				t.Errorf("seed %d: %s downloaded %d GiB at ratio %.2f", seed, pe.Name, res.Down[u]>>30, ratio(u))
			case !pe.Idle && res.Down[u] == 0:
				t.Errorf("seed %d: %s downloaded nothing", seed, pe.Name)
			}
		}
		if res.Snatches < 150 || len(res.Live) < 3 {
			t.Errorf("seed %d: %d snatches, %d live peers", seed, res.Snatches, len(res.Live))
		}
	}
	_, a := simulate(t, demo.DefaultSeed)
	_, b := simulate(t, demo.DefaultSeed)
	if !slices.Equal(a.Up, b.Up) || len(a.Announces) != len(b.Announces) {
		t.Fatal("the same seed gave another history")
	}
}

// TestDemoCheatStandsOut checks that the demo's cheat (Person.FakeUp)
// claims in the last week upload nobody else downloaded, as much and as
// large a share as the cheat signals' default thresholds list (per
// torrent and UTC day, their claimed upload beyond the others' claimed
// download), so staff's cheat page shows them; and that nobody honest does.
func TestDemoCheatStandsOut(t *testing.T) {
	for _, seed := range []uint64{demo.DefaultSeed, 1, 2, 3, 4} {
		p, res := simulate(t, seed)
		since := p.End.Truncate(24*time.Hour).AddDate(0, 0, -7).UnixMilli()
		type cell struct{ item, day int }
		up := map[int]map[cell]uint64{} // user: claimed upload per torrent and day
		down := map[int]map[cell]uint64{}
		for _, a := range res.Announces {
			if a.TimeMillis < since {
				continue
			}
			c := cell{a.Item, int(a.TimeMillis / (24 * time.Hour).Milliseconds())}
			if up[a.User] == nil {
				up[a.User], down[a.User] = map[cell]uint64{}, map[cell]uint64{}
			}
			up[a.User][c] += a.RawUp
			down[a.User][c] += a.RawDown
		}
		for u, pe := range p.People {
			var claimed, excess uint64
			for c, n := range up[u] {
				var others uint64
				for v := range down {
					if v != u {
						others += down[v][c]
					}
				}
				claimed += n
				excess += n - min(n, others)
			}
			stands := excess >= uint64(demo.GiB) && float64(excess) >= 0.5*float64(claimed)
			if cheat := pe.FakeUp > 0; stands != cheat {
				t.Errorf("seed %d: %s (fakes %v B/s) claimed %d MiB, %d MiB of it downloaded by nobody", seed, pe.Name, pe.FakeUp, claimed>>20, excess>>20)
			}
		}
	}
}
