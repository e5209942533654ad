// Package backup is the Backup plugin's write side: creating and editing
// backups, setting their redundancy and priority points, and adding and
// deleting their versions (one torrent each). Every change is an event of
// domain/backup on the backup's own subject, appended through the core
// write side's commands.Store with an expected sequence, so a change is
// decided on the backup as it was when appended.
//
// What a change asks of its owner's whole standing (the quota of a new
// version or a higher redundancy, the points balance) is decided on the
// backup read model's Standing, which New is given: it is at most the
// backup projector's lag behind the log, so two changes of one owner in
// quick succession may both be decided on the standing before the first.
// The backup's own state (its versions, redundancy and points) is read
// from the log and is always current.
package backup

import (
	"context"
	"errors"
	"strings"
	"unicode"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/backup"
	"github.com/google/uuid"
)

// StandingFunc is a user's standing in the backup economy as the backup
// read model holds it (projections/backup.Standing).
type StandingFunc func(ctx context.Context, user domain.UserID) (backup.Standing, error)

// Commands is the Backup plugin's write side.
type Commands struct {
	s         commands.Store
	standing  StandingFunc
	allowance uint64
}

// New returns the plugin's commands on the core write side, deciding
// quotas and points on standing with the starter allowance (bytes of
// obligation a user may hold before any credit; backup.DefaultAllowance
// is the site's default).
func New(c *commands.Commands, standing func(ctx context.Context, user domain.UserID) (backup.Standing, error), allowance uint64) *Commands {
	return &Commands{s: c.Store(), standing: standing, allowance: allowance}
}

// Allowance is the starter allowance the commands decide with.
func (m *Commands) Allowance() uint64 { return m.allowance }

// maxTries bounds deciding a change again when its backup changed between
// the read and the append.
const maxTries = 3

// load folds backup id from its subject; last is the sequence the next
// change expects. A backup never created is KindNotFound on "backup".
func (m *Commands) load(ctx context.Context, op string, id uuid.UUID) (b backup.Backup, last uint64, err error) {
	evs, last, err := m.s.Read(ctx, op, backup.BackupSubject(id))
	if err != nil {
		return b, 0, err
	}
	for _, e := range evs {
		b.Apply(e)
	}
	if !b.Exists() {
		return b, 0, domain.FieldE(op, "backup", domain.KindNotFound, "no such backup")
	}
	return b, last, nil
}

// Backup is backup id as the write side holds it: its versions (deleted
// ones included, marked), redundancy and points.
func (m *Commands) Backup(ctx context.Context, id uuid.UUID) (backup.Backup, error) {
	b, _, err := m.load(ctx, "read backup", id)
	return b, err
}

// decision is what a change decides on a backup as it is now: the event
// to append, or nil for nothing to change.
type decision func(b backup.Backup) (domain.Event, error)

// change decides on backup id as it is now and appends what was decided
// on the sequence it was decided on; should the backup change meanwhile,
// it is read and decided again (up to maxTries times), so no change is
// ever appended on a state it was not decided on. It returns the backup
// with the change applied.
func (m *Commands) change(ctx context.Context, op string, a commands.Actor, id uuid.UUID, decide decision) (backup.Backup, error) {
	for range maxTries {
		b, last, err := m.load(ctx, op, id)
		if err != nil {
			return b, err
		}
		ev, err := decide(b)
		if err != nil || ev == nil {
			return b, err
		}
		_, err = m.s.Change(ctx, op, a, backup.BackupSubject(id), last, ev)
		if domain.KindOf(err) == domain.KindConflict {
			continue
		}
		if err != nil {
			return b, err
		}
		b.Apply(ev)
		return b, nil
	}
	return backup.Backup{}, domain.E(op, domain.KindConflict, "the backup changed while this change was being made: try again")
}

// mayChange refuses an actor who is neither the backup's owner nor staff.
func mayChange(op string, a commands.Actor, owner domain.UserID) error {
	if a.Staff || (a.User != uuid.Nil && a.User == owner) {
		return nil
	}
	return domain.E(op, domain.KindForbidden, "only the backup's owner (or staff) may change it")
}

// checkInfo is info.Check with the name trimmed, and a name the torrent
// titles could not hold (a control character or line break) refused on
// "name" too.
func checkInfo(op string, info backup.Info) (backup.Info, error) {
	info.Name, info.Description = strings.TrimSpace(info.Name), strings.TrimSpace(info.Description)
	err := info.Check(op)
	if err == nil && strings.ContainsFunc(info.Name, unicode.IsControl) {
		err = domain.FieldE(op, "name", domain.KindInvalid, "a name may not hold control characters or line breaks")
	}
	return info, err
}

// CreateBackup creates a backup of the user named owner, who may be the
// actor or, for staff, anyone. Every problem of info is refused beside its
// field (the owner's on "user"), and nothing is appended. A new backup
// has no versions, so it asks nothing of the owner's quota.
func (m *Commands) CreateBackup(ctx context.Context, a commands.Actor, owner string, info backup.Info) (uuid.UUID, error) {
	const op = "create backup"
	info, err := checkInfo(op, info)
	u, uerr := m.s.UserByName(ctx, op, owner)
	if uerr == nil && !a.Staff && (a.User == uuid.Nil || a.User != u.ID) {
		uerr = domain.FieldE(op, "user", domain.KindForbidden, "you may create backups only of your own")
	}
	if uerr != nil {
		if domain.KindOf(uerr) != domain.KindNotFound && domain.KindOf(uerr) != domain.KindForbidden {
			return uuid.Nil, uerr // the log, not the user
		}
		err = errors.Join(uerr, err)
	}
	if err != nil {
		return uuid.Nil, err
	}
	id := uuid.New()
	created := backup.BackupCreated{Backup: id, Owner: u.ID, Name: info.Name, Description: info.Description, Redundancy: info.Redundancy}
	if err := m.s.Claim(ctx, op, a, backup.BackupSubject(id), created); err != nil {
		return uuid.Nil, err
	}
	return id, nil
}

// EditBackup replaces a backup's name and description; the owner or
// staff. Problems are refused beside their fields.
func (m *Commands) EditBackup(ctx context.Context, a commands.Actor, id uuid.UUID, name, description string) error {
	const op = "edit backup"
	_, err := m.change(ctx, op, a, id, func(b backup.Backup) (domain.Event, error) {
		if err := mayChange(op, a, b.Owner); err != nil {
			return nil, err
		}
		info, err := checkInfo(op, backup.Info{Name: name, Description: description, Redundancy: b.Redundancy})
		if err != nil {
			return nil, err
		}
		if info.Name == b.Name && info.Description == b.Description {
			return nil, nil
		}
		return backup.BackupEdited{Backup: id, Name: info.Name, Description: info.Description}, nil
	})
	return err
}

// SetRedundancy sets how many copies each of the backup's versions
// wants; the owner or staff. A higher N adds LiveSize × (new − old) to the
// owner's obligation and is refused with a *backup.QuotaError on
// "redundancy" when that exceeds the owner's room; a lower N is always
// accepted and frees obligation at once. The same N appends nothing.
func (m *Commands) SetRedundancy(ctx context.Context, a commands.Actor, id uuid.UUID, n int) error {
	const op = "set redundancy"
	if err := backup.CheckRedundancy(op, n); err != nil {
		return err
	}
	_, err := m.change(ctx, op, a, id, func(b backup.Backup) (domain.Event, error) {
		if err := mayChange(op, a, b.Owner); err != nil {
			return nil, err
		}
		switch {
		case n == b.Redundancy:
			return nil, nil
		case n > b.Redundancy:
			more := backup.Obligation(b.LiveSize(), n) - b.Obligation()
			if err := m.checkQuota(ctx, op, "redundancy", b.Owner, more); err != nil {
				return nil, err
			}
		}
		return backup.BackupRedundancySet{Backup: id, Owner: b.Owner, Redundancy: n}, nil
	})
	return err
}

// AssignPoints sets the priority points (thousandths) the backup has,
// which every version inherits; the owner or staff, from the owner's
// balance (backup.CheckPoints: never negative, never more than the owner
// holds besides what the backup has already). The same total appends
// nothing.
func (m *Commands) AssignPoints(ctx context.Context, a commands.Actor, id uuid.UUID, milli int64) error {
	const op = "assign points"
	_, err := m.change(ctx, op, a, id, func(b backup.Backup) (domain.Event, error) {
		if err := mayChange(op, a, b.Owner); err != nil {
			return nil, err
		}
		st, err := m.standingOf(ctx, op, b.Owner)
		if err != nil {
			return nil, err
		}
		if err := backup.CheckPoints(op, milli, b.PointsMilli, st.BalanceMilli()); err != nil {
			return nil, err
		}
		if milli == b.PointsMilli {
			return nil, nil
		}
		return backup.BackupPointsAssigned{Backup: id, Owner: b.Owner, Milli: milli}, nil
	})
	return err
}

// standingOf is user's standing; a read model that does not answer is
// KindUnavailable, and nothing is changed.
func (m *Commands) standingOf(ctx context.Context, op string, user domain.UserID) (backup.Standing, error) {
	st, err := m.standing(ctx, user)
	var de *domain.Error
	switch {
	case err == nil:
		return st, nil
	case errors.As(err, &de):
		return st, domain.Wrap(op, err)
	}
	return st, domain.E(op, domain.KindUnavailable, "the backup standing could not be read (%v): nothing was changed; try again", err)
}

// checkQuota refuses adding more to user's obligation beyond their room
// (credit plus allowance, less obligation), as a *backup.QuotaError on
// field naming the bytes to back up first. Adding nothing is never
// refused, and reads no standing.
func (m *Commands) checkQuota(ctx context.Context, op, field string, user domain.UserID, more uint64) error {
	if more == 0 {
		return nil
	}
	st, err := m.standingOf(ctx, op, user)
	if err != nil {
		return err
	}
	return st.Quota(m.allowance).CheckMore(op, field, more)
}
