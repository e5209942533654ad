package demo

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/app"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/projections"
)

// catchUpTimeout bounds the wait for a serve's projectors: the history is
// tens of thousands of announces, which a busy machine projects in tens of
// seconds.
const catchUpTimeout = 5 * time.Minute

// CatchUp returns once every read model has applied the whole log as it
// is now. Without a serve (inst owns the data directory) it runs the
// projectors itself; otherwise it waits for the serve's, saying on stderr
// how far they are every few seconds.
func CatchUp(ctx context.Context, inst *instance.Instance, stderr io.Writer) error {
	if inst.Owner {
		for _, p := range app.Projections() {
			if err := projections.NewProjector(p, inst.Pool, inst.Log).CatchUp(ctx); err != nil {
				return err
			}
		}
		return nil
	}
	target, err := inst.Log.LastSeq(ctx)
	if err != nil {
		return domain.E("demo", domain.KindUnavailable, "the event log did not answer: %v", err)
	}
	start, said := time.Now(), time.Now()
	for {
		st, err := projections.Statuses(ctx, inst.Pool, inst.Log)
		if err != nil {
			return err
		}
		var behind []string
		least := target
		for _, s := range st {
			if s.Seq < target {
				behind, least = append(behind, s.Name), min(least, s.Seq)
			}
		}
		switch {
		case len(behind) == 0 && len(st) > 0:
			return nil
		case time.Since(start) > catchUpTimeout:
			return domain.E("demo", domain.KindUnavailable, "the read models %s have not caught up with the log after %s: the site shows the data once they do (see djembe status)",
				strings.Join(behind, ", "), catchUpTimeout)
		case time.Since(said) > 5*time.Second:
			fmt.Fprintf(stderr, "demo: read models at %d of %d events (%s behind)\n", least, target, strings.Join(behind, ", "))
			said = time.Now()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// ratioWatch runs the ratio watch once, as a serve does every five
// minutes (with the default table and policy), so that a user below
// their required ratio is on watch when the demo returns.
func (r *demoRun) ratioWatch(ctx context.Context, now time.Time) error {
	var p domain.RatioWatchPolicy
	standings, err := projections.WatchStandings(ctx, r.inst.Pool, nil)
	if err != nil {
		return err
	}
	var due []commands.RatioStanding
	for _, s := range standings {
		if len(domain.DecideRatioWatch(s.User(), s.Figures(), now, p)) > 0 {
			due = append(due, commands.RatioStanding{UserID: s.UserID, Figures: s.Figures()})
		}
	}
	run, err := r.cmds.EnforceRatioWatch(ctx, now, p, due)
	if err != nil {
		return err
	}
	fmt.Fprintf(r.stderr, "demo: ratio watch: %d put on watch\n", run.Started)
	return nil
}
