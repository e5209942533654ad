package movies

import (
	"slices"
	"testing"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
)

// upload uploads u or fails the test.
func (e *env) upload(u Upload) Uploaded {
	e.t.Helper()
	up, err := e.m.Upload(e.ctx, e.dora, u)
	if err != nil {
		e.t.Fatal(err)
	}
	return up
}

// A duplicate movie merged into the movie: its Theatrical joins the
// movie's, its other edition moves as it is, every format goes along;
// the duplicate then leads to the movie (uploads and edits included), and
// its IMDb id's claim passes to the movie, which had none. A merge into
// itself, into a merged movie, of a merged movie, into a missing movie or
// by a user is refused.
func TestMergeMovies(t *testing.T) {
	e := newEnv(t)
	orig := newMovie(t, "matrix")
	orig.MovieInfo.IMDbID = ""
	matrix := e.upload(orig)
	dupe := newMovie(t, "matrix-720")
	dupe.MovieInfo.Title, dupe.Format.Resolution = "Matrix", "720p"
	dup := e.upload(dupe)
	ext := Upload{File: testenv.TorrentFile(t, "matrix-ext", false), Uploader: "dora", Movie: dup.Movie,
		EditionInfo: movies.EditionInfo{Name: "Extended"}, Format: x264}
	extended := e.upload(ext)

	for _, tc := range []struct {
		name       string
		a          commands.Actor
		from, into uuid.UUID
		kind       domain.Kind
		field      string
	}{
		{"by a user", e.dora, dup.Movie, matrix.Movie, domain.KindForbidden, ""},
		{"into itself", commands.Operator, dup.Movie, dup.Movie, domain.KindInvalid, "into"},
		{"into a missing movie", commands.Operator, dup.Movie, uuid.New(), domain.KindNotFound, "into"},
		{"a missing movie", commands.Operator, uuid.New(), matrix.Movie, domain.KindNotFound, ""},
	} {
		before := e.last()
		if err := e.m.MergeMovies(e.ctx, tc.a, tc.from, tc.into); domain.KindOf(err) != tc.kind || domain.FieldOf(err) != tc.field {
			t.Errorf("%s: %v, want kind %v on %q", tc.name, err, tc.kind, tc.field)
		}
		if after := e.last(); after != before {
			t.Errorf("%s: the refused merge appended %d events", tc.name, after-before)
		}
	}
	if err := e.m.MergeMovies(e.ctx, commands.Operator, dup.Movie, matrix.Movie); err != nil {
		t.Fatal(err)
	}
	mv := e.movie(dup.Movie)
	if mv.ID != matrix.Movie || len(mv.Formats) != 3 || len(mv.Editions) != 2 || mv.Info.IMDbID != "tt0133093" || mv.Info.Title != "The Matrix" {
		t.Fatalf("the duplicate leads to %+v", mv)
	}
	if f, _ := mv.Format(dup.InfoHash); f.Edition != matrix.Edition {
		t.Errorf("the duplicate's Theatrical format is in edition %v, want the movie's %v", f.Edition, matrix.Edition)
	}
	if f, _ := mv.Format(extended.InfoHash); f.Edition != extended.Edition {
		t.Errorf("the Extended format is in %v, want its edition moved as it is (%v)", f.Edition, extended.Edition)
	}
	if h := e.claimHolder("tt0133093"); h != matrix.Movie {
		t.Errorf("the claim is held by %v, want the movie merged into", h)
	}
	for _, tc := range []struct {
		name       string
		from, into uuid.UUID
		kind       domain.Kind
		field      string
	}{
		{"a merged movie again", dup.Movie, matrix.Movie, domain.KindConflict, ""},
		{"into a merged movie", matrix.Movie, dup.Movie, domain.KindInvalid, "into"},
	} {
		if err := e.m.MergeMovies(e.ctx, commands.Operator, tc.from, tc.into); domain.KindOf(err) != tc.kind || domain.FieldOf(err) != tc.field {
			t.Errorf("%s: %v, want kind %v on %q", tc.name, err, tc.kind, tc.field)
		}
	}
	// Uploads and edits of the merged movie go to the movie.
	late := Upload{File: testenv.TorrentFile(t, "matrix-late", false), Uploader: "dora", Movie: dup.Movie,
		EditionInfo: movies.EditionInfo{Name: "IMAX"}, Format: x264}
	if up := e.upload(late); up.Movie != matrix.Movie {
		t.Errorf("an upload to the merged movie went to %v", up.Movie)
	}
	if err := e.m.EditEdition(e.ctx, commands.Operator, dup.Movie, extended.Edition, movies.EditionInfo{Name: "Extended", Year: 2003}); err != nil {
		t.Errorf("an edit of a moved edition by the merged movie: %v", err)
	}
	again := newMovie(t, "matrix-again")
	_, err := e.m.Upload(e.ctx, e.dora, again)
	taken(t, "a new movie with the merged movie's id", err, matrix.Movie)
}

// A merge into a movie with another IMDb id releases the merged movie's;
// a merge whose writer stopped after its first append is completed by
// asking for it again.
func TestMergeMoviesReleasesAndCompletes(t *testing.T) {
	e := newEnv(t)
	a := e.upload(newMovie(t, "a"))
	bu := newMovie(t, "b")
	bu.MovieInfo.IMDbID, bu.MovieInfo.Title = "tt0234215", "The Matrix (mislabelled)"
	b := e.upload(bu)
	if err := e.m.MergeMovies(e.ctx, commands.Operator, b.Movie, a.Movie); err != nil {
		t.Fatal(err)
	}
	if h := e.claimHolder("tt0234215"); h != uuid.Nil {
		t.Errorf("the merged movie's own id is held by %v", h)
	}
	if got := e.movie(a.Movie); got.Info.IMDbID != "tt0133093" || len(got.Formats) != 2 {
		t.Errorf("the movie after the merge %+v", got)
	}
	cu := newMovie(t, "c")
	cu.MovieInfo.IMDbID, cu.MovieInfo.Title = "tt0234215", "The Matrix Reloaded"
	c := e.upload(cu) // the released id is free again
	du := newMovie(t, "d")
	du.MovieInfo.IMDbID, du.MovieInfo.Title = "", "Reloaded"
	du.Format.Resolution = "720p"
	d := e.upload(du)

	// The writer stopped after MovieMerged: the page would redirect to a
	// movie without the formats, until the merge is asked for again.
	if _, err := e.log.Append(e.ctx, movies.MovieSubject(d.Movie), movies.MovieMerged{Movie: d.Movie, Into: c.Movie}); err != nil {
		t.Fatal(err)
	}
	if got := e.movie(c.Movie); len(got.Formats) != 1 {
		t.Fatalf("before the completion %+v", got)
	}
	if err := e.m.MergeMovies(e.ctx, commands.Operator, d.Movie, c.Movie); err != nil {
		t.Fatalf("completing the merge: %v", err)
	}
	got := e.movie(d.Movie)
	hashes := []domain.InfoHash{got.Formats[0].InfoHash, got.Formats[1].InfoHash}
	if got.ID != c.Movie || len(got.Formats) != 2 || !slices.Contains(hashes, d.InfoHash) || len(got.Editions) != 1 {
		t.Errorf("after the completion %+v", got)
	}
	if err := e.m.MergeMovies(e.ctx, commands.Operator, d.Movie, c.Movie); domain.KindOf(err) != domain.KindConflict {
		t.Errorf("a completed merge asked again: %v", err)
	}
}
