// Package projections builds PostgreSQL read models from the event log.
//
// Each Projection has a name (which is also the name of its PostgreSQL
// schema), a version and its own tables (migrations/projections/NAME.sql).
// A Projector catches it up from its checkpoint, then follows the log. It
// writes each batch's read-model changes and the checkpoint (the last stream
// sequence applied) in one transaction, and skips what is at or below the
// checkpoint, so a crash anywhere leaves the tables as if it never happened.
// Rebuild replays the whole log into new tables beside the live ones and
// swaps them in one transaction (blue/green).
package projections

import (
	"context"

	"github.com/djembe/djembe/internal/eventlog"
	"github.com/jackc/pgx/v5"
)

// Projection turns events into rows of its own tables.
type Projection interface {
	// Name is the projection's name and the schema its tables live in.
	Name() string
	// Version changes whenever the tables or their meaning change; a
	// projector that finds tables of another version rebuilds them.
	Version() int
	// Apply applies records, in stream order, inside tx. search_path is set
	// to the target schema (then public), so statements use unqualified
	// table names. Records of types the projection ignores are passed too;
	// it must skip them cheaply (by Meta.Type) and must not keep recs.
	Apply(ctx context.Context, tx pgx.Tx, recs []eventlog.Record) error
}
