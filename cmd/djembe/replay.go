package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/djembe/djembe/internal/app"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/projections"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

func runReplay(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "replay")
	all := f.Bool("all", false, "rebuild every read model")
	names, err := f.parse(args, 0, -1, "NAME... | --all")
	if err != nil {
		return err
	}
	targets, err := replayTargets(names, *all)
	if err != nil {
		return err
	}
	inst, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer inst.Close()
	start := time.Now()
	results, err := rebuildAll(ctx, inst.Background, inst.Log, targets, newProgressView(e.stderr, projectionList(targets)))
	if err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	summary := map[string]any{}
	var events uint64
	for _, r := range results {
		fmt.Fprintf(e.stderr, "%s: rebuilt from %d log messages, %d events in %.1fs (%.0f events/s), swapped in\n",
			r.name, r.last.Seq, r.last.Events, r.secs, float64(r.last.Events)/r.secs)
		summary[r.name] = map[string]any{"seq": r.last.Seq, "events": r.last.Events, "seconds": r.secs,
			"events_per_second": float64(r.last.Events) / r.secs}
		events = max(events, r.last.Events)
	}
	fmt.Fprintf(e.stderr, "replayed %d events into %d read models in %.1fs: %.0f events/s\n", events, len(results), secs, float64(events)/secs)
	return printJSON(e.stdout, map[string]any{"replayed": summary, "events": events, "seconds": secs,
		"events_per_second": float64(events) / secs})
}

type rebuildResult struct {
	name string
	last projections.RebuildProgress
	secs float64
}

// rebuildAll rebuilds the projections concurrently (each reads the log on
// its own), reporting their summed progress to show. The first error
// cancels the others; a cancelled rebuild leaves the live tables as they were.
func rebuildAll(ctx context.Context, pool *pgxpool.Pool, log *eventlog.Log, targets []projections.Projection, show projections.Progress) ([]rebuildResult, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	progress := make([]projections.RebuildProgress, len(targets))
	results := make([]rebuildResult, len(targets))
	errs := make([]error, len(targets))
	var wg sync.WaitGroup
	for i, p := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			err := projections.NewProjector(p, pool, log).Rebuild(ctx, func(rp projections.RebuildProgress) {
				mu.Lock()
				defer mu.Unlock()
				progress[i] = rp
				var sum projections.RebuildProgress
				for _, q := range progress {
					sum.Seq, sum.Total, sum.Events = sum.Seq+q.Seq, sum.Total+q.Total, sum.Events+q.Events
					sum.Bytes, sum.TotalBytes = sum.Bytes+q.Bytes, sum.TotalBytes+q.TotalBytes
				}
				show(sum)
			})
			if err != nil {
				errs[i] = fmt.Errorf("replay %s: %w", p.Name(), err)
				cancel()
			}
			results[i] = rebuildResult{name: p.Name(), last: progress[i], secs: time.Since(start).Seconds()}
		}()
	}
	wg.Wait()
	return results, errors.Join(errs...)
}

func projectionList(ps []projections.Projection) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name()
	}
	return strings.Join(names, ",")
}

func replayTargets(names []string, all bool) ([]projections.Projection, error) {
	if all == (len(names) > 0) {
		return nil, refuse("usage: djembe replay NAME... | --all (projections: %s)", app.ProjectionNames())
	}
	if all {
		return app.Projections(), nil
	}
	var out []projections.Projection
	for _, n := range names {
		p, ok := app.ProjectionByName(n)
		if !ok {
			return nil, refuse("no projection named %q (projections: %s)", n, app.ProjectionNames())
		}
		out = append(out, p)
	}
	return out, nil
}

// newProgressView shows rebuild progress: on a terminal a bar over the
// log's bytes with events done, their rate and the ETA; otherwise a plain
// line every few seconds.
func newProgressView(w io.Writer, name string) projections.Progress {
	start := time.Now()
	describe := func(rp projections.RebuildProgress) string {
		return fmt.Sprintf("replay %s: %d events, %.0f events/s", name, rp.Events,
			float64(rp.Events)/max(time.Since(start).Seconds(), 1e-9))
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		var bar *progressbar.ProgressBar
		return func(rp projections.RebuildProgress) {
			if bar == nil {
				bar = progressbar.NewOptions64(int64(rp.TotalBytes), progressbar.OptionSetWriter(w),
					progressbar.OptionShowBytes(true), progressbar.OptionSetPredictTime(true),
					progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
			}
			bar.ChangeMax64(int64(rp.TotalBytes))
			bar.Describe(describe(rp))
			bar.Set64(int64(rp.Bytes))
		}
	}
	var lastPrint time.Time
	return func(rp projections.RebuildProgress) {
		now := time.Now()
		if now.Sub(lastPrint) < 2*time.Second && rp.Bytes < rp.TotalBytes {
			return
		}
		lastPrint = now
		eta := "?"
		if rp.Bytes > 0 {
			left := now.Sub(start).Seconds() * float64(rp.TotalBytes-rp.Bytes) / float64(rp.Bytes)
			eta = time.Duration(left * float64(time.Second)).Round(time.Second).String()
		}
		fmt.Fprintf(w, "%s, %.0f%% of the log, ETA %s\n", describe(rp), 100*float64(rp.Bytes)/float64(max(rp.TotalBytes, 1)), eta)
	}
}

func runStatus(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "status")
	if _, err := f.parse(args, 0, 0, ""); err != nil {
		return err
	}
	inst, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer inst.Close()
	st, err := projections.Statuses(ctx, inst.Pool, inst.Log)
	if err != nil {
		return err
	}
	last, bytes, err := inst.Log.Size(ctx)
	if err != nil {
		return err
	}
	quarantined, err := projections.QuarantineCounts(ctx, inst.Pool)
	if err != nil {
		return err
	}
	return printJSON(e.stdout, map[string]any{"log": map[string]uint64{"last_seq": last, "bytes": bytes},
		"projections": st, "quarantine": quarantined, "serving": !inst.Owner})
}
