package movies

import (
	"context"
	"os"
	"slices"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/projections/movies/moviestest"
	"github.com/djembe/djembe/projections/projectiontest"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// Two histories on one log: the conformance suite's crashes, redeliveries,
// batch cuts and rebuild (replay equality) over every Movies event.
func TestConformance(t *testing.T) {
	log := testenv.Log(t)
	moviestest.History(t, log, 1)
	moviestest.History(t, log, 2)
	projectiontest.Run(t, Projection{}, log)
}

// project runs the catalog, swarm and movies projectors over log until
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

func titles(rows []FilmRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Title)
	}
	return out
}

// The pages' queries over the history: a person with their alias and
// the merged person's name, the merged person's credits moved to them
// (a credit both had kept once), a filmography by kind of credit with
// the roles played; a movie's credits, editions and formats with sizes,
// the deleted torrent left out; the merged person redirects.
func TestReadModel(t *testing.T) {
	log := testenv.Log(t)
	c := moviestest.History(t, log, 7)
	pool := project(t, log)
	ctx := context.Background()

	lana, err := Person(ctx, pool, c.People[0])
	if err != nil {
		t.Fatal(err)
	}
	aliases := slices.Sorted(slices.Values(lana.Aliases))
	if !slices.Equal(aliases, []string{"Lana Wachowsky 7", "Larry Wachowski 7"}) {
		t.Errorf("aliases %q: the merged person's name is an alias now", lana.Aliases)
	}
	gone, err := Person(ctx, pool, c.People[1])
	if err != nil || gone.MergedInto != c.People[0] {
		t.Errorf("the merged person: %+v, %v", gone, err)
	}
	if id, err := PersonByName(ctx, pool, "lana  WACHOWSKY 7"); err != nil || id != c.People[0] {
		t.Errorf("the merged name leads to %v, %v", id, err)
	}
	if _, err := PersonByName(ctx, pool, "Nobody"); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("a name nobody has: %v", err)
	}
	keanu, _ := Person(ctx, pool, c.People[2])
	if keanu.BirthYear != 1964 || keanu.Biography != "Beirut" || len(keanu.Aliases) != 0 {
		t.Errorf("edited person %+v", keanu)
	}

	groups, err := Filmography(ctx, pool, c.People[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 3 || groups[0].Kind != movies.CreditDirector || groups[1].Kind != movies.CreditWriter || groups[2].Kind != movies.CreditProducer {
		t.Fatalf("filmography groups %+v", groups)
	}
	if got := titles(groups[0].Movies); !slices.Equal(got, []string{"The Matrix Reloaded", "The Matrix"}) {
		t.Errorf("directed (the merged person's included, newest first): %q", got)
	}
	if got := titles(groups[1].Movies); !slices.Equal(got, []string{"The Matrix"}) {
		t.Errorf("written: %q", got)
	}
	if got := titles(groups[2].Movies); !slices.Equal(got, []string{"John Wick"}) {
		t.Errorf("produced (by the edit): %q", got)
	}
	acted, _ := Filmography(ctx, pool, c.People[2])
	if len(acted) != 1 || acted[0].Kind != movies.CreditActor || !slices.Equal(titles(acted[0].Movies), []string{"John Wick", "The Matrix Reloaded", "The Matrix"}) ||
		!slices.Equal(acted[0].Movies[0].Roles, []string{"John Wick"}) || !slices.Equal(acted[0].Movies[2].Roles, []string{"Neo"}) || acted[0].Movies[2].Billing != 1 {
		t.Errorf("acted in: %+v", acted)
	}

	matrix, err := Movie(ctx, pool, c.Movies[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(matrix.People(movies.CreditDirector)) != 1 || matrix.People(movies.CreditDirector)[0].ID != c.People[0] ||
		matrix.People(movies.CreditWriter)[0].Name != "Lana Wachowski 7" {
		t.Errorf("credits after the merge (two directors became one): %+v", matrix.Credits)
	}
	if cast := matrix.Cast(); len(cast) != 2 || cast[0].Role != "Neo" || cast[1].Role != "Trinity" || cast[1].Billing != 2 {
		t.Errorf("cast %+v", cast)
	}
	if matrix.IMDbID != "tt0133093" || matrix.Runtime != 136 || !slices.Equal(matrix.Tags, []string{"science.fiction", "action"}) {
		t.Errorf("movie %+v", matrix)
	}
	if len(matrix.Editions) != 3 || matrix.Editions[0].Distributor != "Warner" || matrix.Editions[0].Year != 1999 ||
		len(matrix.Editions[0].Formats) != 3 || matrix.Editions[1].Name != "10th Anniversary" || len(matrix.Editions[1].Formats) != 1 ||
		matrix.Editions[2].ID != c.MergedEdition || len(matrix.Editions[2].Formats) != 1 || matrix.Editions[2].Formats[0].InfoHash != c.MergedFormats[1] {
		t.Fatalf("editions (the merged duplicate's Theatrical joined, its Extended moved) %+v", matrix.Editions)
	}
	if f := matrix.Editions[0].Formats[2]; f.InfoHash != c.MergedFormats[0] || f.Source != "WEB" {
		t.Errorf("the duplicate's Theatrical format %+v", f)
	}
	dup, err := Movie(ctx, pool, c.Merged)
	if err != nil || dup.MergedInto != c.Movies[0] || len(dup.Editions) != 0 || len(dup.Credits) != 0 {
		t.Errorf("the merged movie (leads to the movie, keeps nothing): %+v, %v", dup, err)
	}
	if id, err := MovieOfFormat(ctx, pool, c.MergedFormats[1]); err != nil || id != c.Movies[0] {
		t.Errorf("a moved format's movie: %v %v", id, err)
	}
	if id, err := MovieByIMDb(ctx, pool, "tt0133093"); err != nil || id != c.Movies[0] {
		t.Errorf("the IMDb id two movies carried leads to the one not merged: %v %v", id, err)
	}
	carrie, _ := Filmography(ctx, pool, c.People[3])
	if len(carrie) != 1 || !slices.Equal(titles(carrie[0].Movies), []string{"The Matrix"}) {
		t.Errorf("the merged movie's credits stay behind: %+v", carrie)
	}
	f0 := matrix.Editions[0].Formats[0]
	if f0.InfoHash != c.Formats[0] || f0.Size != 1000 || !slices.Equal(f0.Subtitles, []string{"en", "de"}) || f0.Label() != "Blu-ray / 1080p / x264 / MKV / Encode" {
		t.Errorf("edited format %+v", f0)
	}
	if f1 := matrix.Editions[0].Formats[1]; f1.HDR != "Dolby Vision" || f1.Kind != movies.KindRemux || f1.Container != "MKV" {
		t.Errorf("remux %+v", f1)
	}
	wick, _ := Movie(ctx, pool, c.Movies[2])
	if len(wick.Formats()) != 1 || wick.Formats()[0].Resolution != "720p" || wick.Runtime != 101 {
		t.Errorf("John Wick (its deleted format left out, its edit applied): %+v", wick)
	}
	if p := wick.People(movies.CreditProducer); len(p) != 1 || p[0].ID != c.People[0] {
		t.Errorf("a credit the merged person had before the merge is the person they became's: %+v", wick.Credits)
	}
	if id, err := MovieOfFormat(ctx, pool, c.Formats[3]); err != nil || id != c.Movies[1] {
		t.Errorf("movie of a format: %v %v", id, err)
	}
	if id, err := MovieByIMDb(ctx, pool, "tt2911666"); err != nil || id != c.Movies[2] {
		t.Errorf("movie by IMDb id: %v %v", id, err)
	}
	if _, err := MovieByIMDb(ctx, pool, ""); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("no IMDb id finds nothing: %v", err)
	}
	if _, err := Movie(ctx, pool, c.People[0]); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("a movie that is not there: %v", err)
	}
}

// Browse's filters, table-tested over the history: each lists the movies
// with a matching format, each with only its matching formats (the merged
// duplicate's under the movie it was merged into, never on its own).
func TestBrowse(t *testing.T) {
	log := testenv.Log(t)
	moviestest.History(t, log, 3)
	pool := project(t, log)
	ctx := context.Background()
	yes, no := true, false
	const matrix, reloaded, wick = "The Matrix", "The Matrix Reloaded", "John Wick"
	for _, tc := range []struct {
		name    string
		f       Filter
		movies  []string
		formats int
	}{
		{"everything, newest first", Filter{}, []string{matrix, wick, reloaded}, 8},
		{"by name ascending", Filter{Order: OrderName, Asc: true}, []string{wick, matrix, reloaded}, 8},
		{"by year ascending", Filter{Order: OrderYear, Asc: true}, []string{matrix, reloaded, wick}, 8},
		{"by size ascending", Filter{Order: OrderSize, Asc: true}, []string{wick, reloaded, matrix}, 8},
		{"by runtime", Filter{Order: OrderRuntime}, []string{matrix, wick, reloaded}, 8},
		{"search in titles", Filter{Search: "reloaded"}, []string{reloaded}, 2},
		{"search in people", Filter{Search: "keanu"}, []string{matrix, wick, reloaded}, 8},
		{"a person by a merged name", Filter{Person: "wachowsky"}, []string{matrix, wick, reloaded}, 8},
		{"a person by an alias", Filter{Person: "larry wachowski 3"}, []string{matrix, wick, reloaded}, 8},
		{"an actor", Filter{Person: "carrie-anne"}, []string{matrix}, 5},
		{"title", Filter{Title: "matrix"}, []string{matrix, reloaded}, 7},
		{"source (the merged duplicate's WEB, newest)", Filter{Source: "WEB"}, []string{matrix, reloaded}, 3},
		{"blu-ray (John Wick's 1080p was deleted)", Filter{Source: "Blu-ray"}, []string{wick, matrix}, 2},
		{"resolution, newest matching format first", Filter{Resolution: "2160p"}, []string{reloaded, matrix}, 2},
		{"codec", Filter{Codec: "x264"}, []string{wick, matrix}, 2},
		{"container", Filter{Container: "AVI"}, []string{matrix}, 2},
		{"an hdr", Filter{HDR: "Dolby Vision"}, []string{matrix}, 1},
		{"any hdr", Filter{HasHDR: &yes}, []string{reloaded, matrix}, 2},
		{"no hdr, on blu-ray", Filter{HasHDR: &no, Source: "Blu-ray"}, []string{wick, matrix}, 2},
		{"remux", Filter{Kind: movies.KindRemux}, []string{matrix}, 1},
		{"encode", Filter{Kind: movies.KindEncode}, []string{matrix, wick, reloaded}, 7},
		{"disc", Filter{Kind: movies.KindDisc}, nil, 0},
		{"subtitles in german (by the edit)", Filter{Subtitle: "DE"}, []string{matrix}, 1},
		{"subtitles in french", Filter{Subtitle: "fr"}, []string{matrix}, 1},
		{"years", Filter{YearFrom: 2000, YearTo: 2010}, []string{reloaded}, 2},
		{"from a year", Filter{YearFrom: 2010}, []string{wick}, 1},
		{"any tag", Filter{Tags: []string{"neo.noir", "science.fiction"}}, []string{matrix, wick, reloaded}, 8},
		{"all tags", Filter{Tags: []string{"science.fiction", "action"}, TagsAll: true}, []string{matrix}, 5},
		{"several at once", Filter{Person: "keanu", Resolution: "1080p", YearTo: 2005}, []string{reloaded, matrix}, 2},
		{"a wildcard is a character", Filter{Search: "%"}, nil, 0},
	} {
		res, err := Browse(ctx, pool, tc.f)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []string
		formats := 0
		for _, m := range res.Movies {
			got = append(got, m.Title)
			formats += len(m.Formats())
		}
		if !slices.Equal(got, tc.movies) || formats != tc.formats || res.Total != len(tc.movies) {
			t.Errorf("%s: movies %q with %d formats (total %d); want %q with %d", tc.name, got, formats, res.Total, tc.movies, tc.formats)
		}
	}
	if _, err := Browse(ctx, pool, Filter{Order: "random"}); domain.FieldOf(err) != "order_by" {
		t.Errorf("an unknown order: %v", err)
	}
	if _, err := Browse(ctx, pool, Filter{Page: MaxPage + 1}); domain.FieldOf(err) != "page" {
		t.Errorf("a page too far: %v", err)
	}
}
