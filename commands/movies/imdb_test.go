package movies

import (
	"errors"
	"testing"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
)

// claimHolder is who holds imdb's claim on the log.
func (e *env) claimHolder(imdb string) uuid.UUID {
	e.t.Helper()
	c, _, err := e.m.imdbClaim(e.ctx, "test", imdb)
	if err != nil {
		e.t.Fatal(err)
	}
	return c.Holder
}

// taken checks err refuses an IMDb id on imdb_id, naming movie.
func taken(t *testing.T, what string, err error, movie uuid.UUID) {
	t.Helper()
	var te *movies.IMDbTakenError
	if domain.KindOf(err) != domain.KindConflict || domain.FieldOf(err) != "imdb_id" || !errors.As(err, &te) || te.Movie != movie {
		t.Errorf("%s: %v, want the IMDb id refused naming %s", what, err, movie)
	}
}

// An IMDb id names one movie: a second new movie with it is refused on
// imdb_id naming the first, before anything is appended; an edit to an id
// another movie holds is refused the same way; an edit that changes or
// clears the id releases it, and another movie may then take it; a movie
// that holds an id may be edited keeping it.
func TestIMDbIdsAreUnique(t *testing.T) {
	e := newEnv(t)
	first, err := e.m.Upload(e.ctx, e.dora, newMovie(t, "matrix"))
	if err != nil {
		t.Fatal(err)
	}
	if h := e.claimHolder("tt0133093"); h != first.Movie {
		t.Fatalf("the claim is held by %s, want %s", h, first.Movie)
	}
	if got, err := e.m.MovieByIMDb(e.ctx, "tt0133093"); err != nil || got.ID != first.Movie {
		t.Errorf("the movie by IMDb id: %v, %v", got.ID, err)
	}
	before := e.last()
	again := newMovie(t, "matrix-again")
	again.MovieInfo.Title = "Matrix"
	_, err = e.m.Upload(e.ctx, e.dora, again)
	taken(t, "a second movie with the id", err, first.Movie)
	if msg := domain.Message(err); msg != "IMDb id tt0133093 is The Matrix (1999), here already: add your format to that movie" {
		t.Errorf("the refusal says %q", msg)
	}
	if after := e.last(); after != before {
		t.Errorf("the refused upload appended %d events", after-before)
	}

	other := newMovie(t, "speed")
	other.MovieInfo = movies.MovieInfo{Title: "Speed", Year: 1994}
	sp, err := e.m.Upload(e.ctx, e.dora, other)
	if err != nil {
		t.Fatal(err)
	}
	credits := []PersonCredit{{Name: "Jan de Bont", Kind: movies.CreditDirector}}
	speed := movies.MovieInfo{Title: "Speed", Year: 1994, IMDbID: "tt0133093"}
	before = e.last()
	taken(t, "an edit to the id another movie holds", e.m.EditMovie(e.ctx, commands.Operator, sp.Movie, credits, speed), first.Movie)
	if n := e.last() - before; n > 4 { // the people credited may be created; nothing else is
		t.Errorf("the refused edit appended %d events", n)
	}
	matrix := e.movie(first.Movie).Info
	matrix.Runtime = 150
	if err := e.m.EditMovie(e.ctx, commands.Operator, first.Movie, credits, matrix); err != nil {
		t.Errorf("an edit keeping the id: %v", err)
	}
	matrix.IMDbID = "tt0234215"
	if err := e.m.EditMovie(e.ctx, commands.Operator, first.Movie, credits, matrix); err != nil {
		t.Fatal(err)
	}
	if h, h2 := e.claimHolder("tt0133093"), e.claimHolder("tt0234215"); h != uuid.Nil || h2 != first.Movie {
		t.Errorf("after changing the id the old claim is held by %v, the new by %v", h, h2)
	}
	if err := e.m.EditMovie(e.ctx, commands.Operator, sp.Movie, credits, speed); err != nil {
		t.Fatalf("a released id taken by another movie: %v", err)
	}
	_, err = e.m.Upload(e.ctx, e.dora, again)
	taken(t, "a new movie with the id taken again", err, sp.Movie)
	speed.IMDbID = ""
	if err := e.m.EditMovie(e.ctx, commands.Operator, sp.Movie, credits, speed); err != nil {
		t.Fatal(err)
	}
	if h := e.claimHolder("tt0133093"); h != uuid.Nil {
		t.Errorf("a cleared id is held by %v", h)
	}
	if up, err := e.m.Upload(e.ctx, e.dora, again); err != nil || e.claimHolder("tt0133093") != up.Movie {
		t.Errorf("a new movie with a released id: %v", err)
	}
}

// A claim whose writer stopped before creating its movie (or before the
// edit that gives the movie the id) holds nothing: the next movie voids
// it on the holder's subject, so the stopped writer can no longer append
// its change, and takes the claim.
func TestAPendingIMDbClaimIsVoided(t *testing.T) {
	e := newEnv(t)
	ghost := uuid.New()
	if _, err := e.log.Append(e.ctx, movies.IMDbSubject("tt0133093"), movies.IMDbClaimed{IMDbID: "tt0133093", Movie: ghost}, eventlog.ExpectNew()); err != nil {
		t.Fatal(err)
	}
	up, err := e.m.Upload(e.ctx, e.dora, newMovie(t, "matrix"))
	if err != nil {
		t.Fatalf("an upload over a pending claim: %v", err)
	}
	if h := e.claimHolder("tt0133093"); h != up.Movie {
		t.Errorf("the claim is held by %v, want %v", h, up.Movie)
	}
	_, err = e.log.Append(e.ctx, movies.MovieSubject(ghost), movies.MovieCreated{Movie: ghost, MovieInfo: movies.MovieInfo{Title: "Ghost", Year: 1990, IMDbID: "tt0133093"}}, eventlog.ExpectNew())
	if !errors.Is(err, eventlog.ErrConflict) {
		t.Errorf("the stopped writer created its movie after all: %v", err)
	}

	// An edit that stopped between its claim and the edit itself.
	other := newMovie(t, "speed")
	other.MovieInfo = movies.MovieInfo{Title: "Speed", Year: 1994}
	sp, err := e.m.Upload(e.ctx, e.dora, other)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.m.claimIMDb(e.ctx, "test", commands.Operator, "tt0111257", sp.Movie); err != nil {
		t.Fatal(err)
	}
	third := newMovie(t, "speed-dup")
	third.MovieInfo = movies.MovieInfo{Title: "Speed!", Year: 1994, IMDbID: "tt0111257"}
	dup, err := e.m.Upload(e.ctx, e.dora, third)
	if err != nil || e.claimHolder("tt0111257") != dup.Movie {
		t.Fatalf("an upload over an edit's pending claim: %v", err)
	}
	evs, _, _ := e.m.s.Read(e.ctx, "test", movies.MovieSubject(sp.Movie))
	if v, ok := evs[len(evs)-1].(movies.MovieIMDbVoided); !ok || v.IMDbID != "tt0111257" {
		t.Errorf("the stopped edit's movie ends with %T", evs[len(evs)-1])
	}
}

// Logs from before the claims may hold two movies with one IMDb id: both
// are still read, take formats, edits keeping the id and a merge.
func TestIMDbDuplicatesInAnOldLog(t *testing.T) {
	e := newEnv(t)
	var ids []uuid.UUID
	for _, title := range []string{"The Matrix", "Matrix"} {
		id := uuid.New()
		info := movies.MovieInfo{Title: title, Year: 1999, IMDbID: "tt0133093", Credits: []movies.Credit{{Person: uuid.New(), Kind: movies.CreditDirector}}}
		if _, err := e.log.Append(e.ctx, movies.MovieSubject(id), movies.MovieCreated{Movie: id, MovieInfo: info}, eventlog.ExpectNew()); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	for i, id := range ids {
		u := Upload{File: testenv.TorrentFile(t, "old"+string(rune('a'+i)), false), Uploader: "dora", Movie: id,
			EditionInfo: movies.EditionInfo{Name: "Theatrical"}, Format: x264}
		if _, err := e.m.Upload(e.ctx, e.dora, u); err != nil {
			t.Fatalf("a format of duplicate %d: %v", i, err)
		}
		info := e.movie(id).Info
		info.Runtime = 136
		if err := e.m.EditMovie(e.ctx, commands.Operator, id, []PersonCredit{{Name: "Lana Wachowski", Kind: movies.CreditDirector}}, info); err != nil {
			t.Errorf("an edit of duplicate %d keeping the id: %v", i, err)
		}
	}
	if err := e.m.MergeMovies(e.ctx, commands.Operator, ids[1], ids[0]); err != nil {
		t.Fatal(err)
	}
	if mv := e.movie(ids[1]); mv.ID != ids[0] || len(mv.Formats) != 2 || len(mv.Editions) != 1 || mv.Info.IMDbID != "tt0133093" {
		t.Errorf("after the merge %+v", mv)
	}
	if h := e.claimHolder("tt0133093"); h != ids[0] {
		t.Errorf("the id's claim went to %v, want the movie merged into", h)
	}
}
