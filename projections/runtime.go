package projections

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/djembe/djembe/internal/eventlog"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Projector runs one projection against the log and PostgreSQL.
type Projector struct {
	p        Projection
	consumer consumer
	pool     *pgxpool.Pool
	log      *eventlog.Log
	maxBatch int

	applied atomic.Uint64 // checkpoint after the last commit
	ready   chan struct{}
	once    sync.Once
	lastErr atomic.Pointer[string]
}

// Option changes how a Projector works.
type Option func(*Projector)

// WithMaxBatch bounds the log messages applied in one transaction of the
// live projector (default 500). Tests use small batches to cut the log in
// many places.
func WithMaxBatch(n int) Option { return func(r *Projector) { r.maxBatch = max(n, 1) } }

// NewProjector returns a projector for p.
func NewProjector(p Projection, pool *pgxpool.Pool, log *eventlog.Log, opts ...Option) *Projector {
	r := &Projector{p: p, consumer: newConsumer(p), pool: pool, log: log, maxBatch: 500, ready: make(chan struct{})}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Projection is the projection this projector runs.
func (r *Projector) Projection() Projection { return r.p }

// Ready is closed once the projector has caught up with the log for the first time.
func (r *Projector) Ready() <-chan struct{} { return r.ready }

// Applied is the checkpoint of the last committed batch.
func (r *Projector) Applied() uint64 { return r.applied.Load() }

// LastError is the error that last stopped Run, if any.
func (r *Projector) LastError() string {
	if s := r.lastErr.Load(); s != nil {
		return *s
	}
	return ""
}

// Run prepares the projection's tables (see Prepare) and then follows the
// log until ctx ends.
func (r *Projector) Run(ctx context.Context) error {
	err := r.run(ctx)
	if err != nil && ctx.Err() == nil {
		s := err.Error()
		r.lastErr.Store(&s)
	}
	return err
}

func (r *Projector) run(ctx context.Context) error {
	seq, err := r.Prepare(ctx)
	if err != nil {
		return err
	}
	return r.log.Follow(ctx, eventlog.FollowOptions{From: seq + 1, MaxBatch: r.maxBatch}, func(b eventlog.Batch) error {
		if len(b.Records) > 0 {
			if err := r.ApplyBatch(ctx, b.Records); err != nil {
				return err
			}
		}
		if b.CaughtUp {
			r.once.Do(func() { close(r.ready) })
		}
		return nil
	})
}

// CatchUp runs the projector until it has applied everything in the log (as
// of when it caught up), then stops it. It is for processes that read a read
// model without running the projectors continuously.
func (r *Projector) CatchUp(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	select {
	case <-r.Ready():
		cancel()
		<-done
		return nil
	case err := <-done:
		if err == nil {
			err = ctx.Err()
		}
		return fmt.Errorf("projection %s: %w", r.p.Name(), err)
	}
}

// RunSupervised runs the projector until ctx ends, restarting it after a
// failure (a PostgreSQL restart, say) with a growing pause.
func (r *Projector) RunSupervised(ctx context.Context, logger *slog.Logger) {
	pause := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := r.Run(ctx)
		if ctx.Err() != nil {
			return
		}
		logger.Error("projector stopped; restarting", "projection", r.p.Name(), "err", err, "pause", pause)
		select {
		case <-ctx.Done():
		case <-time.After(pause):
		}
		pause = min(pause*2, 10*time.Second)
	}
}

// Prepare makes sure the live tables exist at the projection's version
// (creating them, or rebuilding them when their version differs) and
// returns the checkpoint to continue from.
func (r *Projector) Prepare(ctx context.Context) (uint64, error) {
	seq, err := r.prepare(ctx)
	if err == nil {
		r.applied.Store(seq)
	}
	return seq, err
}

func (r *Projector) prepare(ctx context.Context) (uint64, error) {
	if err := r.consumer.check(); err != nil {
		return 0, err
	}
	// Everything under the lock runs on the lock's own connection: many
	// projectors preparing at once, each holding a connection for its lock
	// and waiting for a second, would otherwise empty the pool and wait
	// for each other forever.
	conn, unlock, err := advisoryLock(ctx, r.pool, "prepare:"+r.p.Name())
	if err != nil {
		return 0, err
	}
	version, seq, found, err := readCheckpoint(ctx, conn, r.p.Name())
	if err != nil {
		unlock()
		return 0, err
	}
	if found && version == r.p.Version() {
		unlock()
		return seq, nil
	}
	if !found {
		err = r.createLive(ctx, conn)
		unlock()
		return 0, err
	}
	unlock()
	slog.Info("projection version changed; rebuilding", "projection", r.p.Name(), "from", version, "to", r.p.Version())
	if err := r.Rebuild(ctx, nil); err != nil {
		return 0, err
	}
	_, seq, _, err = readCheckpoint(ctx, r.pool, r.p.Name())
	return seq, err
}

func (r *Projector) createLive(ctx context.Context, conn *pgxpool.Conn) error {
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if err := createSchema(ctx, tx, r.p, r.p.Name()); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO projections (name, version, seq) VALUES ($1, $2, 0)`, r.p.Name(), r.p.Version())
		return err
	})
}

// ApplyBatch applies recs, consecutive records in stream order as the log
// delivered them, to the live tables: the records above the checkpoint and
// the new checkpoint, in one transaction. Records at or below the
// checkpoint are skipped, so a batch delivered again changes nothing. The
// checkpoint row is locked first, so a concurrent blue/green swap and the
// batch are serialised. The live tables must exist (Prepare).
func (r *Projector) ApplyBatch(ctx context.Context, recs []eventlog.Record) error {
	if len(recs) == 0 {
		return nil
	}
	name := r.p.Name()
	last := recs[len(recs)-1].Seq
	err := pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		cp, err := lockCheckpoint(ctx, tx, name)
		if err != nil {
			return err
		}
		fresh := skipApplied(recs, cp)
		if len(fresh) == 0 {
			last = cp
			return nil
		}
		if err := r.applyTo(ctx, tx, name, fresh); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE projections SET seq = $2, updated_at = now() WHERE name = $1`, name, int64(last)); err != nil {
			return fmt.Errorf("write checkpoint of %s: %w", name, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if last > r.applied.Load() {
		r.applied.Store(last)
	}
	return nil
}

// applyTo applies the records the projection consumes, decoded, to the
// tables in schema inside tx. Records to skip (see consumer.decode) and
// events the projection cannot apply (see applyIsolating) are recorded in
// the quarantine, in tx, and the rest is applied.
func (r *Projector) applyTo(ctx context.Context, tx pgx.Tx, schema string, recs []eventlog.Record) error {
	evs, skip := r.consumer.decode(recs)
	for _, q := range skip {
		if err := r.quarantine(ctx, tx, q); err != nil {
			return err
		}
	}
	if len(evs) == 0 {
		return nil
	}
	if err := setSearchPath(ctx, tx, schema); err != nil {
		return err
	}
	return r.applyIsolating(ctx, tx, evs)
}

// createSchema creates schema afresh with p's tables in it.
func createSchema(ctx context.Context, tx pgx.Tx, p Projection, schema string) error {
	id := pgx.Identifier{schema}.Sanitize()
	if _, err := tx.Exec(ctx, "DROP SCHEMA IF EXISTS "+id+" CASCADE; CREATE SCHEMA "+id); err != nil {
		return fmt.Errorf("create schema %s: %w", schema, err)
	}
	if err := setSearchPath(ctx, tx, schema); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, p.Schema()); err != nil {
		return fmt.Errorf("create tables of %s in %s: %w", p.Name(), schema, err)
	}
	return nil
}

func setSearchPath(ctx context.Context, tx pgx.Tx, schema string) error {
	_, err := tx.Exec(ctx, "SET LOCAL search_path TO "+pgx.Identifier{schema}.Sanitize()+", public")
	return err
}

func readCheckpoint(ctx context.Context, q RowQuerier, name string) (version int, seq uint64, found bool, err error) {
	var s int64
	err = q.QueryRow(ctx, `SELECT version, seq FROM projections WHERE name = $1`, name).Scan(&version, &s)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, false, nil
	}
	if err != nil {
		return 0, 0, false, fmt.Errorf("read checkpoint of %s: %w", name, err)
	}
	return version, uint64(s), true, nil
}

// lockCheckpoint reads the projection's checkpoint and locks its row until
// the transaction ends.
func lockCheckpoint(ctx context.Context, tx pgx.Tx, name string) (uint64, error) {
	var seq int64
	if err := tx.QueryRow(ctx, `SELECT seq FROM projections WHERE name = $1 FOR UPDATE`, name).Scan(&seq); err != nil {
		return 0, fmt.Errorf("lock checkpoint of %s: %w", name, err)
	}
	return uint64(seq), nil
}

// skipApplied drops the records at or below the checkpoint.
func skipApplied(recs []eventlog.Record, checkpoint uint64) []eventlog.Record {
	for i, rec := range recs {
		if rec.Seq > checkpoint {
			return recs[i:]
		}
	}
	return nil
}

// advisoryLock takes a session-level PostgreSQL advisory lock named key on a
// dedicated connection and returns that connection and the lock's release
// (which gives the connection back).
func advisoryLock(ctx context.Context, pool *pgxpool.Pool, key string) (*pgxpool.Conn, func(), error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, nil, err
	}
	h := fnv.New64a()
	h.Write([]byte("djembe:" + key))
	id := int64(h.Sum64())
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, id); err != nil {
		conn.Release()
		return nil, nil, fmt.Errorf("lock %s: %w", key, err)
	}
	return conn, func() {
		_, _ = conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, id)
		conn.Release()
	}, nil
}
