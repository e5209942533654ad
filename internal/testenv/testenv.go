// Package testenv gives tests real servers: an in-process NATS server with
// JetStream in a temporary directory, and one PostgreSQL server per package
// run (started from the installed binaries, or DATABASE_URL when set) with a
// fresh, migrated database per test. There are no mocks.
package testenv

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/natsd"
	"github.com/djembe/djembe/internal/pgserver"
	"github.com/djembe/djembe/migrations"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

var (
	pgOnce   sync.Once
	pgAdmin  string // URL of a database to run CREATE DATABASE from
	pgErr    error
	pgServer *pgserver.Server
	pgDir    string
	dbCount  atomic.Int64
)

const template = "djembe_test_template"

// Main runs m and then stops the PostgreSQL server, if one was started.
// Use it as: func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	if pgServer != nil {
		if err := pgServer.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "testenv: stop postgres:", err)
		}
		os.RemoveAll(pgDir)
	}
	return code
}

func startPG() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if u := os.Getenv("DATABASE_URL"); u != "" {
		pgAdmin = u
	} else {
		pgDir, pgErr = os.MkdirTemp("", "djembe-test-pg-")
		if pgErr != nil {
			return
		}
		os.Chmod(pgDir, 0o755) // the server may run as user postgres
		pgServer, pgErr = pgserver.Start(ctx, pgserver.Config{Dir: pgDir + "/pg"})
		if pgErr != nil {
			return
		}
		pgAdmin = pgServer.URL("postgres")
	}
	pgErr = createTemplate(ctx)
}

// createTemplate makes a migrated database that each test's database copies.
func createTemplate(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, pgAdmin)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("%s_%d", template, os.Getpid())
	conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return fmt.Errorf("create template database: %w", err)
	}
	pool, err := pgxpool.New(ctx, withDB(pgAdmin, name))
	if err != nil {
		return err
	}
	defer pool.Close()
	return migrations.Up(ctx, pool)
}

func withDB(raw, db string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + db
	return u.String()
}

// DatabaseURL creates a fresh, migrated database for t, dropped when t ends,
// and returns its URL.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	pgOnce.Do(startPG)
	if pgErr != nil {
		t.Fatalf("testenv: PostgreSQL: %v", pgErr)
	}
	ctx := context.Background()
	name := fmt.Sprintf("djembe_test_%d_%d", os.Getpid(), dbCount.Add(1))
	conn, err := pgx.Connect(ctx, pgAdmin)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	defer conn.Close(ctx)
	tmpl := fmt.Sprintf("%s_%d", template, os.Getpid())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+tmpl); err != nil {
		t.Fatalf("testenv: create database: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, pgAdmin)
		if err != nil {
			return
		}
		defer c.Close(ctx)
		c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return withDB(pgAdmin, name)
}

// DB returns a pool on a fresh, migrated database for t.
func DB(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), DatabaseURL(t))
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// NATS starts an in-process NATS server with JetStream whose store is in a
// temporary directory; it is shut down when t ends.
func NATS(t testing.TB) *natsd.Server {
	t.Helper()
	srv, err := natsd.Start(natsd.Config{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(srv.Shutdown)
	return srv
}

// Log opens the event log on a fresh in-process NATS server.
func Log(t testing.TB) *eventlog.Log {
	t.Helper()
	return LogOn(t, NATS(t))
}

// LogOn opens the event log on srv with a new connection, closed when t ends.
func LogOn(t testing.TB, srv *natsd.Server) *eventlog.Log {
	t.Helper()
	nc, err := srv.Connect("test")
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(nc.Close)
	l, err := eventlog.Open(context.Background(), nc, eventlog.Config{})
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	return l
}

// Eventually polls cond every 10ms until it holds or 10s pass. It bounds a
// wait for an asynchronous effect; it is not a timing assertion.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	EventuallyWithin(t, 10*time.Second, what, cond)
}

// EventuallyWithin is Eventually with a bound of its own: for waits whose
// length depends on the machine's load, such as a serve starting its
// PostgreSQL server.
func EventuallyWithin(t testing.TB, bound time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(bound)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Short reports whether slow tests should be skipped (go test -short).
func Short() bool { return testing.Short() || strings.EqualFold(os.Getenv("DJEMBE_SHORT"), "1") }
