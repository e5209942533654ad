package projections

import (
	"context"
	_ "embed"
	"fmt"
	"sync"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/pgcopy"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Ratio is the ratio read model (schema ratio, tables in sql/ratio.sql):
//
//   - ratio.users: per user, credited and raw uploaded/downloaded totals, the
//     ratio (a generated column with domain.RatioOf's meaning), the seeding and
//     leeching counts (active peers with left = 0 / left > 0), snatches and
//     seed time;
//   - ratio.user_torrents: per user and torrent, what Gazelle keeps in
//     xbt_files_users: credited and raw amounts, the last reported left
//     (remaining), seed time, first and last announce, snatched_at, and the
//     active flag (the user has an active peer on it).
//
// The credit, the seed time (domain.SeedTime) and each peer's state before
// and after an announce are in the events, decided by the tracker; Ratio
// only adds them up, so it keeps no per-peer rows. A user snatches a torrent
// once: at its first snatch (Announce.Snatch, decided by the tracker).
//
// Every value derives from the event sequence alone (times are
// Announce.TimeMillis), and Apply gives the same tables however the records
// are split into calls, so a replay rebuilds them row for row. Apply
// aggregates each run of announce batches in memory and writes it with a few
// set-based statements.
type Ratio struct{}

//go:embed sql/ratio.sql
var ratioSchema string

func (Ratio) Name() string       { return "ratio" }
func (Ratio) Version() int       { return 3 }
func (Ratio) Schema() string     { return ratioSchema }
func (Ratio) Consumes() []string { return []string{domain.TypeAnnounceBatch} }

// Apply applies the run of announce batches evs (it consumes nothing else).
func (Ratio) Apply(ctx context.Context, tx pgx.Tx, evs []Event) error {
	return newRatioRun(announceBatches(evs)).apply(ctx, tx)
}

// ratioPair aggregates a run's changes to one user_torrents row.
type ratioPair struct {
	key                       pairKey
	user                      int32 // index in ratioRun.users
	touched                   bool  // the row gets written
	checkSnatch               bool  // a snatch in the run: read snatched_at first
	snatched                  bool  // snatched before or during the run
	up, down, rawUp, rawDown  uint64
	remaining                 uint64
	hasRemaining              bool
	seedMs                    uint64
	firstMs, lastMs, snatchMs int64
	peerDelta                 int32
}

// ratioUser aggregates a run's changes to one users row.
type ratioUser struct {
	id                         uuid.UUID
	touched                    bool
	up, down, rawUp, rawDown   uint64
	seedMs                     uint64
	lastMs                     int64
	seeding, leeching, snatchN int32
}

// ratioRun is one run of announce batches being applied. Pairs and users
// are kept in slices, in order of first appearance, and found through
// maps of indices: no allocation per pair.
type ratioRun struct {
	run    []*domain.AnnounceBatch
	pairOf []int32 // announce number → index in pairs
	pairs  []ratioPair
	pairIx map[pairKey]int32
	users  []ratioUser
	userIx map[uuid.UUID]int32
	nSnatc int
}

func newRatioRun(run []*domain.AnnounceBatch) *ratioRun {
	n := countAnnounces(run)
	pairs := n // live runs: room for every announce on its own pair
	if n > 1<<16 {
		pairs = n / 2 // rebuilds: pairs repeat, and memory counts
	}
	r := &ratioRun{run: run, pairOf: make([]int32, 0, n), pairs: make([]ratioPair, 0, pairs),
		pairIx: make(map[pairKey]int32, pairs), userIx: make(map[uuid.UUID]int32)}
	for _, b := range run {
		for i := range b.Announces {
			a := &b.Announces[i]
			ix := r.pair(pairKey{user: a.UserID, hash: a.InfoHash})
			r.pairOf = append(r.pairOf, ix)
			if p := &r.pairs[ix]; a.Snatch && !p.checkSnatch {
				p.checkSnatch = true
				r.nSnatc++
			}
		}
	}
	return r
}

// pair is the index of k's pair, added (with its user) if new.
func (r *ratioRun) pair(k pairKey) int32 {
	if ix, ok := r.pairIx[k]; ok {
		return ix
	}
	u, ok := r.userIx[k.user]
	if !ok {
		u = int32(len(r.users))
		r.users = append(r.users, ratioUser{id: k.user, lastMs: noTime})
		r.userIx[k.user] = u
	}
	ix := int32(len(r.pairs))
	r.pairs = append(r.pairs, ratioPair{key: k, user: u, firstMs: noTime, lastMs: noTime, snatchMs: noTime})
	r.pairIx[k] = ix
	return ix
}

func (r *ratioRun) apply(ctx context.Context, tx pgx.Tx) error {
	if err := bigRunSettings(ctx, tx, len(r.pairOf)); err != nil {
		return err
	}
	if err := r.readSnatches(ctx, tx); err != nil {
		return err
	}
	n := 0
	for _, b := range r.run {
		for i := range b.Announces {
			r.announce(&b.Announces[i], &r.pairs[r.pairOf[n]])
			n++
		}
	}
	return r.write(ctx, tx)
}

// readSnatches learns, for the pairs with a snatch in the run, whether
// they were snatched already.
func (r *ratioRun) readSnatches(ctx context.Context, tx pgx.Tx) error {
	if r.nSnatc == 0 {
		return nil
	}
	var pairs pairArgs
	for i := range r.pairs {
		if p := &r.pairs[i]; p.checkSnatch {
			pairs.add(p.key)
		}
	}
	rows, err := tx.Query(ctx, `SELECT t.user_id, t.info_hash FROM unnest($1::uuid[], $2::bytea[]) AS k(u, h)
		JOIN user_torrents t ON t.user_id = k.u AND t.info_hash = k.h WHERE t.snatched_at IS NOT NULL`, pairs.users, pairs.hashes)
	if err != nil {
		return fmt.Errorf("read snatches: %w", err)
	}
	err = scanPairs(rows, func(k pairKey) {
		if ix, ok := r.pairIx[k]; ok {
			r.pairs[ix].snatched = true
		}
	})
	if err != nil {
		return fmt.Errorf("read snatches: %w", err)
	}
	return nil
}

// announce adds one announce to its pair's and user's aggregates.
func (r *ratioRun) announce(a *domain.Announce, pr *ratioPair) {
	u := &r.users[pr.user]
	reap := a.Event == domain.EventReaped
	credit := a.RawUp|a.RawDown|a.CreditedUp|a.CreditedDown != 0
	if reap && !a.Prev.Active() && !credit {
		return // the peer is gone already: nothing to do
	}
	pr.touched, u.touched = true, true
	if credit {
		pr.up, pr.down = satAdd(pr.up, a.CreditedUp), satAdd(pr.down, a.CreditedDown)
		pr.rawUp, pr.rawDown = satAdd(pr.rawUp, a.RawUp), satAdd(pr.rawDown, a.RawDown)
		u.up, u.down = satAdd(u.up, a.CreditedUp), satAdd(u.down, a.CreditedDown)
		u.rawUp, u.rawDown = satAdd(u.rawUp, a.RawUp), satAdd(u.rawDown, a.RawDown)
	}
	pr.seedMs, u.seedMs = satAdd(pr.seedMs, a.SeedMillis), satAdd(u.seedMs, a.SeedMillis)
	t := eventMs(a)
	if !reap {
		pr.firstMs, pr.lastMs = minTime(pr.firstMs, t), max(pr.lastMs, t)
		u.lastMs = max(u.lastMs, t)
		pr.remaining, pr.hasRemaining = a.Left, true
	}
	if a.Snatch && !pr.snatched {
		pr.snatched, pr.snatchMs = true, t
		u.snatchN++
	}
	pr.peerDelta += b2i(a.StateAfter().Active()) - b2i(a.Prev.Active())
	ds, dl := countDelta(a)
	u.seeding, u.leeching = u.seeding+ds, u.leeching+dl
}

func b2i(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

func minTime(a, b int64) int64 {
	if a == noTime || b < a {
		return b
	}
	return a
}

// write stages the run's changed rows in temporary tables with binary COPY
// (pgcopy: far less work for this process than parameter arrays, or pgx's
// CopyFrom, measured in internal/pgcopy/copyfrom_bench_test.go), streamed
// in chunks, and merges them into user_torrents and users in one pipeline.
func (r *ratioRun) write(ctx context.Context, tx pgx.Tx) error {
	conn := tx.Conn()
	if err := createRatioStage(ctx, conn); err != nil {
		return err
	}
	rows := copyBuffers.Get().(*pgcopy.Rows)
	defer copyBuffers.Put(rows)
	n, err := rows.Copy(ctx, conn, "ratio_pairs_in", r.pairRows)
	if err != nil {
		return fmt.Errorf("write ratio: %w", err)
	}
	if n == 0 {
		return nil // a run of reaps of peers already gone
	}
	if _, err := rows.Copy(ctx, conn, "ratio_users_in", r.userRows); err != nil {
		return fmt.Errorf("write ratio: %w", err)
	}
	b := &pgx.Batch{}
	b.Queue(mergePairs)
	b.Queue(mergeUsers)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("write ratio: %w", err)
	}
	return nil
}

// copyBuffers keeps COPY buffers between runs.
var copyBuffers = sync.Pool{New: func() any { return new(pgcopy.Rows) }}

// ratioStage creates the temporary tables a run's rows are copied into,
// with the columns (and so the types) of the tables they merge into:
// temporary tables live as long as their connection and are emptied at
// every commit. It empties them too: one transaction may hold several runs
// (the runtime isolating an event it refused, a rebuild's swap catching
// up), and each must merge only its own rows.
const ratioStage = `SET LOCAL client_min_messages = warning;
CREATE TEMP TABLE IF NOT EXISTS ratio_pairs_in ON COMMIT DELETE ROWS AS
	SELECT ` + pairColumns + ` FROM user_torrents WITH NO DATA;
CREATE TEMP TABLE IF NOT EXISTS ratio_users_in ON COMMIT DELETE ROWS AS
	SELECT ` + userColumns + ` FROM users WITH NO DATA;
DELETE FROM ratio_pairs_in; DELETE FROM ratio_users_in`

// createRatioStage makes sure the stage tables exist. It runs every time,
// not once per connection: a rolled back transaction takes the tables it
// created with it.
func createRatioStage(ctx context.Context, conn *pgx.Conn) error {
	if _, err := conn.Exec(ctx, ratioStage); err != nil {
		return fmt.Errorf("create ratio stage tables: %w", err)
	}
	return nil
}

// timeOrNull writes an aggregate time, NULL when unset.
func timeOrNull(rows *pgcopy.Rows, ms int64) {
	if ms == noTime {
		rows.Null()
		return
	}
	rows.TimestamptzMs(ms)
}

// pairRows writes the changed user_torrents rows, in ratio_pairs_in's
// column order.
func (r *ratioRun) pairRows(rows *pgcopy.Rows) {
	for i := range r.pairs {
		p := &r.pairs[i]
		if !p.touched {
			continue
		}
		rows.Row(12)
		rows.UUID(p.key.user)
		rows.Bytes(p.key.hash[:])
		rows.Int8(clamp(p.up))
		rows.Int8(clamp(p.down))
		rows.Int8(clamp(p.rawUp))
		rows.Int8(clamp(p.rawDown))
		if p.hasRemaining {
			rows.Int8(clamp(p.remaining))
		} else {
			rows.Null()
		}
		rows.Int8(clamp(p.seedMs))
		timeOrNull(rows, p.firstMs)
		timeOrNull(rows, p.lastMs)
		timeOrNull(rows, p.snatchMs)
		rows.Int4(p.peerDelta)
	}
}

const pairColumns = `user_id, info_hash, uploaded, downloaded, raw_uploaded, raw_downloaded,
	remaining, seed_ms, first_announce_at, last_announce_at, snatched_at, active_peers`

// sumsSet adds the staged byte counts and seed time (excluded) to a row
// t, saturating.
var sumsSet = satAddSQL("uploaded") + ", " + satAddSQL("downloaded") + ", " +
	satAddSQL("raw_uploaded") + ", " + satAddSQL("raw_downloaded") + ", " + satAddSQL("seed_ms")

// mergePairs merges the staged changes into user_torrents.
var mergePairs = `INSERT INTO user_torrents AS t (` + pairColumns + `) SELECT * FROM ratio_pairs_in
	ON CONFLICT (user_id, info_hash) DO UPDATE SET ` + sumsSet + `,
	remaining = COALESCE(excluded.remaining, t.remaining),
	first_announce_at = LEAST(t.first_announce_at, excluded.first_announce_at),
	last_announce_at = GREATEST(t.last_announce_at, excluded.last_announce_at),
	snatched_at = COALESCE(t.snatched_at, excluded.snatched_at),
	active_peers = t.active_peers + excluded.active_peers`

// userRows writes the changed users rows, in ratio_users_in's column order.
func (r *ratioRun) userRows(rows *pgcopy.Rows) {
	for i := range r.users {
		u := &r.users[i]
		if !u.touched {
			continue
		}
		rows.Row(10)
		rows.UUID(u.id)
		rows.Int8(clamp(u.up))
		rows.Int8(clamp(u.down))
		rows.Int8(clamp(u.rawUp))
		rows.Int8(clamp(u.rawDown))
		rows.Int8(clamp(u.seedMs))
		rows.Int4(u.seeding)
		rows.Int4(u.leeching)
		rows.Int4(u.snatchN)
		timeOrNull(rows, u.lastMs)
	}
}

const userColumns = `user_id, uploaded, downloaded, raw_uploaded, raw_downloaded, seed_ms, seeding, leeching, snatches, last_announce_at`

// mergeUsers merges the staged changes into users.
var mergeUsers = `INSERT INTO users AS t (` + userColumns + `) SELECT * FROM ratio_users_in
	ON CONFLICT (user_id) DO UPDATE SET ` + sumsSet + `,
	seeding = t.seeding + excluded.seeding, leeching = t.leeching + excluded.leeching,
	snatches = t.snatches + excluded.snatches,
	last_announce_at = GREATEST(t.last_announce_at, excluded.last_announce_at)`
