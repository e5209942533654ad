package backup

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/backup"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// torrent is a tracked torrent's state during a run: its version (if it
// is one and live) and its seeders.
type torrent struct {
	hash          domain.InfoHash
	live          bool // a version not deleted
	owner         uuid.UUID
	size          uint64
	redundancy    int
	copies        int
	ownerSeeding  bool
	historyN      int
	changed       bool                // copies, owner_seeding or history_n to write
	peers         map[uuid.UUID]int32 // seeding peers per user, as before the run, then as applied
	touchedPeers  map[uuid.UUID]bool
	history       []historyRow
	hadVersionRow bool
}

type historyRow struct {
	n            int
	at           time.Time
	copies       int
	ownerSeeding bool
}

// account is a user's economy changes in a run.
type account struct {
	credit, earned uint64
}

// run is a run of consecutive announce batches being applied.
type run struct {
	batches  []*domain.AnnounceBatch
	torrents map[domain.InfoHash]*torrent
	accounts map[uuid.UUID]*account
}

// applyRun applies a run of announce batches: it reads which of their
// torrents are tracked (one query; a run touching none ends there), their
// versions and seeders, applies each announce in order in memory, and
// writes what changed.
func applyRun(ctx context.Context, tx pgx.Tx, batches []*domain.AnnounceBatch) error {
	r := &run{batches: batches, torrents: map[domain.InfoHash]*torrent{}, accounts: map[uuid.UUID]*account{}}
	if err := r.read(ctx, tx); err != nil || len(r.torrents) == 0 {
		return err
	}
	for _, b := range batches {
		for i := range b.Announces {
			if t := r.torrents[b.Announces[i].InfoHash]; t != nil {
				r.announce(t, &b.Announces[i])
			}
		}
	}
	return r.write(ctx, tx)
}

// read loads the run's tracked torrents with their versions and seeders.
func (r *run) read(ctx context.Context, tx pgx.Tx) error {
	seen := map[domain.InfoHash]bool{}
	var hashes [][]byte
	for _, b := range r.batches {
		for i := range b.Announces {
			if h := b.Announces[i].InfoHash; !seen[h] {
				seen[h] = true
				hashes = append(hashes, h[:])
			}
		}
	}
	rows, err := tx.Query(ctx, `SELECT t.info_hash, v.info_hash IS NOT NULL, COALESCE(NOT v.deleted, false),
			COALESCE(v.owner, '00000000-0000-0000-0000-000000000000'), COALESCE(v.size, 0), COALESCE(b.redundancy, 0),
			COALESCE(v.copies, 0), COALESCE(v.owner_seeding, false), COALESCE(v.history_n, 0)
		FROM tracked t LEFT JOIN versions v ON v.info_hash = t.info_hash LEFT JOIN backups b ON b.id = v.backup
		WHERE t.info_hash = ANY($1::bytea[])`, hashes)
	if err != nil {
		return fmt.Errorf("read tracked: %w", err)
	}
	for rows.Next() {
		t := &torrent{peers: map[uuid.UUID]int32{}, touchedPeers: map[uuid.UUID]bool{}}
		var h []byte
		var size int64
		if err := rows.Scan(&h, &t.hadVersionRow, &t.live, &t.owner, &size, &t.redundancy, &t.copies, &t.ownerSeeding, &t.historyN); err != nil {
			rows.Close()
			return fmt.Errorf("read tracked: %w", err)
		}
		t.hash, t.size = domain.InfoHash(h), uint64(max(size, 0))
		r.torrents[t.hash] = t
	}
	if err := rows.Err(); err != nil || len(r.torrents) == 0 {
		return err
	}
	return r.readSeeders(ctx, tx)
}

// readSeeders loads the seeders of the run's tracked torrents.
func (r *run) readSeeders(ctx context.Context, tx pgx.Tx) error {
	hashes := make([][]byte, 0, len(r.torrents))
	for h := range r.torrents {
		hashes = append(hashes, h[:])
	}
	rows, err := tx.Query(ctx, `SELECT info_hash, user_id, peers FROM seeders WHERE info_hash = ANY($1::bytea[])`, hashes)
	if err != nil {
		return fmt.Errorf("read seeders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h []byte
		var u uuid.UUID
		var n int32
		if err := rows.Scan(&h, &u, &n); err != nil {
			return fmt.Errorf("read seeders: %w", err)
		}
		r.torrents[domain.InfoHash(h)].peers[u] = n
	}
	return rows.Err()
}

// announce applies one announce on a tracked torrent (see Projection).
func (r *run) announce(t *torrent, a *domain.Announce) {
	if t.live && a.UserID != t.owner {
		acc := r.account(a.UserID)
		acc.credit = satAdd(acc.credit, backup.Credit(a, t.size))
		if deficit := t.redundancy - t.copies; a.SeedMillis > 0 && deficit > 0 {
			earned := backup.PointsEarned(time.Duration(min(a.SeedMillis, math.MaxInt64/uint64(time.Millisecond)))*time.Millisecond, t.size, deficit)
			acc.earned = satAdd(acc.earned, uint64(earned))
		}
	}
	delta := b2i(a.StateAfter() == domain.PeerSeeder) - b2i(a.Prev == domain.PeerSeeder)
	if delta == 0 {
		return
	}
	before := t.peers[a.UserID]
	after := max(before+delta, 0) // a stop of a seeder seen before tracking began
	t.peers[a.UserID], t.touchedPeers[a.UserID] = after, true
	if (before > 0) == (after > 0) {
		return
	}
	if a.UserID == t.owner {
		t.ownerSeeding = after > 0
	} else {
		t.copies += int(delta)
	}
	if t.live {
		t.historyN++
		t.history = append(t.history, historyRow{n: t.historyN, at: time.UnixMilli(a.TimeMillis).UTC(), copies: t.copies, ownerSeeding: t.ownerSeeding})
	}
	t.changed = t.hadVersionRow
}

func (r *run) account(u uuid.UUID) *account {
	acc := r.accounts[u]
	if acc == nil {
		acc = &account{}
		r.accounts[u] = acc
	}
	return acc
}

// write writes the run's changes: seeders (a row only while peers > 0),
// versions' copies, copies_history rows and the economy.
func (r *run) write(ctx context.Context, tx pgx.Tx) error {
	b := &pgx.Batch{}
	var sh [][]byte
	var su []uuid.UUID
	var sn []int32
	var vh [][]byte
	var vc, vn []int32
	var vo []bool
	var hh [][]byte
	var hn, hc []int32
	var hat []time.Time
	var ho []bool
	for _, t := range r.torrents {
		for u := range t.touchedPeers {
			sh, su, sn = append(sh, t.hash[:]), append(su, u), append(sn, t.peers[u])
		}
		if t.changed {
			vh, vc, vo, vn = append(vh, t.hash[:]), append(vc, int32(t.copies)), append(vo, t.ownerSeeding), append(vn, int32(t.historyN))
		}
		for _, row := range t.history {
			hh, hn, hat, hc, ho = append(hh, t.hash[:]), append(hn, int32(row.n)), append(hat, row.at), append(hc, int32(row.copies)), append(ho, row.ownerSeeding)
		}
	}
	if len(sh) > 0 {
		b.Queue(`DELETE FROM seeders s USING unnest($1::bytea[], $2::uuid[]) AS k(h, u) WHERE s.info_hash = k.h AND s.user_id = k.u`, sh, su)
		b.Queue(`INSERT INTO seeders (info_hash, user_id, peers) SELECT * FROM unnest($1::bytea[], $2::uuid[], $3::int4[]) AS k(h, u, n)
			WHERE n > 0`, sh, su, sn)
	}
	if len(vh) > 0 {
		b.Queue(`UPDATE versions v SET copies = k.c, owner_seeding = k.o, history_n = k.n
			FROM unnest($1::bytea[], $2::int4[], $3::bool[], $4::int4[]) AS k(h, c, o, n) WHERE v.info_hash = k.h`, vh, vc, vo, vn)
	}
	if len(hh) > 0 {
		b.Queue(`INSERT INTO copies_history (info_hash, n, at, copies, owner_seeding)
			SELECT * FROM unnest($1::bytea[], $2::int4[], $3::timestamptz[], $4::int4[], $5::bool[])`, hh, hn, hat, hc, ho)
	}
	if len(r.accounts) > 0 {
		var au []uuid.UUID
		var ac, ae []int64
		for u, acc := range r.accounts {
			au, ac, ae = append(au, u), append(ac, clampBytes(acc.credit)), append(ae, clampBytes(acc.earned))
		}
		b.Queue(`INSERT INTO economy (user_id, credit, earned_milli) SELECT * FROM unnest($1::uuid[], $2::int8[], $3::int8[])
			ON CONFLICT (user_id) DO UPDATE SET
				credit = LEAST(economy.credit::numeric + excluded.credit, 9223372036854775807)::int8,
				earned_milli = LEAST(economy.earned_milli::numeric + excluded.earned_milli, 9223372036854775807)::int8`, au, ac, ae)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

func satAdd(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxUint64
}

func b2i(b bool) int32 {
	if b {
		return 1
	}
	return 0
}
