// Package projectiontest is the conformance suite every read model passes,
// in the manner of chihaya's storage tests: one exported function that a
// new projection gets for free. It runs against a real log and a real
// PostgreSQL (internal/testenv) and checks the runtime's invariants for the
// projection: a crash anywhere applies each event once, a batch delivered
// again changes nothing, the tables do not depend on how the log is cut into
// batches nor on how many calls one transaction holds, and a rebuild equals
// the live tables row for row.
package projectiontest

import (
	"context"
	"testing"

	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Run checks p against the history the caller appended to log. The history
// must give p's tables rows, and should hold every kind of event p consumes,
// non-idempotent ones (inserts, counters) among them, so that a batch
// applied twice or lost shows.
func Run(t *testing.T, p projections.Projection, log *eventlog.Log) {
	want := undisturbed(t, p, log)
	t.Run("CrashBeforeEachCommit", func(t *testing.T) { crashSweep(t, p, log, beforeCommit, want) })
	t.Run("CrashAfterEachCommit", func(t *testing.T) { crashSweep(t, p, log, afterCommit, want) })
	t.Run("CrashMidBatch", func(t *testing.T) { crashSweep(t, p, log, midBatch, want) })
	t.Run("RedeliveryChangesNothing", func(t *testing.T) { redelivery(t, p, log, want) })
	t.Run("IndependentOfBatching", func(t *testing.T) { batching(t, p, log, want) })
	t.Run("ManyCallsInOneTransaction", func(t *testing.T) { oneTransaction(t, p, log, want) })
	t.Run("RebuildEqualsLiveTables", func(t *testing.T) { rebuild(t, p, log, want) })
}

// undisturbed projects the whole history into a fresh database with the
// default batches and returns the dump every other way must equal.
func undisturbed(t *testing.T, p projections.Projection, log *eventlog.Log) string {
	t.Helper()
	pool := testenv.DB(t)
	if err := projections.NewProjector(p, pool, log).CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	empty := true
	for _, rows := range testenv.DumpTables(t, pool, p.Name()) {
		empty = empty && len(rows) == 0
	}
	if empty {
		t.Fatalf("%s: the history leaves every table empty; give the suite a history that exercises the projection", p.Name())
	}
	return testenv.DumpSchema(t, pool, p.Name())
}

// batching projects the history in batches of one, a few and many log
// messages: the tables must not depend on the cut.
func batching(t *testing.T, p projections.Projection, log *eventlog.Log, want string) {
	for _, n := range []int{1, 4, 1000} {
		pool := testenv.DB(t)
		if err := projections.NewProjector(p, pool, log, projections.WithMaxBatch(n)).CatchUp(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := testenv.DumpSchema(t, pool, p.Name()); got != want {
			t.Fatalf("in batches of %d messages the tables differ:\n got %s\nwant %s", n, got, want)
		}
	}
}

// redelivery applies the log in overlapping windows, then all of it and its
// first half again, as a log redelivering records would: whatever is at or
// below the checkpoint must change nothing.
func redelivery(t *testing.T, p projections.Projection, log *eventlog.Log, want string) {
	ctx := context.Background()
	pool := testenv.DB(t)
	pr := projections.NewProjector(p, pool, log)
	if _, err := pr.Prepare(ctx); err != nil {
		t.Fatal(err)
	}
	recs := readAll(t, log)
	const window = 6
	for i := 0; i < len(recs); i += window / 2 {
		apply(t, pr, recs[i:min(i+window, len(recs))])
	}
	apply(t, pr, recs)
	apply(t, pr, recs[:len(recs)/2])
	if got := testenv.DumpSchema(t, pool, p.Name()); got != want {
		t.Fatalf("after redelivered batches the tables differ:\n got %s\nwant %s", got, want)
	}
	checkCheckpoint(t, pool, p.Name(), recs[len(recs)-1].Seq)
}

func apply(t *testing.T, pr *projections.Projector, recs []eventlog.Record) {
	t.Helper()
	if err := pr.ApplyBatch(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
}

// rebuild catches up, rebuilds blue/green and requires the same tables,
// progress that ends at the log's end, and no schema left behind.
func rebuild(t *testing.T, p projections.Projection, log *eventlog.Log, want string) {
	ctx := context.Background()
	pool := testenv.DB(t)
	pr := projections.NewProjector(p, pool, log)
	if err := pr.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	var last projections.RebuildProgress
	if err := pr.Rebuild(ctx, func(rp projections.RebuildProgress) { last = rp }); err != nil {
		t.Fatal(err)
	}
	if got := testenv.DumpSchema(t, pool, p.Name()); got != want {
		t.Fatalf("rebuilt tables differ from the live ones:\n got %s\nwant %s", got, want)
	}
	total, err := log.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if last.Seq != total || last.Events < total {
		t.Fatalf("progress ended at %+v, the log has %d messages", last, total)
	}
	for _, schema := range []string{p.Name() + "_next", p.Name() + "_old"} {
		var exists bool
		if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, schema).Scan(&exists); err != nil || exists {
			t.Fatalf("schema %s left behind (%v)", schema, err)
		}
	}
	checkCheckpoint(t, pool, p.Name(), total)
}

// readAll reads every record of the log, in order.
func readAll(t *testing.T, log *eventlog.Log) []eventlog.Record {
	t.Helper()
	ctx := context.Background()
	last, err := log.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []eventlog.Record
	err = log.Follow(ctx, eventlog.FollowOptions{From: 1, Until: last}, func(b eventlog.Batch) error {
		out = append(out, b.Records...)
		return nil
	})
	if err != nil || len(out) == 0 || out[len(out)-1].Seq != last {
		t.Fatalf("read %d records of the log (%v), want %d", len(out), err, last)
	}
	return out
}

// checkCheckpoint requires the projection's checkpoint to be seq.
func checkCheckpoint(t *testing.T, pool *pgxpool.Pool, name string, seq uint64) {
	t.Helper()
	var got int64
	if err := pool.QueryRow(context.Background(), `SELECT seq FROM projections WHERE name = $1`, name).Scan(&got); err != nil || uint64(got) != seq {
		t.Fatalf("checkpoint of %s is %d (%v), want %d", name, got, err, seq)
	}
}
