package projections

import (
	"context"
	"fmt"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Ratio is the ratio read model (schema ratio, migrations/projections/ratio.sql):
//
//   - ratio.users: per user, credited and raw uploaded/downloaded totals, the
//     ratio (a generated column with domain.Ratio's meaning), the seeding and
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
// once: at its first "completed".
//
// Every value derives from the event sequence alone (times are
// Announce.TimeMillis), and Apply gives the same tables however the records
// are split into calls, so a replay rebuilds them row for row. Apply
// aggregates each run of announce batches in memory and writes it with a few
// set-based statements.
type Ratio struct{}

func (Ratio) Name() string { return "ratio" }
func (Ratio) Version() int { return 2 }

func (Ratio) Apply(ctx context.Context, tx pgx.Tx, recs []eventlog.Record) error {
	return walkAnnounces(recs,
		func(string) (bool, bool) { return false, false },
		func(run []*domain.AnnounceBatch) error { return newRatioRun(run).apply(ctx, tx) },
		nil)
}

// ratioPair aggregates a run's changes to one user_torrents row.
type ratioPair struct {
	key                       pairKey
	user                      *ratioUser
	touched                   bool // the row gets written
	checkSnatch               bool // a "completed" in the run: read snatched_at first
	snatched                  bool // snatched before or during the run
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

// ratioRun is one run of announce batches being applied.
type ratioRun struct {
	run    []*domain.AnnounceBatch
	pairOf []*ratioPair // announce number → its pair
	pairs  map[pairKey]*ratioPair
	users  map[uuid.UUID]*ratioUser
	nSnatc int
}

func newRatioRun(run []*domain.AnnounceBatch) *ratioRun {
	n := countAnnounces(run)
	r := &ratioRun{run: run, pairOf: make([]*ratioPair, 0, n), pairs: make(map[pairKey]*ratioPair, n/2+1),
		users: make(map[uuid.UUID]*ratioUser)}
	for _, b := range run {
		for i := range b.Announces {
			a := &b.Announces[i]
			p := r.pair(pairKey{user: a.UserID, hash: a.InfoHash})
			r.pairOf = append(r.pairOf, p)
			if a.Event == domain.EventCompleted && !p.checkSnatch {
				p.checkSnatch = true
				r.nSnatc++
			}
		}
	}
	return r
}

func (r *ratioRun) pair(k pairKey) *ratioPair {
	p := r.pairs[k]
	if p == nil {
		u := r.users[k.user]
		if u == nil {
			u = &ratioUser{id: k.user, lastMs: noTime}
			r.users[k.user] = u
		}
		p = &ratioPair{key: k, user: u, firstMs: noTime, lastMs: noTime, snatchMs: noTime}
		r.pairs[k] = p
	}
	return p
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
			r.announce(&b.Announces[i], r.pairOf[n])
			n++
		}
	}
	return r.write(ctx, tx)
}

// readSnatches learns, for the pairs with a "completed" in the run, whether
// they were snatched already.
func (r *ratioRun) readSnatches(ctx context.Context, tx pgx.Tx) error {
	if r.nSnatc == 0 {
		return nil
	}
	su, sh := make([]pgtype.UUID, 0, r.nSnatc), make([][]byte, 0, r.nSnatc)
	for _, p := range r.pairs {
		if p.checkSnatch {
			su, sh = append(su, pgUUID(p.key.user)), append(sh, p.key.hash[:])
		}
	}
	rows, err := tx.Query(ctx, `SELECT t.user_id, t.info_hash FROM unnest($1::uuid[], $2::bytea[]) AS k(u, h)
		JOIN user_torrents t ON t.user_id = k.u AND t.info_hash = k.h WHERE t.snatched_at IS NOT NULL`, su, sh)
	if err != nil {
		return fmt.Errorf("read snatches: %w", err)
	}
	var k pairKey
	var h []byte
	_, err = pgx.ForEachRow(rows, []any{(*pgUUIDScan)(&k.user), &h}, func() error {
		copy(k.hash[:], h)
		if p := r.pairs[k]; p != nil {
			p.snatched = true
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read snatches: %w", err)
	}
	return nil
}

// announce adds one announce to its pair's and user's aggregates.
func (r *ratioRun) announce(a *domain.Announce, pr *ratioPair) {
	u := pr.user
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
	if a.Event == domain.EventCompleted && !pr.snatched {
		pr.snatched, pr.snatchMs = true, t
		u.snatchN++
	}
	was, is := a.Prev, a.StateAfter()
	pr.peerDelta += b2i(is.Active()) - b2i(was.Active())
	u.seeding += b2i(is == domain.PeerSeeder) - b2i(was == domain.PeerSeeder)
	u.leeching += b2i(is == domain.PeerLeecher) - b2i(was == domain.PeerLeecher)
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

func ts(ms int64) pgtype.Timestamptz {
	if ms == noTime {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: msTime(ms), Valid: true}
}

// write sends the run's changes in one pipeline.
func (r *ratioRun) write(ctx context.Context, tx pgx.Tx) error {
	b := &pgx.Batch{}
	r.queuePairs(b)
	r.queueUsers(b)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("write ratio: %w", err)
	}
	return nil
}

// pairCols are user_torrents changes as parameter arrays.
type pairCols struct {
	user                     []pgtype.UUID
	hash                     [][]byte
	up, down, rawUp, rawDown []int64
	remaining                []pgtype.Int8
	seed                     []int64
	first, last, snatch      []pgtype.Timestamptz
	peers                    []int32
}

func newPairCols(n int) *pairCols {
	return &pairCols{user: make([]pgtype.UUID, 0, n), hash: make([][]byte, 0, n),
		up: make([]int64, 0, n), down: make([]int64, 0, n), rawUp: make([]int64, 0, n), rawDown: make([]int64, 0, n),
		remaining: make([]pgtype.Int8, 0, n), seed: make([]int64, 0, n), first: make([]pgtype.Timestamptz, 0, n),
		last: make([]pgtype.Timestamptz, 0, n), snatch: make([]pgtype.Timestamptz, 0, n), peers: make([]int32, 0, n)}
}

func (c *pairCols) add(p *ratioPair) {
	c.user, c.hash = append(c.user, pgUUID(p.key.user)), append(c.hash, p.key.hash[:])
	c.up, c.down = append(c.up, clamp(p.up)), append(c.down, clamp(p.down))
	c.rawUp, c.rawDown = append(c.rawUp, clamp(p.rawUp)), append(c.rawDown, clamp(p.rawDown))
	c.remaining = append(c.remaining, pgtype.Int8{Int64: clamp(p.remaining), Valid: p.hasRemaining})
	c.seed, c.peers = append(c.seed, clamp(p.seedMs)), append(c.peers, p.peerDelta)
	c.first, c.last, c.snatch = append(c.first, ts(p.firstMs)), append(c.last, ts(p.lastMs)), append(c.snatch, ts(p.snatchMs))
}

func (c *pairCols) args() []any {
	return []any{c.user, c.hash, c.up, c.down, c.rawUp, c.rawDown, c.remaining, c.seed, c.first, c.last, c.snatch, c.peers}
}

const pairColumns = `user_id, info_hash, uploaded, downloaded, raw_uploaded, raw_downloaded,
	remaining, seed_ms, first_announce_at, last_announce_at, snatched_at, active_peers`

const pairUnnest = `unnest($1::uuid[], $2::bytea[], $3::int8[], $4::int8[], $5::int8[], $6::int8[],
	$7::int8[], $8::int8[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::int4[])`

// pairSet merges the run's changes (columns of src) into a user_torrents row t.
func pairSet(src string) string {
	return satAddSQL(src, "uploaded") + ", " + satAddSQL(src, "downloaded") + ", " +
		satAddSQL(src, "raw_uploaded") + ", " + satAddSQL(src, "raw_downloaded") + ", " + satAddSQL(src, "seed_ms") + `,
		remaining = COALESCE(` + src + `.remaining, t.remaining),
		first_announce_at = LEAST(t.first_announce_at, ` + src + `.first_announce_at),
		last_announce_at = GREATEST(t.last_announce_at, ` + src + `.last_announce_at),
		snatched_at = COALESCE(t.snatched_at, ` + src + `.snatched_at),
		active_peers = t.active_peers + ` + src + `.active_peers`
}

// queuePairs upserts the changed user_torrents rows.
func (r *ratioRun) queuePairs(b *pgx.Batch) {
	n := 0
	for _, p := range r.pairs {
		n += int(b2i(p.touched))
	}
	if n == 0 {
		return
	}
	c := newPairCols(n)
	for _, p := range r.pairs {
		if p.touched {
			c.add(p)
		}
	}
	b.Queue(`INSERT INTO user_torrents AS t (`+pairColumns+`) SELECT * FROM `+pairUnnest+`
		ON CONFLICT (user_id, info_hash) DO UPDATE SET `+pairSet("excluded"), c.args()...)
}

// userCols are users changes as parameter arrays.
type userCols struct {
	id                             []pgtype.UUID
	up, down, rawUp, rawDown, seed []int64
	seeding, leeching, snatches    []int32
	last                           []pgtype.Timestamptz
}

func newUserCols(n int) *userCols {
	return &userCols{id: make([]pgtype.UUID, 0, n), up: make([]int64, 0, n), down: make([]int64, 0, n),
		rawUp: make([]int64, 0, n), rawDown: make([]int64, 0, n), seed: make([]int64, 0, n),
		seeding: make([]int32, 0, n), leeching: make([]int32, 0, n), snatches: make([]int32, 0, n),
		last: make([]pgtype.Timestamptz, 0, n)}
}

func (c *userCols) add(u *ratioUser) {
	c.id = append(c.id, pgUUID(u.id))
	c.up, c.down = append(c.up, clamp(u.up)), append(c.down, clamp(u.down))
	c.rawUp, c.rawDown, c.seed = append(c.rawUp, clamp(u.rawUp)), append(c.rawDown, clamp(u.rawDown)), append(c.seed, clamp(u.seedMs))
	c.seeding, c.leeching, c.snatches = append(c.seeding, u.seeding), append(c.leeching, u.leeching), append(c.snatches, u.snatchN)
	c.last = append(c.last, ts(u.lastMs))
}

func (c *userCols) args() []any {
	return []any{c.id, c.up, c.down, c.rawUp, c.rawDown, c.seed, c.seeding, c.leeching, c.snatches, c.last}
}

const userColumns = `user_id, uploaded, downloaded, raw_uploaded, raw_downloaded, seed_ms, seeding, leeching, snatches, last_announce_at`

const userUnnest = `unnest($1::uuid[], $2::int8[], $3::int8[], $4::int8[], $5::int8[], $6::int8[],
	$7::int4[], $8::int4[], $9::int4[], $10::timestamptz[])`

func userSet(src string) string {
	return satAddSQL(src, "uploaded") + ", " + satAddSQL(src, "downloaded") + ", " +
		satAddSQL(src, "raw_uploaded") + ", " + satAddSQL(src, "raw_downloaded") + ", " + satAddSQL(src, "seed_ms") + `,
		seeding = t.seeding + ` + src + `.seeding, leeching = t.leeching + ` + src + `.leeching,
		snatches = t.snatches + ` + src + `.snatches,
		last_announce_at = GREATEST(t.last_announce_at, ` + src + `.last_announce_at)`
}

// queueUsers upserts the changed users rows.
func (r *ratioRun) queueUsers(b *pgx.Batch) {
	n := 0
	for _, u := range r.users {
		n += int(b2i(u.touched))
	}
	if n == 0 {
		return
	}
	c := newUserCols(n)
	for _, u := range r.users {
		if u.touched {
			c.add(u)
		}
	}
	b.Queue(`INSERT INTO users AS t (`+userColumns+`) SELECT * FROM `+userUnnest+`
		ON CONFLICT (user_id) DO UPDATE SET `+userSet("excluded"), c.args()...)
}
