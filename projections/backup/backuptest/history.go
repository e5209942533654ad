package backuptest

import (
	"context"
	"fmt"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/backup"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/google/uuid"
)

// Site is what History appended, for a test to look for.
type Site struct {
	Users    []domain.UserID // Users[0] owns Backups[0] and [1], Users[1] owns Backups[2]
	Backups  []uuid.UUID
	Versions []domain.InfoHash // Versions[0], [1] of Backups[0]; [2] of Backups[1]; [3] of Backups[2]
	Deleted  domain.InfoHash   // Versions[1], deleted
	Other    domain.InfoHash   // a torrent that is no version
}

// Appender appends events to a log, failing the test on an error.
type Appender struct {
	t   testing.TB
	log *eventlog.Log
}

// NewAppender appends to log for t.
func NewAppender(t testing.TB, log *eventlog.Log) *Appender { return &Appender{t: t, log: log} }

// Add appends e to subject.
func (a *Appender) Add(subject string, e domain.Event, opts ...eventlog.AppendOption) {
	a.t.Helper()
	if _, err := a.log.Append(context.Background(), subject, e, opts...); err != nil {
		a.t.Fatal(err)
	}
}

// Announce appends anns as one batch.
func (a *Appender) Announce(anns ...domain.Announce) {
	a.t.Helper()
	a.Add(domain.AnnounceSubject("t1"), Batch(anns...))
}

// Register appends the registration of a torrent of size bytes in
// category (backup.Category for a version's).
func (a *Appender) Register(h domain.InfoHash, size int64, category string, uploader domain.UserID) {
	a.t.Helper()
	a.Add(domain.TorrentSubject(h), domain.TorrentRegistered{InfoHash: h, Name: fmt.Sprintf("t-%x", h[:4]), Title: fmt.Sprintf("T %x", h[:4]),
		Size: size, Category: category, Uploader: uploader, Factors: domain.NormalFactors}, eventlog.ExpectNew())
}

// History appends a Backup history exercising every event the read model
// consumes: three backups of two owners (an edit, points assigned to two,
// a redundancy raised), four versions (the first seeded by its owner
// between its torrent's registration and its VersionAdded; one deleted,
// then announced again), and announce batches in which other users
// download versions (credit), complete and seed them (copies, points while
// under-replicated), a seeder stops and another is reaped, owners seed and
// download their own, and a torrent that is no version is announced
// alongside. seed makes the ids and hashes its own.
func History(t testing.TB, log *eventlog.Log, seed byte) Site {
	t.Helper()
	ap, sw := NewAppender(t, log), NewSwarm()
	var s Site
	for range 4 {
		s.Users = append(s.Users, uuid.New())
	}
	a, b, c, d := s.Users[0], s.Users[1], s.Users[2], s.Users[3]
	ms := int64(1_700_000_000_000) + int64(seed)*86_400_000
	at := func(minutes int) int64 { return ms + int64(minutes)*60_000 }
	const gib = uint64(domain.GiB)
	sizes := []uint64{gib + 1, 3 << 20, 5 << 20, 2 * gib}
	owners := []domain.UserID{a, a, a, b}
	for i, n := range []int{2, 1, 3} {
		id := uuid.New()
		owner := a
		if i == 2 {
			owner = b
		}
		ap.Add(backup.BackupSubject(id), backup.BackupCreated{Backup: id, Owner: owner, Name: fmt.Sprintf("backup %d-%d", seed, i), Redundancy: n})
		s.Backups = append(s.Backups, id)
	}
	backupOf, numbers := []int{0, 0, 1, 2}, []int{1, 2, 1, 1}
	for i, size := range sizes {
		h := domain.InfoHash{seed, byte(i), 0xb4}
		ap.Register(h, int64(size), backup.Category, owners[i])
		if i == 0 { // the owner's client is quicker than the VersionAdded
			ap.Announce(sw.Announce(at(0), a, h, 1, domain.EventStarted, 0, 0))
		}
		bk := s.Backups[backupOf[i]]
		ap.Add(backup.BackupSubject(bk), backup.VersionAdded{Backup: bk, Owner: owners[i], Number: numbers[i],
			InfoHash: h, Size: size, Message: fmt.Sprintf("v%d", i)})
		s.Versions = append(s.Versions, h)
	}
	s.Other = domain.InfoHash{seed, 9, 0xb4}
	ap.Register(s.Other, 1000, "Music", d)
	ap.Add(backup.BackupSubject(s.Backups[0]), backup.BackupEdited{Backup: s.Backups[0], Name: fmt.Sprintf("photos %d", seed), Description: "raw files"})
	ap.Add(backup.BackupSubject(s.Backups[0]), backup.BackupPointsAssigned{Backup: s.Backups[0], Owner: a, Milli: 5000})
	ap.Add(backup.BackupSubject(s.Backups[2]), backup.BackupPointsAssigned{Backup: s.Backups[2], Owner: b, Milli: 2000})

	v0, v1, v2, v3 := s.Versions[0], s.Versions[1], s.Versions[2], s.Versions[3]
	// Others start downloading; the owner of v3 seeds it; the other torrent too.
	ap.Announce(sw.Announce(at(1), b, v0, 1, domain.EventStarted, sizes[0], 0), sw.Announce(at(1), c, v0, 1, domain.EventStarted, sizes[0], 0),
		sw.Announce(at(1), b, v3, 1, domain.EventStarted, 0, 0), sw.Announce(at(1), d, s.Other, 1, domain.EventStarted, 0, 0),
		sw.Announce(at(2), d, v2, 1, domain.EventStarted, sizes[2], 0), sw.Announce(at(2), a, v3, 1, domain.EventStarted, sizes[3], 0))
	ap.Announce(sw.Announce(at(20), b, v0, 1, domain.EventNone, sizes[0]/2, sizes[0]/2), sw.Announce(at(21), a, v0, 1, domain.EventNone, 0, 0),
		sw.Announce(at(22), d, v2, 1, domain.EventCompleted, 0, sizes[2]), sw.Announce(at(22), a, v3, 1, domain.EventNone, gib, gib))
	ap.Announce(sw.Announce(at(40), b, v0, 1, domain.EventCompleted, 0, sizes[0]), sw.Announce(at(41), c, v0, 1, domain.EventCompleted, 0, sizes[0]),
		sw.Announce(at(41), a, v3, 1, domain.EventCompleted, 0, sizes[3]), sw.Announce(at(42), d, s.Other, 1, domain.EventNone, 0, 0))
	// Seeding: v0 is healthy at N = 2, until N = 3 makes it under-replicated.
	ap.Announce(sw.Announce(at(70), b, v0, 1, domain.EventNone, 0, sizes[0]), sw.Announce(at(70), c, v0, 1, domain.EventNone, 0, sizes[0]),
		sw.Announce(at(70), d, v2, 1, domain.EventNone, 0, sizes[2]), sw.Announce(at(71), a, v3, 1, domain.EventNone, 0, sizes[3]))
	ap.Add(backup.BackupSubject(s.Backups[0]), backup.BackupRedundancySet{Backup: s.Backups[0], Owner: a, Redundancy: 3})
	ap.Announce(sw.Announce(at(100), b, v0, 1, domain.EventNone, 0, sizes[0]), sw.Announce(at(100), c, v0, 1, domain.EventNone, 0, sizes[0]),
		sw.Announce(at(101), d, v1, 1, domain.EventStarted, sizes[1], 0), sw.Announce(at(101), b, v3, 2, domain.EventStarted, 0, 0))
	// c stops; d is reaped; a second peer of b on v3 stops, the first stays.
	ap.Announce(sw.Announce(at(130), c, v0, 1, domain.EventStopped, 0, sizes[0]), sw.Announce(at(130), d, v2, 1, domain.EventReaped, 0, sizes[2]),
		sw.Announce(at(131), d, v1, 1, domain.EventCompleted, 0, sizes[1]), sw.Announce(at(131), b, v3, 2, domain.EventStopped, 0, 0))
	s.Deleted = v1
	ap.Add(backup.BackupSubject(s.Backups[0]), backup.VersionDeleted{Backup: s.Backups[0], Owner: a, Number: 2, InfoHash: v1})
	ap.Announce(sw.Announce(at(160), d, v1, 1, domain.EventNone, 0, sizes[1]), sw.Announce(at(160), b, v0, 1, domain.EventNone, 0, sizes[0]),
		sw.Announce(at(161), a, v0, 1, domain.EventStopped, 0, 0), sw.Announce(at(161), d, s.Other, 1, domain.EventStopped, 0, 0))
	return s
}
