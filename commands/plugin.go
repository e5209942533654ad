package commands

import (
	"context"
	"errors"

	"github.com/djembe/djembe/domain"
)

// ErrTaken is what Store.Claim returns when the claim subject holds an
// event already (a name, an info hash taken by someone else first).
var ErrTaken = errTaken

// Store is the write side's log as a plugin's commands (commands/music,
// ...) decide and append with: the same reads and appends, with the same
// expectations and errors, as the core commands. Only plugin command
// packages use it; every door calls the plugin's commands, never the Store.
type Store struct{ c *Commands }

// Store returns the write side's log for a plugin's commands.
func (c *Commands) Store() Store { return Store{c} }

// Core is the write side's own commands (a plugin's upload registers its
// torrent with AddTorrent).
func (s Store) Core() *Commands { return s.c }

// Read decodes every event on subject, skipping what consumers skip;
// last is the sequence the next change there expects (0: none).
func (s Store) Read(ctx context.Context, op, subject string) ([]domain.Event, uint64, error) {
	return s.c.read(ctx, op, subject)
}

// Claim appends ev as the first event of subject, or returns ErrTaken.
func (s Store) Claim(ctx context.Context, op string, a Actor, subject string, ev domain.Event) error {
	return s.c.claim(ctx, op, a, subject, ev)
}

// Change appends ev to subject, whose last event was at sequence last when
// the change was decided; a subject that changed meanwhile is a
// KindConflict and nothing is appended. It returns the new sequence.
func (s Store) Change(ctx context.Context, op string, a Actor, subject string, last uint64, ev domain.Event) (uint64, error) {
	return s.c.changeSeq(ctx, op, a, subject, last, ev)
}

// UserByName is the active user named name, as the write side holds them.
func (s Store) UserByName(ctx context.Context, op, name string) (domain.User, error) {
	u, _, err := s.c.user(ctx, op, name)
	return u, err
}

// IsTaken reports whether err is a refused claim.
func IsTaken(err error) bool { return errors.Is(err, errTaken) }
