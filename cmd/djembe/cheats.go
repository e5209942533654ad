package main

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/projections"
)

// runCheats prints the cheat-signals report (projections.Cheats with the
// default thresholds) as JSON.
func runCheats(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "cheats")
	sinceArg := f.String("since", "7d", "first UTC day covered: a date (2006-01-02) or how far back (7d, 48h)")
	if _, err := f.parse(args, 0, 0, "[--since D]"); err != nil {
		return err
	}
	since, err := parseSince(*sinceArg, time.Now())
	if err != nil {
		return refuse("--since %q: %v", *sinceArg, err)
	}
	return f.query(ctx, func(inst *instance.Instance) (any, error) {
		return projections.Cheats(ctx, inst.Pool, since, projections.DefaultCheatThresholds)
	})
}

// parseSince reads --since: a date (midnight UTC), or a duration back from
// now in days ("7d") or as time.ParseDuration reads it ("48h"). A negative
// duration is refused.
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	var d time.Duration
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days > 100_000 {
			return time.Time{}, errors.New("want a date (2006-01-02), a number of days (7d) or a duration (48h)")
		}
		d = time.Duration(days) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return time.Time{}, errors.New("want a date (2006-01-02), a number of days (7d) or a duration (48h)")
		}
	}
	if d < 0 {
		return time.Time{}, errors.New("a duration back from now cannot be negative")
	}
	return now.Add(-d), nil
}
