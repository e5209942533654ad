package projections

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// names is a toy read model of registered names whose table refuses names
// beginning with "bad" (a data error, SQLSTATE 23514), and whose Apply
// fails as a lost connection would for names beginning with "flaky"
// while flaky is set.
type names struct{ flaky bool }

func (names) Name() string       { return "names" }
func (names) Version() int       { return 1 }
func (names) Consumes() []string { return []string{domain.TypeUserRegistered} }
func (names) Schema() string {
	return `CREATE TABLE names (name text PRIMARY KEY CHECK (name NOT LIKE 'bad%'), seq bigint NOT NULL)`
}

func (n names) Apply(ctx context.Context, tx pgx.Tx, evs []Event) error {
	for _, ev := range evs {
		name := ev.Event.(domain.UserRegistered).Name
		if n.flaky && strings.HasPrefix(name, "flaky") {
			return errors.New("connection lost")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO names (name, seq) VALUES ($1, $2)`, name, int64(ev.Seq)); err != nil {
			return err
		}
	}
	return nil
}

// bogus is an event type no build registers.
type bogus struct{}

func (bogus) EventType() string { return "Bogus" }

// badHistory appends good registrations around every kind of record a
// consumer skips, and returns the sequences of those, by kind.
func badHistory(t *testing.T, log *eventlog.Log) map[string]uint64 {
	t.Helper()
	ctx := context.Background()
	bad := map[string]uint64{}
	add := func(kind, subject string, e domain.Event, opts ...eventlog.AppendOption) {
		t.Helper()
		seq, err := log.Append(ctx, subject, e, opts...)
		if err != nil {
			t.Fatal(err)
		}
		if kind != "" {
			bad[kind] = seq
		}
	}
	reg := func(name string) domain.UserRegistered { return domain.UserRegistered{UserID: uuid.New(), Name: name} }
	var h domain.InfoHash
	h[0] = 1
	add("", domain.UsernameSubject("alice"), reg("alice"))
	add("garbage", domain.UsernameSubject("garbage"), reg("garbage"), eventlog.RawVersion(2, []byte("\x00not json")))
	add("version", domain.UsernameSubject("future"), reg("future"), eventlog.RawVersion(9, []byte(`{}`)))
	add("unapplicable", domain.UsernameSubject("badname"), reg("badname"))
	add("misplaced", domain.TorrentSubject(h), reg("mallory"))
	add("unknown", domain.UsernameSubject("bogus"), bogus{}, eventlog.RawVersion(1, []byte(`{}`)))
	add("", domain.UsernameSubject("bob"), reg("bob"))
	return bad
}

func quarantineBySeq(t *testing.T, pool *pgxpool.Pool) map[uint64]QuarantineEntry {
	t.Helper()
	entries, err := Quarantine(context.Background(), pool)
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint64]QuarantineEntry{}
	for _, e := range entries {
		out[e.Seq] = e
	}
	return out
}

// TestProjectorQuarantinesAndCarriesOn: records a projection cannot decode
// or apply are skipped and recorded, the rest is applied, the checkpoint
// passes them, and the tables do not depend on the batches or on a rebuild.
func TestProjectorQuarantinesAndCarriesOn(t *testing.T) {
	ctx := context.Background()
	log := testenv.Log(t)
	bad := badHistory(t, log)
	last, _ := log.LastSeq(ctx)
	var want string
	for _, batch := range []int{1000, 1, 3} {
		pool := testenv.DB(t)
		pr := NewProjector(names{}, pool, log, WithMaxBatch(batch))
		if err := pr.CatchUp(ctx); err != nil {
			t.Fatalf("batches of %d: %v", batch, err)
		}
		got := testenv.DumpSchema(t, pool, "names")
		if want == "" {
			want = got
			if !strings.Contains(got, "(alice,1)") || !strings.Contains(got, "(bob,7)") || strings.Count(got, "\n") != 3 {
				t.Fatalf("tables: %s", got)
			}
		} else if got != want {
			t.Fatalf("batches of %d: tables %s, want %s", batch, got, want)
		}
		checkpointIs(t, pool, "names", last)
		q := quarantineBySeq(t, pool)
		if len(q) != len(bad) {
			t.Fatalf("batches of %d: quarantine %+v, want the %d bad records", batch, q, len(bad))
		}
		for kind, seq := range bad {
			if e := q[seq]; e.State != QuarantineOpen || !slices.Equal(e.Consumers, []string{"names"}) {
				t.Fatalf("%s at %d: %+v", kind, seq, e)
			}
		}
		for kind, cause := range map[string]string{"garbage": "decode UserRegistered", "version": "unknown event",
			"unapplicable": "23514", "misplaced": "does not belong", "unknown": "unknown event"} {
			if e := q[bad[kind]]; !strings.Contains(e.Error, cause) {
				t.Errorf("%s: error %q does not say %q", kind, e.Error, cause)
			}
		}
		if err := pr.Rebuild(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if got := testenv.DumpSchema(t, pool, "names"); got != want {
			t.Fatalf("rebuilt: %s, want %s", got, want)
		}
		if again := quarantineBySeq(t, pool); len(again) != len(bad) {
			t.Fatalf("a rebuild changed the quarantine: %+v", again)
		}
	}
}

// TestQuarantineDecisionsSurviveARetry: a skipped entry stays skipped when
// a rebuild meets it again; a released one that still fails is open again.
func TestQuarantineDecisionsSurviveARetry(t *testing.T) {
	ctx := context.Background()
	log, pool := testenv.Log(t), testenv.DB(t)
	bad := badHistory(t, log)
	pr := NewProjector(names{}, pool, log)
	if err := pr.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := DecideQuarantine(ctx, pool, bad["unapplicable"], QuarantineSkipped); err != nil {
		t.Fatal(err)
	}
	if e, err := DecideQuarantine(ctx, pool, bad["garbage"], QuarantineReleased); err != nil || e.State != QuarantineReleased || e.DecidedAt == nil {
		t.Fatalf("released: %+v, %v", e, err)
	}
	if _, err := DecideQuarantine(ctx, pool, 999, QuarantineSkipped); domain.KindOf(err) != domain.KindNotFound {
		t.Fatalf("deciding a sequence never quarantined: %v", err)
	}
	if _, err := DecideQuarantine(ctx, pool, bad["garbage"], QuarantineOpen); domain.KindOf(err) != domain.KindInvalid {
		t.Fatalf("an operator reopening an entry: %v", err)
	}
	counts, err := QuarantineCounts(ctx, pool)
	if err != nil || counts[QuarantineOpen] != 3 || counts[QuarantineSkipped] != 1 || counts[QuarantineReleased] != 1 {
		t.Fatalf("counts %v (%v)", counts, err)
	}
	if err := pr.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	q := quarantineBySeq(t, pool)
	if q[bad["unapplicable"]].State != QuarantineSkipped || q[bad["garbage"]].State != QuarantineOpen {
		t.Fatalf("after a retry: skipped %+v, released %+v", q[bad["unapplicable"]], q[bad["garbage"]])
	}
}

// TestTransientApplyErrorsAreRetried: an error that is not the data's (a
// lost connection) quarantines nothing and moves no checkpoint; the
// projector applies the event once the error is gone.
func TestTransientApplyErrorsAreRetried(t *testing.T) {
	ctx := context.Background()
	log, pool := testenv.Log(t), testenv.DB(t)
	for _, name := range []string{"alice", "flaky1", "bob"} {
		if _, err := log.Append(ctx, domain.UsernameSubject(name), domain.UserRegistered{UserID: uuid.New(), Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	if err := NewProjector(names{flaky: true}, pool, log).CatchUp(ctx); err == nil || !strings.Contains(err.Error(), "connection lost") {
		t.Fatalf("catch up through a transient error: %v", err)
	}
	if _, seq, _, err := readCheckpoint(ctx, pool, "names"); err != nil || seq >= 2 {
		t.Fatalf("the checkpoint passed the event that failed: %d (%v)", seq, err)
	}
	if q := quarantineBySeq(t, pool); len(q) != 0 {
		t.Fatalf("a transient error quarantined %+v", q)
	}
	if err := NewProjector(names{}, pool, log).CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	checkpointIs(t, pool, "names", 3)
}

func checkpointIs(t *testing.T, pool *pgxpool.Pool, name string, want uint64) {
	t.Helper()
	_, seq, _, err := readCheckpoint(context.Background(), pool, name)
	if err != nil || seq != want {
		t.Fatalf("checkpoint of %s is %d (%v), want %d", name, seq, err, want)
	}
}
