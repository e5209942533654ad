package tracker

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/google/uuid"
)

// publisher appends the announces the shards queued to the log, as
// AnnounceBatch events on the node's announce subject.
//
// Invariants: batches are stored one at a time, in the order they were
// swept, each retried with its own dedup id until the log acknowledges it,
// so a batch is stored once and one peer's announces are stored in the
// order they were decided (replay depends on that order); the announce path
// never waits for it.
type publisher struct {
	t       *Tracker
	subject string
	actor   string

	turn  chan struct{} // a one-slot semaphore: one flush at a time, waited for with a context
	queue []queuedBatch
	swept []domain.Announce // sweep buffer, reused
	free  [][]byte          // payload buffers of stored batches, reused

	pending atomic.Int64 // accepted announces not yet stored
	nudge   chan struct{}
}

// queuedBatch is an encoded AnnounceBatch with the dedup id it keeps
// across retries.
type queuedBatch struct {
	id      uuid.UUID
	payload []byte
	n       int // announces in it
}

// batchType stands for AnnounceBatch when appending an encoded payload.
var (
	batchType    = &domain.AnnounceBatch{}
	batchVersion = domain.CurrentVersion(batchType.EventType())
)

func newPublisher(t *Tracker) *publisher {
	return &publisher{
		t:       t,
		subject: domain.AnnounceSubject(t.cfg.Node),
		actor:   "tracker:" + t.cfg.Node,
		nudge:   make(chan struct{}, 1),
		turn:    make(chan struct{}, 1),
	}
}

// accepted counts one queued announce and wakes the publisher each time a
// full batch may be waiting.
func (p *publisher) accepted() {
	if n := p.pending.Add(1); n%int64(p.t.cfg.BatchSize) == 0 {
		select {
		case p.nudge <- struct{}{}:
		default:
		}
	}
}

// run flushes every FlushInterval, or sooner when a batch fills, until ctx ends.
func (p *publisher) run(ctx context.Context) {
	tick := time.NewTicker(p.t.cfg.FlushInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-p.nudge:
		}
		if err := p.flush(ctx); err != nil && ctx.Err() == nil {
			slog.Warn("tracker: publishing announces", "err", err)
		}
	}
}

// flush takes every queued announce from the shards and stores it in the
// log, retrying each batch until it is stored or ctx ends.
func (p *publisher) flush(ctx context.Context) error {
	select {
	case p.turn <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("tracker: %d announces not yet stored: %w", p.pending.Load(), ctx.Err())
	}
	defer func() { <-p.turn }()
	p.sweep()
	for len(p.queue) > 0 {
		q := p.queue[0]
		if err := p.store(ctx, &q); err != nil {
			return fmt.Errorf("tracker: %d announces not yet stored: %w", p.pending.Load(), err)
		}
		p.queue = p.queue[1:]
		p.pending.Add(-int64(q.n))
		p.t.metrics.published(q.n)
		if len(p.free) < 4 {
			p.free = append(p.free, q.payload[:0])
		}
	}
	p.queue = nil
	return nil
}

// sweep moves the shards' queued announces into batches of at most
// BatchSize, appended to the queue.
func (p *publisher) sweep() {
	all := p.swept[:0]
	for i := range p.t.swarms.shards {
		sh := &p.t.swarms.shards[i]
		sh.mu.Lock()
		if len(sh.pending) > 0 {
			all = append(all, sh.pending...)
			sh.pending = sh.pending[:0]
			if cap(sh.pending) > 512 {
				sh.pending = nil // a burst is over: give the memory back
			}
		}
		sh.mu.Unlock()
	}
	size := p.t.cfg.BatchSize
	for i := 0; i < len(all); i += size {
		batch := domain.AnnounceBatch{Node: p.t.cfg.Node, Announces: all[i:min(i+size, len(all))]}
		var buf []byte
		if n := len(p.free); n > 0 {
			buf, p.free = p.free[n-1], p.free[:n-1]
		}
		p.queue = append(p.queue, queuedBatch{id: uuid.New(), payload: batch.AppendBinary(buf), n: len(batch.Announces)})
	}
	p.swept = all[:0]
	if cap(p.swept) > 16*size {
		p.swept = nil // a backlog is over: give the memory back
	}
}

// store appends one batch, retrying with backoff until it is stored or ctx
// ends. A retry after a lost acknowledgement is deduplicated by the id.
func (p *publisher) store(ctx context.Context, q *queuedBatch) error {
	backoff := 50 * time.Millisecond
	for {
		_, err := p.t.log.Append(ctx, p.subject, batchType, eventlog.WithID(q.id), eventlog.Actor(p.actor),
			eventlog.RawVersion(batchVersion, q.payload))
		if err == nil {
			return nil
		}
		p.t.metrics.publishFailed()
		select {
		case <-ctx.Done():
			return err
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}
