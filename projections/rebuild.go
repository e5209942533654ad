package projections

import (
	"context"
	"fmt"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// RebuildProgress is how far a rebuild has come.
type RebuildProgress struct {
	Seq    uint64 // last stream sequence applied
	Total  uint64 // the log's last sequence when the rebuild started (grows if the log does)
	Events uint64 // events applied: each announce in a batch counts as one
	// Bytes of event payload applied, out of about TotalBytes in the log: a
	// better measure of the work done and left than sequences, since one
	// announce batch is a thousand events.
	Bytes, TotalBytes uint64
}

// Progress is told how far a rebuild has come.
type Progress func(RebuildProgress)

// countEvents counts recs as events: an announce batch counts its announces.
func countEvents(recs []eventlog.Record) uint64 {
	var n uint64
	for _, r := range recs {
		if r.Meta.Type == domain.TypeAnnounceBatch {
			n += uint64(domain.AnnounceCount(r.Data))
		} else {
			n++
		}
	}
	return n
}

// rebuildBatch is how many log messages a rebuild applies per transaction.
const rebuildBatch = 1024

// Rebuild replays the whole log into new tables beside the live ones (schema
// NAME_next) while the live ones keep serving, then swaps them in one
// transaction: under the checkpoint's row lock it applies whatever the live
// projector committed meanwhile, renames the schemas and sets the
// checkpoint. Readers see the old tables or the new ones, never a mix.
func (r *Projector) Rebuild(ctx context.Context, progress Progress) error {
	name := r.p.Name()
	next := name + "_next"
	// The whole rebuild runs on the lock's connection: rebuilds of every
	// projection at once then need one connection each, never a second
	// while holding the first.
	conn, unlock, err := advisoryLock(ctx, r.pool, "rebuild:"+name)
	if err != nil {
		return err
	}
	defer unlock()

	if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		return createSchema(ctx, tx, r.p, next)
	}); err != nil {
		return err
	}
	total, totalBytes, err := r.log.Size(ctx)
	if err != nil {
		return err
	}
	var done, events, bytes uint64
	report := func() {
		if progress != nil {
			progress(RebuildProgress{Seq: min(done, total), Total: max(total, done), Events: events,
				Bytes: bytes, TotalBytes: max(totalBytes, bytes)})
		}
	}
	report()
	follow := func(opts eventlog.FollowOptions, fn func(eventlog.Batch) error) error {
		if total == 0 {
			return nil // an empty log: Until 0 would mean "follow forever"
		}
		return r.log.Follow(ctx, opts, fn)
	}
	err = follow(eventlog.FollowOptions{From: 1, Until: total, MaxBatch: rebuildBatch}, func(b eventlog.Batch) error {
		if len(b.Records) == 0 {
			return nil
		}
		if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			return r.applyTo(ctx, tx, next, b.Records)
		}); err != nil {
			return err
		}
		done = b.Last()
		events += countEvents(b.Records)
		for _, rec := range b.Records {
			bytes += uint64(len(rec.Data))
		}
		report()
		return nil
	})
	if err != nil {
		return fmt.Errorf("rebuild %s: %w", name, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := r.swap(ctx, conn, next, &done); err != nil {
		return fmt.Errorf("rebuild %s: swap: %w", name, err)
	}
	total, totalBytes = max(total, done), bytes
	report()
	return nil
}

// swap brings the new tables level with the live checkpoint and puts them in
// place, all in one transaction.
func (r *Projector) swap(ctx context.Context, conn *pgxpool.Conn, next string, done *uint64) error {
	name := r.p.Name()
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO projections (name, version, seq) VALUES ($1, $2, 0) ON CONFLICT (name) DO NOTHING`,
			name, r.p.Version()); err != nil {
			return err
		}
		live, err := lockCheckpoint(ctx, tx, name)
		if err != nil {
			return err
		}
		if live > *done {
			err = r.log.Follow(ctx, eventlog.FollowOptions{From: *done + 1, Until: live, MaxBatch: rebuildBatch},
				func(b eventlog.Batch) error {
					recs := keepUpTo(b.Records, live)
					if len(recs) == 0 {
						return nil
					}
					*done = recs[len(recs)-1].Seq
					return r.applyTo(ctx, tx, next, recs)
				})
			if err != nil {
				return err
			}
			*done = max(*done, live)
		}
		old := pgx.Identifier{name + "_old"}.Sanitize()
		if _, err := tx.Exec(ctx, "DROP SCHEMA IF EXISTS "+old+" CASCADE"); err != nil {
			return err
		}
		var liveExists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, name).Scan(&liveExists); err != nil {
			return err
		}
		if liveExists {
			if _, err := tx.Exec(ctx, "ALTER SCHEMA "+pgx.Identifier{name}.Sanitize()+" RENAME TO "+old); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, "ALTER SCHEMA "+pgx.Identifier{next}.Sanitize()+" RENAME TO "+pgx.Identifier{name}.Sanitize()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DROP SCHEMA IF EXISTS "+old+" CASCADE"); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE projections SET version = $2, seq = $3, rebuilt_at = now(), updated_at = now() WHERE name = $1`,
			name, r.p.Version(), int64(*done))
		return err
	})
}

// keepUpTo drops the records above seq.
func keepUpTo(recs []eventlog.Record, seq uint64) []eventlog.Record {
	for len(recs) > 0 && recs[len(recs)-1].Seq > seq {
		recs = recs[:len(recs)-1]
	}
	return recs
}
