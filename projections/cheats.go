package projections

import (
	"context"
	_ "embed"
	"fmt"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/pgcopy"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// CheatSignals is the cheat-signals read model (schema cheats, tables in
// sql/cheats.sql), which staff read through Cheats to find forgers:
//
//   - cheats.torrent_days: per torrent and UTC day, the upload and download
//     claimed (raw) and credited across the swarm;
//   - cheats.user_days: the same per user, torrent and day, from which
//     Cheats computes each user's excess over the period it reports on;
//   - cheats.capped_claims: every announce the tracker credited less than
//     it claimed (Caps != 0), one row each, keyed by (stream sequence of its
//     batch, index in the batch).
//
// A day is the UTC day of the announce's time (eventMs). An announce that
// claims and credits nothing and was not capped (a start, a reap) writes
// nothing. The sums saturate like satAdd, which makes them commutative and
// associative, and a capped claim's key is its place in the log, so every
// value derives from the event sequence alone and Apply gives the same
// tables however the log is cut into calls. A claim applied twice is a
// primary-key violation that stops the projector, never a double count.
//
// Apply aggregates a run of announce batches in memory (one entry per user,
// torrent and day, and per torrent and day) and writes it with binary COPY
// into temporary tables and one merge statement per table, as Ratio does.
type CheatSignals struct{}

//go:embed sql/cheats.sql
var cheatsSchema string

func (CheatSignals) Name() string       { return "cheats" }
func (CheatSignals) Version() int       { return 1 }
func (CheatSignals) Schema() string     { return cheatsSchema }
func (CheatSignals) Consumes() []string { return []string{domain.TypeAnnounceBatch} }

// Apply applies the run of announce batches evs (it consumes nothing else).
func (CheatSignals) Apply(ctx context.Context, tx pgx.Tx, evs []Event) error {
	r := newCheatRun(evs)
	if len(r.users) == 0 {
		return nil
	}
	return r.write(ctx, tx)
}

// cheatSums are claimed and credited bytes, summed with satAdd.
type cheatSums struct{ rawUp, rawDown, up, down uint64 }

func (s *cheatSums) add(a *domain.Announce) {
	s.rawUp, s.rawDown = satAdd(s.rawUp, a.RawUp), satAdd(s.rawDown, a.RawDown)
	s.up, s.down = satAdd(s.up, a.CreditedUp), satAdd(s.down, a.CreditedDown)
}

// cheatUserKey names a user on a torrent on a day (days since 1970-01-01, UTC).
type cheatUserKey struct {
	day  int32
	user uuid.UUID
	hash domain.InfoHash
}

// cheatDayKey names a torrent on a day.
type cheatDayKey struct {
	day  int32
	hash domain.InfoHash
}

// cheatClaim is a capped announce and its place in the log.
type cheatClaim struct {
	seq uint64
	idx int32
	a   *domain.Announce
}

// cheatRun is a run of announce batches aggregated for writing. Entries
// are kept in slices in order of first appearance and found through maps
// of indices.
type cheatRun struct {
	userIx   map[cheatUserKey]int32
	userKeys []cheatUserKey
	users    []cheatSums
	dayIx    map[cheatDayKey]int32
	dayKeys  []cheatDayKey
	days     []cheatSums
	claims   []cheatClaim
}

const msPerDay = 24 * 60 * 60 * 1000

// cheatCounts reports whether an announce writes anything: it claimed or
// was credited something, or it was capped.
func cheatCounts(a *domain.Announce) bool {
	return a.Caps != 0 || a.RawUp|a.RawDown|a.CreditedUp|a.CreditedDown != 0
}

func newCheatRun(evs []Event) *cheatRun {
	n := 0
	for _, ev := range evs {
		if b, ok := ev.Event.(*domain.AnnounceBatch); ok {
			n += len(b.Announces)
		}
	}
	if n > 1<<16 {
		n /= 2 // as newRatioRun: entries repeat in big runs, and memory counts
	}
	r := &cheatRun{userIx: make(map[cheatUserKey]int32, n), userKeys: make([]cheatUserKey, 0, n), users: make([]cheatSums, 0, n),
		dayIx: map[cheatDayKey]int32{}}
	for _, ev := range evs {
		b, ok := ev.Event.(*domain.AnnounceBatch)
		if !ok {
			continue
		}
		for i := range b.Announces {
			if a := &b.Announces[i]; cheatCounts(a) {
				r.announce(ev.Seq, int32(i), a)
			}
		}
	}
	return r
}

// announce adds one announce that counts to its entries.
func (r *cheatRun) announce(seq uint64, idx int32, a *domain.Announce) {
	day := int32(eventMs(a) / msPerDay)
	uk := cheatUserKey{day: day, user: a.UserID, hash: a.InfoHash}
	u, ok := r.userIx[uk]
	if !ok {
		u = int32(len(r.users))
		r.userIx[uk], r.userKeys, r.users = u, append(r.userKeys, uk), append(r.users, cheatSums{})
	}
	r.users[u].add(a)
	dk := cheatDayKey{day: day, hash: a.InfoHash}
	d, ok := r.dayIx[dk]
	if !ok {
		d = int32(len(r.days))
		r.dayIx[dk], r.dayKeys, r.days = d, append(r.dayKeys, dk), append(r.days, cheatSums{})
	}
	r.days[d].add(a)
	if a.Caps != 0 {
		r.claims = append(r.claims, cheatClaim{seq: seq, idx: idx, a: a})
	}
}

// cheatStage creates the temporary tables a run is copied into, and
// empties them (see createRatioStage and ratioStage on why every time).
// Days are integers there (days since 1970-01-01) and become dates in the
// merge.
const cheatStage = `SET LOCAL client_min_messages = warning;
CREATE TEMP TABLE IF NOT EXISTS cheats_users_in (day int4, user_id uuid, info_hash bytea,
	raw_uploaded int8, raw_downloaded int8, uploaded int8, downloaded int8) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS cheats_days_in (day int4, info_hash bytea,
	raw_uploaded int8, raw_downloaded int8, uploaded int8, downloaded int8) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS cheats_claims_in (seq int8, idx int4, at timestamptz, user_id uuid, info_hash bytea,
	caps text, raw_uploaded int8, raw_downloaded int8, uploaded int8, downloaded int8) ON COMMIT DELETE ROWS;
DELETE FROM cheats_users_in; DELETE FROM cheats_days_in; DELETE FROM cheats_claims_in`

// cheatSumsSet adds the staged sums (excluded) to a row t, saturating.
var cheatSumsSet = satAddSQL("raw_uploaded") + ", " + satAddSQL("raw_downloaded") + ", " +
	satAddSQL("uploaded") + ", " + satAddSQL("downloaded")

var mergeCheatUsers = `INSERT INTO user_days AS t (day, user_id, info_hash, raw_uploaded, raw_downloaded, uploaded, downloaded)
	SELECT date '1970-01-01' + day, user_id, info_hash, raw_uploaded, raw_downloaded, uploaded, downloaded FROM cheats_users_in
	ON CONFLICT (day, user_id, info_hash) DO UPDATE SET ` + cheatSumsSet

var mergeCheatDays = `INSERT INTO torrent_days AS t (day, info_hash, raw_uploaded, raw_downloaded, uploaded, downloaded)
	SELECT date '1970-01-01' + day, info_hash, raw_uploaded, raw_downloaded, uploaded, downloaded FROM cheats_days_in
	ON CONFLICT (day, info_hash) DO UPDATE SET ` + cheatSumsSet

// insertCheatClaims inserts the staged capped claims. A plain INSERT: a
// claim already there is an error, not something to skip.
const insertCheatClaims = `INSERT INTO capped_claims (seq, idx, at, user_id, info_hash, caps,
		raw_uploaded, raw_downloaded, uploaded, downloaded)
	SELECT seq, idx, at, user_id, info_hash, string_to_array(caps, ','),
		raw_uploaded, raw_downloaded, uploaded, downloaded FROM cheats_claims_in`

// write copies the run into the stage tables and merges them.
func (r *cheatRun) write(ctx context.Context, tx pgx.Tx) error {
	conn := tx.Conn()
	if _, err := conn.Exec(ctx, cheatStage); err != nil {
		return fmt.Errorf("create cheats stage tables: %w", err)
	}
	rows := copyBuffers.Get().(*pgcopy.Rows)
	defer copyBuffers.Put(rows)
	b := &pgx.Batch{}
	for _, s := range []struct {
		table, merge string
		fill         func(*pgcopy.Rows)
	}{
		{"cheats_users_in", mergeCheatUsers, r.userRows},
		{"cheats_days_in", mergeCheatDays, r.dayRows},
		{"cheats_claims_in", insertCheatClaims, r.claimRows},
	} {
		n, err := rows.Copy(ctx, conn, s.table, s.fill)
		if err != nil {
			return fmt.Errorf("write cheats: %w", err)
		}
		if n > 0 {
			b.Queue(s.merge)
		}
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("write cheats: %w", err)
	}
	return nil
}

func sumsRow(rows *pgcopy.Rows, s *cheatSums) {
	rows.Int8(clamp(s.rawUp))
	rows.Int8(clamp(s.rawDown))
	rows.Int8(clamp(s.up))
	rows.Int8(clamp(s.down))
}

// userRows writes the user entries in cheats_users_in's column order.
func (r *cheatRun) userRows(rows *pgcopy.Rows) {
	for i := range r.users {
		k := &r.userKeys[i]
		rows.Row(7)
		rows.Int4(k.day)
		rows.UUID(k.user)
		rows.Bytes(k.hash[:])
		sumsRow(rows, &r.users[i])
	}
}

// dayRows writes the torrent entries in cheats_days_in's column order.
func (r *cheatRun) dayRows(rows *pgcopy.Rows) {
	for i := range r.days {
		k := &r.dayKeys[i]
		rows.Row(6)
		rows.Int4(k.day)
		rows.Bytes(k.hash[:])
		sumsRow(rows, &r.days[i])
	}
}

// claimRows writes the capped claims in cheats_claims_in's column order.
// The caps column is text, whose binary form is its bytes: the names
// joined by commas (no name has one), split again by the insert.
func (r *cheatRun) claimRows(rows *pgcopy.Rows) {
	for i := range r.claims {
		c := &r.claims[i]
		a := c.a
		rows.Row(10)
		rows.Int8(clamp(c.seq))
		rows.Int4(c.idx)
		rows.TimestamptzMs(eventMs(a))
		rows.UUID(a.UserID)
		rows.Bytes(a.InfoHash[:])
		rows.Bytes([]byte(strings.Join(a.Caps.Names(), ",")))
		rows.Int8(clamp(a.RawUp))
		rows.Int8(clamp(a.RawDown))
		rows.Int8(clamp(a.CreditedUp))
		rows.Int8(clamp(a.CreditedDown))
	}
}
