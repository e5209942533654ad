package backup

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/backup"
	"github.com/djembe/djembe/projections"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// VersionRow is a version with its redundancy now.
type VersionRow struct {
	InfoHash     domain.InfoHash `json:"info_hash"`
	Backup       uuid.UUID       `json:"backup"`
	BackupName   string          `json:"backup_name"`
	Owner        uuid.UUID       `json:"owner"`
	Number       int             `json:"number"`
	Size         uint64          `json:"size"`
	Message      string          `json:"message"`
	AddedAt      time.Time       `json:"added_at"`
	Deleted      bool            `json:"deleted"`
	Copies       int             `json:"copies"` // users other than the owner seeding a complete copy now
	OwnerSeeding bool            `json:"owner_seeding"`
	Redundancy   int             `json:"redundancy"` // its backup's N
	PointsMilli  int64           `json:"points_milli"`
	State        backup.State    `json:"state"`   // backup.StateOf(Copies, Redundancy, OwnerSeeding)
	Deficit      int             `json:"deficit"` // copies still wanted: max(Redundancy − Copies, 0)
}

// Entry is the version as the queue orders it (backup.Before).
func (v VersionRow) Entry() backup.QueueEntry {
	return backup.QueueEntry{State: v.State, PointsMilli: v.PointsMilli, Deficit: v.Deficit, Added: v.AddedAt}
}

// QueueRow is a version waiting in the priority queue.
type QueueRow = VersionRow

// BackupRow is a backup with its versions, oldest first (deleted ones
// included, marked).
type BackupRow struct {
	ID          uuid.UUID    `json:"id"`
	Owner       uuid.UUID    `json:"owner"`
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Redundancy  int          `json:"redundancy"`
	PointsMilli int64        `json:"points_milli"`
	CreatedAt   time.Time    `json:"created_at"`
	Versions    []VersionRow `json:"versions"`
}

// LiveSize is the bytes of the backup's live versions.
func (b BackupRow) LiveSize() uint64 {
	var n uint64
	for _, v := range b.Versions {
		if !v.Deleted {
			n += v.Size
		}
	}
	return n
}

// CopiesPoint is one point of a version's copies-over-time chart.
type CopiesPoint struct {
	At           time.Time `json:"at"`
	Copies       int       `json:"copies"`
	OwnerSeeding bool      `json:"owner_seeding"`
}

// errNotFound is wrapped by notFound.
var errNotFound = errors.New("not found")

func notFound(what string) error {
	return &domain.Error{Op: "read backup", Kind: domain.KindNotFound, Err: fmt.Errorf("no such %s: %w", what, errNotFound)}
}

// stateSQL is backup.StateOf in SQL over a versions row v and its backup
// b, as backup.State's numbers (a test holds the two equal).
const stateSQL = `CASE WHEN v.copies >= b.redundancy THEN 0 WHEN v.copies + v.owner_seeding::int = 0 THEN 3
	WHEN v.copies + v.owner_seeding::int <= 1 THEN 2 ELSE 1 END`

// rankSQL is backup.Before's rank of a state: at risk, under-replicated,
// lost, healthy.
const rankSQL = `CASE ` + stateSQL + ` WHEN 2 THEN 0 WHEN 1 THEN 1 WHEN 3 THEN 2 ELSE 3 END`

// queueOrderSQL orders versions as backup.Before orders their entries,
// then by info hash, so the order is total.
const queueOrderSQL = rankSQL + `, b.points_milli DESC, b.redundancy - v.copies DESC, v.added_at, v.info_hash`

const versionCols = `v.info_hash, v.backup, b.name, v.owner, v.number, v.size, v.message, v.added_at, v.deleted,
	v.copies, v.owner_seeding, b.redundancy, b.points_milli`

const versionFrom = ` FROM backup.versions v JOIN backup.backups b ON b.id = v.backup `

func scanVersion(r pgx.Rows) (VersionRow, error) {
	var v VersionRow
	var h []byte
	var size int64
	err := r.Scan(&h, &v.Backup, &v.BackupName, &v.Owner, &v.Number, &size, &v.Message, &v.AddedAt, &v.Deleted,
		&v.Copies, &v.OwnerSeeding, &v.Redundancy, &v.PointsMilli)
	v.InfoHash, v.Size = domain.InfoHash(h), uint64(max(size, 0))
	v.State = backup.StateOf(v.Copies, v.Redundancy, v.OwnerSeeding)
	v.Deficit = max(v.Redundancy-v.Copies, 0)
	if v.Deleted {
		v.PointsMilli = 0 // a deleted version has no points (backup.PointsOf)
	}
	return v, err
}

// Standing is a user's standing in the backup economy, as the write side
// decides on it: credit and earned points from the announces, obligation
// (Σ over the user's live versions of size × their backup's redundancy)
// and the points assigned to the user's backups. A user with nothing has
// the zero Standing.
func Standing(ctx context.Context, q projections.RowQuerier, user domain.UserID) (backup.Standing, error) {
	var s backup.Standing
	var credit, obligation int64
	err := q.QueryRow(ctx, `SELECT
			COALESCE((SELECT credit FROM backup.economy WHERE user_id = $1), 0),
			COALESCE((SELECT LEAST(COALESCE(sum(v.size::numeric * b.redundancy), 0), 9223372036854775807)::int8
				FROM backup.versions v JOIN backup.backups b ON b.id = v.backup WHERE v.owner = $1 AND NOT v.deleted), 0),
			COALESCE((SELECT earned_milli FROM backup.economy WHERE user_id = $1), 0),
			COALESCE((SELECT LEAST(COALESCE(sum(points_milli), 0), 9223372036854775807)::int8 FROM backup.backups WHERE owner = $1), 0)`, user).
		Scan(&credit, &obligation, &s.EarnedMilli, &s.AssignedMilli)
	if err != nil {
		return s, fmt.Errorf("read backup standing: %w", err)
	}
	s.Credit, s.Obligation = uint64(max(credit, 0)), uint64(max(obligation, 0))
	return s, nil
}

// EconomyRow is a user's standing with what pages show of it.
type EconomyRow struct {
	backup.Standing
	Allowance    uint64 `json:"allowance"`     // the starter allowance the Room counts
	Room         uint64 `json:"room"`          // obligation the user may still take on
	BalanceMilli int64  `json:"balance_milli"` // points held unassigned
}

// Economy reads a user's standing with allowance as the starter allowance
// (the site's setting), the room it leaves and the points balance.
func Economy(ctx context.Context, q projections.RowQuerier, user domain.UserID, allowance uint64) (EconomyRow, error) {
	s, err := Standing(ctx, q, user)
	if err != nil {
		return EconomyRow{}, err
	}
	return EconomyRow{Standing: s, Allowance: allowance, Room: s.Quota(allowance).Room(), BalanceMilli: s.BalanceMilli()}, nil
}

// Backup reads a backup with its versions.
func Backup(ctx context.Context, q projections.RowQuerier, id uuid.UUID) (BackupRow, error) {
	bs, err := loadBackups(ctx, q, `WHERE id = $1`, id)
	if err != nil {
		return BackupRow{}, err
	}
	if len(bs) == 0 {
		return BackupRow{}, notFound("backup")
	}
	return bs[0], nil
}

// BackupsOf reads a user's backups with their versions, newest first.
func BackupsOf(ctx context.Context, q projections.RowQuerier, owner domain.UserID) ([]BackupRow, error) {
	return loadBackups(ctx, q, `WHERE owner = $1 ORDER BY created_at DESC, id`, owner)
}

// PageSize is how many rows a page of AllBackups or Queue holds.
const PageSize = 50

// AllBackups reads a page (from 1) of every backup, newest first, for
// staff, and how many there are.
func AllBackups(ctx context.Context, q projections.RowQuerier, page int) ([]BackupRow, int, error) {
	page = max(page, 1)
	var total int
	if err := q.QueryRow(ctx, `SELECT count(*) FROM backup.backups`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count backups: %w", err)
	}
	bs, err := loadBackups(ctx, q, `ORDER BY created_at DESC, id LIMIT $1 OFFSET $2`, PageSize, (page-1)*PageSize)
	return bs, total, err
}

// loadBackups reads the backups the clause picks, in its order, then
// their versions.
func loadBackups(ctx context.Context, q projections.RowQuerier, clause string, args ...any) ([]BackupRow, error) {
	bs, err := projections.Collect(ctx, q, "read backups", `SELECT id, owner, name, description, redundancy, points_milli, created_at
		FROM backup.backups `+clause, func(r pgx.Rows) (BackupRow, error) {
		var b BackupRow
		err := r.Scan(&b.ID, &b.Owner, &b.Name, &b.Description, &b.Redundancy, &b.PointsMilli, &b.CreatedAt)
		b.Versions = []VersionRow{}
		return b, err
	}, args...)
	if err != nil || len(bs) == 0 {
		return bs, err
	}
	ids := make([]uuid.UUID, len(bs))
	at := make(map[uuid.UUID]int, len(bs))
	for i, b := range bs {
		ids[i], at[b.ID] = b.ID, i
	}
	vs, err := projections.Collect(ctx, q, "read versions", `SELECT `+versionCols+versionFrom+`WHERE v.backup = ANY($1::uuid[])
		ORDER BY v.backup, v.number`, scanVersion, ids)
	for _, v := range vs {
		b := &bs[at[v.Backup]]
		b.Versions = append(b.Versions, v)
	}
	return bs, err
}

// VersionByHash reads the version whose torrent is h.
func VersionByHash(ctx context.Context, q projections.RowQuerier, h domain.InfoHash) (VersionRow, error) {
	vs, err := projections.Collect(ctx, q, "read version", `SELECT `+versionCols+versionFrom+`WHERE v.info_hash = $1`, scanVersion, h[:])
	if err != nil {
		return VersionRow{}, err
	}
	if len(vs) == 0 {
		return VersionRow{}, notFound("version")
	}
	return vs[0], nil
}

// Queue reads limit rows from offset of the priority queue: the live
// versions that are not healthy, in backup.Before's order (at risk, then
// under-replicated, then lost; then by points, most first; by deficit,
// largest first; by age, oldest first; then by info hash), and how many
// wait in it.
func Queue(ctx context.Context, q projections.RowQuerier, limit, offset int) ([]QueueRow, int, error) {
	const where = `WHERE NOT v.deleted AND v.copies < b.redundancy`
	var total int
	if err := q.QueryRow(ctx, `SELECT count(*)`+versionFrom+where).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count queue: %w", err)
	}
	rows, err := projections.Collect(ctx, q, "read queue", `SELECT `+versionCols+versionFrom+where+`
		ORDER BY `+queueOrderSQL+` LIMIT $1 OFFSET $2`, scanVersion, max(limit, 0), max(offset, 0))
	return rows, total, err
}

// KeptBy reads the live versions of other users that user keeps a
// complete copy of now (seeds), the backups they subscribed to by
// keeping them, most at risk first (backup.Before's order).
func KeptBy(ctx context.Context, q projections.RowQuerier, user domain.UserID) ([]VersionRow, error) {
	return projections.Collect(ctx, q, "read copies kept", `SELECT `+versionCols+versionFrom+`
		JOIN backup.seeders s ON s.info_hash = v.info_hash AND s.user_id = $1 AND s.peers > 0
		WHERE NOT v.deleted AND v.owner <> $1 ORDER BY `+queueOrderSQL, scanVersion, user)
}

// CopiesHistory reads a version's copies over time, oldest first: one
// point when it was added and one whenever its copies or its owner's
// seeding changed while it was live.
func CopiesHistory(ctx context.Context, q projections.RowQuerier, h domain.InfoHash) ([]CopiesPoint, error) {
	return projections.Collect(ctx, q, "read copies history", `SELECT at, copies, owner_seeding FROM backup.copies_history
		WHERE info_hash = $1 ORDER BY n`, func(r pgx.Rows) (CopiesPoint, error) {
		var p CopiesPoint
		err := r.Scan(&p.At, &p.Copies, &p.OwnerSeeding)
		return p, err
	}, h[:])
}

// TotalsRow is the site's backup totals.
type TotalsRow struct {
	Backups  int `json:"backups"`
	Users    int `json:"users"`    // users owning a backup
	Versions int `json:"versions"` // live versions
	// LiveBytes is the size of every live version; ProtectedBytes of the
	// healthy ones alone: the data held by as many other users as its
	// owner asked for.
	LiveBytes      uint64               `json:"live_bytes"`
	ProtectedBytes uint64               `json:"protected_bytes"`
	States         [backup.Lost + 1]int `json:"states"` // live versions per backup.State
}

// Totals reads the site's backup totals.
func Totals(ctx context.Context, q projections.RowQuerier) (TotalsRow, error) {
	var t TotalsRow
	if err := q.QueryRow(ctx, `SELECT count(*), count(DISTINCT owner) FROM backup.backups`).Scan(&t.Backups, &t.Users); err != nil {
		return t, fmt.Errorf("read backup totals: %w", err)
	}
	type stateSum struct {
		state, n int
		bytes    int64
	}
	sums, err := projections.Collect(ctx, q, "read backup totals", `SELECT `+stateSQL+`, count(*),
			LEAST(COALESCE(sum(v.size::numeric), 0), 9223372036854775807)::int8`+versionFrom+`WHERE NOT v.deleted GROUP BY 1`,
		func(r pgx.Rows) (stateSum, error) {
			var s stateSum
			return s, r.Scan(&s.state, &s.n, &s.bytes)
		})
	for _, s := range sums {
		if s.state >= 0 && s.state < len(t.States) {
			t.States[s.state] = s.n
		}
		t.Versions += s.n
		t.LiveBytes = satAdd(t.LiveBytes, uint64(s.bytes))
		if backup.State(s.state) == backup.Healthy {
			t.ProtectedBytes = uint64(s.bytes)
		}
	}
	return t, err
}
