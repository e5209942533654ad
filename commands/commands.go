// Package commands is Djembe's write side: every state change is one
// method of Commands, whatever door it comes through (the CLI, the web, the
// JSON API, a plugin). A command takes the acting user, validates its input,
// decides its events with the rules in domain, and appends them to the log
// with the right expectation: create-once facts (a username, an info hash)
// on their claim subject with an expected last sequence of 0, every other
// change on its aggregate's subject with the sequence it was decided on
// (optimistic concurrency).
//
// Errors are domain.Errors with an operation and a kind; a refused command
// (KindInvalid, KindNotFound, KindConflict, KindForbidden) has appended
// nothing. The read side is elsewhere (projections): commands read only the
// log.
package commands

import (
	"context"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/vault"
	"github.com/google/uuid"
)

// Log is the event log as the write side uses it: *eventlog.Log.
type Log interface {
	Append(ctx context.Context, subject string, e domain.Event, opts ...eventlog.AppendOption) (uint64, error)
	Read(ctx context.Context, subject string) ([]eventlog.Record, error)
}

// Commands changes state by appending events to a log.
type Commands struct {
	log    Log
	keys   Keys
	limits Limits // never zero: DefaultLimits unless an Option says otherwise
	await  Await  // nil: watch the checkpoint (see WithAwait)
}

// Keys are what the write side keeps secrets out of the log with.
type Keys struct {
	// Secret derives passkeys (the tracker checks them with the same one)
	// and the keyed hashes that name claim subjects.
	Secret domain.ServerSecret
	// Vault holds each user's key, which seals their personal data in the
	// log (PostgreSQL: vault.user_keys).
	Vault vault.Querier
}

// New returns the write side on log with keys, with DefaultLimits unless
// an option sets others.
func New(log Log, keys Keys, opts ...Option) *Commands {
	c := &Commands{log: log, keys: keys, limits: DefaultLimits}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Actor is who asks for a change: a signed-in user, or the operator at the
// shell. Staff (site staff, and the operator) may change any user and
// torrent; a user may change only what is theirs.
type Actor struct {
	User  domain.UserID // uuid.Nil for the operator
	Staff bool
	// Class is the user's class, which SetClass decides on (an actor made
	// by UserActor has class User, and may change no class).
	Class domain.Class
}

// Operator is the person at the shell, running the CLI: staff, not a user.
var Operator = Actor{Staff: true}

// UserActor is a signed-in user; staff is their site role.
func UserActor(id domain.UserID, staff bool) Actor { return Actor{User: id, Staff: staff} }

// ClassActor is a signed-in user of class c: staff when c is.
func ClassActor(id domain.UserID, c domain.Class) Actor {
	return Actor{User: id, Staff: c.Staff(), Class: c}
}

// name is how the actor is recorded in each event's envelope.
func (a Actor) name() string {
	if a.User == uuid.Nil {
		return domain.ActorOperator
	}
	return a.User.String()
}

// mayChange reports whether the actor may change what belongs to user.
func (a Actor) mayChange(user domain.UserID) bool {
	return a.Staff || (a.User != uuid.Nil && a.User == user)
}

// staffOnly refuses an actor who is not staff.
func (a Actor) staffOnly(op string) error {
	if !a.Staff {
		return domain.E(op, domain.KindForbidden, "only staff may do this")
	}
	return nil
}
