package movies

import (
	"context"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	"github.com/google/uuid"
)

// imdbClaim loads the claim of an IMDb id; last is its subject's last
// sequence (0: never claimed), which the next claim or release expects.
func (m *Commands) imdbClaim(ctx context.Context, op, imdb string) (c movies.IMDbClaim, last uint64, err error) {
	evs, last, err := m.s.Read(ctx, op, movies.IMDbSubject(imdb))
	if err != nil {
		return c, 0, err
	}
	for _, e := range evs {
		c.Apply(e)
	}
	return c, last, nil
}

// imdbHolder is the movie that holds imdb; ok is false when none does (a
// claim left pending holds nothing: movies.HoldsIMDb).
func (m *Commands) imdbHolder(ctx context.Context, op, imdb string) (movies.Movie, bool, error) {
	c, _, err := m.imdbClaim(ctx, op, imdb)
	if err != nil || c.Holder == uuid.Nil {
		return movies.Movie{}, false, err
	}
	holder, _, err := m.loadMovie(ctx, op, c.Holder)
	return holder, err == nil && movies.HoldsIMDb(holder, imdb), err
}

// claimIMDb takes imdb for movie before the change that gives movie the
// id is appended. Another movie that holds it is a refusal on imdb_id
// naming that movie (movies.IMDbTaken). A claim left pending (its holder
// does not carry the id) is voided first, on its holder's subject at the
// holder's last sequence, so the holder's own pending change can no longer
// be appended; then the claim is taken over at the claim subject's last
// sequence. Either append finding its subject changed starts again.
func (m *Commands) claimIMDb(ctx context.Context, op string, a commands.Actor, imdb string, movie uuid.UUID) error {
	for range 4 {
		c, last, err := m.imdbClaim(ctx, op, imdb)
		if err != nil {
			return err
		}
		if c.Holder == movie {
			return nil
		}
		if c.Holder != uuid.Nil {
			holder, hlast, err := m.loadMovie(ctx, op, c.Holder)
			if err != nil {
				return err
			}
			if movies.HoldsIMDb(holder, imdb) {
				return movies.IMDbTaken(op, imdb, holder)
			}
			if holder.MergedInto == uuid.Nil { // a merged movie takes no more changes: nothing of it is pending
				void := movies.MovieIMDbVoided{Movie: c.Holder, IMDbID: imdb}
				if _, err := m.s.Change(ctx, op, a, movies.MovieSubject(c.Holder), hlast, void); domain.KindOf(err) == domain.KindConflict {
					continue
				} else if err != nil {
					return err
				}
			}
		}
		_, err = m.s.Change(ctx, op, a, movies.IMDbSubject(imdb), last, movies.IMDbClaimed{IMDbID: imdb, Movie: movie})
		if domain.KindOf(err) == domain.KindConflict {
			continue
		}
		return err
	}
	return domain.FieldE(op, "imdb_id", domain.KindConflict, "the IMDb id %s changed hands while this change was being made: try again", imdb)
}

// releaseIMDb gives up movie's claim of imdb; a claim another movie holds
// (or nobody) is left as it is.
func (m *Commands) releaseIMDb(ctx context.Context, op string, a commands.Actor, imdb string, movie uuid.UUID) error {
	for range 4 {
		c, last, err := m.imdbClaim(ctx, op, imdb)
		if err != nil || c.Holder != movie {
			return err
		}
		_, err = m.s.Change(ctx, op, a, movies.IMDbSubject(imdb), last, movies.IMDbReleased{IMDbID: imdb, Movie: movie})
		if domain.KindOf(err) != domain.KindConflict {
			return err
		}
	}
	return domain.E(op, domain.KindConflict, "the IMDb id %s changed hands while it was being released: try again", imdb)
}

// MovieByIMDb is the movie that holds an IMDb id, merges followed.
func (m *Commands) MovieByIMDb(ctx context.Context, imdb string) (movies.Movie, error) {
	const op = "find movie"
	if err := movies.CheckIMDbID(op, "imdb_id", imdb); err != nil || imdb == "" {
		return movies.Movie{}, domain.FieldE(op, "imdb_id", domain.KindInvalid, "give an IMDb id, as in tt0133093")
	}
	holder, ok, err := m.imdbHolder(ctx, op, imdb)
	if err == nil && !ok {
		err = domain.FieldE(op, "imdb_id", domain.KindNotFound, "no movie here holds the IMDb id %s", imdb)
	}
	return holder, err
}
