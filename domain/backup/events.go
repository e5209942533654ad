// Package backup is the Backup plugin's domain: users back up their data
// by backing up each other's. A Backup (owner, name, desired redundancy N)
// holds Versions, the atomic unit, one torrent each. To keep S bytes at
// redundancy N a user must have downloaded N × S bytes of other users'
// versions (the quota); a version's redundancy is how many users other
// than its owner seed a complete copy now; and priority points, which
// every version inherits from its backup, order the queue of versions
// that need copies. Pure rules and events; no I/O.
package backup

import (
	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// Category is the catalog category of every version's torrent.
const Category = "Backup"

// Subjects of the plugin: a backup's changes, its versions' included, go
// to the backup's own subject.
const (
	SubjectAll    = "djembe.backup.>"
	subjectBackup = "djembe.backup.backup."
)

// BackupSubject holds a backup's changes and its versions'.
func BackupSubject(id uuid.UUID) string { return subjectBackup + id.String() }

// Event types.
const (
	TypeBackupCreated        = "BackupCreated"
	TypeBackupEdited         = "BackupEdited"
	TypeBackupRedundancySet  = "BackupRedundancySet"
	TypeBackupPointsAssigned = "BackupPointsAssigned"
	TypeVersionAdded         = "BackupVersionAdded"
	TypeVersionDeleted       = "BackupVersionDeleted"
)

// BackupCreated adds a backup: its owner's, wanting Redundancy copies of
// each version held by other users.
type BackupCreated struct {
	Backup      uuid.UUID     `json:"backup"`
	Owner       domain.UserID `json:"owner"`
	Name        string        `json:"name"`
	Description string        `json:"description,omitempty"`
	Redundancy  int           `json:"redundancy"`
}

// BackupEdited replaces a backup's name and description.
type BackupEdited struct {
	Backup      uuid.UUID `json:"backup"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
}

// BackupRedundancySet changes how many copies each version wants; the
// owner's obligation changes with it at once.
type BackupRedundancySet struct {
	Backup     uuid.UUID     `json:"backup"`
	Owner      domain.UserID `json:"owner"`
	Redundancy int           `json:"redundancy"`
}

// BackupPointsAssigned sets the priority points the owner gives the
// backup (the new total, in thousandths of a point); every version has
// them. Points taken back return to the owner's balance.
type BackupPointsAssigned struct {
	Backup uuid.UUID     `json:"backup"`
	Owner  domain.UserID `json:"owner"`
	Milli  int64         `json:"milli"`
}

// VersionAdded makes a registered torrent (category Backup, neutral for
// the site's ratio) the backup's next version. Size is the torrent's, so
// the obligation is decided on the backup's own events.
type VersionAdded struct {
	Backup   uuid.UUID       `json:"backup"`
	Owner    domain.UserID   `json:"owner"`
	Number   int             `json:"number"`
	InfoHash domain.InfoHash `json:"info_hash"`
	Size     uint64          `json:"size"`
	Message  string          `json:"message,omitempty"`
}

// VersionDeleted retires a version (its torrent is deleted too): it no
// longer counts in its owner's obligation nor waits in the queue.
type VersionDeleted struct {
	Backup   uuid.UUID       `json:"backup"`
	Owner    domain.UserID   `json:"owner"`
	Number   int             `json:"number"`
	InfoHash domain.InfoHash `json:"info_hash"`
}

func (BackupCreated) EventType() string        { return TypeBackupCreated }
func (BackupEdited) EventType() string         { return TypeBackupEdited }
func (BackupRedundancySet) EventType() string  { return TypeBackupRedundancySet }
func (BackupPointsAssigned) EventType() string { return TypeBackupPointsAssigned }
func (VersionAdded) EventType() string         { return TypeVersionAdded }
func (VersionDeleted) EventType() string       { return TypeVersionDeleted }

// Types are the plugin's event types, which its read models consume.
var Types = []string{TypeBackupCreated, TypeBackupEdited, TypeBackupRedundancySet, TypeBackupPointsAssigned,
	TypeVersionAdded, TypeVersionDeleted}

func init() {
	domain.RegisterJSON[BackupCreated](1, nil)
	domain.RegisterJSON[BackupEdited](1, nil)
	domain.RegisterJSON[BackupRedundancySet](1, nil)
	domain.RegisterJSON[BackupPointsAssigned](1, nil)
	domain.RegisterJSON[VersionAdded](1, nil)
	domain.RegisterJSON[VersionDeleted](1, nil)
	place := func(typ string, id func(domain.Event) uuid.UUID) {
		domain.RegisterPlacement(typ, domain.Placement{Prefix: subjectBackup, Subject: func(e domain.Event) string { return BackupSubject(id(e)) }})
	}
	place(TypeBackupCreated, func(e domain.Event) uuid.UUID { return e.(BackupCreated).Backup })
	place(TypeBackupEdited, func(e domain.Event) uuid.UUID { return e.(BackupEdited).Backup })
	place(TypeBackupRedundancySet, func(e domain.Event) uuid.UUID { return e.(BackupRedundancySet).Backup })
	place(TypeBackupPointsAssigned, func(e domain.Event) uuid.UUID { return e.(BackupPointsAssigned).Backup })
	place(TypeVersionAdded, func(e domain.Event) uuid.UUID { return e.(VersionAdded).Backup })
	place(TypeVersionDeleted, func(e domain.Event) uuid.UUID { return e.(VersionDeleted).Backup })
}
