// Package music is the Music plugin's write side: uploading a release
// format (with its artists, album and edition when they are new), editing
// the catalogue and merging artists. Every change is an event of
// domain/music, appended through the core write side's commands.Store with
// the same expectations as the core commands.
package music

import (
	"context"
	"errors"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	"github.com/google/uuid"
)

// Category is the category of a music torrent: the plugin owns it.
const Category = "Music"

// Commands is the Music plugin's write side.
type Commands struct{ s commands.Store }

// New returns the plugin's commands on the core write side.
func New(c *commands.Commands) *Commands { return &Commands{s: c.Store()} }

// maxMergeHops bounds following merges from an artist to the one it now is.
const maxMergeHops = 16

// artist loads artist id as it is now; last is the sequence of its
// subject's last event (0 when it has none: the artist does not exist).
func (m *Commands) artist(ctx context.Context, op string, id uuid.UUID) (a music.Artist, last uint64, err error) {
	evs, last, err := m.s.Read(ctx, op, music.ArtistSubject(id))
	if err != nil {
		return a, 0, err
	}
	for _, e := range evs {
		a.Apply(e)
	}
	return a, last, nil
}

// current loads artist id, following merges to the artist it was folded
// into; it refuses an artist that does not exist.
func (m *Commands) current(ctx context.Context, op string, id uuid.UUID) (music.Artist, uint64, error) {
	for range maxMergeHops {
		a, last, err := m.artist(ctx, op, id)
		switch {
		case err != nil:
			return a, 0, err
		case !a.Exists():
			return a, 0, domain.FieldE(op, "artist", domain.KindNotFound, "no such artist")
		case a.MergedInto == uuid.Nil:
			return a, last, nil
		}
		id = a.MergedInto
	}
	return music.Artist{}, 0, domain.E(op, domain.KindInternal, "artist %s: merges go round in a circle", id)
}

// named finds the artist a name or alias leads to (following merges);
// ok is false when nobody has claimed the name. A claim whose artist was
// never created (the writer stopped between the two appends) is
// completed here, so the name is never lost.
func (m *Commands) named(ctx context.Context, op string, a commands.Actor, name string) (music.Artist, bool, error) {
	evs, _, err := m.s.Read(ctx, op, music.NameSubject(name))
	if err != nil || len(evs) == 0 {
		return music.Artist{}, false, err
	}
	claim, ok := evs[0].(music.ArtistNameClaimed)
	if !ok {
		return music.Artist{}, false, domain.E(op, domain.KindInternal, "the claim of %q begins with a %s", name, evs[0].EventType())
	}
	art, _, err := m.artist(ctx, op, claim.Artist)
	if err == nil && !art.Exists() {
		err = m.s.Claim(ctx, op, a, music.ArtistSubject(claim.Artist), music.ArtistCreated{Artist: claim.Artist, Name: claim.Name})
		if commands.IsTaken(err) {
			err = nil // created meanwhile
		}
	}
	if err != nil {
		return music.Artist{}, false, err
	}
	art, _, err = m.current(ctx, op, claim.Artist)
	return art, err == nil, err
}

// artistFor finds the artist named name, or creates it: the name is
// claimed first, then the artist created on its own subject. When another
// writer claims the name first, theirs is the artist.
func (m *Commands) artistFor(ctx context.Context, op string, a commands.Actor, name string) (music.Artist, error) {
	for range 3 {
		art, ok, err := m.named(ctx, op, a, name)
		if err != nil || ok {
			return art, err
		}
		id := uuid.New()
		err = m.s.Claim(ctx, op, a, music.NameSubject(name), music.ArtistNameClaimed{Name: name, Artist: id})
		if commands.IsTaken(err) {
			continue
		}
		if err != nil {
			return art, err
		}
		created := music.ArtistCreated{Artist: id, Name: name}
		if err := m.s.Claim(ctx, op, a, music.ArtistSubject(id), created); err != nil && !commands.IsTaken(err) {
			return art, err
		}
		art.Apply(created)
		return art, nil
	}
	return music.Artist{}, domain.E(op, domain.KindConflict, "the artist %q changed while this change was being made: try again", name)
}

// album loads album id; last is its subject's last sequence.
func (m *Commands) album(ctx context.Context, op string, id uuid.UUID) (al music.Album, last uint64, err error) {
	evs, last, err := m.s.Read(ctx, op, music.AlbumSubject(id))
	if err != nil {
		return al, 0, err
	}
	for _, e := range evs {
		al.Apply(e)
	}
	if !al.Exists() {
		return al, 0, domain.FieldE(op, "album", domain.KindNotFound, "no such album")
	}
	return al, last, nil
}

// staffOnly refuses an actor who is not staff (catalogue edits and merges).
func staffOnly(op string, a commands.Actor) error {
	if !a.Staff {
		return domain.E(op, domain.KindForbidden, "only staff may change the catalogue this way")
	}
	return nil
}

// joinErrs is errors.Join with nil for no error.
func joinErrs(errs ...error) error { return errors.Join(errs...) }
