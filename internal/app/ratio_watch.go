package app

import (
	"context"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
)

// DefaultRatioWatchEvery is how often the ratio watch runs.
const DefaultRatioWatchEvery = 5 * time.Minute

// RatioWatchConfig is how the ratio watch runs; zero fields are the
// defaults. It runs in every process with the projectors role, once the
// projectors have caught up (several such processes on one log are safe:
// the write side's optimistic concurrency lets one append each change).
type RatioWatchConfig struct {
	Policy domain.RatioWatchPolicy // grace period and download allowance
	Table  domain.RatioTable       // the required ratios; nil: domain.GazelleRatioTable
	Every  time.Duration           // between runs; 0: DefaultRatioWatchEvery
	Now    func() time.Time        // the clock; nil: time.Now (tests bring their own)
	Off    bool                    // no ratio watch in this process
}

func (c RatioWatchConfig) table() domain.RatioTable {
	if c.Table == nil {
		return domain.GazelleRatioTable
	}
	return c.Table
}

func (c RatioWatchConfig) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// runRatioWatch runs the ratio watch until ctx ends: first once the
// projectors have caught up (before that the read models' figures are
// old), then every Every.
func (m *Main) runRatioWatch(ctx context.Context) {
	cfg := m.cfg.RatioWatch
	if cfg.Off {
		return
	}
	if err := cfg.table().Validate(); err != nil {
		m.logger.Error("ratio watch not running: its table is wrong", "err", err)
		return
	}
	for _, pr := range m.projectors {
		select {
		case <-ctx.Done():
			return
		case <-pr.Ready():
		}
	}
	every := cfg.Every
	if every <= 0 {
		every = DefaultRatioWatchEvery
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		m.ratioWatchOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// ratioWatchOnce reads the standings, keeps those whose watch the read
// models say needs a change, and has the write side decide and append
// them. It logs what it appended and what failed.
func (m *Main) ratioWatchOnce(ctx context.Context) (commands.RatioWatchRun, error) {
	cfg := m.cfg.RatioWatch
	now := cfg.now()
	standings, err := projections.WatchStandings(ctx, m.inst.Pool, cfg.table())
	if err != nil {
		if ctx.Err() == nil {
			m.logger.Error("ratio watch: reading standings failed", "err", err)
		}
		return commands.RatioWatchRun{}, err
	}
	var due []commands.RatioStanding
	for _, s := range standings {
		if len(domain.DecideRatioWatch(s.User(), s.Figures(), now, cfg.Policy)) > 0 {
			due = append(due, commands.RatioStanding{UserID: s.UserID, Figures: s.Figures()})
		}
	}
	if len(due) == 0 {
		return commands.RatioWatchRun{}, nil
	}
	run, err := m.commands.EnforceRatioWatch(ctx, now, cfg.Policy, due)
	if run != (commands.RatioWatchRun{}) {
		m.logger.Info("ratio watch", "started", run.Started, "ended", run.Ended,
			"leeching_taken", run.LeechingTaken, "leeching_restored", run.LeechingRestored)
	}
	if err != nil && ctx.Err() == nil {
		m.logger.Error("ratio watch: some users were not brought up to date; the next run tries again", "err", err)
	}
	return run, err
}
