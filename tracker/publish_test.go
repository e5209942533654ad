package tracker

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
)

// sliceQueue is an announceQueue of its own, for a publisher without a tracker.
type sliceQueue struct {
	mu sync.Mutex
	as []domain.Announce
}

func (q *sliceQueue) drain(dst []domain.Announce) []domain.Announce {
	q.mu.Lock()
	defer q.mu.Unlock()
	dst = append(dst, q.as...)
	q.as = q.as[:0]
	return dst
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
