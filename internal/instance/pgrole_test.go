package instance

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/djembe/djembe/internal/pgserver"
	"github.com/djembe/djembe/migrations"
	"github.com/jackc/pgx/v5/pgxpool"
)

func pgDataDir(t *testing.T) string {
	t.Helper()
	base, err := os.MkdirTemp("", "djembe-instance-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(base, 0o755) // reachable by user postgres when we are root
	t.Cleanup(func() { os.RemoveAll(base) })
	return filepath.Join(base, "data")
}

func isSuperuser(t *testing.T, pool *pgxpool.Pool) bool {
	t.Helper()
	var super bool
	if err := pool.QueryRow(context.Background(), `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&super); err != nil {
		t.Fatal(err)
	}
	return super
}

// A data directory written when the application connected as the embedded
// server's superuser opens with the application's role: the role takes
// over what the superuser owned, migrations run, read models can be
// rebuilt; and neither pool is a superuser's.
func TestTheApplicationIsNoSuperuserOnOldDataToo(t *testing.T) {
	ctx := context.Background()
	dir := pgDataDir(t)
	if err := CheckWritable(dir); err != nil {
		t.Fatal(err)
	}
	// The old way: everything created as the superuser.
	ps, err := pgserver.Start(ctx, pgserver.Config{Dir: filepath.Join(dir, "pg")})
	if err != nil {
		t.Fatal(err)
	}
	if err := ps.EnsureDatabase(ctx, "djembe"); err != nil {
		t.Fatal(err)
	}
	old, err := pgxpool.New(ctx, ps.URL("djembe"))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrations.Up(ctx, old); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(ctx, `CREATE SCHEMA users; CREATE TABLE users.users (id uuid PRIMARY KEY, name text)`); err != nil {
		t.Fatal(err)
	}
	old.Close()
	if err := ps.Stop(); err != nil {
		t.Fatal(err)
	}

	inst, err := Open(ctx, Config{DataDir: dir}, Serve)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	if isSuperuser(t, inst.Pool) || isSuperuser(t, inst.Background) {
		t.Fatal("the application connects as a superuser")
	}
	if _, err := inst.Pool.Exec(ctx, `INSERT INTO projections (name, version, seq) VALUES ('users', 1, 0);
		CREATE SCHEMA users_next; CREATE TABLE users_next.users (id uuid PRIMARY KEY, name text);
		ALTER SCHEMA users RENAME TO users_old; ALTER SCHEMA users_next RENAME TO users; DROP SCHEMA users_old CASCADE`); err != nil {
		t.Fatalf("a blue/green rebuild as the application's role: %v", err)
	}
}
