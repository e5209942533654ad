// Package projections builds PostgreSQL read models from the event log.
//
// Each Projection has a name (which is also the name of its PostgreSQL
// schema), a version, its own tables (its Schema, embedded beside it) and
// the event types it consumes. A Projector catches it up from its
// checkpoint, then follows the log, handing it only the events it consumes,
// already decoded. It writes each batch's read-model changes and the
// checkpoint (the last stream sequence applied) in one transaction, and
// skips what is at or below the checkpoint, so a crash anywhere leaves the
// tables as if it never happened. Rebuild replays the whole log into new
// tables beside the live ones and swaps them in one transaction
// (blue/green).
//
// The package holds the runtime and the core read models (users, ratio,
// swarm, cheats). Plugins bring their projections from packages of their own; the
// list of projections a site runs is assembled by the wiring, not here.
package projections

import (
	"context"

	"github.com/djembe/djembe/domain"
	"github.com/jackc/pgx/v5"
)

// Projection turns events into rows of its own tables.
type Projection interface {
	// Name is the projection's name and the schema its tables live in.
	Name() string
	// Version changes whenever the tables or their meaning change; a
	// projector that finds tables of another version rebuilds them.
	Version() int
	// Schema is the SQL that creates the projection's tables. It uses
	// unqualified names: the runtime sets search_path to the target schema
	// (the live one, or the one a rebuild fills beside it).
	Schema() string
	// Consumes lists the event types Apply is given; every other event is
	// skipped without being decoded.
	Consumes() []string
	// Apply applies events, in stream order, inside tx, with search_path
	// set to the target schema (then public). It must give the same tables
	// however the log is cut into calls, and must not keep events.
	Apply(ctx context.Context, tx pgx.Tx, events []Event) error
}

// Event is one decoded event of a type a projection consumes.
type Event struct {
	Seq     uint64 // its stream sequence
	Subject string
	Meta    domain.Meta
	Event   domain.Event // the newest shape of the event
}
