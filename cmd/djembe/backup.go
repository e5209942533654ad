package main

import (
	"context"
	"strconv"
	"strings"

	"github.com/djembe/djembe/commands"
	backupcmd "github.com/djembe/djembe/commands/backup"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/backup"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/projections"
	readbackup "github.com/djembe/djembe/projections/backup"
	"github.com/google/uuid"
)

// backupUsage is the backup command group's usage line.
const backupUsage = "backup create --user NAME --name N [--redundancy N] [--description D] | add-version --backup ID --user NAME FILE.torrent [--message M] | show ID | standing NAME | queue [--page N]"

func runBackup(ctx context.Context, e *env, args []string) error {
	return runSub(ctx, e, args, "backup", backupUsage,
		sub{"create", backupCreate}, sub{"add-version", backupAddVersion}, sub{"show", backupShow},
		sub{"standing", backupStanding}, sub{"queue", backupQueue})
}

// backupCommand runs fn on the Backup plugin's commands, which decide
// quotas and points on the backup read model's standing: the read models
// are first brought up to the log's end, so the standing counts every
// announce appended before the command.
func backupCommand(ctx context.Context, f *flags, fn func(c *commands.Commands, b *backupcmd.Commands) error) error {
	inst, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer inst.Close()
	if err := readModelsCurrent(ctx, inst); err != nil {
		return err
	}
	var opts []commands.Option
	if inst.Owner { // no serve runs its projectors: this command catches up the ones it waits for
		opts = append(opts, commands.WithAwait(catchUpAwait(inst)))
	}
	c := commands.New(inst.Log, inst.Keys(), opts...)
	standing := func(ctx context.Context, u domain.UserID) (backup.Standing, error) {
		return readbackup.Standing(ctx, inst.Pool, u)
	}
	return fn(c, backupcmd.New(c, standing, backup.DefaultAllowance))
}

// parseBackupID reads a backup's id as `backup create` prints it.
func parseBackupID(flag, s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, refuse("%s: %q is not a backup id (backup create prints it)", flag, s)
	}
	return id, nil
}

// backupCreate creates a backup of a user, as the operator.
func backupCreate(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "backup create")
	user := f.String("user", "", "the backup's owner")
	name := f.String("name", "", "the backup's name")
	description := f.String("description", "", "what the backup holds")
	redundancy := f.Int("redundancy", 1, "how many other users should keep a copy of each version (N ≥ 1)")
	if _, err := f.parse(args, 0, 0, "--user NAME --name N [--redundancy N] [--description D]"); err != nil {
		return err
	}
	if *user == "" {
		return refuse("backup create: --user NAME is required (the backup's owner)")
	}
	info := backup.Info{Name: *name, Description: *description, Redundancy: *redundancy}
	var id uuid.UUID
	err := backupCommand(ctx, f, func(_ *commands.Commands, b *backupcmd.Commands) (err error) {
		id, err = b.CreateBackup(ctx, commands.Operator, *user, info)
		return err
	})
	if err != nil {
		return err
	}
	return printJSON(e.stdout, map[string]any{"id": id, "user": *user, "name": strings.TrimSpace(*name),
		"description": strings.TrimSpace(*description), "redundancy": *redundancy})
}

// backupAddVersion uploads a .torrent as a backup's next version, as its
// owner (the operator acts for them: a version is always the owner's).
func backupAddVersion(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "backup add-version")
	id := f.String("backup", "", "the backup's id (backup create prints it)")
	user := f.String("user", "", "the backup's owner, who uploads the version")
	message := f.String("message", "", "what changed in this version")
	source := f.String("source", envOr(e, "DJEMBE_TORRENT_SOURCE", defaultTorrentSource), "the \"source\" written into the .torrent, as the site writes it (so the owner seeds their personal .torrent: torrent get)")
	lf := f.limitFlags()
	pos, err := f.parse(args, 1, 1, "--backup ID --user NAME FILE.torrent [--message M]")
	if err != nil {
		return err
	}
	if *id == "" || *user == "" {
		return refuse("backup add-version: --backup ID and --user NAME (its owner) are required")
	}
	backupID, err := parseBackupID("--backup", *id)
	if err != nil {
		return err
	}
	limits, err := lf.limits()
	if err != nil {
		return err
	}
	data, err := readTorrentFile(pos[0], limits)
	if err != nil {
		return err
	}
	var added backupcmd.Added
	err = backupCommand(ctx, f, func(c *commands.Commands, b *backupcmd.Commands) error {
		owner, err := c.Store().UserByName(ctx, "add version", *user)
		if err != nil {
			return err
		}
		added, err = b.AddVersion(ctx, commands.UserActor(owner.ID, false), backupcmd.AddVersion{
			Backup: backupID, File: data, Uploader: *user, Source: *source, Message: *message})
		return err
	})
	if err != nil {
		return err
	}
	return printJSON(e.stdout, map[string]any{"backup": backupID, "info_hash": added.InfoHash, "number": added.Number,
		"size": added.Size, "title": added.Title})
}

// versionView is a version as the CLI prints it: its state by name.
type versionView struct {
	readbackup.VersionRow
	State string `json:"state"`
}

func viewVersions(vs []readbackup.VersionRow) []versionView {
	out := make([]versionView, len(vs))
	for i, v := range vs {
		out[i] = versionView{VersionRow: v, State: v.State.String()}
	}
	return out
}

// backupView is a backup with its versions as the CLI prints it.
type backupView struct {
	readbackup.BackupRow
	LiveSize   uint64        `json:"live_size"`
	Obligation uint64        `json:"obligation"` // what it asks of its owner: live size × redundancy
	Versions   []versionView `json:"versions"`
}

// backupShow prints a backup with its versions' redundancy and state.
func backupShow(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "backup show")
	pos, err := f.parse(args, 1, 1, "ID")
	if err != nil {
		return err
	}
	id, err := parseBackupID("backup show", pos[0])
	if err != nil {
		return err
	}
	return f.query(ctx, func(inst *instance.Instance) (any, error) {
		b, err := readbackup.Backup(ctx, inst.Pool, id)
		if err != nil {
			return nil, err
		}
		return backupView{BackupRow: b, LiveSize: b.LiveSize(), Obligation: backup.Obligation(b.LiveSize(), b.Redundancy),
			Versions: viewVersions(b.Versions)}, nil
	})
}

// backupStanding prints a user's standing in the backup economy.
func backupStanding(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "backup standing")
	pos, err := f.parse(args, 1, 1, "NAME")
	if err != nil {
		return err
	}
	return f.query(ctx, func(inst *instance.Instance) (any, error) {
		id, err := projections.UserIDByName(ctx, inst.Pool, pos[0])
		if err != nil {
			return nil, err
		}
		s, err := readbackup.Economy(ctx, inst.Pool, id, backup.DefaultAllowance)
		if err != nil {
			return nil, err
		}
		return map[string]any{"user": pos[0], "credit": s.Credit, "obligation": s.Obligation,
			"allowance": s.Allowance, "room": s.Room,
			"earned_points": points(s.EarnedMilli), "assigned_points": points(s.AssignedMilli), "balance_points": points(s.BalanceMilli),
			"earned_milli": s.EarnedMilli, "assigned_milli": s.AssignedMilli, "balance_milli": s.BalanceMilli}, nil
	})
}

// points is thousandths of a point as points.
func points(milli int64) float64 { return float64(milli) / 1000 }

// backupQueue prints a page of the priority queue: the versions that need
// copies, most at risk first.
func backupQueue(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "backup queue")
	page := f.Int("page", 1, "the page, from 1 ("+strconv.Itoa(readbackup.PageSize)+" versions a page)")
	if _, err := f.parse(args, 0, 0, "[--page N]"); err != nil {
		return err
	}
	if *page < 1 {
		return refuse("backup queue: --page %d: pages count from 1", *page)
	}
	return f.query(ctx, func(inst *instance.Instance) (any, error) {
		rows, total, err := readbackup.Queue(ctx, inst.Pool, readbackup.PageSize, (*page-1)*readbackup.PageSize)
		if err != nil {
			return nil, err
		}
		return map[string]any{"total": total, "page": *page, "versions": viewVersions(rows)}, nil
	})
}
