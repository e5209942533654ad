package projections

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

// appendMixedHistory appends users, passkey rotations, bans, torrents and
// announce batches with credits: every kind of event the projections read.
func appendMixedHistory(t *testing.T, log *eventlog.Log, seed uint64) {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 1))
	var users []domain.UserID
	for i := 0; i < 12; i++ {
		u := registerUser(t, log, fmt.Sprintf("user%02d", i))
		users = append(users, u.UserID)
	}
	var torrents []domain.InfoHash
	for i := 0; i < 5; i++ {
		var h domain.InfoHash
		h[0], h[1] = byte(seed), byte(i)
		torrents = append(torrents, h)
		reg := domain.TorrentRegistered{InfoHash: h, Name: fmt.Sprintf("torrent %d", i), Size: 1 << 20, Uploader: users[i], Factors: domain.NormalFactors}
		if _, err := log.Append(ctx, domain.TorrentSubject(h), reg, eventlog.ExpectNew()); err != nil {
			t.Fatal(err)
		}
	}
	for i, id := range users {
		var e domain.Event
		switch i % 4 {
		case 0:
			pk, _ := domain.NewPasskey()
			e = domain.PasskeyRotated{UserID: id, Passkey: pk}
		case 1:
			e = domain.UserDisabled{UserID: id, Reason: "test"}
		case 2:
			e = domain.LeechingSet{UserID: id, CanLeech: false}
		default:
			continue
		}
		if _, err := log.Append(ctx, domain.UserSubject(id), e); err != nil {
			t.Fatal(err)
		}
	}
	for b := 0; b < 20; b++ {
		batch := &domain.AnnounceBatch{Node: "t1"}
		for i := 0; i < 50; i++ {
			a := domain.Announce{TimeMillis: 1_700_000_000_000 + int64(b*60_000+i*100), UserID: users[rng.IntN(len(users))],
				InfoHash: torrents[rng.IntN(len(torrents))], Port: 6881, Event: domain.AnnounceEvent(rng.IntN(5)),
				Left: uint64(rng.IntN(2)) * 1000, Uploaded: uint64(b * 1000), Downloaded: uint64(b * 500)}
			a.PeerID[0] = byte(rng.IntN(3))
			a.Credit = domain.Credit{RawUp: 1000, RawDown: 500, CreditedUp: 1000, CreditedDown: uint64(rng.IntN(2)) * 500}
			batch.Announces = append(batch.Announces, a)
		}
		if _, err := log.Append(ctx, domain.AnnounceSubject("t1"), batch); err != nil {
			t.Fatal(err)
		}
	}
}

// dumpSchema renders every row of every table in schema, sorted, so two
// dumps are equal exactly when the tables are equal row for row.
func dumpSchema(t *testing.T, pool *pgxpool.Pool, schema string) string {
	t.Helper()
	tables := dumpTables(t, pool, schema)
	if len(tables) == 0 {
		t.Fatalf("schema %s has no tables", schema)
	}
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(tables)) {
		fmt.Fprintf(&b, "== %s\n%s\n", name, strings.Join(tables[name], "\n"))
	}
	return b.String()
}

// undisturbed projects the same history into a fresh database, untouched.
func undisturbed(t *testing.T, p Projection, log *eventlog.Log) string {
	pool := testenv.DB(t)
	if err := NewProjector(p, pool, log).CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	return dumpSchema(t, pool, p.Name())
}

func TestProjectorFailingBeforeCommitAppliesEachEventOnce(t *testing.T) {
	log := testenv.Log(t)
	appendMixedHistory(t, log, 1)
	for _, p := range All() {
		t.Run(p.Name(), func(t *testing.T) {
			want := undisturbed(t, p, log)
			pool := testenv.DB(t)
			var batches atomic.Int32
			failures := 0
			for {
				pr := NewProjector(p, pool, log)
				pr.maxBatch = 7 // many small batches, so failures land mid-history
				pr.beforeCommit = func(uint64) error {
					if batches.Add(1)%3 == 0 {
						return errors.New("injected failure after writing, before commit")
					}
					return nil
				}
				err := pr.CatchUp(context.Background())
				if err == nil {
					break
				}
				if !strings.Contains(err.Error(), "injected failure") {
					t.Fatal(err)
				}
				failures++
			}
			if failures == 0 {
				t.Fatal("no failure was injected")
			}
			if got := dumpSchema(t, pool, p.Name()); got != want {
				t.Fatalf("after %d failures the tables differ from an undisturbed run:\n got %s\nwant %s", failures, got, want)
			}
		})
	}
}

func TestProjectorStoppedMidBatchAppliesEachEventOnce(t *testing.T) {
	log := testenv.Log(t)
	appendMixedHistory(t, log, 2)
	for _, p := range All() {
		t.Run(p.Name(), func(t *testing.T) {
			want := undisturbed(t, p, log)
			pool := testenv.DB(t)
			for stops := 0; ; stops++ {
				ctx, cancel := context.WithCancel(context.Background())
				pr := NewProjector(p, pool, log)
				pr.maxBatch = 5
				n := 0
				pr.beforeCommit = func(uint64) error {
					// The process "dies" in the middle of the batch's transaction:
					// its context ends before COMMIT is sent.
					if n++; n == 2 {
						cancel()
					}
					return nil
				}
				done := make(chan error, 1)
				go func() { done <- pr.Run(ctx) }()
				select {
				case <-pr.Ready():
					cancel()
					<-done
					if stops == 0 {
						t.Fatal("the projector was never stopped mid-batch")
					}
					if got := dumpSchema(t, pool, p.Name()); got != want {
						t.Fatalf("after %d stops the tables differ from an undisturbed run:\n got %s\nwant %s", stops, got, want)
					}
					return
				case <-done:
					cancel()
				}
			}
		})
	}
}

func TestRebuildEqualsLiveTables(t *testing.T) {
	log := testenv.Log(t)
	pool := testenv.DB(t)
	appendMixedHistory(t, log, 3)
	for _, p := range All() {
		pr := NewProjector(p, pool, log)
		if err := pr.CatchUp(context.Background()); err != nil {
			t.Fatal(err)
		}
		live := dumpSchema(t, pool, p.Name())
		var last RebuildProgress
		if err := pr.Rebuild(context.Background(), func(rp RebuildProgress) { last = rp }); err != nil {
			t.Fatal(err)
		}
		if got := dumpSchema(t, pool, p.Name()); got != live {
			t.Fatalf("%s: rebuilt tables differ from the live ones:\n got %s\nwant %s", p.Name(), got, live)
		}
		total, _ := log.LastSeq(context.Background())
		if last.Seq != total || last.Events < total {
			t.Fatalf("%s: progress ended at %+v, log has %d", p.Name(), last, total)
		}
		var exists bool
		pool.QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, p.Name()+"_next").Scan(&exists)
		if exists {
			t.Fatalf("%s_next schema left behind", p.Name())
		}
	}
}

func TestRebuildCatchesUpWithLiveProjectorAndSwaps(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := testenv.Log(t)
	pool := testenv.DB(t)
	appendMixedHistory(t, log, 4)
	live := NewProjector(Users{}, pool, log)
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
	if err := NewProjector(Users{}, pool, log).Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	close(stop)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	want, _ := log.LastSeq(ctx)
	testenv.Eventually(t, "live projector past the last event", func() bool { return live.Applied() >= want })
	got := dumpSchema(t, pool, "users")
	if fresh := undisturbed(t, Users{}, log); got != fresh {
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
