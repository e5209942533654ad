package projectiontest

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// crashMode is where in a run the projector's process "dies".
type crashMode int

const (
	// beforeCommit: the run's second COMMIT is never sent.
	beforeCommit crashMode = iota
	// afterCommit: the run's first COMMIT is acknowledged, then the process dies.
	afterCommit
	// midBatch: the process dies after the second statement that follows
	// the run's first COMMIT, inside the next transaction.
	midBatch
)

// crasher is a pgx tracer that ends the projector's context at the
// chosen point of each run, as a killed process would: the transaction in
// flight is never committed, and the projector starts again from its
// checkpoint. It counts statements, not the runtime's calls, so it finds a
// commit split in two (changes, then checkpoint) whatever the code looks like.
type crasher struct {
	mode crashMode

	mu         sync.Mutex
	cancel     context.CancelFunc // of the current run; nil once it crashed
	commits    int                // COMMITs acknowledged in this run
	statements int                // statements ended since the run's first COMMIT
}

func isCommit(sql string) bool { return strings.EqualFold(strings.TrimSpace(sql), "commit") }

// start arms the crasher for a new run.
func (c *crasher) start(cancel context.CancelFunc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cancel, c.commits, c.statements = cancel, 0, 0
}

// crash ends the run; c.mu is held.
func (c *crasher) crash() {
	if c.cancel != nil {
		c.cancel()
		c.cancel = nil
	}
}

func (c *crasher) crashed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cancel == nil
}

func (c *crasher) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mode == beforeCommit && c.commits == 1 && isCommit(d.SQL) {
		c.crash()
	}
	return ctx
}

func (c *crasher) TraceQueryEnd(_ context.Context, _ *pgx.Conn, d pgx.TraceQueryEndData) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d.Err != nil {
		return
	}
	if d.CommandTag.String() == "COMMIT" {
		if c.commits++; c.mode == afterCommit && c.commits == 1 {
			c.crash()
		}
		return
	}
	if c.commits >= 1 {
		if c.statements++; c.mode == midBatch && c.statements == 2 {
			c.crash()
		}
	}
}

// crashSweep projects the history on one database, crashing every run at
// mode's point, so that every batch boundary (every transaction, for
// midBatch) sees a crash, and requires the tables of an undisturbed run.
func crashSweep(t *testing.T, p projections.Projection, log *eventlog.Log, mode crashMode, want string) {
	ctx := context.Background()
	c := &crasher{mode: mode}
	pool := tracedPool(t, c)
	total, err := log.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	crashes := 0
	for runs := 0; ; runs++ {
		if runs > 2*int(total)+10 {
			t.Fatalf("no end after %d runs (%d crashes): the projector makes no progress between crashes", runs, crashes)
		}
		runCtx, cancel := context.WithCancel(ctx)
		c.start(cancel)
		err := projections.NewProjector(p, pool, log, projections.WithMaxBatch(3)).CatchUp(runCtx)
		cancel()
		if err == nil && !c.crashed() {
			break
		}
		if !c.crashed() {
			t.Fatalf("run %d failed without a crash: %v", runs, err)
		}
		crashes++
	}
	if crashes < int(total)/6 {
		t.Fatalf("only %d crashes over %d messages in batches of 3", crashes, total)
	}
	if got := testenv.DumpSchema(t, pool, p.Name()); got != want {
		t.Fatalf("after %d crashes the tables differ from an undisturbed run:\n got %s\nwant %s", crashes, got, want)
	}
	checkCheckpoint(t, pool, p.Name(), total)
}

// tracedPool is a pool on a fresh database whose connections report every
// statement to tr.
func tracedPool(t *testing.T, tr pgx.QueryTracer) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(testenv.DatabaseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Tracer = tr
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}
