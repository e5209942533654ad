package projections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/djembe/djembe/internal/eventlog"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// isDataError reports whether err is PostgreSQL refusing the data itself
// (SQLSTATE class 22, data exception, or 23, integrity constraint
// violation): applying the same events to the same tables fails the same
// way every time, so retrying cannot help. Any other error (a lost
// connection, an ended context, a server shutting down) is transient and
// the batch is retried whole.
func isDataError(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (strings.HasPrefix(pg.Code, "22") || strings.HasPrefix(pg.Code, "23"))
}

// applyIsolating applies evs inside a savepoint of tx. If the projection
// refuses them with a data error, it rolls back to the savepoint and
// applies them one at a time, each in a savepoint of its own, and
// quarantines (for this projection, in tx) each event refused with a data
// error: the rest of the batch is applied and the projector carries on.
// Since a projection's tables do not depend on how the log is cut into
// batches, a replay refuses the same events and builds the same tables.
func (r *Projector) applyIsolating(ctx context.Context, tx pgx.Tx, evs []Event) error {
	err := r.applyInSavepoint(ctx, tx, evs)
	if err == nil || !isDataError(err) {
		return r.applyError(evs[0], err)
	}
	if len(evs) > 1 {
		for i := range evs {
			if err = r.applyInSavepoint(ctx, tx, evs[i:i+1]); err != nil && !isDataError(err) {
				return r.applyError(evs[i], err)
			}
			if err != nil {
				if err := r.quarantineApply(ctx, tx, evs[i], err); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return r.quarantineApply(ctx, tx, evs[0], err)
}

func (r *Projector) applyInSavepoint(ctx context.Context, tx pgx.Tx, evs []Event) error {
	return pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error { return r.p.Apply(ctx, sp, evs) })
}

func (r *Projector) applyError(first Event, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("projection %s at event %d: %w", r.p.Name(), first.Seq, err)
}

// quarantineApply records that this projection skips ev, which it could
// not apply (err, a data error).
func (r *Projector) quarantineApply(ctx context.Context, tx pgx.Tx, ev Event, err error) error {
	return r.quarantine(ctx, tx, &eventlog.Quarantined{Seq: ev.Seq, Subject: ev.Subject, Type: ev.Meta.Type,
		Version: ev.Meta.Version, Err: fmt.Errorf("projection %s cannot apply it: %w", r.p.Name(), err)})
}

// quarantine records q for this projection in tx and logs it. The log line
// names the record, not the error, which may quote a value (see `djembe
// quarantine list`).
func (r *Projector) quarantine(ctx context.Context, tx pgx.Tx, q *eventlog.Quarantined) error {
	if err := RecordQuarantine(ctx, tx, r.p.Name(), q); err != nil {
		return err
	}
	slog.Warn("event quarantined: skipped", "projection", r.p.Name(), "seq", q.Seq, "subject", q.Subject,
		"type", q.Type, "version", q.Version)
	return nil
}
