package projections

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Collect runs a query on q and scans each row with scan; an error says
// what (e.g. "read music") failed.
func Collect[T any](ctx context.Context, q RowQuerier, what, sql string, scan func(pgx.Rows) (T, error), args ...any) ([]T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// Snapshot runs read on one snapshot of the database, so that several
// queries see the read models as one commit left them: in a read-only
// repeatable-read transaction when q is a pool (between two queries on a
// pool a projector may commit, and an album's credits turn up without the
// album), or on q itself when it is a transaction already.
func Snapshot(ctx context.Context, q RowQuerier, read func(RowQuerier) error) error {
	pool, ok := q.(interface {
		BeginTx(context.Context, pgx.TxOptions) (pgx.Tx, error)
	})
	if !ok {
		return read(q)
	}
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("begin a read: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if err := read(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
