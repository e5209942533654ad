package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/djembe/djembe/internal/loadgen"
)

// benchSummary is the JSON `djembe bench` prints on stdout.
type benchSummary struct {
	Setup       setupReport          `json:"setup"`
	Shape       shapeReport          `json:"shape"`
	Runs        []*loadgen.Result    `json:"runs"`
	Memory      *memoryReport        `json:"memory,omitempty"`
	Ratios      map[string]float64   `json:"tracker_to_baseline_ratio,omitempty"` // by mode: tracker req/s ÷ baseline req/s, the median over the rounds
	RoundRatios map[string][]float64 `json:"round_ratios,omitempty"`              // by mode: each round's ratio
}

// shapeReport describes the simulated load.
type shapeReport struct {
	Users         int     `json:"users"`
	Torrents      int     `json:"torrents"`
	Peers         int     `json:"peers"`
	Skew          float64 `json:"zipf_skew"`
	SeedFraction  float64 `json:"seed_fraction"`
	StopRate      float64 `json:"stop_rate"`
	Numwant       int     `json:"numwant"`
	Conns         int     `json:"conns"`
	BiggestSwarms []int   `json:"biggest_swarms"`
	MedianSwarm   int     `json:"median_swarm"`
	EmptyTorrents int     `json:"torrents_without_peers"`
}

// bench runs the phases of one `djembe bench` and collects the summary.
type bench struct {
	e       *env
	c       *benchConfig
	target  loadgen.Target
	summary benchSummary
}

func (b *bench) run(ctx context.Context, users []loadgen.User, torrents []loadgen.Torrent) (err error) {
	shape := loadgen.DefaultShape(b.c.peers)
	shape.Skew, shape.Numwant, shape.Seed = b.c.skew, b.c.numwant, b.c.seed
	pop, err := loadgen.NewPopulation(users, torrents, shape, randomNonce())
	if err != nil {
		return err
	}
	b.describe(pop)
	loadgen.WriteTableHeader(b.e.stderr)
	// Memory is the point of --peers-only: the before reading settles too.
	before, beforeHow := b.reading(ctx, b.c.peersOnly > 0)
	fill, err := b.phase(ctx, pop, loadgen.Config{Name: "tracker fill", Target: b.target, Conns: b.c.conns, Once: true})
	if err != nil {
		return err
	}
	if !b.c.keepPeers {
		defer b.leave(ctx, pop, &err)
	}
	b.memory(ctx, before, beforeHow, fill)
	if b.c.peersOnly > 0 {
		return nil
	}
	return b.rounds(ctx, pop)
}

// rounds measures the tracker and, with --baseline, the baseline right
// after it, --rounds times in turn: pairs close in time share the host's
// mood, which on a shared machine swings both by tens of percent.
func (b *bench) rounds(ctx context.Context, pop *loadgen.Population) error {
	basePop := pop.Clone() // the baseline gets requests of the same shape
	var srv *baselineServer
	defer func() {
		if srv != nil {
			srv.stop()
		}
	}()
	ratios := map[string][]float64{}
	for round := 1; round <= b.c.rounds; round++ {
		trackerRPS, err := b.measure(ctx, pop, b.target)
		if err != nil {
			return err
		}
		if !b.c.baseline {
			continue
		}
		if srv == nil {
			if srv, err = b.startBaseline(ctx); err != nil {
				return err
			}
		}
		baseRPS, err := b.measure(ctx, basePop, loadgen.Target{Addr: srv.addr, Name: "baseline"})
		if err != nil {
			return err
		}
		for _, m := range b.c.modes() {
			mode := m.String()
			if t, base := trackerRPS[mode], baseRPS[mode]; base > 0 {
				ratios[mode] = append(ratios[mode], t/base)
				fmt.Fprintf(b.e.stderr, "ratio tracker/baseline %-9s %.2f  (%.0f / %.0f req/s)\n", mode, t/base, t, base)
			}
		}
	}
	b.reportRatios(ratios)
	return nil
}

// notePacing says when much of a run was answered with the min-interval
// warning or refused for announcing too often: the simulated peers
// re-announce every few seconds, real clients once per interval, so such a
// run measures the early-announce path more than the usual one.
func (b *bench) notePacing(r *loadgen.Result) {
	early := r.Warnings
	for reason, n := range r.FailureReasons {
		if strings.HasPrefix(reason, "announcing too often") {
			early += n
		}
	}
	if r.Responses == 0 || early*10 < r.Responses {
		return
	}
	fmt.Fprintf(b.e.stderr, "    note: %.0f%% of these announces came inside the serve's min interval and were answered with a warning or refused;\n"+
		"          real clients announce once per interval. Start serve with --min-interval 1s to measure full announces.\n",
		100*float64(early)/float64(r.Responses))
}

// leave announces stopped for every simulated peer still active, so that
// the tracker and its read models end as they began and the next bench
// measures the same swarms, not swarms grown by this run's peers. An error
// of its own is reported in *err unless there is one already.
func (b *bench) leave(ctx context.Context, pop *loadgen.Population, err *error) {
	_, lerr := b.phase(ctx, pop, loadgen.Config{Name: "tracker leave", Target: b.target, Conns: b.c.conns, Once: true, Leave: true})
	if *err == nil {
		*err = lerr
	}
}

// measure runs each mode (and, with --rate half, each at half its maximum)
// against target and returns the closed-loop req/s by mode.
func (b *bench) measure(ctx context.Context, pop *loadgen.Population, target loadgen.Target) (map[string]float64, error) {
	rps := map[string]float64{}
	for _, m := range b.c.modes() {
		r, err := b.phase(ctx, pop, b.measured(target, m, b.c.openRate(), ""))
		if err != nil {
			return nil, err
		}
		rps[m.String()] = r.RPS
		if b.c.rate == "half" && r.RPS > 0 {
			if _, err := b.phase(ctx, pop, b.measured(target, m, r.RPS/2, " @half")); err != nil {
				return nil, err
			}
		}
	}
	return rps, nil
}

func (b *bench) measured(target loadgen.Target, m loadgen.Mode, rate float64, suffix string) loadgen.Config {
	cfg := loadgen.Config{Name: target.Name + " " + m.String() + suffix, Target: target, Conns: b.c.conns, Mode: m, Rate: rate}
	if b.c.requests > 0 {
		cfg.Requests = b.c.requests
	} else {
		cfg.Duration = b.c.duration
	}
	return cfg
}

// phase runs one bounded load run and prints and records its result, with
// what the tracker's own counters say about it.
func (b *bench) phase(ctx context.Context, pop *loadgen.Population, cfg loadgen.Config) (*loadgen.Result, error) {
	before := b.quiesce(ctx)
	if cfg.Target.Name != "tracker" {
		before = nil // server metrics are the tracker's
	}
	r, err := loadgen.Run(ctx, pop, cfg)
	if err != nil {
		return nil, err
	}
	r.WriteRow(b.e.stderr)
	if before != nil {
		b.serverMetrics(ctx, r, before)
		b.notePacing(r)
	}
	b.summary.Runs = append(b.summary.Runs, r)
	return r, ctx.Err()
}

// Metrics of the serve's background work.
const (
	metricProjectionLag = "djembe_projection_lag_events"
)

// quiesce waits, at most --quiet-timeout, until the serve has caught up with
// the previous run: its projectors have applied the whole log and its
// tracker has stored every accepted announce. Each run, the baseline's too,
// then starts on an otherwise idle machine; the work a run causes still
// counts against it while it runs. It returns the last reading of the
// serve's metrics, nil if there was none.
func (b *bench) quiesce(ctx context.Context) *loadgen.Metrics {
	start := time.Now()
	for {
		m := b.scrape(ctx)
		if m == nil {
			return nil
		}
		lag, pending := m.Values[metricProjectionLag], m.Values[metricPending]
		if lag == 0 && pending == 0 {
			if d := time.Since(start); d > 500*time.Millisecond {
				fmt.Fprintf(b.e.stderr, "    (waited %.1fs for the serve's projectors and publisher to catch up)\n", d.Seconds())
			}
			return m
		}
		if time.Since(start) > b.c.quietTimeout || ctx.Err() != nil {
			fmt.Fprintf(b.e.stderr, "    (still busy after %s: projection lag %.0f events, %.0f announces pending; measuring anyway)\n", b.c.quietTimeout, lag, pending)
			return m
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Tracker metrics reported per run.
const (
	metricAnnounces = "djembe_tracker_announces_total"
	metricStored    = "djembe_tracker_announces_stored_total"
	metricPending   = "djembe_tracker_pending_announces"
	metricPeers     = "djembe_tracker_peers"
)

// serverMetrics records how many announces the tracker counted and stored
// in the log during the run, and its backlog and peers right after it.
func (b *bench) serverMetrics(ctx context.Context, r *loadgen.Result, before *loadgen.Metrics) {
	after := b.scrape(ctx)
	if after == nil {
		return
	}
	if _, ok := after.Values[metricAnnounces]; !ok {
		return
	}
	r.Server = map[string]float64{
		"announces_counted":       after.Values[metricAnnounces] - before.Values[metricAnnounces],
		"announces_stored_in_log": after.Values[metricStored] - before.Values[metricStored],
		"pending_announces_after": after.Values[metricPending],
		"active_peers_after":      after.Values[metricPeers],
	}
	fmt.Fprintf(b.e.stderr, "    tracker: %.0f announces counted, %.0f stored in the log during the run, %.0f pending after it, %.0f active peers\n",
		r.Server["announces_counted"], r.Server["announces_stored_in_log"], r.Server["pending_announces_after"], r.Server["active_peers_after"])
}

func (b *bench) describe(pop *loadgen.Population) {
	sizes := pop.SwarmSizes()
	sort.Sort(sort.Reverse(sort.IntSlice(sizes)))
	empty := 0
	for _, n := range sizes {
		if n == 0 {
			empty++
		}
	}
	s := pop.Shape
	b.summary.Shape = shapeReport{Users: len(pop.Users), Torrents: len(pop.Torrents), Peers: len(pop.Peers), Skew: s.Skew,
		SeedFraction: s.SeedFraction, StopRate: s.StopRate, Numwant: s.Numwant, Conns: b.c.conns,
		BiggestSwarms: sizes[:min(5, len(sizes))], MedianSwarm: sizes[len(sizes)/2], EmptyTorrents: empty}
	fmt.Fprintf(b.e.stderr, "shape: %d peers of %d users on %d torrents (Zipf s=%.2f: biggest swarms %v, median %d, %d without peers), %.0f%% seeders, %.0f%% stops, numwant %d, %d conns\n",
		len(pop.Peers), len(pop.Users), len(pop.Torrents), s.Skew, b.summary.Shape.BiggestSwarms, b.summary.Shape.MedianSwarm, empty,
		100*s.SeedFraction, 100*s.StopRate, s.Numwant, b.c.conns)
}

// startBaseline starts the trivial net/http handler in its own process,
// answering a body of the size of the tracker's first measured answers.
func (b *bench) startBaseline(ctx context.Context) (*baselineServer, error) {
	size := 0 // the smallest valid body, if no tracker run answered
	if len(b.summary.Runs) > 1 {
		size = int(math.Round(b.summary.Runs[1].AvgBodyBytes)) // the first measured run's, after the fill
	}
	srv, err := startBaseline(ctx, size)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(b.e.stderr, "baseline: trivial net/http handler at %s (pid %d), fixed %d-byte body\n", srv.addr, srv.pid, size)
	return srv, nil
}

// reportRatios records each mode's median tracker/baseline ratio over the
// rounds (and every round's), printing a summary line when there were
// several rounds.
func (b *bench) reportRatios(ratios map[string][]float64) {
	if len(ratios) == 0 {
		return
	}
	b.summary.Ratios = map[string]float64{}
	b.summary.RoundRatios = ratios
	for _, m := range b.c.modes() {
		r := ratios[m.String()]
		if len(r) == 0 {
			continue
		}
		sorted := slices.Sorted(slices.Values(r))
		med := median(sorted)
		b.summary.Ratios[m.String()] = med
		if len(r) > 1 {
			fmt.Fprintf(b.e.stderr, "ratio tracker/baseline %-9s median %.2f over %d rounds (%.2f to %.2f)\n",
				m.String(), med, len(r), sorted[0], sorted[len(sorted)-1])
		}
	}
}

// median of sorted, which is not empty.
func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

func randomNonce() uint16 {
	var b [2]byte
	_, _ = rand.Read(b[:])
	return binary.LittleEndian.Uint16(b[:])
}
