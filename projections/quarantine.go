package projections

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// States of a quarantine entry: what the operator decided about it.
const (
	// QuarantineOpen: a consumer skipped the event and nobody has looked at
	// it yet. `djembe status` and djembe_quarantined_events alarm.
	QuarantineOpen = "quarantined"
	// QuarantineSkipped: the operator acknowledged that the event stays
	// skipped for good. Consumers that meet it again leave it so.
	QuarantineSkipped = "skipped"
	// QuarantineReleased: the operator asked the consumers to try the event
	// again (after an upgrade that can decode or apply it). A consumer that
	// still fails puts it back to QuarantineOpen.
	QuarantineReleased = "released"
)

// QuarantineStates lists the states, in the order status reports them.
var QuarantineStates = []string{QuarantineOpen, QuarantineSkipped, QuarantineReleased}

// QuarantineEntry is one record that one or more consumers skipped. It
// lives in public.quarantine, which is not a read model: no replay drops
// it, and a replay that meets the record again updates it.
type QuarantineEntry struct {
	Seq       uint64     `json:"seq"`
	Subject   string     `json:"subject"`
	Type      string     `json:"type"`
	Version   int        `json:"version"`
	Error     string     `json:"error"`
	Consumers []string   `json:"consumers"` // "tracker:<node>" or a projection's name
	State     string     `json:"state"`
	FirstSeen time.Time  `json:"first_seen"`
	LastSeen  time.Time  `json:"last_seen"`
	DecidedAt *time.Time `json:"decided_at,omitempty"` // when the operator last set State
}

// Execer runs a statement: a pool, a connection or a transaction.
type Execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// RecordQuarantine notes that consumer skipped q's record. It is idempotent:
// a consumer meeting the record again (after a restart, in a replay) adds
// nothing but its name, once, and the time. The first error is kept, unless
// the entry was released: then the consumer's retry failed, the entry is
// open again and says why.
func RecordQuarantine(ctx context.Context, db Execer, consumer string, q *eventlog.Quarantined) error {
	_, err := db.Exec(ctx, `
		INSERT INTO public.quarantine (seq, subject, type, version, error, consumers)
		VALUES ($1, $2, $3, $4, $5, ARRAY[$6::text])
		ON CONFLICT (seq) DO UPDATE SET
			consumers = CASE WHEN $6::text = ANY (quarantine.consumers) THEN quarantine.consumers
				ELSE quarantine.consumers || $6::text END,
			error = CASE WHEN quarantine.state = 'released' THEN EXCLUDED.error ELSE quarantine.error END,
			state = CASE WHEN quarantine.state = 'released' THEN 'quarantined' ELSE quarantine.state END,
			last_seen = now()`,
		int64(q.Seq), q.Subject, q.Type, q.Version, q.Err.Error(), consumer)
	if err != nil {
		return fmt.Errorf("record quarantined event %d: %w", q.Seq, err)
	}
	return nil
}

const quarantineColumns = `seq, subject, type, version, error, consumers, state, first_seen, last_seen, decided_at`

func scanQuarantine(row pgx.Row) (QuarantineEntry, error) {
	var e QuarantineEntry
	var seq int64
	err := row.Scan(&seq, &e.Subject, &e.Type, &e.Version, &e.Error, &e.Consumers, &e.State, &e.FirstSeen, &e.LastSeen, &e.DecidedAt)
	e.Seq = uint64(seq)
	return e, err
}

// Quarantine lists every entry, in log order.
func Quarantine(ctx context.Context, q RowQuerier) ([]QuarantineEntry, error) {
	rows, err := q.Query(ctx, `SELECT `+quarantineColumns+` FROM public.quarantine ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("read the quarantine: %w", err)
	}
	defer rows.Close()
	out := []QuarantineEntry{}
	for rows.Next() {
		e, err := scanQuarantine(rows)
		if err != nil {
			return nil, fmt.Errorf("read the quarantine: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// QuarantineCounts counts the entries in each state (every state present,
// zero included).
func QuarantineCounts(ctx context.Context, q RowQuerier) (map[string]int, error) {
	counts := map[string]int{}
	for _, s := range QuarantineStates {
		counts[s] = 0
	}
	rows, err := q.Query(ctx, `SELECT state, count(*) FROM public.quarantine GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("count the quarantine: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		counts[s] = n
	}
	return counts, rows.Err()
}

// DecideQuarantine sets the state of the entry of seq (QuarantineSkipped
// or QuarantineReleased) and returns the entry. An unknown seq is a
// KindNotFound error.
func DecideQuarantine(ctx context.Context, q RowQuerier, seq uint64, state string) (QuarantineEntry, error) {
	const op = "quarantine"
	if state != QuarantineSkipped && state != QuarantineReleased {
		return QuarantineEntry{}, domain.E(op, domain.KindInvalid, "an operator sets an entry to %s or %s, not %q", QuarantineSkipped, QuarantineReleased, state)
	}
	e, err := scanQuarantine(q.QueryRow(ctx, `UPDATE public.quarantine SET state = $2, decided_at = now() WHERE seq = $1
		RETURNING `+quarantineColumns, int64(seq), state))
	if errors.Is(err, pgx.ErrNoRows) {
		return e, domain.FieldE(op, "seq", domain.KindNotFound, "no quarantined event at sequence %d (see djembe quarantine list)", seq)
	}
	if err != nil {
		return e, domain.Wrap(op, err)
	}
	return e, nil
}

// QuarantineEntryAt reads the entry of seq; ok is false if there is none.
func QuarantineEntryAt(ctx context.Context, q RowQuerier, seq uint64) (e QuarantineEntry, ok bool, err error) {
	e, err = scanQuarantine(q.QueryRow(ctx, `SELECT `+quarantineColumns+` FROM public.quarantine WHERE seq = $1`, int64(seq)))
	if errors.Is(err, pgx.ErrNoRows) {
		return e, false, nil
	}
	return e, err == nil, err
}
