package bench

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/djembe/djembe/internal/loadgen"
)

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
	for round := 1; round <= b.c.Rounds; round++ {
		trackerRPS, err := b.measure(ctx, pop, b.target)
		if err != nil {
			return err
		}
		if !b.c.Baseline {
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
		for _, m := range b.c.Modes() {
			mode := m.String()
			if t, base := trackerRPS[mode], baseRPS[mode]; base > 0 {
				ratios[mode] = append(ratios[mode], t/base)
				fmt.Fprintf(b.w, "ratio tracker/baseline %-9s %.2f  (%.0f / %.0f req/s)\n", mode, t/base, t, base)
			}
		}
	}
	b.reportRatios(ratios)
	return nil
}

// measure runs each mode (and, with --rate half, each at half its maximum)
// against target and returns the closed-loop req/s by mode.
func (b *bench) measure(ctx context.Context, pop *loadgen.Population, target loadgen.Target) (map[string]float64, error) {
	rps := map[string]float64{}
	for _, m := range b.c.Modes() {
		r, err := b.phase(ctx, pop, b.measured(target, m, b.c.OpenRate(), ""))
		if err != nil {
			return nil, err
		}
		rps[m.String()] = r.RPS
		if b.c.Rate == "half" && r.RPS > 0 {
			if _, err := b.phase(ctx, pop, b.measured(target, m, r.RPS/2, " @half")); err != nil {
				return nil, err
			}
		}
	}
	return rps, nil
}

func (b *bench) measured(target loadgen.Target, m loadgen.Mode, rate float64, suffix string) loadgen.Config {
	cfg := loadgen.Config{Name: target.Name + " " + m.String() + suffix, Target: target, Conns: b.c.Conns, Mode: m, Rate: rate}
	if b.c.Requests > 0 {
		cfg.Requests = b.c.Requests
	} else {
		cfg.Duration = b.c.Duration
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
	r.WriteRow(b.w)
	if before != nil {
		b.serverMetrics(ctx, r, before)
		b.notePacing(r)
	}
	b.summary.Runs = append(b.summary.Runs, r)
	return r, ctx.Err()
}

// leave announces stopped for every simulated peer still active, so that
// the tracker and its read models end as they began and the next bench
// measures the same swarms, not swarms grown by this run's peers. An error
// of its own is reported in *err unless there is one already.
func (b *bench) leave(ctx context.Context, pop *loadgen.Population, err *error) {
	_, lerr := b.phase(ctx, pop, loadgen.Config{Name: "tracker leave", Target: b.target, Conns: b.c.Conns, Once: true, Leave: true})
	if *err == nil {
		*err = lerr
	}
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
	fmt.Fprintf(b.w, "    note: %.0f%% of these announces came inside the serve's min interval and were answered with a warning or refused;\n"+
		"          real clients announce once per interval. Start serve with --min-interval 1s to measure full announces.\n",
		100*float64(early)/float64(r.Responses))
}

// startBaseline starts the trivial net/http handler in its own process,
// answering a body of the size of the tracker's first measured answers.
func (b *bench) startBaseline(ctx context.Context) (*baselineServer, error) {
	size := 0 // the smallest valid body, if no tracker run answered
	if len(b.summary.Runs) > 1 {
		size = int(math.Round(b.summary.Runs[1].AvgBodyBytes)) // the first measured run's, after the fill
	}
	srv, err := startBaseline(ctx, size, b.w)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(b.w, "baseline: trivial net/http handler at %s (pid %d), fixed %d-byte body\n", srv.addr, srv.pid, size)
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
	for _, m := range b.c.Modes() {
		r := ratios[m.String()]
		if len(r) == 0 {
			continue
		}
		sorted := slices.Sorted(slices.Values(r))
		med := median(sorted)
		b.summary.Ratios[m.String()] = med
		if len(r) > 1 {
			fmt.Fprintf(b.w, "ratio tracker/baseline %-9s median %.2f over %d rounds (%.2f to %.2f)\n",
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
