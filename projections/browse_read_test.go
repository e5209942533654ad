package projections

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/jackc/pgx/v5/pgxpool"
)

// SeedBrowse inserts n registered torrents straight into catalog.torrents
// and swarm.torrents (which must exist): names "Torrent NNNNNN <word>", sizes, counts and
// times spread so every sort orders them differently. It is for tests and
// benchmarks of the reads alone.
func SeedBrowse(ctx context.Context, pool *pgxpool.Pool, n int) error {
	_, err := pool.Exec(ctx, `INSERT INTO swarm.torrents (info_hash, name, size, registered_at, seeders, leechers, snatches)
		SELECT decode(lpad(to_hex(i), 40, '0'), 'hex'),
			'Torrent ' || lpad(i::text, 6, '0') || ' ' || (ARRAY['Flac','Mp3','Linux','Movie','Book'])[1 + i % 5],
			(i * 7919) % 100000 * 1048576::bigint,
			timestamptz '2026-01-01' + (i * 97 % $1) * interval '1 minute',
			i * 13 % 101, i * 17 % 53, i * 31 % 211
		FROM generate_series(1, $1) AS i`, n)
	if err != nil {
		return err
	}
	_, err = pool.Exec(ctx, `INSERT INTO catalog.torrents (info_hash, name, title, category, uploader, added_at, size, file_count, upload_percent, download_percent)
		SELECT info_hash, name, name, (ARRAY['Music','Movies','Software','Books'])[1 + get_byte(info_hash, 19) % 4], gen_random_uuid(), registered_at, size, 1,
			CASE WHEN get_byte(info_hash, 19) % 7 = 0 THEN 200 ELSE 100 END, CASE WHEN get_byte(info_hash, 19) % 5 = 0 THEN 0 ELSE 100 END
		FROM swarm.torrents WHERE NOT deleted AND registered_at IS NOT NULL
		ON CONFLICT (info_hash) DO NOTHING`)
	if err == nil {
		_, err = pool.Exec(ctx, `ANALYZE swarm.torrents; ANALYZE catalog.torrents`)
	}
	return err
}

var h4 = domain.InfoHash{4, 4, 4}

// SwarmForTest is a fresh database whose swarm and catalog read models are
// built (empty).
func SwarmForTest(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	log, pool := testenv.Log(tb), testenv.DB(tb)
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	for _, p := range []Projection{Swarm{}, Catalog{}} {
		pr := NewProjector(p, pool, log)
		done := make(chan error, 1)
		go func() { done <- pr.Run(ctx) }()
		tb.Cleanup(func() { cancel(); <-done })
		select {
		case <-pr.Ready():
		case err := <-done:
			done <- err
			tb.Fatalf("%s projector: %v", p.Name(), err)
		case <-time.After(30 * time.Second):
			tb.Fatalf("%s projector not ready", p.Name())
		}
	}
	return pool
}

func browse(t *testing.T, e *annEnv, q string) BrowseResult {
	t.Helper()
	v, _ := url.ParseQuery(q)
	b, err := ParseBrowse(v)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	res, err := Browse(e.ctx, e.pool, b)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return res
}

// Browse lists registered torrents that are not deleted, searched
// case-insensitively (wildcards taken literally), in each sort and order,
// 50 to a page with More on every page but the last.
func TestBrowse(t *testing.T) {
	e := newAnnEnv(t)
	e.follow(Catalog{})
	e.registerTorrent(h1, "Alpha 100% FLAC", 3000)
	e.registerTorrent(h2, "beta_mp3", 1000)
	e.registerTorrent(h3, "Gamma flac", 2000)
	e.announce(an(0, alice, h3, "a3", domain.EventStarted, 0), an(0, bob, h3, "b3", domain.EventStarted, 10), an(1, bob, h2, "b2", domain.EventStarted, 10))
	e.sync()
	e.deleteTorrent(h2, 2)
	e.registerTorrent(h4, "Delta", 500)
	e.sync()

	names := func(r BrowseResult) (out []string) {
		for _, t := range r.Torrents {
			out = append(out, t.Name)
		}
		return out
	}
	for q, want := range map[string][]string{
		"":                        {"Delta", "Gamma flac", "Alpha 100% FLAC"},
		"order=asc":               {"Alpha 100% FLAC", "Gamma flac", "Delta"},
		"sort=name":               {"Alpha 100% FLAC", "Delta", "Gamma flac"},
		"sort=name&order=desc":    {"Gamma flac", "Delta", "Alpha 100% FLAC"},
		"sort=size":               {"Alpha 100% FLAC", "Gamma flac", "Delta"},
		"sort=size&order=asc":     {"Delta", "Gamma flac", "Alpha 100% FLAC"},
		"sort=seeders&order=desc": {"Gamma flac"},
		"q=flac":                  {"Gamma flac", "Alpha 100% FLAC"},
		"q=100%25":                {"Alpha 100% FLAC"},
		"q=a_m":                   nil,
		"q=mp3":                   nil, // deleted
		"q=%25&sort=leechers":     {"Alpha 100% FLAC"},
		"sort=snatches&q=delta":   {"Delta"},
		"page=2":                  nil,
	} {
		got := names(browse(t, e, q))
		if q == "sort=seeders&order=desc" {
			got = got[:1]
		}
		if len(got) != len(want) {
			t.Errorf("%q: %q, want %q", q, got, want)
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%q: %q, want %q", q, got, want)
				break
			}
		}
	}
	r := browse(t, e, "sort=leechers&q=gamma")
	if len(r.Torrents) != 1 || r.Torrents[0].Seeders != 1 || r.Torrents[0].Leechers != 1 || r.Torrents[0].Size != 2000 || r.Torrents[0].InfoHash != h3 {
		t.Errorf("gamma's row %+v", r.Torrents)
	}
	one, err := BrowseOne(e.ctx, e.pool, h3)
	if err != nil || one.Name != "Gamma flac" {
		t.Errorf("BrowseOne: %+v %v", one, err)
	}
	if _, err := BrowseOne(e.ctx, e.pool, h2); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("a deleted torrent: %v", err)
	}

	if err := SeedBrowse(e.ctx, e.pool, 120); err != nil {
		t.Fatal(err)
	}
	seen := map[domain.InfoHash]bool{}
	for page, more := range []bool{true, true, false} {
		r := browse(t, e, "sort=seeders&page="+string(rune('1'+page)))
		if r.More != more {
			t.Errorf("page %d: more %v", page+1, r.More)
		}
		for i, tr := range r.Torrents {
			if seen[tr.InfoHash] {
				t.Errorf("page %d lists %s twice", page+1, tr.Name)
			}
			seen[tr.InfoHash] = true
			if i > 0 && tr.Seeders > r.Torrents[i-1].Seeders {
				t.Errorf("page %d not by seeders, descending", page+1)
			}
		}
	}
	if len(seen) != 123 {
		t.Errorf("%d torrents over the pages, want 123", len(seen))
	}
	books := browse(t, e, "category=Books&sort=size")
	if len(books.Torrents) == 0 {
		t.Error("no Books")
	}
	for _, tr := range books.Torrents {
		if tr.Category != "Books" {
			t.Errorf("category=Books lists %s in %q", tr.Name, tr.Category)
		}
	}
	if r := browse(t, e, "category=Nothing"); len(r.Torrents) != 0 {
		t.Errorf("an unknown category lists %d", len(r.Torrents))
	}
}

func TestParseBrowseRefusesBadValues(t *testing.T) {
	for _, q := range []string{"sort=bogus", "order=up", "page=0", "page=-1", "page=x", "page=201", "page=99999999999999999999"} {
		v, _ := url.ParseQuery(q)
		if _, err := ParseBrowse(v); domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("%s: %v", q, err)
		}
	}
	b, err := ParseBrowse(url.Values{"sort": {"name"}})
	if err != nil || b.Desc || b.Order() != "asc" {
		t.Errorf("sort=name: %+v %v", b, err)
	}
	if got := (BrowseQuery{Q: "x y", Sort: SortSize, Desc: true, Page: 3}).Values().Encode(); got != "order=desc&page=3&q=x+y&sort=size" {
		t.Errorf("Values: %s", got)
	}
}

// BenchmarkBrowse100k times a page of each sort, a search and a deep page
// over 100,000 torrents:
//
//	go test ./projections -run '^$' -bench Browse100k -benchtime 20x
func BenchmarkBrowse100k(b *testing.B) {
	ctx := context.Background()
	pool := SwarmForTest(b)
	if err := SeedBrowse(ctx, pool, 100000); err != nil {
		b.Fatal(err)
	}
	for _, q := range []BrowseQuery{
		DefaultBrowse,
		{Sort: SortName, Page: 1}, {Sort: SortSize, Desc: true, Page: 1},
		{Sort: SortSeeders, Desc: true, Page: 1}, {Sort: SortLeechers, Desc: true, Page: 1}, {Sort: SortSnatches, Desc: true, Page: 1},
		{Sort: SortAdded, Desc: true, Page: 200},
		{Q: "flac", Sort: SortAdded, Desc: true, Page: 1},
		{Q: "012345", Sort: SortAdded, Desc: true, Page: 1},
		{Q: "flac", Sort: SortSeeders, Desc: true, Page: 20},
		{Category: "Books", Sort: SortAdded, Desc: true, Page: 1},
		{Category: "Books", Sort: SortSnatches, Desc: true, Page: 1},
	} {
		b.Run(q.Values().Encode(), func(b *testing.B) {
			for b.Loop() {
				if _, err := Browse(ctx, pool, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
