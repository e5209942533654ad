package tracker

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/peerkeys"
	"github.com/djembe/djembe/internal/testenv"
)

// sliceQueue is an announceQueue of its own, for a publisher without a
// tracker. Its announces' addresses are addrs, or none when addrs is
// shorter.
type sliceQueue struct {
	mu    sync.Mutex
	as    []domain.Announce
	addrs []domain.PeerAddr
}

func (q *sliceQueue) drain(dst []domain.Announce, addrs []domain.PeerAddr) ([]domain.Announce, []domain.PeerAddr) {
	q.mu.Lock()
	defer q.mu.Unlock()
	dst = append(dst, q.as...)
	for i := range q.as {
		var a domain.PeerAddr
		if i < len(q.addrs) {
			a = q.addrs[i]
		}
		addrs = append(addrs, a)
	}
	q.as, q.addrs = q.as[:0], q.addrs[:0]
	return dst, addrs
}

// countingMetrics counts what a publisher reports.
type countingMetrics struct{ stored, failed int }

func (m *countingMetrics) published(n int) { m.stored += n }
func (m *countingMetrics) publishFailed()  { m.failed++ }

// TestPublisherAlone: a publisher needs nothing of a tracker. It stores
// what its queue held in batches of at most batchSize, in order, counts
// down what is unstored and reports what it stored.
func TestPublisherAlone(t *testing.T) {
	log := testenv.Log(t)
	q, m := &sliceQueue{}, &countingMetrics{}
	p := newPublisher(publisherConfig{log: log, source: q, metrics: m, node: "solo",
		subject: domain.AnnounceSubject("solo"), actor: "tracker:solo", batchSize: 3, flushEvery: time.Hour})
	for i := range 7 {
		q.as = append(q.as, domain.Announce{TimeMillis: int64(i + 1), Event: domain.EventNone})
		p.accepted()
	}
	if p.unstored() != 7 || p.full() {
		t.Fatalf("unstored %d, full %v", p.unstored(), p.full())
	}
	if err := p.flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	var times []int64
	for _, a := range stored(t, log, "solo") {
		times = append(times, a.TimeMillis)
	}
	if !slices.Equal(times, []int64{1, 2, 3, 4, 5, 6, 7}) || p.unstored() != 0 || m.stored != 7 || m.failed != 0 {
		t.Errorf("stored %v, unstored %d, metrics %+v", times, p.unstored(), *m)
	}
	if last, err := log.LastSeq(context.Background()); err != nil || last != 3 {
		t.Errorf("%d batches stored (%v), want 3 of at most 3", last, err)
	}
}

// failingKeys is a key ring that cannot make a key (a full disk).
type failingKeys struct{}

func (failingKeys) Seal(time.Time) (uint32, []byte, error) {
	return 0, nil, errors.New("no space left")
}
func (failingKeys) Key(uint32, time.Time) ([]byte, bool) { return nil, false }
func (failingKeys) Expire(time.Time) error               { return nil }

// TestPublisherWithoutKeys: when no key can be had the accounting is
// stored all the same, without the addresses.
func TestPublisherWithoutKeys(t *testing.T) {
	log := testenv.Log(t)
	q := &sliceQueue{addrs: []domain.PeerAddr{{Port: 1}}}
	p := newPublisher(publisherConfig{log: log, source: q, metrics: &countingMetrics{}, node: "solo",
		subject: domain.AnnounceSubject("solo"), actor: "tracker:solo", batchSize: 3, flushEvery: time.Hour,
		keys: failingKeys{}, logger: slog.New(slog.DiscardHandler)})
	q.as = append(q.as, domain.Announce{TimeMillis: 1, Event: domain.EventStarted})
	p.accepted()
	if err := p.flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	recs, err := log.Read(context.Background(), domain.AnnounceSubject("solo"))
	if err != nil || len(recs) != 1 {
		t.Fatalf("%d batches stored: %v", len(recs), err)
	}
	e, err := recs[0].Decode()
	if err != nil {
		t.Fatal(err)
	}
	if b := e.(*domain.AnnounceBatch); len(b.Announces) != 1 || b.Announces[0].TimeMillis != 1 || len(b.Addrs.Box) != 0 {
		t.Errorf("stored %+v", b)
	}
}

// BenchmarkPublisherSweep is what publishing costs a batch of 1000
// announces before the log: taking them from the queue and encoding them,
// without addresses and with them sealed (once per batch).
func BenchmarkPublisherSweep(b *testing.B) {
	as, addrs := make([]domain.Announce, 1000), make([]domain.PeerAddr, 1000)
	for i := range as {
		as[i] = domain.Announce{TimeMillis: int64(i), Uploaded: 1 << 30, Left: 1 << 20, Event: domain.EventNone}
		addrs[i] = domain.PeerAddr{IP: [16]byte{10: 0xff, 11: 0xff, 12: 10, 15: byte(i)}, Port: 6881}
	}
	for _, tc := range []struct {
		name string
		keys PeerKeys
	}{{"no-addresses", nil}, {"sealed", peerkeys.Memory(0)}} {
		b.Run(tc.name, func(b *testing.B) {
			q := &sliceQueue{}
			p := newPublisher(publisherConfig{source: q, node: "t1", batchSize: len(as), keys: tc.keys})
			b.ReportAllocs()
			for b.Loop() {
				q.as, q.addrs = append(q.as[:0], as...), append(q.addrs[:0], addrs...)
				p.sweep()
				p.free, p.queue = append(p.free, p.queue[0].payload[:0]), p.queue[:0]
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(as)), "ns/announce")
		})
	}
}
