package projections_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/projections/projectiontest"
	"github.com/google/uuid"
)

// The conformance suite (projectiontest) runs over every projection the
// site runs, the core ones here included, in internal/app.

func TestRebuildCatchesUpWithLiveProjectorAndSwaps(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := testenv.Log(t)
	pool := testenv.DB(t)
	projectiontest.CoreHistory(t, log, 4)
	live := projections.NewProjector(projections.Users{}, pool, log)
	done := make(chan error, 1)
	go func() { done <- live.Run(ctx) }()
	<-live.Ready()
	// Events keep arriving while the rebuild runs; the live projector applies them.
	stop, stopped := make(chan struct{}), make(chan error, 1)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				stopped <- nil
				return
			default:
			}
			e := domain.UserRegistered{UserID: uuid.New(), Name: fmt.Sprintf("late%03d", i), Passkey: domain.Passkey(fmt.Sprintf("%032x", i))}
			if _, err := log.Append(ctx, domain.UsernameSubject(e.Name), e, eventlog.ExpectNew()); err != nil {
				stopped <- err
				return
			}
		}
	}()
	if err := projections.NewProjector(projections.Users{}, pool, log).Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	close(stop)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	want, _ := log.LastSeq(ctx)
	testenv.Eventually(t, "live projector past the last event", func() bool { return live.Applied() >= want })
	got := testenv.DumpSchema(t, pool, "users")
	fresh := testenv.DB(t)
	if err := projections.NewProjector(projections.Users{}, fresh, log).CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if got != testenv.DumpSchema(t, fresh, "users") {
		t.Fatalf("after a rebuild under load the tables differ from a fresh projection")
	}
	var n int
	pool.QueryRow(ctx, `SELECT count(*) FROM users.users WHERE name LIKE 'late%'`).Scan(&n)
	if n == 0 {
		t.Fatal("no late user was projected")
	}
	cancel()
	<-done
}

func TestProjectorRefusesAnUnregisteredEventType(t *testing.T) {
	pr := projections.NewProjector(misspelled{projections.Users{}}, testenv.DB(t), testenv.Log(t))
	if _, err := pr.Prepare(context.Background()); err == nil {
		t.Fatal("a projection consuming an unregistered event type was prepared")
	}
}

type misspelled struct{ projections.Users }

func (misspelled) Consumes() []string { return []string{"UserRegisterd"} }
