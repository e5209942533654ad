package tracker

import (
	"context"
	"sync"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
)

// bogusEvent is an event type no build registers.
type bogusEvent struct{}

func (bogusEvent) EventType() string { return "Bogus" }

// TestTrackerSkipsWhatItCannotApply: garbage, an unknown version or type,
// and a registration on a torrent's subject are skipped, counted and
// reported (at start and while following); the tracker starts, serves the
// users around them and keeps following.
func TestTrackerSkipsWhatItCannotApply(t *testing.T) {
	ctx := context.Background()
	log := testenv.Log(t)
	alice, bob, mallory := newTestUser(t, "alice"), newTestUser(t, "bob"), newTestUser(t, "mallory")
	raw := func(subject string, e domain.Event, version int, payload string) uint64 {
		seq, err := log.Append(ctx, subject, e, eventlog.RawVersion(version, []byte(payload)))
		if err != nil {
			t.Fatal(err)
		}
		return seq
	}
	appendEvent(t, log, domain.UsernameSubject("alice"), alice.registered())
	bad := []uint64{
		raw(domain.UserSubject(alice.id), domain.UserEnabled{}, 1, "garbage"),
		raw(domain.UserSubject(alice.id), domain.UserDisabled{}, 7, `{}`),
		raw(domain.UserSubject(alice.id), bogusEvent{}, 1, `{}`),
		raw(domain.AnnounceSubject("t9"), &domain.AnnounceBatch{}, 3, "\x01"),
	}
	seq, err := log.Append(ctx, domain.TorrentSubject(randomHash()), mallory.registered())
	if err != nil {
		t.Fatal(err)
	}
	bad = append(bad, seq)
	appendEvent(t, log, domain.UsernameSubject("bob"), bob.registered())

	var mu sync.Mutex
	var reported []uint64
	tr, _ := running(t, log, Config{OnQuarantine: func(rec eventlog.Record, err error) {
		if !eventlog.IsQuarantined(err) {
			t.Errorf("record %d reported with %v, not a quarantine", rec.Seq, err)
		}
		mu.Lock()
		defer mu.Unlock()
		reported = append(reported, rec.Seq)
	}})
	if got := tr.Quarantined(); got != uint64(len(bad)) {
		t.Fatalf("the tracker skipped %d records, want %d", got, len(bad))
	}
	for _, u := range []testUser{alice, bob} {
		if _, ok := tr.users.lookup(u.passkey); !ok {
			t.Fatalf("%s is unknown to the tracker", u.name)
		}
	}
	if _, ok := tr.users.lookup(mallory.passkey); ok {
		t.Fatal("a registration on a torrent's subject gave mallory a passkey")
	}
	bad = append(bad, raw(domain.UserSubject(bob.id), domain.UserDisabled{}, 1, "[]"))
	testenv.Eventually(t, "the tracker reports a bad event while following", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(reported) == len(bad)
	})
	mu.Lock()
	defer mu.Unlock()
	for i, seq := range bad {
		if reported[i] != seq {
			t.Fatalf("reported %v, want %v", reported, bad)
		}
	}
	if _, ok := tr.users.lookup(bob.passkey); !ok {
		t.Fatal("a garbage ban changed bob")
	}
}
