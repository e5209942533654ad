package music

import (
	"context"
	"os"
	"slices"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/projections/music/musictest"
	"github.com/djembe/djembe/projections/projectiontest"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

func TestConformance(t *testing.T) {
	log := testenv.Log(t)
	musictest.History(t, log, 1)
	musictest.History(t, log, 2)
	projectiontest.Run(t, Projection{}, log)
}

// project runs the catalog, swarm and music projectors over log until
// they have caught up, and returns the database.
func project(t *testing.T, log *eventlog.Log) *pgxpool.Pool {
	t.Helper()
	pool := testenv.DB(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	for _, p := range []projections.Projection{projections.Catalog{}, projections.Swarm{}, Projection{}} {
		pr := projections.NewProjector(p, pool, log)
		done := make(chan error, 1)
		go func() { done <- pr.Run(ctx) }()
		select {
		case <-pr.Ready():
		case err := <-done:
			t.Fatalf("projector %s: %v", p.Name(), err)
		}
	}
	return pool
}

// The pages' queries over the history: an artist with its alias, the
// merged artist's names and credits moved to it, similar artists; an
// album's editions and formats with sizes, the deleted torrent left out;
// the merged artist redirects.
func TestReadModel(t *testing.T) {
	log := testenv.Log(t)
	c := musictest.History(t, log, 7)
	pool := project(t, log)
	ctx := context.Background()

	boc, err := Artist(ctx, pool, c.Artists[0])
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(boc.Aliases, []string{"BoC 7", "Boards of Kanada 7"}) {
		t.Errorf("aliases %q: the merged artist's name is an alias now", boc.Aliases)
	}
	gone, err := Artist(ctx, pool, c.Artists[1])
	if err != nil || gone.MergedInto != c.Artists[0] {
		t.Errorf("the merged artist: %+v, %v", gone, err)
	}
	if id, err := ArtistByName(ctx, pool, "boards of KANADA 7"); err != nil || id != c.Artists[0] {
		t.Errorf("the merged name leads to %v, %v", id, err)
	}
	ae, _ := Artist(ctx, pool, c.Artists[2])
	if len(ae.Similar) != 1 || ae.Similar[0].ID != c.Artists[0] || ae.ImageURL == "" {
		t.Errorf("Autechre's similar artists %+v (the two became one)", ae.Similar)
	}

	albums, err := ArtistAlbums(ctx, pool, c.Artists[0])
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, a := range albums {
		titles = append(titles, a.Title)
	}
	if !slices.Equal(titles, []string{"Music Has the Right to Children", "Tri Repetae++", "Twoism"}) {
		t.Errorf("albums of the artist (merged one's included, newest first, then by title): %q", titles)
	}
	if albums[1].Role != music.RoleGuest || albums[0].Role != music.RoleMain || albums[2].Role != music.RoleMain {
		t.Errorf("roles %v %v %v", albums[0].Role, albums[1].Role, albums[2].Role)
	}

	mh, err := Album(ctx, pool, c.Albums[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(mh.Releases) != 2 || mh.Releases[0].CatalogueNumber != "WARPCD55" || len(mh.Releases[0].Formats) != 2 ||
		!mh.Releases[0].Formats[0].HasLog || mh.Releases[0].Formats[0].Size != 1000 || mh.Releases[1].Formats[0].Encoding != "24bit Lossless" {
		t.Errorf("album %+v", mh)
	}
	if len(mh.Artists(music.RoleRemixer)) != 1 || mh.Artists(music.RoleMain)[0].Name != "Boards of Canada 7" {
		t.Errorf("credits %+v", mh.Credits)
	}
	tri, _ := Album(ctx, pool, c.Albums[2])
	if len(tri.Formats()) != 1 {
		t.Errorf("the deleted format is listed: %+v", tri.Formats())
	}
	if a, err := AlbumOfFormat(ctx, pool, c.Formats[3]); err != nil || a != c.Albums[1] {
		t.Errorf("album of a format: %v %v", a, err)
	}
	if _, err := Album(ctx, pool, c.Artists[0]); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("an album that is not there: %v", err)
	}
}

// Browse's filters, table-tested over the history: each lists the albums
// with a matching format, each with only its matching formats.
func TestBrowse(t *testing.T) {
	log := testenv.Log(t)
	c := musictest.History(t, log, 3)
	pool := project(t, log)
	ctx := context.Background()
	yes, no := true, false
	for _, tc := range []struct {
		name    string
		f       Filter
		albums  []string
		formats int
	}{
		{"everything, newest first", Filter{}, []string{"Music Has the Right to Children", "Tri Repetae++", "Twoism"}, 6},
		{"by name ascending", Filter{Order: OrderName, Asc: true}, []string{"Music Has the Right to Children", "Tri Repetae++", "Twoism"}, 6},
		{"by year", Filter{Order: OrderYear, Asc: true}, []string{"Tri Repetae++", "Twoism", "Music Has the Right to Children"}, 6},
		{"search in titles", Filter{Search: "repetae"}, []string{"Tri Repetae++"}, 1},
		{"search in artists", Filter{Search: "autechre"}, []string{"Music Has the Right to Children", "Tri Repetae++"}, 4},
		{"an artist by a merged name", Filter{Artist: "kanada"}, []string{"Music Has the Right to Children", "Tri Repetae++", "Twoism"}, 6},
		{"an alias", Filter{Artist: "boc 3"}, []string{"Music Has the Right to Children", "Tri Repetae++", "Twoism"}, 6},
		{"album title", Filter{Album: "twoism"}, []string{"Twoism"}, 2},
		{"FLAC (Tri Repetae's was deleted)", Filter{Format: "FLAC"}, []string{"Music Has the Right to Children", "Twoism"}, 3},
		{"24bit", Filter{Encoding: "24bit Lossless"}, []string{"Music Has the Right to Children"}, 1},
		{"vinyl", Filter{Media: "Vinyl"}, []string{"Music Has the Right to Children", "Twoism"}, 3},
		{"edition year", Filter{YearFrom: 2000}, []string{"Music Has the Right to Children"}, 1},
		{"years", Filter{YearFrom: 1995, YearTo: 1996}, []string{"Tri Repetae++", "Twoism"}, 3},
		{"EPs", Filter{ReleaseType: music.TypeEP}, []string{"Twoism"}, 2},
		{"catalogue number", Filter{CatalogueNumber: "warpcd"}, []string{"Music Has the Right to Children"}, 2},
		{"label, newest matching format first", Filter{RecordLabel: "warp", Encoding: "V0 (VBR)"}, []string{"Tri Repetae++", "Twoism", "Music Has the Right to Children"}, 3},
		{"with a log", Filter{HasLog: &yes}, []string{"Music Has the Right to Children"}, 1},
		{"without a cue", Filter{HasCue: &no, Format: "MP3"}, []string{"Tri Repetae++", "Twoism", "Music Has the Right to Children"}, 3},
		{"without a log, in FLAC", Filter{HasLog: &no, Format: "FLAC"}, []string{"Music Has the Right to Children", "Twoism"}, 2},
		{"scene", Filter{Scene: &yes}, nil, 0},
		{"any tag", Filter{Tags: []string{"idm", "jazz"}}, []string{"Music Has the Right to Children", "Twoism"}, 5},
		{"all tags", Filter{Tags: []string{"idm", "electronic"}, TagsAll: true}, []string{"Music Has the Right to Children", "Twoism"}, 5},
		{"a wildcard is a character", Filter{Search: "%"}, nil, 0},
	} {
		res, err := Browse(ctx, pool, tc.f)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var titles []string
		formats := 0
		for _, a := range res.Albums {
			titles = append(titles, a.Title)
			formats += len(a.Formats())
		}
		if !slices.Equal(titles, tc.albums) || formats != tc.formats || res.Total != len(tc.albums) {
			t.Errorf("%s: albums %q with %d formats (total %d); want %q with %d", tc.name, titles, formats, res.Total, tc.albums, tc.formats)
		}
	}
	// Deleting an album's newest format takes the album's summary back to
	// its newest live one.
	var newest []byte
	if err := pool.QueryRow(ctx, `SELECT info_hash FROM music.formats WHERE NOT deleted ORDER BY added_at DESC LIMIT 1`).Scan(&newest); err != nil {
		t.Fatal(err)
	}
	if _, err := log.Append(ctx, domain.TorrentSubject(domain.InfoHash(newest)), domain.TorrentDeleted{InfoHash: domain.InfoHash(newest)}); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, "the deletion in the albums' summary and in the catalog", func() bool {
		var wrong, deleted int
		pool.QueryRow(ctx, `SELECT count(*) FROM music.formats f JOIN catalog.torrents c USING (info_hash) WHERE f.deleted AND c.deleted`).Scan(&deleted)
		pool.QueryRow(ctx, `SELECT count(*) FROM music.albums al WHERE
			last_added IS DISTINCT FROM (SELECT max(added_at) FROM music.formats f WHERE f.album = al.id AND NOT f.deleted) OR
			live_formats <> (SELECT count(*) FROM music.formats f WHERE f.album = al.id AND NOT f.deleted)`).Scan(&wrong)
		return deleted == 2 && wrong == 0
	})
	// An unfiltered browse by time, year or name reads the albums' summary;
	// it lists what the aggregate over their formats gives (YearFrom 1
	// matches every format but takes that path).
	for _, order := range []string{OrderTime, OrderYear, OrderName} {
		for _, asc := range []bool{false, true} {
			summary, err1 := Browse(ctx, pool, Filter{Order: order, Asc: asc})
			aggregate, err2 := Browse(ctx, pool, Filter{Order: order, Asc: asc, YearFrom: 1})
			if err1 != nil || err2 != nil || len(summary.Albums) == 0 || summary.Total != aggregate.Total ||
				!slices.EqualFunc(summary.Albums, aggregate.Albums, func(a, b AlbumRow) bool { return a.ID == b.ID && len(a.Formats()) == len(b.Formats()) }) {
				t.Errorf("%s asc=%v: the summary's page %v differs from the aggregate's %v (%v, %v)", order, asc, summary.Albums, aggregate.Albums, err1, err2)
			}
		}
	}
	if _, err := Browse(ctx, pool, Filter{Order: "random"}); domain.FieldOf(err) != "order_by" {
		t.Errorf("an unknown order: %v", err)
	}
	if _, err := Browse(ctx, pool, Filter{Page: MaxPage + 1}); domain.FieldOf(err) != "page" {
		t.Errorf("a page too far: %v", err)
	}
	_ = c
}
