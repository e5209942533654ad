package projections

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// named is a toy read model that keeps nothing, under a name of its own.
type named string

func (n named) Name() string                               { return string(n) }
func (named) Version() int                                 { return 1 }
func (named) Consumes() []string                           { return []string{domain.TypeUserRegistered} }
func (named) Schema() string                               { return `CREATE TABLE seen (seq bigint)` }
func (named) Apply(context.Context, pgx.Tx, []Event) error { return nil }

// Many projectors starting together on a pool smaller than their number
// all become ready, and all rebuild at once: each prepares and rebuilds on
// the connection that holds its lock, never waiting for a second one while
// holding the first (nine projectors on a pool of eight once waited for
// each other forever, at start and in replay --all).
func TestManyProjectorsOnASmallPool(t *testing.T) {
	cfg, err := pgxpool.ParseConfig(testenv.DatabaseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 2
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	log := testenv.Log(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var prs []*Projector
	for i := range 6 {
		pr := NewProjector(named(fmt.Sprintf("toy%d", i)), pool, log)
		go pr.Run(ctx)
		prs = append(prs, pr)
	}
	for _, pr := range prs {
		select {
		case <-pr.Ready():
		case <-ctx.Done():
			t.Fatalf("projector %s never became ready on a pool of 2", pr.Projection().Name())
		}
	}
	// And every one rebuilt at once, as replay --all does, beside them.
	errs := make(chan error, len(prs))
	for _, pr := range prs {
		go func() { errs <- NewProjector(pr.Projection(), pool, log).Rebuild(ctx, nil) }()
	}
	for range prs {
		if err := <-errs; err != nil {
			t.Fatalf("rebuilding %d projections at once on a pool of 2: %v", len(prs), err)
		}
	}
}
