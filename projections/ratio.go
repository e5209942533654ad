package projections

import (
	"context"
	"fmt"
	"time"

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
//     active flag (the user has an active peer on it);
//   - ratio.peers: the active peers, keyed by (info_hash, user_id, peer_id).
//
// The credit in the events is final (decided by the tracker); Ratio only
// adds it up. A peer becomes active with any announce other than stopped or
// reaped and stops being active with stopped, reaped, or the deletion of
// its torrent. A user snatches a torrent once: at its first "completed".
//
// Seed time: an announce of a peer adds t − t_prev to its user and torrent
// when the peer was active with left = 0 at its previous announce (time
// t_prev, the latest announce time of the session so far), the announce
// continues that session (it is not a new session, nor a reap: a reap's
// time is when the tracker noticed the silence, not when seeding ended),
// and 0 < t − t_prev ≤ maxSeedInterval. So a seeder's time runs from each
// announce at which it reported left = 0 until its next announce, stopped
// included; the interval in which a leecher completes does not count.
//
// Every value derives from the event sequence alone (times are
// Announce.TimeMillis), and Apply gives the same tables however the records
// are split into calls, so a replay rebuilds them row for row. Apply
// aggregates each run of announce batches in memory, reading the prior state
// of the run's peers first, and writes it with a few set-based statements.
type Ratio struct{}

// maxSeedInterval bounds one interval of seed time: a longer silence inside
// a session (the tracker was down, say) is not counted as seeding.
const maxSeedInterval = 2 * time.Hour

func (Ratio) Name() string { return "ratio" }
func (Ratio) Version() int { return 1 }

func (Ratio) Apply(ctx context.Context, tx pgx.Tx, recs []eventlog.Record) error {
	return walkAnnounces(recs,
		func(typ string) (bool, bool) { return typ == "TorrentDeleted", true },
		func(run []*domain.AnnounceBatch) error { return newRatioRun(run).apply(ctx, tx) },
		func(_ eventlog.Record, e domain.Event) error {
			if d, ok := e.(domain.TorrentDeleted); ok {
				_, err := tx.Exec(ctx, ratioDeleteTorrentSQL, d.InfoHash[:])
				return err
			}
			return nil
		})
}

// ratioDeleteTorrentSQL ends every active peer of a deleted torrent: the
// tracker refuses its announces from then on.
const ratioDeleteTorrentSQL = `
WITH gone AS (
	DELETE FROM peers WHERE info_hash = $1 RETURNING user_id, remaining
), per_user AS (
	SELECT user_id, count(*) FILTER (WHERE remaining = 0) AS s, count(*) FILTER (WHERE remaining <> 0) AS l
	FROM gone GROUP BY user_id
), u AS (
	UPDATE users SET seeding = users.seeding - per_user.s, leeching = users.leeching - per_user.l
	FROM per_user WHERE users.user_id = per_user.user_id
)
UPDATE user_torrents t SET active_peers = 0 FROM per_user WHERE t.user_id = per_user.user_id AND t.info_hash = $1`

// ratioPeer is one peer's state before and during a run.
type ratioPeer struct {
	key  peerKey
	pair *ratioPair
	// before the run (from ratio.peers)
	had          bool
	hadRemaining uint64
	hadLastMs    int64
	// now
	present   bool
	remaining uint64
	lastMs    int64
}

// ratioPair aggregates a run's changes to one user_torrents row.
type ratioPair struct {
	key                       pairKey
	user                      *ratioUser
	touched                   bool // the row gets written
	exists                    bool // the row exists (one of its peers did)
	checkSnatch               bool // a "completed" in the run: read snatched_at first
	snatched                  bool // snatched before or during the run
	up, down, rawUp, rawDown  uint64
	remaining                 uint64
	hasRemaining              bool
	seedMs                    int64
	firstMs, lastMs, snatchMs int64
	peerDelta                 int32
}

// ratioUser aggregates a run's changes to one users row.
type ratioUser struct {
	id                         uuid.UUID
	touched                    bool
	exists                     bool // the row exists (one of its peers did)
	up, down, rawUp, rawDown   uint64
	seedMs, lastMs             int64
	seeding, leeching, snatchN int32
}

// ratioRun is one run of announce batches being applied.
type ratioRun struct {
	run    []*domain.AnnounceBatch
	index  []int32 // announce number → peers index
	peers  []ratioPeer
	pairs  map[pairKey]*ratioPair
	users  map[uuid.UUID]*ratioUser
	nSnatc int
}

func newRatioRun(run []*domain.AnnounceBatch) *ratioRun {
	n := countAnnounces(run)
	r := &ratioRun{run: run, index: make([]int32, 0, n), peers: make([]ratioPeer, 0, n/2+1),
		pairs: make(map[pairKey]*ratioPair, n/2+1), users: make(map[uuid.UUID]*ratioUser)}
	seen := make(map[peerKey]int32, n/2+1)
	for _, b := range run {
		for i := range b.Announces {
			a := &b.Announces[i]
			k := peerKey{hash: a.InfoHash, user: a.UserID, peer: a.PeerID}
			idx, ok := seen[k]
			if !ok {
				idx = int32(len(r.peers))
				seen[k] = idx
				r.peers = append(r.peers, ratioPeer{key: k, pair: r.pair(pairKey{user: a.UserID, hash: a.InfoHash}), hadLastMs: noTime})
			}
			r.index = append(r.index, idx)
			if a.Event == domain.EventCompleted {
				if p := r.peers[idx].pair; !p.checkSnatch {
					p.checkSnatch = true
					r.nSnatc++
				}
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
	if err := bigRunSettings(ctx, tx, len(r.index)); err != nil {
		return err
	}
	if err := r.readPrior(ctx, tx); err != nil {
		return err
	}
	r.simulate()
	return r.write(ctx, tx)
}

// readPrior loads the run's peers from ratio.peers and, for the pairs with a
// "completed" in the run, whether they were snatched already.
func (r *ratioRun) readPrior(ctx context.Context, tx pgx.Tx) error {
	hashes, users, pids := make([][]byte, len(r.peers)), make([]pgtype.UUID, len(r.peers)), make([][]byte, len(r.peers))
	for i := range r.peers {
		k := &r.peers[i].key
		hashes[i], users[i], pids[i] = k.hash[:], pgUUID(k.user), k.peer[:]
	}
	rows, err := tx.Query(ctx, `SELECT k.i, p.remaining, p.last_announce_at
		FROM unnest($1::bytea[], $2::uuid[], $3::bytea[]) WITH ORDINALITY AS k(h, u, pid, i)
		JOIN peers p ON p.info_hash = k.h AND p.user_id = k.u AND p.peer_id = k.pid`, hashes, users, pids)
	if err != nil {
		return fmt.Errorf("read peers: %w", err)
	}
	var i, remaining int64
	var last time.Time
	_, err = pgx.ForEachRow(rows, []any{&i, &remaining, &last}, func() error {
		p := &r.peers[i-1]
		p.had, p.hadRemaining, p.hadLastMs = true, uint64(remaining), last.UnixMilli()
		p.present, p.remaining, p.lastMs = true, p.hadRemaining, p.hadLastMs
		p.pair.exists, p.pair.user.exists = true, true
		return nil
	})
	if err != nil {
		return fmt.Errorf("read peers: %w", err)
	}
	if r.nSnatc == 0 {
		return nil
	}
	su, sh := make([]pgtype.UUID, 0, r.nSnatc), make([][]byte, 0, r.nSnatc)
	for _, p := range r.pairs {
		if p.checkSnatch {
			su, sh = append(su, pgUUID(p.key.user)), append(sh, p.key.hash[:])
		}
	}
	rows, err = tx.Query(ctx, `SELECT t.user_id, t.info_hash FROM unnest($1::uuid[], $2::bytea[]) AS k(u, h)
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

// simulate applies the run's announces in order to the peers' states and
// the aggregates.
func (r *ratioRun) simulate() {
	n := 0
	for _, b := range r.run {
		for i := range b.Announces {
			a := &b.Announces[i]
			p := &r.peers[r.index[n]]
			n++
			r.announce(a, p)
		}
	}
}

func (r *ratioRun) announce(a *domain.Announce, p *ratioPeer) {
	pr, u := p.pair, p.pair.user
	reap := a.Event == domain.EventReaped
	credit := a.RawUp|a.RawDown|a.CreditedUp|a.CreditedDown != 0
	if reap && !p.present && !credit {
		return // the peer is gone already: nothing to do
	}
	pr.touched, u.touched = true, true
	if credit {
		pr.up, pr.down = satAdd(pr.up, a.CreditedUp), satAdd(pr.down, a.CreditedDown)
		pr.rawUp, pr.rawDown = satAdd(pr.rawUp, a.RawUp), satAdd(pr.rawDown, a.RawDown)
		u.up, u.down = satAdd(u.up, a.CreditedUp), satAdd(u.down, a.CreditedDown)
		u.rawUp, u.rawDown = satAdd(u.rawUp, a.RawUp), satAdd(u.rawDown, a.RawDown)
	}
	t := eventMs(a)
	if !reap {
		pr.firstMs, pr.lastMs = minTime(pr.firstMs, t), max(pr.lastMs, t)
		u.lastMs = max(u.lastMs, t)
		pr.remaining, pr.hasRemaining = a.Left, true
	}
	if p.present && p.remaining == 0 && !a.NewSession && !reap && t > p.lastMs && t-p.lastMs <= maxSeedInterval.Milliseconds() {
		pr.seedMs += t - p.lastMs
		u.seedMs += t - p.lastMs
	}
	if a.Event == domain.EventCompleted && !pr.snatched {
		pr.snatched, pr.snatchMs = true, t
		u.snatchN++
	}
	wasSeeder, wasLeecher := p.present && p.remaining == 0, p.present && p.remaining != 0
	if reap || a.Event == domain.EventStopped {
		p.present = false
	} else {
		if !p.present || a.NewSession || t > p.lastMs {
			p.lastMs = t
		}
		p.present, p.remaining = true, a.Left
	}
	isSeeder, isLeecher := p.present && p.remaining == 0, p.present && p.remaining != 0
	pr.peerDelta += b2i(isSeeder || isLeecher) - b2i(wasSeeder || wasLeecher)
	u.seeding += b2i(isSeeder) - b2i(wasSeeder)
	u.leeching += b2i(isLeecher) - b2i(wasLeecher)
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
	r.queuePeers(b)
	r.queuePairs(b)
	r.queueUsers(b)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("write ratio: %w", err)
	}
	return nil
}

func (r *ratioRun) queuePeers(b *pgx.Batch) {
	const keep, insert, update, remove = 0, 1, 2, 3
	what := make([]uint8, len(r.peers))
	var n [4]int
	for i := range r.peers {
		p := &r.peers[i]
		switch {
		case p.present && !p.had:
			what[i] = insert
		case p.present && (p.remaining != p.hadRemaining || p.lastMs != p.hadLastMs):
			what[i] = update
		case !p.present && p.had:
			what[i] = remove
		}
		n[what[i]]++
	}
	ins, upd, del := newPeerCols(n[insert]), newPeerCols(n[update]), newPeerCols(n[remove])
	for i, w := range what {
		switch w {
		case insert:
			ins.add(&r.peers[i])
		case update:
			upd.add(&r.peers[i])
		case remove:
			del.add(&r.peers[i])
		}
	}
	if len(ins.hash) > 0 {
		b.Queue(`INSERT INTO peers (info_hash, user_id, peer_id, remaining, last_announce_at)
			SELECT * FROM unnest($1::bytea[], $2::uuid[], $3::bytea[], $4::int8[], $5::timestamptz[])`,
			ins.hash, ins.user, ins.peer, ins.remaining, ins.last)
	}
	if len(upd.hash) > 0 {
		b.Queue(`UPDATE peers p SET remaining = k.r, last_announce_at = k.t
			FROM unnest($1::bytea[], $2::uuid[], $3::bytea[], $4::int8[], $5::timestamptz[]) AS k(h, u, pid, r, t)
			WHERE p.info_hash = k.h AND p.user_id = k.u AND p.peer_id = k.pid`,
			upd.hash, upd.user, upd.peer, upd.remaining, upd.last)
	}
	if len(del.hash) > 0 {
		b.Queue(`DELETE FROM peers p USING unnest($1::bytea[], $2::uuid[], $3::bytea[]) AS k(h, u, pid)
			WHERE p.info_hash = k.h AND p.user_id = k.u AND p.peer_id = k.pid`,
			del.hash, del.user, del.peer)
	}
}

type peerCols struct {
	hash, peer [][]byte
	user       []pgtype.UUID
	remaining  []int64
	last       []time.Time
}

func newPeerCols(n int) *peerCols {
	return &peerCols{hash: make([][]byte, 0, n), peer: make([][]byte, 0, n), user: make([]pgtype.UUID, 0, n),
		remaining: make([]int64, 0, n), last: make([]time.Time, 0, n)}
}

func (c *peerCols) add(p *ratioPeer) {
	c.hash, c.user, c.peer = append(c.hash, p.key.hash[:]), append(c.user, pgUUID(p.key.user)), append(c.peer, p.key.peer[:])
	c.remaining, c.last = append(c.remaining, clamp(p.remaining)), append(c.last, msTime(p.lastMs))
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
	c.seed, c.peers = append(c.seed, p.seedMs), append(c.peers, p.peerDelta)
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

// queuePairs writes the changed user_torrents rows: a plain UPDATE for the
// rows known to exist (one of their peers did), an upsert for the rest.
func (r *ratioRun) queuePairs(b *pgx.Batch) {
	nOld, nOther := 0, 0
	for _, p := range r.pairs {
		if p.touched && p.exists {
			nOld++
		} else if p.touched {
			nOther++
		}
	}
	old, other := newPairCols(nOld), newPairCols(nOther)
	for _, p := range r.pairs {
		switch {
		case !p.touched:
		case p.exists:
			old.add(p)
		default:
			other.add(p)
		}
	}
	if len(old.user) > 0 {
		b.Queue(`UPDATE user_torrents t SET `+pairSet("k")+` FROM `+pairUnnest+` AS k(`+pairColumns+`)
			WHERE t.user_id = k.user_id AND t.info_hash = k.info_hash`, old.args()...)
	}
	if len(other.user) > 0 {
		b.Queue(`INSERT INTO user_torrents AS t (`+pairColumns+`) SELECT * FROM `+pairUnnest+`
			ON CONFLICT (user_id, info_hash) DO UPDATE SET `+pairSet("excluded"), other.args()...)
	}
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
	c.rawUp, c.rawDown, c.seed = append(c.rawUp, clamp(u.rawUp)), append(c.rawDown, clamp(u.rawDown)), append(c.seed, u.seedMs)
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

// queueUsers writes the changed users rows, like queuePairs.
func (r *ratioRun) queueUsers(b *pgx.Batch) {
	nOld, nOther := 0, 0
	for _, u := range r.users {
		if u.touched && u.exists {
			nOld++
		} else if u.touched {
			nOther++
		}
	}
	old, other := newUserCols(nOld), newUserCols(nOther)
	for _, u := range r.users {
		switch {
		case !u.touched:
		case u.exists:
			old.add(u)
		default:
			other.add(u)
		}
	}
	if len(old.id) > 0 {
		b.Queue(`UPDATE users t SET `+userSet("k")+` FROM `+userUnnest+` AS k(`+userColumns+`)
			WHERE t.user_id = k.user_id`, old.args()...)
	}
	if len(other.id) > 0 {
		b.Queue(`INSERT INTO users AS t (`+userColumns+`) SELECT * FROM `+userUnnest+`
			ON CONFLICT (user_id) DO UPDATE SET `+userSet("excluded"), other.args()...)
	}
}
