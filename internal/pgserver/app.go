package pgserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// AppRole is the role the application connects as. It may log in and owns
// the application's database and everything in it, and nothing else: no
// superuser, no creating databases or roles, no replication. The superuser
// (Superuser) only creates it and hands it the database.
const AppRole = "djembe_app"

// appRights are AppRole's attributes, set at every start.
const appRights = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"

// EnsureAppDatabase prepares database db for AppRole and returns the URL
// the application connects with, as AppRole. Afterwards:
//   - AppRole exists with exactly appRights and the password kept in
//     Dir+".app.password" (generated on first use, mode 0600);
//   - db exists and AppRole owns it, its public schema, and every schema,
//     table, view, sequence, function and type in it that the superuser
//     owned: a data directory from before AppRole, when the application
//     connected as the superuser, keeps working.
//
// It runs at every start; each step changes nothing when already done.
func (s *Server) EnsureAppDatabase(ctx context.Context, db string) (string, error) {
	pw, err := ensurePassword(s.cfg.Dir + ".app.password")
	if err != nil {
		return "", err
	}
	if err := s.ensureAppRole(ctx, db, pw); err != nil {
		return "", err
	}
	if err := s.handOver(ctx, db); err != nil {
		return "", fmt.Errorf("hand database %s to role %s: %w", db, AppRole, err)
	}
	u := url.URL{Scheme: "postgres", User: url.UserPassword(AppRole, pw),
		Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)), Path: "/" + db, RawQuery: "sslmode=disable"}
	return u.String(), nil
}

// ensurePassword reads the password kept in path, generating it on first use.
func ensurePassword(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	var r [18]byte
	if _, err := rand.Read(r[:]); err != nil {
		return "", err
	}
	pw := hex.EncodeToString(r[:])
	if err := os.WriteFile(path, []byte(pw+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return pw, nil
}

// ensureAppRole creates or corrects AppRole and makes it db's owner,
// creating db if needed.
func (s *Server) ensureAppRole(ctx context.Context, db, pw string) error {
	c, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	role, dbID := pgx.Identifier{AppRole}.Sanitize(), pgx.Identifier{db}.Sanitize()
	var exists bool
	if err := c.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", AppRole).Scan(&exists); err != nil {
		return err
	}
	verb := "CREATE"
	if exists {
		verb = "ALTER"
	}
	if _, err := c.Exec(ctx, verb+" ROLE "+role+" "+appRights+" PASSWORD "+quoteLiteral(pw)); err != nil {
		return fmt.Errorf("%s role %s: %w", strings.ToLower(verb), AppRole, err)
	}
	var owner string
	err = c.QueryRow(ctx, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", db).Scan(&owner)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		_, err = c.Exec(ctx, "CREATE DATABASE "+dbID+" OWNER "+role)
	case err == nil && owner != AppRole:
		_, err = c.Exec(ctx, "ALTER DATABASE "+dbID+" OWNER TO "+role)
	}
	return err
}

// ownedBySuperuser lists, as ALTER statements' targets, what the superuser
// owns in db outside the system's schemas. Relations come before sequences
// so that a table takes its own sequences (serial, identity) along.
const ownedBySuperuser = `
WITH su AS (SELECT oid FROM pg_roles WHERE rolname = current_user),
user_ns AS (
	SELECT oid, nspname, nspowner FROM pg_namespace
	WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\_%')
SELECT 1, 'SCHEMA', quote_ident(nspname) FROM user_ns WHERE nspowner = (SELECT oid FROM su)
UNION ALL
SELECT 2, CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
	c.oid::regclass::text
FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
WHERE c.relowner = (SELECT oid FROM su) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
UNION ALL
SELECT 3, 'ROUTINE', p.oid::regprocedure::text
FROM pg_proc p JOIN user_ns n ON n.oid = p.pronamespace
WHERE p.proowner = (SELECT oid FROM su)
UNION ALL
SELECT 4, 'TYPE', t.oid::regtype::text
FROM pg_type t JOIN user_ns n ON n.oid = t.typnamespace
WHERE t.typowner = (SELECT oid FROM su) AND t.typtype IN ('e', 'd', 'r') -- enums, domains, ranges; the rest go with their table or range
ORDER BY 1, 3`

// handOver gives AppRole db's public schema and what the superuser owns in
// db, in one transaction.
func (s *Server) handOver(ctx context.Context, db string) error {
	c, err := pgx.Connect(ctx, s.URL(db))
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	tx, err := c.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	role := pgx.Identifier{AppRole}.Sanitize()
	if _, err := tx.Exec(ctx, "ALTER SCHEMA public OWNER TO "+role); err != nil {
		return err
	}
	for _, q := range []string{ownedBySuperuser, ownedSequences} { // in turn: the tables take their sequences along
		rows, _ := tx.Query(ctx, q)
		targets, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
			var order int
			var kind, name string
			err := r.Scan(&order, &kind, &name)
			return kind + " " + name, err
		})
		if err != nil {
			return err
		}
		for _, t := range targets {
			if _, err := tx.Exec(ctx, "ALTER "+t+" OWNER TO "+role); err != nil {
				return fmt.Errorf("ALTER %s OWNER: %w", t, err)
			}
		}
	}
	return tx.Commit(ctx)
}

// ownedSequences are the sequences the superuser still owns once the tables
// are handed over: those that belong to no table.
const ownedSequences = `
SELECT 5, 'SEQUENCE', c.oid::regclass::text
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user) AND c.relkind = 'S'
	AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
ORDER BY 3`

// quoteLiteral quotes s as an SQL string literal (standard_conforming_strings
// is on, PostgreSQL's default since 9.1).
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
