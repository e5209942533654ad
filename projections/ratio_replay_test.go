package projections

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// mixedAnnounceHistory is a generated history as events: registrations
// (some after announces for the torrent), announce batches of varied sizes
// and two torrent deletions midway. It returns the generator, which knows
// the peers that remain active.
func mixedAnnounceHistory(seed uint64, messages int) (*histGen, []domain.Event) {
	g := newHistGen(seed, 40, 60, 150, 2000)
	rng := rand.New(rand.NewPCG(seed, 2))
	regs := g.registrations()
	var evs []domain.Event
	for _, r := range regs[:30] {
		evs = append(evs, r)
	}
	for m := 0; m < messages; m++ {
		evs = append(evs, g.batch(1+rng.IntN(200)))
		switch {
		case m%10 == 5 && len(regs) > 30:
			evs, regs = append(evs, regs[30], regs[31], regs[32]), append(regs[:30], regs[33:]...)
		case m == messages/2:
			evs = append(evs, g.deleteTorrent(0)...)
			evs = append(evs, g.deleteTorrent(5)...)
		}
	}
	return g, evs
}

func subjectOf(e domain.Event) (string, []eventlog.AppendOption) {
	switch e := e.(type) {
	case domain.TorrentRegistered:
		return domain.TorrentSubject(e.InfoHash), []eventlog.AppendOption{eventlog.ExpectNew()}
	case domain.TorrentDeleted:
		return domain.TorrentSubject(e.InfoHash), nil
	}
	return domain.AnnounceSubject("t1"), nil
}

// TestRatioAndSwarmReplayEqualsLive projects a mixed history live, while it
// is appended (so the live batches are whatever arrived), then rebuilds both
// projections from the log and requires every table to equal the live one
// row for row.
func TestRatioAndSwarmReplayEqualsLive(t *testing.T) {
	e := newAnnEnv(t)
	g, evs := mixedAnnounceHistory(7, 150)
	for _, ev := range evs {
		subject, opts := subjectOf(ev)
		e.append(subject, ev, opts...)
	}
	e.sync()
	checkInvariants(t, e.pool, "ratio", "swarm", g)

	live := map[string]map[string][]string{}
	for _, p := range []Projection{Ratio{}, Swarm{}} {
		live[p.Name()] = testenv.DumpTables(t, e.pool, p.Name())
	}
	for _, p := range []Projection{Ratio{}, Swarm{}} {
		pr := NewProjector(p, e.pool, e.log)
		if err := pr.Rebuild(e.ctx, nil); err != nil {
			t.Fatal(err)
		}
		var rebuilt bool
		e.pool.QueryRow(e.ctx, `SELECT rebuilt_at IS NOT NULL FROM projections WHERE name = $1`, p.Name()).Scan(&rebuilt)
		if !rebuilt {
			t.Fatalf("%s was not rebuilt", p.Name())
		}
		testenv.DiffDumps(t, p.Name()+" live vs rebuilt", live[p.Name()], testenv.DumpTables(t, e.pool, p.Name()))
	}
}

// TestRatioAndSwarmIndependentOfBatching applies one history with Apply
// split into calls of different sizes (one record per transaction, a few,
// all at once) and requires the same tables from each.
func TestRatioAndSwarmIndependentOfBatching(t *testing.T) {
	pool := testenv.DB(t)
	g, evs := mixedAnnounceHistory(11, 120)
	recs := make([]eventlog.Record, len(evs))
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, ev := range evs {
		recs[i] = record(uint64(i+1), ev, at.Add(time.Duration(i)*time.Second))
	}
	for _, p := range []Projection{Ratio{}, Swarm{}} {
		var first map[string][]string
		for _, split := range []int{len(recs), 1, 7, 50} {
			schema := fmt.Sprintf("%s_split%d", p.Name(), split)
			applyInChunks(t, pool, p, schema, recs, split)
			got := testenv.DumpTables(t, pool, schema)
			if first == nil {
				first = got
				continue
			}
			testenv.DiffDumps(t, fmt.Sprintf("%s: all at once vs %d per call", p.Name(), split), first, got)
		}
	}
	checkInvariants(t, pool, "ratio_split7", "swarm_split7", g)
}

// applyInChunks creates p's tables in schema and applies recs in calls of
// n records, each in its own transaction, as the runtime does.
func applyInChunks(t testing.TB, pool *pgxpool.Pool, p Projection, schema string, recs []eventlog.Record, n int) {
	t.Helper()
	ctx := context.Background()
	if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return createSchema(ctx, tx, p, schema) }); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(recs); i += n {
		chunk := recs[i:min(i+n, len(recs))]
		if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			return NewProjector(p, pool, nil).applyTo(ctx, tx, schema, chunk)
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// checkInvariants checks that the counts kept incrementally agree with one
// another and with the peers the generator left active.
func checkInvariants(t *testing.T, pool *pgxpool.Pool, ratio, swarm string, g *histGen) {
	t.Helper()
	ctx := context.Background()
	r, s := pgx.Identifier{ratio}.Sanitize(), pgx.Identifier{swarm}.Sanitize()
	checks := map[string]string{
		"users = sum of user_torrents": `SELECT u.user_id FROM R.users u FULL JOIN (SELECT user_id, sum(uploaded) AS up, sum(downloaded) AS down,
				sum(raw_uploaded) AS rup, sum(raw_downloaded) AS rdown, sum(seed_ms) AS seed, count(snatched_at) AS sn, max(last_announce_at) AS la,
				sum(active_peers) AS active
				FROM R.user_torrents GROUP BY 1) t USING (user_id)
			WHERE (u.uploaded, u.downloaded, u.raw_uploaded, u.raw_downloaded, u.seed_ms, u.snatches, u.seeding + u.leeching)
				IS DISTINCT FROM (t.up, t.down, t.rup, t.rdown, t.seed, t.sn, t.active)
				OR u.last_announce_at IS DISTINCT FROM t.la`,
		"torrents.snatches = snatches": `SELECT t.info_hash FROM S.torrents t FULL JOIN (SELECT info_hash, count(*) AS n FROM S.snatches GROUP BY 1) s
			USING (info_hash) WHERE coalesce(t.snatches, 0) <> coalesce(s.n, 0)`,
		"snatches = user_torrents.snatched_at": `(SELECT info_hash, user_id, snatched_at FROM S.snatches
			EXCEPT SELECT info_hash, user_id, snatched_at FROM R.user_torrents WHERE snatched_at IS NOT NULL)
			UNION ALL (SELECT info_hash, user_id, snatched_at FROM R.user_torrents WHERE snatched_at IS NOT NULL
			EXCEPT SELECT info_hash, user_id, snatched_at FROM S.snatches)`,
		"history's last counts = torrents' counts": `SELECT t.info_hash FROM S.torrents t
			JOIN LATERAL (SELECT seeders, leechers FROM S.history h WHERE h.info_hash = t.info_hash ORDER BY bucket DESC LIMIT 1) h ON true
			WHERE (h.seeders, h.leechers) <> (t.seeders, t.leechers)`,
		"no negative counts": `SELECT user_id::text FROM R.users WHERE seeding < 0 OR leeching < 0
			UNION ALL SELECT user_id::text FROM R.user_torrents WHERE active_peers < 0
			UNION ALL SELECT encode(info_hash, 'hex') FROM S.torrents WHERE seeders < 0 OR leechers < 0`,
	}
	for what, q := range checks {
		q = replaceSchemas(q, r, s)
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM (`+q+`) x`).Scan(&n); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if n != 0 {
			t.Errorf("%s: %d mismatches", what, n)
		}
	}
	var nUsers, nHistory int
	pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM `+r+`.users), (SELECT count(*) FROM `+s+`.history)`).Scan(&nUsers, &nHistory)
	if nUsers == 0 || nHistory == 0 {
		t.Fatalf("nothing projected: %d users, %d history rows", nUsers, nHistory)
	}
	checkActiveCounts(t, pool, r, s, g.activeCounts())
}

// checkActiveCounts compares the seeding, leeching and active counts of the
// read models with the generator's active peers.
func checkActiveCounts(t *testing.T, pool *pgxpool.Pool, r, s string, want activeCounts) {
	t.Helper()
	ctx := context.Background()
	got := activeCounts{map[uuid.UUID]int{}, map[uuid.UUID]int{}, map[domain.InfoHash]int{}, map[domain.InfoHash]int{}, map[pairKey]int{}}
	var u uuid.UUID
	var hb []byte
	var a, b int
	query := func(q string, scan []any, fn func()) {
		rows, err := pool.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pgx.ForEachRow(rows, scan, func() error { fn(); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	query(`SELECT user_id, seeding, leeching FROM `+r+`.users WHERE seeding <> 0 OR leeching <> 0`, []any{&u, &a, &b}, func() {
		got.seeding[u], got.leeching[u] = a, b
	})
	query(`SELECT user_id, info_hash, active_peers FROM `+r+`.user_torrents WHERE active_peers <> 0`, []any{&u, &hb, &a}, func() {
		got.pairs[pairKey{user: u, hash: domain.InfoHash(hb)}] = a
	})
	query(`SELECT info_hash, seeders, leechers FROM `+s+`.torrents WHERE seeders <> 0 OR leechers <> 0`, []any{&hb, &a, &b}, func() {
		h := domain.InfoHash(hb)
		got.seeders[h], got.leechers[h] = a, b
	})
	for what, pair := range map[string][2]any{"per-user seeding": {got.seeding, want.seeding}, "per-user leeching": {got.leeching, want.leeching},
		"per-torrent seeders": {got.seeders, want.seeders}, "per-torrent leechers": {got.leechers, want.leechers},
		"per-pair active peers": {got.pairs, want.pairs}} {
		if !reflect.DeepEqual(nonZero(pair[0]), nonZero(pair[1])) {
			t.Errorf("%s differ from the generator's active peers", what)
		}
	}
	if len(want.pairs) == 0 {
		t.Fatal("the generator left no active peers: the check proves nothing")
	}
}

// nonZero drops zero counts from a map of counts.
func nonZero(m any) any {
	v := reflect.ValueOf(m)
	out := reflect.MakeMap(v.Type())
	for _, k := range v.MapKeys() {
		if c := v.MapIndex(k); c.Int() != 0 {
			out.SetMapIndex(k, c)
		}
	}
	return out.Interface()
}

func replaceSchemas(q, ratio, swarm string) string {
	out := make([]byte, 0, len(q)+64)
	for i := 0; i < len(q); i++ {
		if i+1 < len(q) && q[i+1] == '.' && (i == 0 || !isIdent(q[i-1])) && (q[i] == 'R' || q[i] == 'S') {
			if q[i] == 'R' {
				out = append(out, ratio...)
			} else {
				out = append(out, swarm...)
			}
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
