package tracker

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
)

// Tracker serves announces and scrapes. Make it with New, start it with Run,
// serve Handler once Ready is closed (requests that come earlier wait).
type Tracker struct {
	cfg     Config
	log     *eventlog.Log
	clock   clock
	users   *users
	clients atomic.Pointer[[]string] // allowed peer_id prefixes
	swarms  *swarms
	pub     *publisher
	metrics *metrics
	refuse  siteRefusals

	newPeers     newPeerLimiter
	serverLog    *limitedLog
	connsRefused atomic.Uint64
	refusals     refusalCounts
	subject      string        // this node's announce subject
	quarantined  atomic.Uint64 // log records skipped since start (see quarantine)

	intervalTicks    uint32
	minIntervalTicks uint32
	lastOwnMillis    int64 // the newest own announce replayed at start; follower only

	ready     chan struct{}
	isReady   atomic.Bool
	readyOnce sync.Once
	running   atomic.Bool

	states sync.Pool // *reqState
}

// New makes a tracker on log. It serves nothing until Run has caught up.
func New(cfg Config, log *eventlog.Log) *Tracker {
	cfg = cfg.withDefaults()
	t := &Tracker{
		cfg:              cfg,
		log:              log,
		clock:            newClock(cfg.Now),
		users:            newUsers(),
		swarms:           newSwarms(),
		intervalTicks:    durationTicks(cfg.Interval),
		minIntervalTicks: durationTicks(cfg.MinInterval),
		ready:            make(chan struct{}),
		refuse:           newSiteRefusals(cfg.SiteURL),
		newPeers:         newNewPeerLimiter(cfg.NewPeerBurst, cfg.NewPeerRate),
		serverLog:        &limitedLog{logger: cfg.Logger},
	}
	prefixes := domain.DefaultClientPrefixes
	t.clients.Store(&prefixes)
	t.subject = domain.AnnounceSubject(cfg.Node)
	t.metrics = newMetrics(cfg.Metrics)
	t.pub = newPublisher(publisherConfig{
		log: log, source: t.swarms, metrics: t.metrics,
		node: cfg.Node, subject: t.subject, actor: "tracker:" + cfg.Node,
		batchSize: cfg.BatchSize, flushEvery: cfg.FlushInterval, logger: cfg.Logger,
		keys: cfg.PeerKeys, now: cfg.Now,
	})
	t.metrics.register(cfg.Metrics, t) // last: its Stats gauge reads the publisher
	t.states.New = func() any { return newReqState(cfg.MaxNumwant) }
	return t
}

// Ready is closed once the tracker has read the whole log as it was at start.
func (t *Tracker) Ready() <-chan struct{} { return t.ready }

func (t *Tracker) markReady() {
	t.readyOnce.Do(func() {
		t.isReady.Store(true)
		close(t.ready)
	})
}

// Run builds the registries and swarms from the whole log, then follows it,
// publishes the accepted announces and reaps silent peers until ctx ends.
// It returns after a last flush of the pending announces.
func (t *Tracker) Run(ctx context.Context) error {
	if t.log == nil {
		return errors.New("tracker: no event log")
	}
	if !t.running.CompareAndSwap(false, true) {
		return errors.New("tracker: Run called twice")
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	wg.Go(func() { t.pub.run(runCtx) })
	wg.Go(func() {
		select {
		case <-t.ready:
			t.reapLoop(runCtx)
		case <-runCtx.Done():
		}
	})
	err := t.follow(runCtx)
	stop()
	wg.Wait()

	flushCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if ferr := t.pub.flush(flushCtx); ferr != nil {
		err = errors.Join(err, ferr)
	}
	return err
}

// Flush publishes every announce accepted so far and waits until the log has
// stored them, or ctx ends.
func (t *Tracker) Flush(ctx context.Context) error {
	if t.log == nil {
		return errors.New("tracker: no event log")
	}
	return t.pub.flush(ctx)
}

// trusted reports whether a remote address is a configured proxy.
func (t *Tracker) trusted(a netip.Addr) bool {
	for _, p := range t.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
