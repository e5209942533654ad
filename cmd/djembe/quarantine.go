package main

import (
	"context"
	"strconv"
	"strings"

	"github.com/djembe/djembe/internal/app"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/projections"
)

// runQuarantine manages the records consumers skipped instead of applying
// (see projections.QuarantineEntry):
//
//   - list: every entry, and the count in each state.
//   - skip SEQ: the operator acknowledges that the event stays skipped for
//     good; it no longer alarms in status and metrics. Consumers keep
//     skipping it (a replay too).
//   - release SEQ: the operator asks the consumers to try the event again,
//     after an upgrade that can decode or apply it. The entry is marked
//     released and the projections that skipped it are rebuilt, blue/green,
//     so their tables include it; a projection that still fails puts it back
//     to quarantined. The tracker reads the whole log at every start, so it
//     retries the event at its next start. An event on a subject its type
//     does not belong on is refused by every build: releasing it only
//     quarantines it again.
func runQuarantine(ctx context.Context, e *env, args []string) error {
	return runSub(ctx, e, args, "quarantine", "quarantine list | release SEQ | skip SEQ",
		sub{"list", quarantineList}, sub{"release", quarantineRelease}, sub{"skip", quarantineSkip})
}

// quarantineList prints every entry. Without a serve it first runs the
// projectors to the end of the log, so what they skip is listed; a running
// serve's projectors record what they meet as they meet it.
func quarantineList(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "quarantine list")
	if _, err := f.parse(args, 0, 0, ""); err != nil {
		return err
	}
	inst, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer inst.Close()
	if inst.Owner {
		if err := readModelsCurrent(ctx, inst); err != nil {
			return err
		}
	}
	entries, err := projections.Quarantine(ctx, inst.Pool)
	if err != nil {
		return err
	}
	counts, err := projections.QuarantineCounts(ctx, inst.Pool)
	if err != nil {
		return err
	}
	return printJSON(e.stdout, map[string]any{"entries": entries, "counts": counts})
}

func quarantineSkip(ctx context.Context, e *env, args []string) error {
	inst, entry, err := decideQuarantine(ctx, e, "quarantine skip", args, projections.QuarantineSkipped)
	if err != nil {
		return err
	}
	inst.Close()
	return printJSON(e.stdout, map[string]any{"entry": entry})
}

// decideQuarantine records the operator's decision on the entry args name,
// on the instance it opens (the caller closes it; it is closed on error).
func decideQuarantine(ctx context.Context, e *env, name string, args []string, state string) (*instance.Instance, projections.QuarantineEntry, error) {
	f := newFlags(e, name)
	seq, err := parseSeq(f, args)
	if err != nil {
		return nil, projections.QuarantineEntry{}, err
	}
	inst, err := f.open(ctx)
	if err != nil {
		return nil, projections.QuarantineEntry{}, err
	}
	entry, err := projections.DecideQuarantine(ctx, inst.Pool, seq, state)
	if err != nil {
		inst.Close()
	}
	return inst, entry, err
}

func quarantineRelease(ctx context.Context, e *env, args []string) error {
	inst, entry, err := decideQuarantine(ctx, e, "quarantine release", args, projections.QuarantineReleased)
	if err != nil {
		return err
	}
	defer inst.Close()
	targets, tracker := releaseTargets(entry)
	rebuilt := []string{}
	if len(targets) > 0 {
		if _, err := rebuildAll(ctx, inst.Background, inst.Log, targets, newProgressView(e.stderr, projectionList(targets))); err != nil {
			return err
		}
		rebuilt = strings.Split(projectionList(targets), ",")
	}
	out := map[string]any{"rebuilt": rebuilt}
	if tracker {
		out["tracker"] = "retries it at its next start"
	}
	return printEntry(ctx, e, inst, entry.Seq, out)
}

// releaseTargets are the projections among the consumers that skipped the
// entry's record, and whether a tracker did.
func releaseTargets(entry projections.QuarantineEntry) (targets []projections.Projection, tracker bool) {
	for _, c := range entry.Consumers {
		if p, ok := app.ProjectionByName(c); ok {
			targets = append(targets, p)
		} else if strings.HasPrefix(c, "tracker:") {
			tracker = true
		}
	}
	return targets, tracker
}

// printEntry prints out with the entry of seq as it is now.
func printEntry(ctx context.Context, e *env, inst *instance.Instance, seq uint64, out map[string]any) error {
	entry, _, err := projections.QuarantineEntryAt(ctx, inst.Pool, seq)
	if err != nil {
		return err
	}
	out["entry"] = entry
	return printJSON(e.stdout, out)
}

func parseSeq(f *flags, args []string) (uint64, error) {
	pos, err := f.parse(args, 1, 1, "SEQ")
	if err != nil {
		return 0, err
	}
	seq, err := strconv.ParseUint(pos[0], 10, 64)
	if err != nil || seq == 0 {
		return 0, refuse("%s: %q is not a log sequence (see djembe quarantine list)", f.Name(), pos[0])
	}
	return seq, nil
}
