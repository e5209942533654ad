package movies

import (
	"context"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	"github.com/google/uuid"
)

// MergeMovies folds movie from (a duplicate) into movie into: from's
// editions and formats, their torrents with them, move into into (an
// edition into has already, by EditionInfo.Same, is joined; the others
// move as they are), from's page redirects to into's, and from's IMDb
// claim passes to into when into has no IMDb id or the same one (into then
// carries it), or is released when into has another. Merging a movie into
// itself, a merged movie, or into a merged movie is refused, and so is
// anyone but staff. A merge whose writer stopped between its two appends
// is completed by asking it again. Staff only.
func (m *Commands) MergeMovies(ctx context.Context, a commands.Actor, from, into uuid.UUID) error {
	const op = "merge movies"
	if err := staffOnly(op, a); err != nil {
		return err
	}
	src, last, err := m.loadMovie(ctx, op, from)
	if err != nil {
		return err
	}
	dst, _, err := m.loadMovie(ctx, op, into)
	if err != nil {
		return err
	}
	if src.Exists() && src.MergedInto == into && dst.Exists() && !dst.HasAbsorbed(from) {
		return m.absorb(ctx, op, a, src, into)
	}
	if err := movies.CheckMovieMerge(op, src, dst); err != nil {
		return err
	}
	merged := movies.MovieMerged{Movie: from, Into: into}
	if _, err := m.s.Change(ctx, op, a, movies.MovieSubject(from), last, merged); err != nil {
		return err
	}
	src.Apply(merged)
	return m.absorb(ctx, op, a, src, into)
}

// absorb appends the MovieAbsorbed that moves merged movie src's editions
// and formats into movie into, at into's last sequence, after passing on
// src's IMDb claim; into changing meanwhile starts it again.
func (m *Commands) absorb(ctx context.Context, op string, a commands.Actor, src movies.Movie, into uuid.UUID) error {
	for range 4 {
		dst, last, err := m.loadMovie(ctx, op, into)
		if err != nil || dst.HasAbsorbed(src.ID) {
			return err
		}
		imdb, err := m.passIMDb(ctx, op, a, src, dst)
		if err != nil {
			return err
		}
		_, err = m.s.Change(ctx, op, a, movies.MovieSubject(into), last, movies.Absorb(src, dst, imdb))
		if domain.KindOf(err) != domain.KindConflict {
			return err
		}
	}
	return domain.E(op, domain.KindConflict, "the movie changed while the merge was being made: ask for the merge again to finish it")
}

// passIMDb passes merged movie src's IMDb id on to dst: its claim moves to
// dst when dst has no IMDb id (dst then takes it: the id returned) or the
// same one, and is released when dst has another. An id src carries but
// another movie holds (a log from before the claims) stays that movie's.
func (m *Commands) passIMDb(ctx context.Context, op string, a commands.Actor, src, dst movies.Movie) (string, error) {
	imdb := src.Info.IMDbID
	if imdb == "" {
		return "", nil
	}
	c, _, err := m.imdbClaim(ctx, op, imdb)
	if err != nil {
		return "", err
	}
	if c.Holder != uuid.Nil && c.Holder != src.ID && c.Holder != dst.ID {
		return "", nil
	}
	if dst.Info.IMDbID != "" && dst.Info.IMDbID != imdb {
		return "", m.releaseIMDb(ctx, op, a, imdb, src.ID)
	}
	err = m.claimIMDb(ctx, op, a, imdb, dst.ID)
	switch {
	case domain.KindOf(err) == domain.KindConflict && domain.FieldOf(err) == "imdb_id":
		return "", nil // another movie took it meanwhile: dst keeps what it has
	case err != nil:
		return "", err
	case dst.Info.IMDbID == "":
		return imdb, nil
	}
	return "", nil
}
