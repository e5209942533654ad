package backup

import (
	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// Version is one version of a backup: one torrent.
type Version struct {
	Number   int
	InfoHash domain.InfoHash
	Size     uint64
	Message  string
	Deleted  bool
}

// Backup is a backup's current state: its subject's events applied in
// order. It is the aggregate the write side decides on.
type Backup struct {
	ID          uuid.UUID
	Owner       domain.UserID
	Name        string
	Description string
	Redundancy  int
	PointsMilli int64
	Versions    []Version
}

// Exists reports whether the backup was created.
func (b Backup) Exists() bool { return b.ID != uuid.Nil }

// Apply applies one event of the backup's subject; others change nothing.
func (b *Backup) Apply(e domain.Event) {
	switch e := e.(type) {
	case BackupCreated:
		*b = Backup{ID: e.Backup, Owner: e.Owner, Name: e.Name, Description: e.Description, Redundancy: e.Redundancy}
	case BackupEdited:
		if e.Backup == b.ID {
			b.Name, b.Description = e.Name, e.Description
		}
	case BackupRedundancySet:
		if e.Backup == b.ID {
			b.Redundancy = e.Redundancy
		}
	case BackupPointsAssigned:
		if e.Backup == b.ID {
			b.PointsMilli = e.Milli
		}
	case VersionAdded:
		if e.Backup == b.ID {
			b.Versions = append(b.Versions, Version{Number: e.Number, InfoHash: e.InfoHash, Size: e.Size, Message: e.Message})
		}
	case VersionDeleted:
		for i := range b.Versions {
			if e.Backup == b.ID && b.Versions[i].Number == e.Number {
				b.Versions[i].Deleted = true
			}
		}
	}
}

// NextNumber is the number the backup's next version gets: one more
// than the last, deleted ones counted, so numbers are never reused.
func (b Backup) NextNumber() int { return len(b.Versions) + 1 }

// LiveSize is the bytes of the backup's versions not deleted.
func (b Backup) LiveSize() uint64 {
	var n uint64
	for _, v := range b.Versions {
		if !v.Deleted {
			n += v.Size
		}
	}
	return n
}

// Obligation is what the backup asks of its owner: its live bytes times
// its redundancy.
func (b Backup) Obligation() uint64 { return Obligation(b.LiveSize(), b.Redundancy) }

// Version finds a version by number.
func (b Backup) Version(number int) (Version, bool) {
	for _, v := range b.Versions {
		if v.Number == number {
			return v, true
		}
	}
	return Version{}, false
}

// PointsOf is the priority points (thousandths) version number has: its
// backup's, as every version inherits them, those added later included;
// a deleted or unknown version has none.
func (b Backup) PointsOf(number int) int64 {
	if v, ok := b.Version(number); ok && !v.Deleted {
		return b.PointsMilli
	}
	return 0
}
