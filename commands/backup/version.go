package backup

import (
	"context"
	"errors"
	"fmt"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/backup"
	"github.com/google/uuid"
)

// AddVersion is a new version of a backup: the .torrent of its data.
type AddVersion struct {
	Backup   uuid.UUID
	File     []byte
	Uploader string // the uploader's name: the backup's owner
	Source   string // the site's source tag (see commands.AddTorrent)
	Message  string // what changed in this version, shown with it
}

// Added is where a version went.
type Added struct {
	InfoHash domain.InfoHash
	Number   int
	Size     uint64
	Title    string // the torrent's title, as browse lists it
}

// Title is a version's torrent title: "<backup name> – version N".
func Title(name string, number int) string { return fmt.Sprintf("%s – version %d", name, number) }

// versionPlan is a version checked before anything is appended.
type versionPlan struct {
	number int
	size   uint64
	title  string
}

// AddVersion makes in.File the backup's next version. Only the backup's
// owner adds versions, uploading as themselves: staff may not, as a
// version is what the owner keeps and seeds, and it counts in the owner's
// quota. Everything is checked before anything is appended, each problem
// on its field: the file, the message, the uploader, and the quota (the
// version's size × the backup's redundancy against the owner's room,
// refused as a *backup.QuotaError on "file" naming the bytes needed). The
// torrent is then registered in category backup.Category, titled
// Title(name, N), with neutral factors (its traffic never counts in the
// site's ratio), a duplicate refused as KindConflict on "file"; then
// VersionAdded is appended on the backup's sequence. Should the backup
// gain a version or lose quota room between the check and the append, the
// torrent just registered is deleted again and the upload refused.
func (m *Commands) AddVersion(ctx context.Context, a commands.Actor, in AddVersion) (Added, error) {
	const op = "add version"
	p, err := m.planVersion(ctx, op, a, in)
	if err != nil {
		return Added{}, err
	}
	added, err := m.s.Core().AddTorrent(ctx, a, commands.AddTorrent{File: in.File, Uploader: in.Uploader, Category: backup.Category,
		Title: p.title, Description: in.Message, Source: in.Source, Neutral: true})
	if err != nil {
		return Added{InfoHash: added.Torrent.InfoHash}, err
	}
	h := added.Torrent.InfoHash
	if err := m.appendVersion(ctx, op, a, in, p, h); err != nil {
		if _, derr := m.s.Core().DeleteTorrent(ctx, commands.Operator, h, "its backup version could not be added: "+domain.Message(err)); derr != nil {
			return Added{InfoHash: h}, fmt.Errorf("%w (and the torrent registered for it could not be deleted: %v)", err, derr)
		}
		return Added{InfoHash: h}, err
	}
	return Added{InfoHash: h, Number: p.number, Size: p.size, Title: p.title}, nil
}

// planVersion checks a version against the backup as it is now and the
// owner's standing: every problem of what was sent, each on its field,
// then the quota. Nothing is appended.
func (m *Commands) planVersion(ctx context.Context, op string, a commands.Actor, in AddVersion) (versionPlan, error) {
	b, _, err := m.load(ctx, op, in.Backup)
	if err != nil {
		return versionPlan{}, err
	}
	if a.User == uuid.Nil || a.User != b.Owner {
		return versionPlan{}, domain.E(op, domain.KindForbidden, "only the backup's owner adds its versions")
	}
	var errs []error
	if len(in.File) == 0 {
		errs = append(errs, domain.FieldE(op, "file", domain.KindInvalid, "choose the .torrent file your BitTorrent client made of the data to back up"))
	}
	errs = append(errs, backup.CheckMessage(op, in.Message))
	if u, err := m.s.UserByName(ctx, op, in.Uploader); err != nil {
		errs = append(errs, err)
	} else if u.ID != b.Owner {
		errs = append(errs, domain.FieldE(op, "user", domain.KindForbidden, "a version is uploaded as the backup's owner"))
	}
	if err := errors.Join(errs...); err != nil {
		return versionPlan{}, err
	}
	parsed, err := m.s.Core().Limits().ParseTorrent(in.File)
	if err != nil {
		return versionPlan{}, err
	}
	p := versionPlan{number: b.NextNumber(), size: uint64(parsed.Registered.Size)}
	p.title = Title(b.Name, p.number)
	return p, m.checkQuota(ctx, op, "file", b.Owner, backup.Obligation(p.size, b.Redundancy))
}

// appendVersion appends VersionAdded for torrent h as the number planned,
// deciding again on the backup as it is at the append: a version added
// meanwhile (the number and title planned are taken) is a conflict, and
// a redundancy raised meanwhile is held against the quota again.
func (m *Commands) appendVersion(ctx context.Context, op string, a commands.Actor, in AddVersion, p versionPlan, h domain.InfoHash) error {
	_, err := m.change(ctx, op, a, in.Backup, func(b backup.Backup) (domain.Event, error) {
		if b.NextNumber() != p.number {
			return nil, domain.FieldE(op, "file", domain.KindConflict, "version %d was added meanwhile: try again", p.number)
		}
		if err := m.checkQuota(ctx, op, "file", b.Owner, backup.Obligation(p.size, b.Redundancy)); err != nil {
			return nil, err
		}
		return backup.VersionAdded{Backup: b.ID, Owner: b.Owner, Number: p.number, InfoHash: h, Size: p.size, Message: in.Message}, nil
	})
	return err
}

// DeleteVersion retires version number of a backup (the owner or staff):
// VersionDeleted is appended, which frees its obligation at once and
// takes it out of the queue, then its torrent is deleted, so the tracker
// refuses it. The number is never given to another version. Deleting a
// version deleted already appends nothing, and deletes its torrent if a
// failure left it registered.
func (m *Commands) DeleteVersion(ctx context.Context, a commands.Actor, id uuid.UUID, number int) error {
	const op = "delete version"
	var h domain.InfoHash
	_, err := m.change(ctx, op, a, id, func(b backup.Backup) (domain.Event, error) {
		if err := mayChange(op, a, b.Owner); err != nil {
			return nil, err
		}
		v, ok := b.Version(number)
		if !ok {
			return nil, domain.FieldE(op, "version", domain.KindNotFound, "the backup has no version %d", number)
		}
		h = v.InfoHash
		if v.Deleted {
			return nil, nil
		}
		return backup.VersionDeleted{Backup: b.ID, Owner: b.Owner, Number: number, InfoHash: h}, nil
	})
	if err != nil {
		return err
	}
	return m.retire(ctx, op, h, number)
}

// retire deletes version number's torrent h unless it is deleted already.
func (m *Commands) retire(ctx context.Context, op string, h domain.InfoHash, number int) error {
	t, err := m.s.Core().Torrent(ctx, h)
	if err != nil || t.Deleted {
		return err
	}
	_, err = m.s.Core().DeleteTorrent(ctx, commands.Operator, h, fmt.Sprintf("backup version %d was deleted", number))
	if domain.KindOf(err) == domain.KindNotFound {
		return nil // deleted meanwhile
	}
	if err != nil {
		return fmt.Errorf("%s: the version was deleted, its torrent not yet (delete the version again): %w", op, err)
	}
	return nil
}
