// Package backup is the Backup plugin's read model (schema backup, tables
// in sql/backup.sql): backups and their versions from the plugin's events,
// and from the announce events of backup torrents who seeds each version
// (its copies: users other than its owner with a seeding peer; and whether
// its owner seeds), each user's backup credit and earned priority points,
// and each version's copies over time; with the queries the plugin's
// pages, its API and the write side (Standing) read.
package backup

import (
	"context"
	_ "embed"
	"fmt"
	"slices"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/backup"
	"github.com/djembe/djembe/projections"
	"github.com/jackc/pgx/v5"
)

// Projection is the Backup read model. Announces count only on tracked
// torrents (those registered in category Backup, or made versions); on a
// live version V (owner O, redundancy N) an announce by user U:
//
//   - credits U with backup.Credit(a, V's size) when U ≠ O;
//   - earns U backup.PointsEarned(a.SeedMillis, V's size, N − copies) when
//     U ≠ O and the deficit, with copies as before the announce, is > 0;
//   - then moves U's seeding peer count by the announce's Prev →
//     StateAfter transition, and appends a copies_history row if V's copies
//     or its owner's seeding changed.
//
// Apply keeps the events' order and reads the state a run of announce
// batches needs once, so the tables do not depend on how the log is cut.
type Projection struct{}

//go:embed sql/backup.sql
var schema string

func (Projection) Name() string   { return "backup" }
func (Projection) Version() int   { return 2 }
func (Projection) Schema() string { return schema }

// Consumes is the plugin's events, the registrations of torrents (those of
// category Backup start being tracked), their deletions (a version whose
// torrent staff delete is retired like a deleted version) and the announce
// batches.
func (Projection) Consumes() []string {
	return append(slices.Clone(backup.Types), domain.TypeTorrentRegistered, domain.TypeTorrentDeleted, domain.TypeAnnounceBatch)
}

// Apply writes each event in order: the plugin's events as statements,
// each run of consecutive announce batches as one run (see run).
func (Projection) Apply(ctx context.Context, tx pgx.Tx, evs []projections.Event) error {
	b := &pgx.Batch{}
	var anns []*domain.AnnounceBatch
	flush := func() error {
		if b.Len() > 0 {
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return fmt.Errorf("backup: %w", err)
			}
			b = &pgx.Batch{}
		}
		if len(anns) > 0 {
			if err := applyRun(ctx, tx, anns); err != nil {
				return fmt.Errorf("backup: announces: %w", err)
			}
			anns = nil
		}
		return nil
	}
	for _, ev := range evs {
		if a, ok := ev.Event.(*domain.AnnounceBatch); ok {
			if b.Len() > 0 {
				if err := flush(); err != nil {
					return err
				}
			}
			anns = append(anns, a)
			continue
		}
		if len(anns) > 0 {
			if err := flush(); err != nil {
				return err
			}
		}
		queue(b, ev)
	}
	return flush()
}

// queue queues the statements of one of the plugin's events, or of a
// registration. Creations are idempotent (ON CONFLICT DO NOTHING).
func queue(b *pgx.Batch, ev projections.Event) {
	at := ev.Meta.Time
	switch e := ev.Event.(type) {
	case domain.TorrentRegistered:
		if e.Category == backup.Category {
			b.Queue(`INSERT INTO tracked (info_hash) VALUES ($1) ON CONFLICT DO NOTHING`, e.InfoHash[:])
		}
	case backup.BackupCreated:
		b.Queue(`INSERT INTO backups (id, owner, name, description, redundancy, created_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT DO NOTHING`, e.Backup, e.Owner, e.Name, e.Description, e.Redundancy, at)
	case backup.BackupEdited:
		b.Queue(`UPDATE backups SET name = $2, description = $3 WHERE id = $1`, e.Backup, e.Name, e.Description)
	case backup.BackupRedundancySet:
		b.Queue(`UPDATE backups SET redundancy = $2 WHERE id = $1`, e.Backup, e.Redundancy)
	case backup.BackupPointsAssigned:
		b.Queue(`UPDATE backups SET points_milli = $2 WHERE id = $1`, e.Backup, e.Milli)
	case backup.VersionAdded:
		queueVersion(b, e, ev)
	case backup.VersionDeleted:
		b.Queue(`UPDATE versions SET deleted = true WHERE info_hash = $1`, e.InfoHash[:])
	case domain.TorrentDeleted:
		// A version's torrent deleted by the core door (staff's torrent
		// page) cannot be downloaded any more: it leaves the queue and its
		// owner's obligation as DeleteVersion would have it.
		b.Queue(`UPDATE versions SET deleted = true WHERE info_hash = $1`, e.InfoHash[:])
	}
}

// queueVersion adds a version with its copies as the seeders of its
// torrent (tracked since its registration) give them, and its first
// copies_history row.
func queueVersion(b *pgx.Batch, e backup.VersionAdded, ev projections.Event) {
	h := e.InfoHash[:]
	b.Queue(`INSERT INTO tracked (info_hash) VALUES ($1) ON CONFLICT DO NOTHING`, h)
	b.Queue(`INSERT INTO versions (info_hash, backup, owner, number, size, message, added_at, copies, owner_seeding, history_n)
		VALUES ($1, $2, $3, $4, $5, $6, $7,
			(SELECT count(*) FROM seeders WHERE info_hash = $1 AND user_id <> $3),
			EXISTS (SELECT 1 FROM seeders WHERE info_hash = $1 AND user_id = $3), 1)
		ON CONFLICT DO NOTHING`, h, e.Backup, e.Owner, e.Number, clampBytes(e.Size), e.Message, ev.Meta.Time)
	b.Queue(`INSERT INTO copies_history (info_hash, n, at, copies, owner_seeding)
		SELECT info_hash, 1, added_at, copies, owner_seeding FROM versions WHERE info_hash = $1 ON CONFLICT DO NOTHING`, h)
}

// clampBytes is n as a bigint, saturating.
func clampBytes(n uint64) int64 {
	return int64(min(n, 1<<63-1))
}
