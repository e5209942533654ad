// Package movies is the Movies plugin's write side: uploading a movie
// format (with its people, movie and edition when they are new), editing
// the catalogue and merging people and movies. Every change is an event of
// domain/movies, appended through the core write side's commands.Store
// with the same expectations as the core commands.
package movies

import (
	"context"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	"github.com/google/uuid"
)

// Category is the category of a movie torrent: the plugin owns it.
const Category = "Movies"

// Commands is the Movies plugin's write side.
type Commands struct{ s commands.Store }

// New returns the plugin's commands on the core write side.
func New(c *commands.Commands) *Commands { return &Commands{s: c.Store()} }

// maxMergeHops bounds following merges from a person (a movie) to the one
// they are now.
const maxMergeHops = 16

// person loads person id as they are now; last is the sequence of their
// subject's last event (0 when it has none: the person does not exist).
func (m *Commands) person(ctx context.Context, op string, id uuid.UUID) (p movies.Person, last uint64, err error) {
	evs, last, err := m.s.Read(ctx, op, movies.PersonSubject(id))
	if err != nil {
		return p, 0, err
	}
	for _, e := range evs {
		p.Apply(e)
	}
	return p, last, nil
}

// current loads person id, following merges to the person they were
// folded into; it refuses a person who does not exist.
func (m *Commands) current(ctx context.Context, op string, id uuid.UUID) (movies.Person, uint64, error) {
	for range maxMergeHops {
		p, last, err := m.person(ctx, op, id)
		switch {
		case err != nil:
			return p, 0, err
		case !p.Exists():
			return p, 0, domain.FieldE(op, "person", domain.KindNotFound, "no such person")
		case p.MergedInto == uuid.Nil:
			return p, last, nil
		}
		id = p.MergedInto
	}
	return movies.Person{}, 0, domain.E(op, domain.KindInternal, "person %s: merges go round in a circle", id)
}

// named finds the person a name or alias leads to (following merges);
// ok is false when nobody has claimed the name. A claim whose person was
// never created (the writer stopped between the two appends) is
// completed here, so the name is never lost.
func (m *Commands) named(ctx context.Context, op string, a commands.Actor, name string) (movies.Person, bool, error) {
	evs, _, err := m.s.Read(ctx, op, movies.NameSubject(name))
	if err != nil || len(evs) == 0 {
		return movies.Person{}, false, err
	}
	claim, ok := evs[0].(movies.PersonNameClaimed)
	if !ok {
		return movies.Person{}, false, domain.E(op, domain.KindInternal, "the claim of %q begins with a %s", name, evs[0].EventType())
	}
	p, _, err := m.person(ctx, op, claim.Person)
	if err == nil && !p.Exists() {
		err = m.s.Claim(ctx, op, a, movies.PersonSubject(claim.Person), movies.PersonCreated{Person: claim.Person, Name: claim.Name})
		if commands.IsTaken(err) {
			err = nil // created meanwhile
		}
	}
	if err != nil {
		return movies.Person{}, false, err
	}
	p, _, err = m.current(ctx, op, claim.Person)
	return p, err == nil, err
}

// personFor finds the person named name, or creates them: the name is
// claimed first, then the person created on their own subject. When
// another writer claims the name first, theirs is the person.
func (m *Commands) personFor(ctx context.Context, op string, a commands.Actor, name string) (movies.Person, error) {
	for range 3 {
		p, ok, err := m.named(ctx, op, a, name)
		if err != nil || ok {
			return p, err
		}
		id := uuid.New()
		err = m.s.Claim(ctx, op, a, movies.NameSubject(name), movies.PersonNameClaimed{Name: name, Person: id})
		if commands.IsTaken(err) {
			continue
		}
		if err != nil {
			return p, err
		}
		created := movies.PersonCreated{Person: id, Name: name}
		if err := m.s.Claim(ctx, op, a, movies.PersonSubject(id), created); err != nil && !commands.IsTaken(err) {
			return p, err
		}
		p.Apply(created)
		return p, nil
	}
	return movies.Person{}, domain.E(op, domain.KindConflict, "the person %q changed while this change was being made: try again", name)
}

// loadMovie loads movie id as its own subject has it (merges not
// followed); last is the subject's last sequence (0 when it has none).
func (m *Commands) loadMovie(ctx context.Context, op string, id uuid.UUID) (mv movies.Movie, last uint64, err error) {
	evs, last, err := m.s.Read(ctx, op, movies.MovieSubject(id))
	if err != nil {
		return mv, 0, err
	}
	for _, e := range evs {
		mv.Apply(e)
	}
	return mv, last, nil
}

// movie loads movie id, following merges to the movie it was merged
// into; last is that movie's subject's last sequence. It refuses a movie
// that does not exist.
func (m *Commands) movie(ctx context.Context, op string, id uuid.UUID) (movies.Movie, uint64, error) {
	for range maxMergeHops {
		mv, last, err := m.loadMovie(ctx, op, id)
		switch {
		case err != nil:
			return mv, 0, err
		case !mv.Exists():
			return mv, 0, domain.FieldE(op, "movie", domain.KindNotFound, "no such movie")
		case mv.MergedInto == uuid.Nil:
			return mv, last, nil
		}
		id = mv.MergedInto
	}
	return movies.Movie{}, 0, domain.E(op, domain.KindInternal, "movie %s: merges go round in a circle", id)
}

// Movie is a movie as the write side holds it (its editions and formats
// included; a merged movie as the movie it was merged into), for a door
// that needs its state to decide what to ask.
func (m *Commands) Movie(ctx context.Context, id uuid.UUID) (movies.Movie, error) {
	mv, _, err := m.movie(ctx, "read movie", id)
	return mv, err
}

// staffOnly refuses an actor who is not staff (catalogue edits and merges).
func staffOnly(op string, a commands.Actor) error {
	if !a.Staff {
		return domain.E(op, domain.KindForbidden, "only staff may change the catalogue this way")
	}
	return nil
}
