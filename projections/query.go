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
