// Package migrations embeds Djembe's SQL: the numbered migrations of the
// shared schema (applied in order at start, under an advisory lock so
// several processes may start at once), and each projection's table
// definitions, which the projector runtime applies into the projection's own
// schema (live, or the one a replay builds beside it).
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed sql/*.sql
var numbered embed.FS

//go:embed projections/*.sql
var projections embed.FS

// Up applies every pending migration.
func Up(ctx context.Context, pool *pgxpool.Pool) error {
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	return up(ctx, db)
}

func up(ctx context.Context, db *sql.DB) error {
	sub, err := fs.Sub(numbered, "sql")
	if err != nil {
		return err
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub, goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	return nil
}

// Projection returns the table definitions of projection name. They use
// unqualified names: the runtime sets search_path to the target schema.
func Projection(name string) (string, error) {
	b, err := projections.ReadFile("projections/" + name + ".sql")
	if err != nil {
		return "", fmt.Errorf("no table definitions for projection %q: %w", name, err)
	}
	return string(b), nil
}
