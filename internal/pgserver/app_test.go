package pgserver

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func mustExec(t *testing.T, c *pgx.Conn, sql string) {
	t.Helper()
	if _, err := c.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// The application's role is no superuser, yet does everything the
// application does: migrations, blue/green schemas, temporary tables,
// COPY, advisory locks. What only a superuser may do it may not.
func TestAppRoleHasNoSuperuserRights(t *testing.T) {
	ctx := context.Background()
	dir := clusterDir(t)
	s := mustStart(t, dir)
	u, err := s.EnsureAppDatabase(ctx, "djembe")
	if err != nil {
		t.Fatal(err)
	}
	if again, err := s.EnsureAppDatabase(ctx, "djembe"); err != nil || again != u {
		t.Fatalf("a second EnsureAppDatabase: %v, same URL %v", err, again == u)
	}
	if fi, err := os.Stat(dir + ".app.password"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("app password file: %v %v", fi, err)
	}
	c := connect(t, u)
	var user string
	var super, createDB, createRole bool
	if err := c.QueryRow(ctx, `SELECT current_user, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user`).
		Scan(&user, &super, &createDB, &createRole); err != nil {
		t.Fatal(err)
	}
	if user != AppRole || super || createDB || createRole {
		t.Fatalf("connected as %s: superuser %v, createdb %v, createrole %v", user, super, createDB, createRole)
	}
	for _, sql := range []string{
		`CREATE TABLE public.t (id int8 GENERATED ALWAYS AS IDENTITY, v text)`,
		`CREATE SCHEMA ratio_next`, `CREATE TABLE ratio_next.r (k int)`,
		`CREATE SCHEMA ratio`, `ALTER SCHEMA ratio RENAME TO ratio_old`, `ALTER SCHEMA ratio_next RENAME TO ratio`,
		`DROP SCHEMA ratio_old CASCADE`,
		`CREATE TEMP TABLE stage (k int) ON COMMIT DELETE ROWS`,
		`SELECT pg_advisory_lock(42)`, `SELECT pg_advisory_unlock(42)`,
	} {
		mustExec(t, c, sql)
	}
	if _, err := c.PgConn().CopyFrom(ctx, strings.NewReader("1\n2\n"), "COPY ratio.r FROM STDIN"); err != nil {
		t.Fatalf("COPY FROM STDIN: %v", err)
	}
	for _, sql := range []string{
		`CREATE DATABASE other`, `CREATE ROLE other`, `ALTER ROLE ` + AppRole + ` SUPERUSER`,
		`SET session_replication_role = replica`, `COPY ratio.r FROM '/etc/passwd'`,
		`ALTER SCHEMA pg_catalog OWNER TO ` + AppRole,
	} {
		if _, err := c.Exec(ctx, sql); err == nil {
			t.Errorf("the application's role may %s", sql)
		}
	}
}

// A database from before the application's role, created and filled by the
// superuser, is handed over whole: the role owns its schemas and objects
// and can change and drop them.
func TestAnOldDatabaseIsHandedToTheAppRole(t *testing.T) {
	ctx := context.Background()
	s := mustStart(t, clusterDir(t))
	if err := s.EnsureDatabase(ctx, "djembe"); err != nil {
		t.Fatal(err)
	}
	su := connect(t, s.URL("djembe"))
	for _, sql := range []string{
		`CREATE TABLE projections (name text PRIMARY KEY, seq int8)`,
		`CREATE SCHEMA users`, `CREATE TABLE users.users (id bigserial PRIMARY KEY, name text)`,
		`CREATE TABLE users.ids (id int8 GENERATED ALWAYS AS IDENTITY)`,
		`CREATE SEQUENCE users.loose`, `CREATE VIEW users.names AS SELECT name FROM users.users`,
		`CREATE MATERIALIZED VIEW users.n AS SELECT count(*) FROM users.users`,
		`CREATE TYPE users.mood AS ENUM ('ok')`, `CREATE DOMAIN users.positive AS int CHECK (VALUE > 0)`,
		`CREATE FUNCTION users.one() RETURNS int LANGUAGE sql AS 'SELECT 1'`,
		`INSERT INTO users.users (name) VALUES ('alice')`,
	} {
		mustExec(t, su, sql)
	}
	u, err := s.EnsureAppDatabase(ctx, "djembe")
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	rows, _ := su.Query(ctx, `
		SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE pg_get_userbyid(c.relowner) <> $1 AND n.nspname IN ('public', 'users')
		UNION ALL SELECT nspname FROM pg_namespace WHERE pg_get_userbyid(nspowner) <> $1 AND nspname IN ('public', 'users')
		UNION ALL SELECT datname FROM pg_database WHERE pg_get_userbyid(datdba) <> $1 AND datname = 'djembe'`, AppRole)
	for rows.Next() {
		var name string
		rows.Scan(&name)
		left = append(left, name)
	}
	if rows.Err() != nil || len(left) > 0 {
		t.Fatalf("not handed over: %v (%v)", left, rows.Err())
	}
	c := connect(t, u)
	for _, sql := range []string{
		`INSERT INTO users.users (name) VALUES ('bob')`, `INSERT INTO users.ids DEFAULT VALUES`,
		`SELECT nextval('users.loose')`, `REFRESH MATERIALIZED VIEW users.n`, `SELECT users.one()`,
		`ALTER TABLE projections ADD COLUMN version int`, `DROP SCHEMA users CASCADE`, `CREATE SCHEMA users`,
	} {
		mustExec(t, c, sql)
	}
}
