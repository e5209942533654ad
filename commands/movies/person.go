package movies

import (
	"context"
	"strings"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	"github.com/google/uuid"
)

// EditPerson replaces a person's birth year and biography. Staff only.
func (m *Commands) EditPerson(ctx context.Context, a commands.Actor, id uuid.UUID, info movies.PersonInfo) error {
	const op = "edit person"
	if err := staffOnly(op, a); err != nil {
		return err
	}
	if err := info.Check(op); err != nil {
		return err
	}
	p, last, err := m.current(ctx, op, id)
	if err != nil {
		return err
	}
	_, err = m.s.Change(ctx, op, a, movies.PersonSubject(p.ID), last, movies.PersonEdited{Person: p.ID, PersonInfo: info})
	return err
}

// AddAlias gives a person another name, claimed like their own: an alias
// another person has (or is named) is refused, naming that person. Staff
// only.
func (m *Commands) AddAlias(ctx context.Context, a commands.Actor, id uuid.UUID, alias string) error {
	const op = "add alias"
	if err := staffOnly(op, a); err != nil {
		return err
	}
	alias = strings.TrimSpace(alias)
	if err := movies.CheckPersonName(op, "alias", alias); err != nil {
		return err
	}
	p, last, err := m.current(ctx, op, id)
	if err != nil {
		return err
	}
	if other, ok, err := m.named(ctx, op, a, alias); err != nil {
		return err
	} else if ok {
		return domain.FieldE(op, "alias", domain.KindConflict, "%q already leads to %s", alias, other.Name)
	}
	if err := m.s.Claim(ctx, op, a, movies.NameSubject(alias), movies.PersonNameClaimed{Name: alias, Person: p.ID}); commands.IsTaken(err) {
		return domain.FieldE(op, "alias", domain.KindConflict, "%q was just taken by another person", alias)
	} else if err != nil {
		return err
	}
	_, err = m.s.Change(ctx, op, a, movies.PersonSubject(p.ID), last, movies.PersonAliasAdded{Person: p.ID, Alias: alias})
	return err
}

// MergePeople folds person from into person into: from's name and aliases
// lead to into from then on, their credits are into's, and their page
// redirects there. Staff only.
func (m *Commands) MergePeople(ctx context.Context, a commands.Actor, from, into uuid.UUID) error {
	const op = "merge people"
	if err := staffOnly(op, a); err != nil {
		return err
	}
	src, last, err := m.person(ctx, op, from)
	if err != nil {
		return err
	}
	dst, _, err := m.person(ctx, op, into)
	if err != nil {
		return err
	}
	if err := movies.CheckMerge(op, src, dst); err != nil {
		return err
	}
	_, err = m.s.Change(ctx, op, a, movies.PersonSubject(from), last, movies.PersonMerged{Person: from, Into: into})
	return err
}

// PersonByName is the person a name or alias leads to, merges followed.
func (m *Commands) PersonByName(ctx context.Context, name string) (movies.Person, error) {
	const op = "find person"
	p, ok, err := m.named(ctx, op, commands.Operator, strings.TrimSpace(name))
	if err == nil && !ok {
		err = domain.FieldE(op, "person", domain.KindNotFound, "nobody is named %q", name)
	}
	return p, err
}
