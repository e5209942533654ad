package commands

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/djembe/djembe/internal/natsd"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/jackc/pgx/v5/pgxpool"
)

// accEnv is env with a log whose store it can scan, and the users and
// accounts projectors running on the database of the vault, as in a
// serve: the write side's default Await watches their checkpoints.
type accEnv struct {
	*env
	pool  *pgxpool.Pool
	srv   *natsd.Server
	store string
}

func newAccEnv(t *testing.T) *accEnv {
	store := filepath.Join(t.TempDir(), "nats")
	srv, err := natsd.Start(natsd.Config{StoreDir: store})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	log, pool := testenv.LogOn(t, srv), testenv.DB(t)
	e := &accEnv{env: &env{t: t, ctx: context.Background(), log: log, c: New(log, Keys{Secret: testSecret, Vault: pool})},
		pool: pool, srv: srv, store: store}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 2)
	for _, p := range []projections.Projection{projections.Users{}, projections.Accounts{}} {
		go func() { done <- projections.NewProjector(p, pool, log).Run(ctx) }()
	}
	t.Cleanup(func() { cancel(); <-done; <-done })
	return e
}

// caughtUp waits until both projectors have applied the whole log.
func (e *accEnv) caughtUp() {
	e.t.Helper()
	last := e.last()
	for _, name := range []string{"users", AccountsReadModel} {
		if err := pollCheckpoint(e.ctx, e.pool, name, last); err != nil {
			e.t.Fatalf("%s: %v", name, err)
		}
	}
}

// storeHolds lists which of secrets occur in the bytes of the log's store
// on disk; it stops the NATS server first, so the store is flushed.
func (e *accEnv) storeHolds(secrets []string) []string {
	e.t.Helper()
	e.srv.Shutdown()
	var found []string
	sawData := false
	err := filepath.WalkDir(e.store, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sawData = sawData || bytes.Contains(b, []byte("TokenCreated"))
		for _, s := range secrets {
			if s != "" && bytes.Contains(b, []byte(s)) {
				found = append(found, s+" in "+path)
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	if !sawData {
		e.t.Fatal("the store scan found no event at all: is it reading the store?")
	}
	return found
}
