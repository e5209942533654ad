package eventlog_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
)

func TestAppendCreateOnce(t *testing.T) {
	ctx := context.Background()
	log := testenv.Log(t)
	e := domain.UserRegistered{UserID: uuid.New(), Name: "alice", Passkey: "0123456789abcdef0123456789abcdef"}
	seq, err := log.Append(ctx, domain.UsernameSubject("alice"), e, eventlog.ExpectNew())
	if err != nil || seq != 1 {
		t.Fatalf("first claim: seq %d, err %v", seq, err)
	}
	// Another user claiming the same name, in another case, is refused and not stored.
	_, err = log.Append(ctx, domain.UsernameSubject("ALICE"), domain.UserRegistered{UserID: uuid.New(), Name: "ALICE"}, eventlog.ExpectNew())
	if !errors.Is(err, eventlog.ErrConflict) {
		t.Fatalf("second claim: err %v, want ErrConflict", err)
	}
	if last, _ := log.LastSeq(ctx); last != 1 {
		t.Fatalf("log holds %d events after a refused claim, want 1", last)
	}
}

func TestAppendSameIDIsStoredOnce(t *testing.T) {
	ctx := context.Background()
	log := testenv.Log(t)
	id := uuid.New()
	e := domain.UserEnabled{UserID: uuid.New()}
	s1, err1 := log.Append(ctx, domain.UserSubject(e.UserID), e, eventlog.WithID(id))
	s2, err2 := log.Append(ctx, domain.UserSubject(e.UserID), e, eventlog.WithID(id))
	if err1 != nil || err2 != nil || s1 != s2 {
		t.Fatalf("retried append: seqs %d %d, errs %v %v", s1, s2, err1, err2)
	}
	if last, _ := log.LastSeq(ctx); last != 1 {
		t.Fatalf("log holds %d events, want 1", last)
	}
}

// An event appended At a past time reads back with that time, after one
// appended at the time of its append: the log keeps the appends' order.
func TestAppendAtAPastTime(t *testing.T) {
	ctx := context.Background()
	log := testenv.Log(t)
	user := uuid.New()
	subject := domain.UserSubject(user)
	past := time.Date(2026, 10, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	before := time.Now()
	if _, err := log.Append(ctx, subject, domain.UserEnabled{UserID: user}); err != nil {
		t.Fatal(err)
	}
	if _, err := log.Append(ctx, subject, domain.UserEnabled{UserID: user}, eventlog.At(past)); err != nil {
		t.Fatal(err)
	}
	recs, err := log.Read(ctx, subject)
	if err != nil || len(recs) != 2 {
		t.Fatalf("read %d records, err %v", len(recs), err)
	}
	if now := recs[0].Meta.Time; now.Before(before.Add(-time.Second)) {
		t.Errorf("the first event's time %v, want the time of its append (after %v)", now, before)
	}
	if got := recs[1].Meta.Time; !got.Equal(past) || got.Location() != time.UTC {
		t.Errorf("the second event's time %v, want %v in UTC", got, past)
	}
}

func TestOldSchemaVersionIsUpcastWhenRead(t *testing.T) {
	ctx := context.Background()
	log := testenv.Log(t)
	id := uuid.New()
	v1 := []byte(`{"user_id":"` + id.String() + `","username":"carol","passkey":"0123456789abcdef0123456789abcdef","password_hash":"h"}`)
	if _, err := log.Append(ctx, domain.UsernameSubject("carol"), domain.UserRegistered{}, eventlog.RawVersion(1, v1)); err != nil {
		t.Fatal(err)
	}
	rec, ok, err := log.FirstOnSubject(ctx, domain.UsernameSubject("carol"))
	if err != nil || !ok {
		t.Fatalf("read back: ok %v err %v", ok, err)
	}
	if rec.Meta.Version != 1 {
		t.Fatalf("stored version %d, want 1", rec.Meta.Version)
	}
	e, err := rec.Decode()
	if err != nil {
		t.Fatal(err)
	}
	u := e.(domain.UserRegistered)
	if u.Name != "carol" || u.UserID != id || u.Admin {
		t.Fatalf("upcast to %+v", u)
	}
}

func TestFollowDeliversInOrderAndStopsAtUntil(t *testing.T) {
	ctx := context.Background()
	log := testenv.Log(t)
	const n = 2500
	for i := 0; i < n; i++ {
		if _, err := log.AppendAsync(domain.UserSubject(uuid.New()), domain.UserEnabled{}); err != nil {
			t.Fatal(err)
		}
	}
	<-log.AsyncComplete()
	var got []uint64
	caughtUp := false
	err := log.Follow(ctx, eventlog.FollowOptions{From: 1, Until: n, MaxBatch: 300}, func(b eventlog.Batch) error {
		if len(b.Records) > 300 {
			t.Errorf("batch of %d records, max 300", len(b.Records))
		}
		for _, r := range b.Records {
			got = append(got, r.Seq)
		}
		caughtUp = b.CaughtUp
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n || !caughtUp {
		t.Fatalf("got %d records (caught up %v), want %d", len(got), caughtUp, n)
	}
	for i, s := range got {
		if s != uint64(i+1) {
			t.Fatalf("record %d has seq %d", i, s)
		}
	}
}

func TestFollowOnEmptyLogReportsCaughtUp(t *testing.T) {
	log := testenv.Log(t)
	calls := 0
	err := log.Follow(context.Background(), eventlog.FollowOptions{Until: 1}, func(b eventlog.Batch) error {
		calls++
		if !b.CaughtUp || len(b.Records) != 0 {
			t.Errorf("first batch %+v, want empty and caught up", b)
		}
		return nil
	})
	if err != nil || calls != 1 {
		t.Fatalf("calls %d err %v", calls, err)
	}
}

func BenchmarkAppendAsync(b *testing.B) {
	log := testenv.Log(b)
	subject := domain.UserSubject(uuid.New())
	e := domain.UserEnabled{UserID: uuid.New()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := log.AppendAsync(subject, e); err != nil {
			b.Fatal(err)
		}
	}
	<-log.AsyncComplete()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
