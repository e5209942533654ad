package projections

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Swarm is the swarm-health read model (schema swarm, tables in
// sql/swarm.sql):
//
//   - swarm.torrents: per torrent, name, size and registered_at (from
//     TorrentRegistered), the deleted flag (TorrentDeleted), the current
//     seeders and leechers (active peers with left = 0 / left > 0) and
//     snatches (distinct users that completed it);
//   - swarm.snatches: each user's first snatch of each torrent (Announce.Snatch);
//   - swarm.history: the time series for charts, one row per torrent and
//     HistoryBucket in which its counts changed or it was snatched (see the
//     table's comment for the exact meaning of each column);
//   - swarm.site_history and swarm.site_totals: the same counts summed over
//     every torrent, per SiteHistoryBucket, and now.
//
// The counts follow the peers' states before and after each announce, as
// the tracker recorded them (a peer is active from any announce other than
// stopped or reaped until a stopped or a reap; deleting a torrent reaps its
// peers), so only an announce that changes a peer's state, or a first
// snatch, writes anything. Announces for a torrent not (yet)
// registered still count: its row then has no registered_at until the
// TorrentRegistered is seen.
//
// Every value derives from the event sequence alone, and Apply gives the
// same tables however the records are split into calls, so a replay rebuilds
// them row for row.
type Swarm struct{}

// HistoryBucket is the width of a swarm.history bucket.
const HistoryBucket = 5 * time.Minute

// SiteHistoryBucket is the width of a swarm.site_history bucket.
const SiteHistoryBucket = time.Hour

//go:embed sql/swarm.sql
var swarmSchema string

func (Swarm) Name() string   { return "swarm" }
func (Swarm) Version() int   { return 5 }
func (Swarm) Schema() string { return swarmSchema }

func (Swarm) Consumes() []string {
	return []string{domain.TypeTorrentRegistered, domain.TypeTorrentDeleted, domain.TypeAnnounceBatch}
}

// Apply gathers the announce batches of evs into one run, applied after the
// registrations and deletions, which touch other columns and so commute
// with announces.
func (Swarm) Apply(ctx context.Context, tx pgx.Tx, evs []Event) error {
	reg := map[domain.InfoHash]swarmReg{}
	var run []*domain.AnnounceBatch
	for _, ev := range evs {
		switch e := ev.Event.(type) {
		case *domain.AnnounceBatch:
			run = append(run, e)
		case domain.TorrentRegistered:
			reg[e.InfoHash] = swarmReg{name: e.Name, size: e.Size, at: ev.Meta.Time}
		case domain.TorrentDeleted:
			if _, err := tx.Exec(ctx, swarmDeleteTorrentSQL, e.InfoHash[:], ev.Meta.Time); err != nil {
				return fmt.Errorf("event %d (%s): %w", ev.Seq, ev.Meta.Type, err)
			}
		}
	}
	err := newSwarmRun(run).apply(ctx, tx)
	if err != nil || len(reg) == 0 {
		return err
	}
	// Registrations touch only name, size and registered_at, which nothing
	// else writes, so they commute with the rest and go in one statement.
	hash, name, size, at := make([][]byte, 0, len(reg)), make([]string, 0, len(reg)), make([]int64, 0, len(reg)), make([]time.Time, 0, len(reg))
	for h, r := range reg {
		hash, name, size, at = append(hash, h[:]), append(name, r.name), append(size, r.size), append(at, r.at)
	}
	_, err = tx.Exec(ctx, `INSERT INTO torrents (info_hash, name, size, registered_at)
		SELECT * FROM unnest($1::bytea[], $2::text[], $3::int8[], $4::timestamptz[])
		ON CONFLICT (info_hash) DO UPDATE SET name = excluded.name, size = excluded.size, registered_at = excluded.registered_at`,
		hash, name, size, at)
	if err != nil {
		return fmt.Errorf("register torrents: %w", err)
	}
	return nil
}

type swarmReg struct {
	name string
	size int64
	at   time.Time
}

// swarmDeleteTorrentSQL marks a torrent deleted. Its peers leave through
// the reaps the tracker records, so it touches no count and commutes with
// announces.
const swarmDeleteTorrentSQL = `
INSERT INTO torrents (info_hash, deleted, deleted_at) VALUES ($1, true, $2)
ON CONFLICT (info_hash) DO UPDATE SET deleted = true, deleted_at = excluded.deleted_at`

type swarmTorrent struct {
	hash                                domain.InfoHash
	had                                 bool // a row existed before the run
	seeders, leechers, snatches         int32
	hadSeeders, hadLeechers, hadSnatchN int32
	buckets                             map[int64]*swarmBucket
}

type swarmBucket struct {
	seedersMax, leechersMax, seeders, leechers, snatches int32
}

// swarmRun is one run of announce batches being applied.
type swarmRun struct {
	run      []*domain.AnnounceBatch
	torrents map[domain.InfoHash]*swarmTorrent // of the announces that matter
	snatched map[pairKey]bool                  // pairs with a snatch in the run: snatched before or during it
	newSnat  []swarmSnatch
	site     siteRun
}

// siteRun is the run's site-wide totals: the totals over every torrent
// (read before the run, then moved by each announce), whether they moved,
// and the hours they moved in.
type siteRun struct {
	seeders, leechers int32
	moved             bool
	buckets           map[int64]*siteBucket
}

type siteBucket struct {
	peersMax, seeders, leechers int32
}

// move applies an announce at ms that moved the totals by ds seeders and
// dl leechers.
func (s *siteRun) move(ms int64, ds, dl int32) {
	before := s.seeders + s.leechers
	s.seeders, s.leechers, s.moved = s.seeders+ds, s.leechers+dl, true
	at := ms - ms%SiteHistoryBucket.Milliseconds()
	bk := s.buckets[at]
	if bk == nil {
		if s.buckets == nil {
			s.buckets = map[int64]*siteBucket{}
		}
		bk = &siteBucket{}
		s.buckets[at] = bk
	}
	bk.peersMax = max(bk.peersMax, before, s.seeders+s.leechers)
	bk.seeders, bk.leechers = s.seeders, s.leechers
}

type swarmSnatch struct {
	key pairKey
	ms  int64
}

// swarmMatters reports whether an announce can change a swarm row: it
// changes its peer's state, or it is a snatch.
func swarmMatters(a *domain.Announce) bool {
	return a.Prev != a.StateAfter() || a.Snatch
}

func newSwarmRun(run []*domain.AnnounceBatch) *swarmRun {
	r := &swarmRun{run: run, torrents: map[domain.InfoHash]*swarmTorrent{}, snatched: map[pairKey]bool{}}
	for _, b := range run {
		for i := range b.Announces {
			a := &b.Announces[i]
			if !swarmMatters(a) {
				continue
			}
			if r.torrents[a.InfoHash] == nil {
				r.torrents[a.InfoHash] = &swarmTorrent{hash: a.InfoHash}
			}
			if a.Snatch {
				r.snatched[pairKey{user: a.UserID, hash: a.InfoHash}] = false
			}
		}
	}
	return r
}

func (r *swarmRun) apply(ctx context.Context, tx pgx.Tx) error {
	if len(r.torrents) == 0 {
		return nil
	}
	if err := r.readPrior(ctx, tx); err != nil {
		return err
	}
	for _, b := range r.run {
		for i := range b.Announces {
			if a := &b.Announces[i]; swarmMatters(a) {
				r.announce(a, r.torrents[a.InfoHash])
			}
		}
	}
	return r.write(ctx, tx)
}

// readPrior loads the run's torrents and, for the pairs with a snatch
// in the run, whether they were snatched already.
func (r *swarmRun) readPrior(ctx context.Context, tx pgx.Tx) error {
	th := make([][]byte, 0, len(r.torrents))
	for _, t := range r.torrents {
		th = append(th, t.hash[:])
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT t.info_hash, t.seeders, t.leechers, t.snatches FROM torrents t WHERE t.info_hash = ANY($1::bytea[])`, th).Query(
		func(rows pgx.Rows) error {
			var h domain.InfoHash
			var hb []byte
			var s, l, n int32
			_, err := pgx.ForEachRow(rows, []any{&hb, &s, &l, &n}, func() error {
				copy(h[:], hb)
				t := r.torrents[h]
				t.had = true
				t.seeders, t.leechers, t.snatches = s, l, n
				t.hadSeeders, t.hadLeechers, t.hadSnatchN = s, l, n
				return nil
			})
			return err
		})
	b.Queue(`SELECT seeders, leechers FROM site_totals`).Query(func(rows pgx.Rows) error {
		_, err := pgx.ForEachRow(rows, []any{&r.site.seeders, &r.site.leechers}, func() error { return nil })
		return err
	})
	if len(r.snatched) > 0 {
		var pairs pairArgs
		for k := range r.snatched {
			pairs.add(k)
		}
		b.Queue(`SELECT s.user_id, s.info_hash FROM unnest($1::uuid[], $2::bytea[]) AS k(u, h)
			JOIN snatches s ON s.info_hash = k.h AND s.user_id = k.u`, pairs.users, pairs.hashes).Query(
			func(rows pgx.Rows) error { return scanPairs(rows, func(k pairKey) { r.snatched[k] = true }) })
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("read swarm: %w", err)
	}
	return nil
}

// announce applies one announce that matters to its torrent's counts and
// history bucket.
func (r *swarmRun) announce(a *domain.Announce, t *swarmTorrent) {
	beforeS, beforeL := t.seeders, t.leechers
	ds, dl := countDelta(a)
	t.seeders, t.leechers = t.seeders+ds, t.leechers+dl
	ms := eventMs(a)
	snatch := false
	if a.Snatch {
		k := pairKey{user: a.UserID, hash: a.InfoHash}
		if !r.snatched[k] {
			r.snatched[k], snatch = true, true
			t.snatches++
			r.newSnat = append(r.newSnat, swarmSnatch{key: k, ms: ms})
		}
	}
	if !snatch && t.seeders == beforeS && t.leechers == beforeL {
		return
	}
	if ds != 0 || dl != 0 {
		r.site.move(ms, ds, dl)
	}
	bucket := ms - ms%HistoryBucket.Milliseconds()
	bk := t.buckets[bucket]
	if bk == nil {
		if t.buckets == nil {
			t.buckets = map[int64]*swarmBucket{}
		}
		bk = &swarmBucket{}
		t.buckets[bucket] = bk
	}
	bk.seedersMax = max(bk.seedersMax, beforeS, t.seeders)
	bk.leechersMax = max(bk.leechersMax, beforeL, t.leechers)
	bk.seeders, bk.leechers = t.seeders, t.leechers
	bk.snatches += b2i(snatch)
}

func (r *swarmRun) write(ctx context.Context, tx pgx.Tx) error {
	b := &pgx.Batch{}
	r.queueTorrents(b)
	r.site.queue(b)
	if len(r.newSnat) > 0 {
		h, u, at := make([][]byte, len(r.newSnat)), make([]pgtype.UUID, len(r.newSnat)), make([]time.Time, len(r.newSnat))
		for i := range r.newSnat {
			s := &r.newSnat[i]
			h[i], u[i], at[i] = s.key.hash[:], pgUUID(s.key.user), msTime(s.ms)
		}
		b.Queue(`INSERT INTO snatches (info_hash, user_id, snatched_at) SELECT * FROM unnest($1::bytea[], $2::uuid[], $3::timestamptz[])`, h, u, at)
	}
	if b.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("write swarm: %w", err)
	}
	return nil
}

func (r *swarmRun) queueTorrents(b *pgx.Batch) {
	var hash [][]byte
	var seeders, leechers, snatches []int32
	var hh [][]byte
	var bucket []time.Time
	var smax, lmax, s, l, n []int32
	for _, t := range r.torrents {
		changed := t.seeders != t.hadSeeders || t.leechers != t.hadLeechers || t.snatches != t.hadSnatchN
		if changed || (!t.had && len(t.buckets) > 0) {
			hash = append(hash, t.hash[:])
			seeders, leechers, snatches = append(seeders, t.seeders), append(leechers, t.leechers), append(snatches, t.snatches)
		}
		for at, bk := range t.buckets {
			hh, bucket = append(hh, t.hash[:]), append(bucket, msTime(at))
			smax, lmax, s, l, n = append(smax, bk.seedersMax), append(lmax, bk.leechersMax), append(s, bk.seeders), append(l, bk.leechers), append(n, bk.snatches)
		}
	}
	if len(hash) > 0 {
		b.Queue(`INSERT INTO torrents AS t (info_hash, seeders, leechers, snatches)
			SELECT * FROM unnest($1::bytea[], $2::int4[], $3::int4[], $4::int4[])
			ON CONFLICT (info_hash) DO UPDATE SET seeders = excluded.seeders, leechers = excluded.leechers, snatches = excluded.snatches`,
			hash, seeders, leechers, snatches)
	}
	if len(hh) > 0 {
		b.Queue(`INSERT INTO history AS h (info_hash, bucket, seeders_max, leechers_max, seeders, leechers, snatches)
			SELECT * FROM unnest($1::bytea[], $2::timestamptz[], $3::int4[], $4::int4[], $5::int4[], $6::int4[], $7::int4[])
			ON CONFLICT (info_hash, bucket) DO UPDATE SET
				seeders_max = GREATEST(h.seeders_max, excluded.seeders_max),
				leechers_max = GREATEST(h.leechers_max, excluded.leechers_max),
				seeders = excluded.seeders, leechers = excluded.leechers,
				snatches = h.snatches + excluded.snatches`,
			hh, bucket, smax, lmax, s, l, n)
	}
}

// queue writes the run's site-wide buckets and totals.
func (s *siteRun) queue(b *pgx.Batch) {
	if !s.moved {
		return
	}
	at := make([]time.Time, 0, len(s.buckets))
	var peersMax, seeders, leechers []int32
	for ms, bk := range s.buckets {
		at = append(at, msTime(ms))
		peersMax, seeders, leechers = append(peersMax, bk.peersMax), append(seeders, bk.seeders), append(leechers, bk.leechers)
	}
	b.Queue(`INSERT INTO site_history AS h (bucket, peers_max, seeders, leechers)
		SELECT * FROM unnest($1::timestamptz[], $2::int4[], $3::int4[], $4::int4[])
		ON CONFLICT (bucket) DO UPDATE SET peers_max = GREATEST(h.peers_max, excluded.peers_max),
			seeders = excluded.seeders, leechers = excluded.leechers`, at, peersMax, seeders, leechers)
	b.Queue(`INSERT INTO site_totals (seeders, leechers) VALUES ($1, $2)
		ON CONFLICT (one) DO UPDATE SET seeders = excluded.seeders, leechers = excluded.leechers`, s.seeders, s.leechers)
}
