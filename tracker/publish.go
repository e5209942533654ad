package tracker

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/peerkeys"
	"github.com/google/uuid"
)

// publisher appends the announces the shards queued to the log, as
// AnnounceBatch events on the node's announce subject.
//
// Invariants: batches are stored one at a time, in the order they were
// swept, each retried with its own dedup id until the log acknowledges it,
// so a batch is stored once and one peer's announces are stored in the
// order they were decided (replay depends on that order); the announce path
// never waits for it. Each batch's addresses are sealed once, when it is
// swept, with the key of that moment; a batch whose addresses cannot be
// sealed is stored without them (accounting never waits for a key). It
// knows the tracker only through publisherConfig.
type publisher struct {
	publisherConfig

	turn       chan struct{} // a one-slot semaphore: one flush at a time, waited for with a context
	queue      []queuedBatch
	swept      []domain.Announce // sweep buffer, reused
	sweptAddrs []domain.PeerAddr // their addresses, reused
	sealBuf    []byte            // scratch of the sealed addresses, reused
	sealWarned time.Time         // when a failure to seal was last logged
	free       [][]byte          // payload buffers of stored batches, reused

	pending atomic.Int64 // accepted announces not yet stored
	nudge   chan struct{}
}

// publisherConfig is everything a publisher needs: where it takes the
// accepted announces from, where it stores them and as whom, how it batches
// and whom it tells how that went.
type publisherConfig struct {
	log        batchLog
	source     announceQueue
	metrics    publishMetrics
	node       string // named in each batch
	subject    string // the node's announce subject
	actor      string
	batchSize  int              // at most this many announces per batch (> 0)
	flushEvery time.Duration    // how long a partial batch may wait (> 0)
	logger     *slog.Logger     // told of failed flushes; nil: slog.Default()
	keys       PeerKeys         // seals the addresses; nil: batches hold none
	now        func() time.Time // picks the sealing key; nil: time.Now
}

// batchLog is where a publisher stores batches: the event log.
type batchLog interface {
	Append(ctx context.Context, subject string, e domain.Event, opts ...eventlog.AppendOption) (uint64, error)
}

// announceQueue holds the accepted announces until a publisher takes them.
type announceQueue interface {
	// drain appends every queued announce to dst and its peer's address
	// to addrs, and empties the queue. One peer's announces come out in
	// the order they were queued.
	drain(dst []domain.Announce, addrs []domain.PeerAddr) ([]domain.Announce, []domain.PeerAddr)
}

// publishMetrics are told what a publisher stored and what failed.
type publishMetrics interface {
	published(n int)
	publishFailed()
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

func newPublisher(cfg publisherConfig) *publisher {
	if cfg.logger == nil {
		cfg.logger = slog.Default()
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	return &publisher{
		publisherConfig: cfg,
		nudge:           make(chan struct{}, 1),
		turn:            make(chan struct{}, 1),
	}
}

// accepted counts one queued announce and wakes the publisher each time a
// full batch may be waiting. Call it after queueing the announce.
func (p *publisher) accepted() {
	if n := p.pending.Add(1); n%int64(p.batchSize) == 0 {
		select {
		case p.nudge <- struct{}{}:
		default:
		}
	}
}

// unstored is the number of accepted announces not yet stored in the log.
func (p *publisher) unstored() int64 { return max(p.pending.Load(), 0) }

// full reports whether so many announces wait to be stored that no more
// may be accepted (maxPendingAnnounces).
func (p *publisher) full() bool { return p.pending.Load() >= maxPendingAnnounces }

// run flushes every flushEvery, or sooner when a batch fills, until ctx ends.
func (p *publisher) run(ctx context.Context) {
	tick := time.NewTicker(p.flushEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-p.nudge:
		}
		if err := p.flush(ctx); err != nil && ctx.Err() == nil {
			p.logger.Warn("tracker: publishing announces", "err", err)
		}
	}
}

// flush takes every queued announce and stores it in the log, retrying
// each batch until it is stored or ctx ends.
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
		p.metrics.published(q.n)
		if len(p.free) < 4 {
			p.free = append(p.free, q.payload[:0])
		}
	}
	p.queue = nil
	return nil
}

// sweep drains the queued announces into batches of at most batchSize,
// appended to the queue.
func (p *publisher) sweep() {
	all, addrs := p.source.drain(p.swept[:0], p.sweptAddrs[:0])
	size := p.batchSize
	for i := 0; i < len(all); i += size {
		end := min(i+size, len(all))
		batch := domain.AnnounceBatch{Node: p.node, Announces: all[i:end], Addrs: p.seal(addrs[i:end])}
		var buf []byte
		if n := len(p.free); n > 0 {
			buf, p.free = p.free[n-1], p.free[:n-1]
		}
		p.queue = append(p.queue, queuedBatch{id: uuid.New(), payload: batch.AppendBinary(buf), n: len(batch.Announces)})
	}
	p.swept, p.sweptAddrs = all[:0], addrs[:0]
	if cap(p.swept) > 16*size {
		p.swept, p.sweptAddrs = nil, nil // a backlog is over: give the memory back
	}
}

// seal seals one batch's addresses with the key of now, into p.sealBuf
// (valid until the next call). Without a key it returns no addresses (the
// batch is stored without them) and says why, at most once a minute.
func (p *publisher) seal(addrs []domain.PeerAddr) domain.SealedAddrs {
	if p.keys == nil {
		return domain.SealedAddrs{}
	}
	id, key, err := p.keys.Seal(p.now())
	var sealed domain.SealedAddrs
	if err == nil {
		sealed, err = peerkeys.SealWith(p.sealBuf, id, key, addrs)
	}
	if err != nil {
		if time.Since(p.sealWarned) > time.Minute {
			p.sealWarned = time.Now()
			p.logger.Warn("tracker: announce batches are stored without their peers' addresses", "err", err)
		}
		return domain.SealedAddrs{}
	}
	p.sealBuf = sealed.Box
	return sealed
}

// store appends one batch, retrying with backoff until it is stored or ctx
// ends. A retry after a lost acknowledgement is deduplicated by the id.
func (p *publisher) store(ctx context.Context, q *queuedBatch) error {
	backoff := 50 * time.Millisecond
	for {
		_, err := p.log.Append(ctx, p.subject, batchType, eventlog.WithID(q.id), eventlog.Actor(p.actor),
			eventlog.RawVersion(batchVersion, q.payload))
		if err == nil {
			return nil
		}
		p.metrics.publishFailed()
		select {
		case <-ctx.Done():
			return err
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}
