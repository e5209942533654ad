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
// billed in the order given). Staff only.
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
	_, err = m.s.Change(ctx, op, a, movies.MovieSubject(mv.ID), last, movies.MovieEdited{Movie: mv.ID, MovieInfo: info})
	return err
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
	_, err = m.s.Change(ctx, op, a, movies.MovieSubject(movie), last, movies.EditionEdited{Movie: movie, Edition: edition, EditionInfo: info})
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
	_, err = m.s.Change(ctx, op, a, movies.MovieSubject(movie), last, movies.FormatEdited{Movie: movie, InfoHash: h, FormatInfo: info})
	return err
}
