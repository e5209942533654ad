package projections

import (
	"context"
	_ "embed"
	"fmt"
	"math"
	"math/bits"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/pgcopy"
	"github.com/jackc/pgx/v5"
)

// Peers is the live peers read model (schema peers, table in
// sql/peers.sql): one row per peer in a swarm, keyed by torrent, user and
// peer_id (the tracker's key), with its client's name, what it last
// reported (left, uploaded, downloaded), its current rates, when its
// session started and when it last announced. A stopped or reaped announce
// removes the row; TorrentDeleted removes all of a torrent's.
//
// Rates are the change in a session's reported counters between its last
// two announces over the time between them: an announce that begins a
// session (Announce.NewSession, or a peer back after its row was removed)
// has rates 0 and starts the session. A peer's address is not here: the row
// names the announce (addr_seq, addr_index) whose batch in the log holds it
// sealed, which only the site's staff view opens.
//
// Apply folds each peer's announces of a run in memory (the last state
// wins, rates from its last two announces) and writes one row per peer
// with binary COPY and one MERGE. A run's first announce of a peer that
// continues a session takes the session's start and previous counters from
// the table (in the MERGE), so the tables do not depend on how the log is
// cut into calls.
type Peers struct{}

//go:embed sql/peers.sql
var peersSchema string

func (Peers) Name() string   { return "peers" }
func (Peers) Version() int   { return 1 }
func (Peers) Schema() string { return peersSchema }

func (Peers) Consumes() []string {
	return []string{domain.TypeAnnounceBatch, domain.TypeTorrentDeleted}
}

// Apply applies the runs of announce batches between deletions in order: a
// deletion removes what the announces before it left.
func (Peers) Apply(ctx context.Context, tx pgx.Tx, evs []Event) error {
	var run []seqBatch
	for _, ev := range evs {
		switch e := ev.Event.(type) {
		case *domain.AnnounceBatch:
			run = append(run, seqBatch{ev.Seq, e})
		case domain.TorrentDeleted:
			if err := newPeersRun(run).write(ctx, tx); err != nil {
				return err
			}
			run = run[:0]
			if _, err := tx.Exec(ctx, `DELETE FROM peers WHERE info_hash = $1`, e.InfoHash[:]); err != nil {
				return fmt.Errorf("event %d (%s): %w", ev.Seq, ev.Meta.Type, err)
			}
		}
	}
	return newPeersRun(run).write(ctx, tx)
}

// seqBatch is an announce batch and its log sequence.
type seqBatch struct {
	seq uint64
	b   *domain.AnnounceBatch
}

// livePeerKey is the tracker's key of a peer on a torrent.
type livePeerKey struct {
	hash domain.InfoHash
	user domain.UserID
	id   [20]byte
}

// Flags of a staged row, telling the MERGE what it takes from the table.
const (
	peerGone      = 1 << iota // the run ends with the peer gone: delete its row
	peerKeepStart             // every announce of the run continues a session begun before it
	peerPrevRate              // and there is one: the rates are from the table's counters to it
)

// peerFold is a run's announces of one peer, folded.
type peerFold struct {
	key              livePeerKey
	seen, present    bool // an announce of the run; the peer is in the swarm after the last
	flags            int32
	left, up, down   int64
	upRate, downRate int64
	startMs, lastMs  int64
	seq              uint64
	index            int32
}

type peersRun struct {
	folds []peerFold
	ix    map[livePeerKey]int32
}

func newPeersRun(run []seqBatch) *peersRun {
	n := 0
	for _, sb := range run {
		n += len(sb.b.Announces)
	}
	r := &peersRun{folds: make([]peerFold, 0, n/2+1), ix: make(map[livePeerKey]int32, n/2+1)}
	for _, sb := range run {
		for i := range sb.b.Announces {
			a := &sb.b.Announces[i]
			k := livePeerKey{hash: a.InfoHash, user: a.UserID, id: a.PeerID}
			j, ok := r.ix[k]
			if !ok {
				j = int32(len(r.folds))
				r.folds = append(r.folds, peerFold{key: k})
				r.ix[k] = j
			}
			r.folds[j].announce(a, sb.seq, int32(i))
		}
	}
	return r
}

// announce folds in the next announce of the peer, the index-th of the
// batch at seq.
func (f *peerFold) announce(a *domain.Announce, seq uint64, index int32) {
	defer func() { f.seen = true }()
	if a.StateAfter() == domain.PeerAbsent {
		f.present, f.flags = false, peerGone
		return
	}
	t, up, down := eventMs(a), clamp(a.Uploaded), clamp(a.Downloaded)
	switch {
	case a.NewSession || (f.seen && !f.present): // a peer back after its row went starts afresh
		f.flags, f.startMs, f.upRate, f.downRate = 0, t, 0, 0
	case !f.seen: // continues a session the table holds, if it does
		f.flags, f.startMs, f.upRate, f.downRate = peerKeepStart|peerPrevRate, t, 0, 0
	default:
		f.flags &^= peerPrevRate
		f.upRate, f.downRate = PeerRate(up-f.up, t-f.lastMs), PeerRate(down-f.down, t-f.lastMs)
	}
	f.present = true
	f.left, f.up, f.down, f.lastMs = clamp(a.Left), up, down, t
	f.seq, f.index = seq, index
}

// PeerRate is bytes a second for delta bytes over ms milliseconds,
// rounded down and saturating at the largest bigint; 0 unless both are
// positive. peersMerge computes the same in SQL.
func PeerRate(delta, ms int64) int64 {
	if ms <= 0 || delta <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(delta), 1000)
	if hi >= uint64(ms) {
		return math.MaxInt64
	}
	q, _ := bits.Div64(hi, lo, uint64(ms))
	return int64(min(q, math.MaxInt64))
}

// peersStage is the temporary table a run's rows are copied into (see
// ratioStage for why it is made and emptied on every write).
const peersStage = `SET LOCAL client_min_messages = warning;
CREATE TEMP TABLE IF NOT EXISTS peers_in (info_hash bytea, user_id uuid, peer_id bytea, client text,
	remaining bigint, uploaded bigint, downloaded bigint, up_rate bigint, down_rate bigint,
	started_at timestamptz, last_announce_at timestamptz, addr_seq bigint, addr_index integer, flags integer) ON COMMIT DELETE ROWS;
DELETE FROM peers_in`

// peerRateSQL is PeerRate of column col from the table's row t to the
// staged row s.
func peerRateSQL(col string) string {
	return fmt.Sprintf(`CASE WHEN s.%[1]s > t.%[1]s AND s.last_announce_at > t.last_announce_at
		THEN LEAST(div((s.%[1]s - t.%[1]s)::numeric * 1000,
			(extract(epoch FROM s.last_announce_at) - extract(epoch FROM t.last_announce_at)) * 1000), 9223372036854775807)::bigint
		ELSE 0 END`, col)
}

// peersMerge merges the staged rows: deletes the gone, updates the rest
// (keeping the session's start, and computing the rates from the table's
// row, as the flags say) and inserts the new.
var peersMerge = `MERGE INTO peers t USING peers_in s
	ON t.info_hash = s.info_hash AND t.user_id = s.user_id AND t.peer_id = s.peer_id
WHEN MATCHED AND s.flags & ` + fmt.Sprint(peerGone) + ` <> 0 THEN DELETE
WHEN MATCHED AND s.flags & ` + fmt.Sprint(peerPrevRate) + ` <> 0 THEN UPDATE SET ` + peersSet + `,
	up_rate = ` + peerRateSQL("uploaded") + `, down_rate = ` + peerRateSQL("downloaded") + `
WHEN MATCHED AND s.flags & ` + fmt.Sprint(peerKeepStart) + ` <> 0 THEN UPDATE SET ` + peersSet + `,
	up_rate = s.up_rate, down_rate = s.down_rate
WHEN MATCHED THEN UPDATE SET ` + peersSet + `,
	up_rate = s.up_rate, down_rate = s.down_rate, started_at = s.started_at
WHEN NOT MATCHED AND s.flags & ` + fmt.Sprint(peerGone) + ` = 0 THEN INSERT (` + peersColumns + `)
	VALUES (s.info_hash, s.user_id, s.peer_id, s.client, s.remaining, s.uploaded, s.downloaded,
		s.up_rate, s.down_rate, s.started_at, s.last_announce_at, s.addr_seq, s.addr_index)`

const peersColumns = `info_hash, user_id, peer_id, client, remaining, uploaded, downloaded,
	up_rate, down_rate, started_at, last_announce_at, addr_seq, addr_index`

// peersSet is what every update takes from the staged row.
const peersSet = `client = s.client, remaining = s.remaining, uploaded = s.uploaded, downloaded = s.downloaded,
	last_announce_at = s.last_announce_at, addr_seq = s.addr_seq, addr_index = s.addr_index`

func (r *peersRun) write(ctx context.Context, tx pgx.Tx) error {
	if len(r.folds) == 0 {
		return nil
	}
	if err := bigRunSettings(ctx, tx, len(r.folds)); err != nil {
		return err
	}
	conn := tx.Conn()
	if _, err := conn.Exec(ctx, peersStage); err != nil {
		return fmt.Errorf("create peers stage table: %w", err)
	}
	rows := copyBuffers.Get().(*pgcopy.Rows)
	defer copyBuffers.Put(rows)
	if _, err := rows.Copy(ctx, conn, "peers_in", r.rows); err != nil {
		return fmt.Errorf("write peers: %w", err)
	}
	if _, err := conn.Exec(ctx, peersMerge); err != nil {
		return fmt.Errorf("write peers: %w", err)
	}
	return nil
}

// rows writes the run's rows, in peers_in's column order.
func (r *peersRun) rows(rows *pgcopy.Rows) {
	clients := map[[8]byte]string{}
	for i := range r.folds {
		f := &r.folds[i]
		rows.Row(14)
		rows.Bytes(f.key.hash[:])
		rows.UUID(f.key.user)
		rows.Bytes(f.key.id[:])
		rows.Bytes([]byte(clientOf(clients, &f.key.id)))
		rows.Int8(f.left)
		rows.Int8(f.up)
		rows.Int8(f.down)
		rows.Int8(f.upRate)
		rows.Int8(f.downRate)
		rows.TimestamptzMs(f.startMs)
		rows.TimestamptzMs(f.lastMs)
		rows.Int8(clamp(f.seq))
		rows.Int4(f.index)
		rows.Int4(f.flags)
	}
}

// clientOf is domain.PeerClient of id, remembered in seen for the
// Azureus-style ids, whose name depends on their first 8 bytes only.
func clientOf(seen map[[8]byte]string, id *[20]byte) string {
	if id[0] != '-' || id[7] != '-' {
		return domain.PeerClient(id[:])
	}
	k := [8]byte(id[:8])
	c, ok := seen[k]
	if !ok {
		c = domain.PeerClient(id[:])
		seen[k] = c
	}
	return c
}
