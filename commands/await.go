package commands

import (
	"context"
	"errors"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/jackc/pgx/v5"
)

// AccountsReadModel is the read model (projections.Accounts) that the
// site looks API tokens and RSS keys up in.
const AccountsReadModel = "accounts"

// Await returns once the read model named projection has applied the event
// at stream sequence seq, or fails.
type Await func(ctx context.Context, projection string, seq uint64) error

// WithAwait sets how commands whose effect must be at once in the read
// models (revoking a token, rotating an RSS key) wait for them. By
// default they watch the projection's checkpoint in the database of
// Keys.Vault, which a running projector advances; a process that runs no
// projector and has nobody running one (the CLI on a data directory no
// serve holds) catches the projection up itself instead.
func WithAwait(a Await) Option { return func(c *Commands) { c.await = a } }

// AwaitTimeout bounds how long the default Await waits.
const AwaitTimeout = 10 * time.Second

// awaitEffect waits until projection has applied the change at seq, which
// is in the log already: when the wait fails the error (KindUnavailable)
// says the change is made but not in effect yet.
func (c *Commands) awaitEffect(ctx context.Context, op, projection string, seq uint64) error {
	if err := c.awaitApplied(ctx, projection, seq); err != nil {
		return domain.E(op, domain.KindUnavailable, "done in the log, but the %s read model has not applied it yet (%v): it takes effect when it does (see djembe status)", projection, err)
	}
	return nil
}

// awaitApplied waits until projection, and the read models its lookups
// join (lookupJoins), have applied seq.
func (c *Commands) awaitApplied(ctx context.Context, projection string, seq uint64) error {
	for _, p := range append([]string{projection}, lookupJoins[projection]...) {
		var err error
		if c.await != nil {
			err = c.await(ctx, p, seq)
		} else {
			err = pollCheckpoint(ctx, c.keys.Vault, p, seq)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// lookupJoins names, for a read model, the others its lookups join: the
// site finds a token's or RSS key's user in the users read model, which a
// projector of its own may not have brought up to a new user yet.
var lookupJoins = map[string][]string{AccountsReadModel: {"users"}}

// pollCheckpoint waits, up to AwaitTimeout, until the projector's
// checkpoint (the projections table, which it writes in the transaction
// that applies a batch) has reached seq.
func pollCheckpoint(ctx context.Context, q interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}, projection string, seq uint64) error {
	if q == nil {
		return errors.New("no database to watch")
	}
	ctx, cancel := context.WithTimeout(ctx, AwaitTimeout)
	defer cancel()
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		var at int64
		err := q.QueryRow(ctx, `SELECT seq FROM projections WHERE name = $1`, projection).Scan(&at)
		if err == nil && uint64(at) >= seq {
			return nil
		}
		if err != nil && !errors.Is(err, pgx.ErrNoRows) && ctx.Err() == nil {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.New("no projector applied it within " + AwaitTimeout.String())
		case <-time.After(wait):
		}
	}
}
