package loadgen

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
	"time"
)

// Mode is how connections are used.
type Mode int

const (
	KeepAlive Mode = iota // one connection per simulated connection, reused
	Close                 // Connection: close, a new connection per request
)

func (m Mode) String() string {
	if m == Close {
		return "close"
	}
	return "keepalive"
}

// Config is one run. It stops at the first of: Duration elapsed, Requests
// sent, every peer announced once (Once), or the context ending. At least one
// of Duration, Requests and Once must bound it.
type Config struct {
	Name     string
	Target   Target
	Conns    int
	Mode     Mode
	Duration time.Duration
	Requests int64   // total over all connections
	Once     bool    // announce every peer exactly once (to fill the tracker)
	Leave    bool    // with Once: every active peer announces stopped instead, and inactive ones nothing
	Rate     float64 // open loop: total requests per second, spread evenly over connections; 0 is closed loop
	Timeout  time.Duration
}

func (c *Config) check(peers int) error {
	if c.Conns <= 0 {
		return errors.New("loadgen: conns must be positive")
	}
	if c.Duration <= 0 && c.Requests <= 0 && !c.Once {
		return errors.New("loadgen: a run needs a duration, a request count or Once")
	}
	if c.Leave && !c.Once {
		return errors.New("loadgen: Leave needs Once")
	}
	if c.Rate < 0 {
		return errors.New("loadgen: rate must not be negative")
	}
	host, _, err := net.SplitHostPort(c.Target.Addr)
	if err != nil {
		return fmt.Errorf("loadgen: target %q: %v", c.Target.Addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("loadgen: target %s is not a loopback address; the load generator only drives 127.0.0.1/::1", c.Target.Addr)
	}
	c.Conns = min(c.Conns, peers)
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Second
	}
	return nil
}

// Run drives announces of pop's peers at cfg.Target and returns the tally.
// Connection w announces peers w, w+Conns, w+2*Conns, ... in turn, so each
// peer's counters progress in order. Transport errors are counted, not
// returned; the error is only for a bad configuration.
func Run(ctx context.Context, pop *Population, cfg Config) (*Result, error) {
	if err := cfg.check(len(pop.Peers)); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if cfg.Duration > 0 {
		ctx, cancel = context.WithTimeout(ctx, cfg.Duration+cfg.Timeout)
		defer cancel()
	}
	all := make([]*stats, cfg.Conns)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range cfg.Conns {
		all[w] = newStats()
		wg.Add(1)
		go func() {
			defer wg.Done()
			newWorker(pop, &cfg, w, start).run(ctx, all[w])
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	total := newStats()
	for _, s := range all {
		total.merge(s)
	}
	return newResult(cfg, total, elapsed), nil
}

// worker is one simulated connection and the peers it announces for.
type worker struct {
	pop      *Population
	cfg      *Config
	id       int
	conn     *conn
	rng      *rand.Rand
	buf      []byte
	start    time.Time
	deadline time.Time // zero: none
	quota    int64     // requests left; -1: unlimited
	interval time.Duration
}

func newWorker(pop *Population, cfg *Config, id int, start time.Time) *worker {
	w := &worker{pop: pop, cfg: cfg, id: id, conn: newConn(cfg.Target.Addr, cfg.Timeout),
		rng: rand.New(rand.NewPCG(pop.Shape.Seed+uint64(id)+1, 0xbe7c)), buf: make([]byte, 0, 512), start: start, quota: -1}
	if cfg.Duration > 0 {
		w.deadline = start.Add(cfg.Duration)
	}
	if cfg.Requests > 0 {
		n := int64(cfg.Conns)
		w.quota = cfg.Requests / n
		if int64(id) < cfg.Requests%n {
			w.quota++
		}
	}
	if cfg.Once {
		w.quota = int64((len(pop.Peers) - id + cfg.Conns - 1) / cfg.Conns)
	}
	if cfg.Rate > 0 {
		w.interval = time.Duration(float64(cfg.Conns) / cfg.Rate * float64(time.Second))
	}
	return w
}

// run sends requests until the worker's bound is reached.
func (w *worker) run(ctx context.Context, s *stats) {
	defer w.conn.close()
	peer := w.id
	for k := int64(0); w.quota < 0 || k < w.quota; k++ {
		due, ok := w.wait(ctx, k)
		if !ok {
			return
		}
		w.announce(ctx, s, peer, due)
		if peer += w.cfg.Conns; peer >= len(w.pop.Peers) {
			peer = w.id
		}
	}
}

// wait returns when request k is due (now, in closed loop), or false when
// the run is over.
func (w *worker) wait(ctx context.Context, k int64) (time.Time, bool) {
	if ctx.Err() != nil {
		return time.Time{}, false
	}
	now := time.Now()
	if w.interval == 0 {
		return now, w.deadline.IsZero() || now.Before(w.deadline)
	}
	// Stagger connections over one interval so arrivals are evenly spaced.
	due := w.start.Add(time.Duration(k)*w.interval + time.Duration(w.id)*w.interval/time.Duration(w.cfg.Conns))
	if !w.deadline.IsZero() && !due.Before(w.deadline) {
		return time.Time{}, false
	}
	if d := due.Sub(now); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return time.Time{}, false
		case <-t.C:
		}
	}
	return due, true
}

// announce advances peer, sends its announce and tallies the outcome.
// Latency runs from due, so a late open-loop request counts its wait.
func (w *worker) announce(ctx context.Context, s *stats, peer int, due time.Time) {
	p := &w.pop.Peers[peer]
	var ev Event
	if w.cfg.Leave {
		if !p.active {
			return
		}
		p.active, ev = false, EventStopped
	} else {
		ev = p.advance(w.rng, uint64(w.pop.Torrents[p.Torrent].Size), w.pop.Shape.StopRate)
	}
	s.events[ev]++
	closeConn := w.cfg.Mode == Close
	w.buf = w.pop.appendRequest(w.buf[:0], &w.cfg.Target, request{peer: peer, event: ev, close: closeConn})
	sent := time.Now()
	if w.interval > 0 {
		s.lag.Record(sent.Sub(due))
	}
	resp, op, err := w.conn.roundTrip(ctx, w.buf, sent)
	end := time.Now()
	if err == nil && (closeConn || resp.close) {
		w.conn.awaitClose()
	}
	if err != nil {
		s.errors[errKind(op, err)]++
		if op == "dial" {
			time.Sleep(time.Millisecond) // a refused dial must not spin
		}
		return
	}
	if w.interval > 0 {
		s.service.Record(end.Sub(sent))
	}
	s.response(resp, end.Sub(due))
}
