package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/djembe/djembe/projections"
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
	summary := map[string]any{}
	for _, p := range targets {
		start := time.Now()
		var last projections.RebuildProgress
		show := newProgressView(e.stderr, p.Name())
		err := projections.NewProjector(p, inst.Pool, inst.Log).Rebuild(ctx, func(rp projections.RebuildProgress) {
			last = rp
			show(rp)
		})
		show = nil
		if err != nil {
			return fmt.Errorf("replay %s: %w", p.Name(), err)
		}
		secs := time.Since(start).Seconds()
		fmt.Fprintf(e.stderr, "%s: rebuilt from %d log messages, %d events in %.1fs (%.0f events/s), swapped in\n",
			p.Name(), last.Seq, last.Events, secs, float64(last.Events)/secs)
		summary[p.Name()] = map[string]any{"seq": last.Seq, "events": last.Events, "seconds": secs,
			"events_per_second": float64(last.Events) / secs}
	}
	return printJSON(e.stdout, map[string]any{"replayed": summary})
}

func replayTargets(names []string, all bool) ([]projections.Projection, error) {
	if all == (len(names) > 0) {
		return nil, refuse("usage: djembe replay NAME... | --all (projections: %s)", projectionNames())
	}
	if all {
		return projections.All(), nil
	}
	var out []projections.Projection
	for _, n := range names {
		p, ok := projections.ByName(n)
		if !ok {
			return nil, refuse("no projection named %q (projections: %s)", n, projectionNames())
		}
		out = append(out, p)
	}
	return out, nil
}

func projectionNames() string {
	s := ""
	for i, p := range projections.All() {
		if i > 0 {
			s += ", "
		}
		s += p.Name()
	}
	return s
}

// newProgressView shows rebuild progress: a bar with events done, rate and
// ETA on a terminal, plain lines every few seconds otherwise.
func newProgressView(w io.Writer, name string) projections.Progress {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		var bar *progressbar.ProgressBar
		return func(rp projections.RebuildProgress) {
			if bar == nil {
				bar = progressbar.NewOptions64(int64(rp.Total), progressbar.OptionSetWriter(w),
					progressbar.OptionSetDescription("replay "+name), progressbar.OptionShowCount(),
					progressbar.OptionSetPredictTime(true), progressbar.OptionSetItsString("msg"), progressbar.OptionShowIts(),
					progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
			}
			bar.ChangeMax64(int64(rp.Total))
			bar.Describe(fmt.Sprintf("replay %s: %d events", name, rp.Events))
			bar.Set64(int64(rp.Seq))
		}
	}
	start, lastPrint := time.Now(), time.Time{}
	return func(rp projections.RebuildProgress) {
		now := time.Now()
		if now.Sub(lastPrint) < 2*time.Second && rp.Seq < rp.Total {
			return
		}
		lastPrint = now
		elapsed := now.Sub(start).Seconds()
		rate := float64(rp.Events) / max(elapsed, 1e-9)
		eta := "?"
		if rp.Seq > 0 {
			eta = (time.Duration(elapsed*float64(rp.Total-rp.Seq)/float64(rp.Seq)) * time.Second).Round(time.Second).String()
		}
		fmt.Fprintf(w, "replay %s: %d/%d log messages (%.0f%%), %d events, %.0f events/s, ETA %s\n",
			name, rp.Seq, rp.Total, 100*float64(rp.Seq)/float64(max(rp.Total, 1)), rp.Events, rate, eta)
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
	return printJSON(e.stdout, map[string]any{"projections": st, "serving": !inst.Owner})
}
