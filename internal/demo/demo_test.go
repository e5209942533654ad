package demo

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
)

func TestDemoPieceLength(t *testing.T) {
	for _, tc := range []struct {
		size, want int64
	}{
		{1, 16 * kib},
		{1500 * 16 * kib, 16 * kib},
		{1500*16*kib + 1, 32 * kib},
		{700 * mib, 512 * kib},
		{4 * gib, 4 * mib},
		{70 * gib, 16 * mib}, // at most 16 MiB, even with more pieces
	} {
		if got := PieceLength(tc.size); got != tc.want {
			t.Errorf("PieceLength(%d) = %d, want %d", tc.size, got, tc.want)
		}
	}
}

func TestDemoTorrentParses(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name  string
		files []File
		size  int64
		n     int // files the site lists
	}{
		{"tiny.txt", []File{{Length: 1}}, 1, 1},
		{"debian-12.5.0-amd64-netinst.iso", []File{{Length: 650 * mib}}, 650 * mib, 1},
		{"Film.Title.2019.2160p.UHD.BluRay.REMUX-GRP.mkv", []File{{Length: 70 * gib}}, 70 * gib, 1},
		{"Artist - Album (2001) [FLAC]", []File{{Path: []string{"01 - Intro.flac"}, Length: 30 * mib},
			{Path: []string{"02 - Outro.flac"}, Length: 40*mib + 7}, {Path: []string{"cover.jpg"}, Length: 900 * kib}}, 70*mib + 7 + 900*kib, 3},
		{"Show.S01.1080p", []File{{Path: []string{"Subs", "English.srt"}, Length: 80 * kib}, {Path: []string{"Show.S01E01.mkv"}, Length: 2 * gib}}, 2*gib + 80*kib, 2},
	} {
		b, err := BuildTorrent(rng, tc.name, tc.files)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		p, err := commands.ParseTorrent(b)
		if err != nil {
			t.Fatalf("%s: ParseTorrent: %v", tc.name, err)
		}
		if p.Registered.Name != tc.name || p.Registered.Size != tc.size || len(p.Registered.Files) != tc.n {
			t.Errorf("%s: parsed as %q, %d bytes, %d files; want %d bytes, %d files", tc.name, p.Registered.Name, p.Registered.Size, len(p.Registered.Files), tc.size, tc.n)
		}
		if p.Republished {
			t.Errorf("%s: ParseTorrent had to set the private flag", tc.name)
		}
	}
	for _, bad := range [][]File{nil, {{Length: 0}}} {
		if _, err := BuildTorrent(rng, "x", bad); err == nil {
			t.Errorf("BuildTorrent(%v) made a torrent of nothing", bad)
		}
	}
}

func TestDemoCatalogCoversTheCategoriesAndParses(t *testing.T) {
	p, _ := simulate(t, DefaultSeed)
	items := p.Items
	if n := len(items); n < DefaultTorrents-10 || n > DefaultTorrents+10 {
		t.Fatalf("%d items, want about %d", n, DefaultTorrents)
	}
	names, perCategory := map[string]bool{}, map[string]int{}
	rng := rand.New(rand.NewPCG(3, 4))
	var music, movies int
	for _, it := range items {
		if names[it.Name] {
			t.Errorf("name %q twice", it.Name)
		}
		names[it.Name], perCategory[it.Category] = true, perCategory[it.Category]+1
		if it.Size < 1*mib || it.Size > 80*gib {
			t.Errorf("%s: %d bytes", it.Name, it.Size)
		}
		b, err := BuildTorrent(rng, it.Name, it.Files)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := commands.ParseTorrent(b); err != nil {
			t.Errorf("%s: %v", it.Name, err)
		}
		if err := commands.CheckCategory(it.Category); err != nil {
			t.Errorf("%s: category %q: %v", it.Name, it.Category, err)
		}
		switch {
		case it.Music != nil:
			music++
			if it.Category != "Music" {
				t.Errorf("music format %s in %s", it.Name, it.Category)
			}
		case it.Movie != nil:
			movies++
			if it.Category != "Movies" {
				t.Errorf("movie format %s in %s", it.Name, it.Category)
			}
		case slices.Contains(PluginCategories, it.Category):
			t.Errorf("generic torrent %s in the plugin's category %s", it.Name, it.Category)
		}
	}
	for _, c := range commands.Categories {
		if perCategory[c] == 0 {
			t.Errorf("no torrent in %s", c)
		}
	}
	if music < 60 || movies < 20 {
		t.Errorf("%d music and %d movie formats", music, movies)
	}
	again, _ := simulate(t, DefaultSeed)
	if !slices.EqualFunc(items, again.Items, func(a, b Item) bool { return a.Name == b.Name && a.Size == b.Size }) {
		t.Fatal("the same seed gave another catalog")
	}
	small := NewPlan(rand.New(rand.NewPCG(1, 2)), People(), commands.Categories, 50, p.Start, p.End)
	for _, c := range genericCategories(commands.Categories) {
		if n := countIn(small.Items, c); n == 0 {
			t.Errorf("a plan of 50 torrents has %d in %s", n, c)
		}
	}
}

func countIn(items []Item, category string) int {
	n := 0
	for _, it := range items {
		if it.Category == category {
			n++
		}
	}
	return n
}

func TestDemoTorrentFilesFollowTheSeed(t *testing.T) {
	items := Catalog(rand.New(rand.NewPCG(DefaultSeed, streamCatalog)), genericCategories(commands.Categories), 20)
	_, a, err := TorrentFiles(DefaultSeed, items)
	if err != nil {
		t.Fatal(err)
	}
	_, b, _ := TorrentFiles(DefaultSeed, items)
	_, c, _ := TorrentFiles(DefaultSeed+1, items)
	if !slices.Equal(a, b) || slices.Equal(a, c) {
		t.Fatalf("info hashes of the same seed %v and %v, of another %v", a[:2], b[:2], c[:2])
	}
}

func TestDemoPassword(t *testing.T) {
	a, b := NewPassword(), NewPassword()
	if a == b || domain.ValidatePassword(a) != nil || len(a) < 16 || strings.Count(a, "-") != 5 {
		t.Fatalf("passwords %q and %q", a, b)
	}
}

func simulate(t *testing.T, seed uint64) (Plan, Result) {
	t.Helper()
	end := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	return Draw(seed, commands.Categories, DefaultTorrents, end.Add(-DefaultDays*24*time.Hour), end)
}

// TestDemoHistoryIsWhatATrackerRecords checks the history's shape as
// the tracker and the read models need it: each session's announces in
// time order, from started to stopped (none left open), credit only as
// the tracker decides it, and the variety the demo promises.
func TestDemoHistoryIsWhatATrackerRecords(t *testing.T) {
	for _, seed := range []uint64{DefaultSeed, 1, 2, 3, 4, 5, 6, 7, 8, 9} {
		p, res := simulate(t, seed)
		if n := len(res.Announces); n < 20_000 || n > 60_000 {
			t.Errorf("seed %d: %d announces, want 20,000 to 60,000", seed, n)
		}
		if res.Capped != 0 {
			t.Errorf("seed %d: %d announces credited less than claimed", seed, res.Capped)
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
			case pe.BigTaste && (res.Down[u] < 20*uint64(gib) || ratio(u) >= 0.2):
				t.Errorf("seed %d: %s downloaded %d GiB at ratio %.2f", seed, pe.Name, res.Down[u]>>30, ratio(u))
			case !pe.Idle && res.Down[u] == 0:
				t.Errorf("seed %d: %s downloaded nothing", seed, pe.Name)
			}
		}
		if res.Snatches < 150 || len(res.Live) < 3 {
			t.Errorf("seed %d: %d snatches, %d live peers", seed, res.Snatches, len(res.Live))
		}
	}
	_, a := simulate(t, DefaultSeed)
	_, b := simulate(t, DefaultSeed)
	if !slices.Equal(a.Up, b.Up) || len(a.Announces) != len(b.Announces) {
		t.Fatal("the same seed gave another history")
	}
}

// The catalogues' tables hang together: every artist the demo describes
// is credited on an album, their similar artists are among them, and
// every person it describes is credited on a movie; each album and movie
// has formats.
func TestDemoPluginCataloguesHangTogether(t *testing.T) {
	credited := map[string]bool{}
	for _, al := range MusicAlbums {
		for _, c := range al.Artists {
			credited[c.Name] = true
		}
		if len(al.Editions) == 0 || len(al.Editions[0].Formats) == 0 {
			t.Errorf("album %s has no format", al.Title)
		}
	}
	described := map[string]bool{}
	for _, a := range MusicArtists {
		described[a.Name] = true
		if !credited[a.Name] {
			t.Errorf("artist %s is credited on no album", a.Name)
		}
	}
	for _, a := range MusicArtists {
		for _, s := range a.Similar {
			if !described[s] || s == a.Name {
				t.Errorf("%s: similar artist %q is not another of MusicArtists", a.Name, s)
			}
		}
	}
	people := map[string]bool{}
	for _, mv := range Movies {
		for _, c := range mv.Credits {
			people[c.Name] = true
		}
		if len(mv.Editions) == 0 || len(mv.Editions[0].Formats) == 0 {
			t.Errorf("movie %s has no format", mv.Title)
		}
	}
	for _, p := range MoviePeople {
		if !people[p.Name] {
			t.Errorf("person %s is credited on no movie", p.Name)
		}
	}
}
