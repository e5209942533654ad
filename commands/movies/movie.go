package movies

import (
	"context"
	"errors"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	"github.com/google/uuid"
)

// EditMovie replaces what describes a movie, its credits given by name
// (people not on the site yet are created; actors without billing are
// billed in the order given). A new IMDb id is claimed first (one another
// movie holds is refused on imdb_id, naming it), and the one it replaces
// or clears is released after. Staff only.
func (m *Commands) EditMovie(ctx context.Context, a commands.Actor, id uuid.UUID, credits []PersonCredit, info movies.MovieInfo) error {
	const op = "edit movie"
	if err := staffOnly(op, a); err != nil {
		return err
	}
	credits = normalizeCredits(credits)
	placeholders, err := placeholderCredits(op, credits)
	info.Credits = placeholders
	if err := errors.Join(err, info.Check(op)); err != nil {
		return err
	}
	mv, last, err := m.movie(ctx, op, id)
	if err != nil {
		return err
	}
	if info.Credits, err = m.resolveCredits(ctx, op, a, credits); err != nil {
		return err
	}
	old, imdb := mv.Info.IMDbID, info.IMDbID
	if imdb != "" && imdb != old {
		if err := m.claimIMDb(ctx, op, a, imdb, mv.ID); err != nil {
			return err
		}
	}
	if _, err = m.s.Change(ctx, op, a, movies.MovieSubject(mv.ID), last, movies.MovieEdited{Movie: mv.ID, MovieInfo: info}); err != nil {
		if imdb != "" && imdb != old {
			_ = m.releaseIMDb(ctx, op, a, imdb, mv.ID) // best effort: a claim left pending is voided by the next claimer
		}
		return err
	}
	if old != "" && old != imdb {
		return m.releaseIMDb(ctx, op, a, old, mv.ID)
	}
	return nil
}

// EditEdition replaces what describes an edition; it must not become
// another edition the movie has. Staff only.
func (m *Commands) EditEdition(ctx context.Context, a commands.Actor, movie, edition uuid.UUID, info movies.EditionInfo) error {
	const op = "edit edition"
	if err := staffOnly(op, a); err != nil {
		return err
	}
	if err := info.Check(op); err != nil {
		return err
	}
	mv, last, err := m.movie(ctx, op, movie)
	if err != nil {
		return err
	}
	if err := mv.CheckEditionEdit(op, edition, info); err != nil {
		return err
	}
	_, err = m.s.Change(ctx, op, a, movies.MovieSubject(mv.ID), last, movies.EditionEdited{Movie: mv.ID, Edition: edition, EditionInfo: info})
	return err
}

// EditFormat replaces what describes a format; its edition must not have
// that format already in another torrent. Staff only.
func (m *Commands) EditFormat(ctx context.Context, a commands.Actor, movie uuid.UUID, h domain.InfoHash, info movies.FormatInfo) error {
	const op = "edit format"
	if err := staffOnly(op, a); err != nil {
		return err
	}
	mv, last, err := m.movie(ctx, op, movie)
	if err != nil {
		return err
	}
	f, ok := mv.Format(h)
	if !ok {
		return domain.FieldE(op, "info_hash", domain.KindNotFound, "the movie has no format with torrent %s", h)
	}
	others := mv
	others.Formats = nil
	for _, o := range mv.Formats {
		if o.InfoHash != h {
			others.Formats = append(others.Formats, o)
		}
	}
	if err := others.CheckNewFormat(op, f.Edition, h, info); err != nil {
		return err
	}
	_, err = m.s.Change(ctx, op, a, movies.MovieSubject(mv.ID), last, movies.FormatEdited{Movie: mv.ID, InfoHash: h, FormatInfo: info})
	return err
}
