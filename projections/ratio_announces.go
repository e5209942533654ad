package projections

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Helpers shared by the announce-driven projections (ratio and swarm).

// RowQuerier is what the read functions need: a *pgxpool.Pool, a *pgx.Conn
// or a pgx.Tx.
type RowQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// pgUUID is u as a parameter pgx encodes directly (uuid.UUID goes through
// driver.Valuer and text, which costs more than the rest of an Apply).
func pgUUID(u uuid.UUID) pgtype.UUID { return pgtype.UUID{Bytes: u, Valid: true} }

// pgUUIDScan scans a uuid column into a uuid.UUID without the text detour.
type pgUUIDScan uuid.UUID

func (u *pgUUIDScan) ScanUUID(v pgtype.UUID) error {
	if !v.Valid {
		return fmt.Errorf("unexpected NULL uuid")
	}
	*u = v.Bytes
	return nil
}

// pairKey names a user on a torrent.
type pairKey struct {
	user uuid.UUID
	hash domain.InfoHash
}

// pairArgs are pairs as the uuid[] and bytea[] parameters of a lookup.
type pairArgs struct {
	users  []pgtype.UUID
	hashes [][]byte
}

func (p *pairArgs) add(k pairKey) {
	p.users, p.hashes = append(p.users, pgUUID(k.user)), append(p.hashes, k.hash[:])
}

// scanPairs calls fn with the pair of each (user_id, info_hash) row.
func scanPairs(rows pgx.Rows, fn func(pairKey)) error {
	var k pairKey
	var h []byte
	_, err := pgx.ForEachRow(rows, []any{(*pgUUIDScan)(&k.user), &h}, func() error {
		copy(k.hash[:], h)
		fn(k)
		return nil
	})
	return err
}

// countDelta is what an announce changes in its user's or torrent's
// seeding and leeching counts.
func countDelta(a *domain.Announce) (seeding, leeching int32) {
	was, is := a.Prev, a.StateAfter()
	return b2i(is == domain.PeerSeeder) - b2i(was == domain.PeerSeeder),
		b2i(is == domain.PeerLeecher) - b2i(was == domain.PeerLeecher)
}

// announceBatches are the announce batches among evs, in order.
func announceBatches(evs []Event) []*domain.AnnounceBatch {
	run := make([]*domain.AnnounceBatch, 0, len(evs))
	for _, ev := range evs {
		if b, ok := ev.Event.(*domain.AnnounceBatch); ok {
			run = append(run, b)
		}
	}
	return run
}

// bigRunSettings gives the transaction of a big run enough work_mem to keep
// its parameter arrays and hash joins in memory, and plans made for the
// actual array sizes (a cached generic plan assumes a hundred rows).
func bigRunSettings(ctx context.Context, tx pgx.Tx, announces int) error {
	if announces < 20_000 {
		return nil
	}
	_, err := tx.Exec(ctx, "SET LOCAL work_mem = '64MB'; SET LOCAL plan_cache_mode = force_custom_plan")
	return err
}

// countAnnounces is the number of announces in a run.
func countAnnounces(run []*domain.AnnounceBatch) int {
	n := 0
	for _, b := range run {
		n += len(b.Announces)
	}
	return n
}

// satAdd adds without wrapping, saturating at math.MaxInt64 (the largest
// bigint), so a nonsense counter cannot halt a projection with an overflow.
func satAdd(a, b uint64) uint64 {
	if s := a + b; s >= a && s <= math.MaxInt64 {
		return s
	}
	return math.MaxInt64
}

// clamp converts to bigint, saturating.
func clamp(v uint64) int64 {
	if v > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(v)
}

// eventMs is an announce's time, clamped to years 1970 to 9999 so that no
// clock, however wrong, makes a timestamptz out of range or an interval
// overflow and halts a projection.
func eventMs(a *domain.Announce) int64 { return min(max(a.TimeMillis, 0), maxEventMs) }

const maxEventMs = 253402300799999 // 9999-12-31T23:59:59.999Z

// msTime turns event milliseconds into a timestamptz value.
func msTime(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// satAddSQL is the SQL for t.col += excluded.col on bigint columns that
// saturates like satAdd (both are never negative).
func satAddSQL(col string) string {
	return fmt.Sprintf("%s = t.%s + LEAST(excluded.%s, 9223372036854775807 - t.%s)", col, col, col, col)
}

// noTime marks an unset time in the aggregates.
const noTime = math.MinInt64
