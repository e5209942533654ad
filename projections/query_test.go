package projections

import (
	"context"
	"testing"

	"github.com/djembe/djembe/internal/testenv"
)

// Reads in one Snapshot see the database as it was at the first of them,
// whatever another connection commits meanwhile; reads on the pool itself
// see each commit.
func TestSnapshotReadsOneState(t *testing.T) {
	ctx := context.Background()
	pool := testenv.DB(t)
	if _, err := pool.Exec(ctx, `CREATE TABLE snap (n int); INSERT INTO snap VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	count := func(q RowQuerier) int {
		var n int
		if err := q.QueryRow(ctx, `SELECT count(*) FROM snap`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var first, second int
	err := Snapshot(ctx, pool, func(q RowQuerier) error {
		first = count(q)
		if _, err := pool.Exec(ctx, `INSERT INTO snap VALUES (2)`); err != nil { // another connection commits
			return err
		}
		second = count(q)
		return nil
	})
	if err != nil || first != 1 || second != 1 {
		t.Errorf("in a snapshot: %d then %d rows (%v), want 1 and 1", first, second, err)
	}
	if n := count(pool); n != 2 {
		t.Errorf("after it: %d rows, want 2", n)
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if err := Snapshot(ctx, tx, func(q RowQuerier) error {
		if q != RowQuerier(tx) {
			t.Error("a snapshot inside a transaction did not read on it")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
