package projections

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Helpers shared by the announce-driven projections (ratio and swarm).

// RowQuerier is what the read functions need: a *pgxpool.Pool, a *pgx.Conn
// or a pgx.Tx.
type RowQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// peerKey names one peer: a user's client (peer_id) on a torrent.
type peerKey struct {
	hash domain.InfoHash
	user uuid.UUID
	peer [20]byte
}

// pairKey names a user on a torrent.
type pairKey struct {
	user uuid.UUID
	hash domain.InfoHash
}

// walkAnnounces decodes recs in stream order. Runs of announce batches are
// gathered and handed to flush together; a record for which barrier returns
// true first flushes the run before it and is then passed to apply, so the
// order of announces and barriers is kept. Other records go to apply without
// interrupting a run (they must commute with announces); records whose type
// neither cares about are skipped without decoding.
func walkAnnounces(recs []eventlog.Record, wanted func(typ string) (want, barrier bool),
	flush func(run []*domain.AnnounceBatch) error, apply func(eventlog.Record, domain.Event) error) error {
	var run []*domain.AnnounceBatch
	for _, rec := range recs {
		if rec.Meta.Type == "AnnounceBatch" {
			e, err := rec.Decode()
			if err != nil {
				return err
			}
			b, ok := e.(*domain.AnnounceBatch)
			if !ok {
				return fmt.Errorf("event %d: AnnounceBatch decoded as %T", rec.Seq, e)
			}
			run = append(run, b)
			continue
		}
		want, barrier := wanted(rec.Meta.Type)
		if !want {
			continue
		}
		if barrier && len(run) > 0 {
			if err := flush(run); err != nil {
				return err
			}
			run = run[:0]
		}
		e, err := rec.Decode()
		if err != nil {
			return err
		}
		if err := apply(rec, e); err != nil {
			return fmt.Errorf("event %d (%s): %w", rec.Seq, rec.Meta.Type, err)
		}
	}
	if len(run) > 0 {
		return flush(run)
	}
	return nil
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

// msTime turns event milliseconds into a timestamptz value.
func msTime(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// satAddSQL is the SQL for col += ex.col on bigint columns that saturates
// like satAdd (both are never negative).
func satAddSQL(table, col string) string {
	return fmt.Sprintf("%s = %s.%s + LEAST(excluded.%s, 9223372036854775807 - %s.%s)", col, table, col, col, table, col)
}

// nullTime is a timestamptz parameter that is NULL for ms == noTime.
func nullTime(ms int64) *time.Time {
	if ms == noTime {
		return nil
	}
	t := msTime(ms)
	return &t
}

// noTime marks an unset time in the aggregates.
const noTime = math.MinInt64
