package projections

import (
	"context"
	"fmt"
	"math/rand/v2"
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
			evs = append(evs, g.deleteTorrent(0), g.deleteTorrent(5))
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
		live[p.Name()] = dumpTables(t, e.pool, p.Name())
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
		diffDumps(t, p.Name()+" live vs rebuilt", live[p.Name()], dumpTables(t, e.pool, p.Name()))
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
			got := dumpTables(t, pool, schema)
			if first == nil {
				first = got
				continue
			}
			diffDumps(t, fmt.Sprintf("%s: all at once vs %d per call", p.Name(), split), first, got)
		}
	}
	checkInvariants(t, pool, "ratio_split7", "swarm_split7", g)
}

// applyInChunks creates p's tables in schema and applies recs in calls of
// n records, each in its own transaction, as the runtime does.
func applyInChunks(t testing.TB, pool *pgxpool.Pool, p Projection, schema string, recs []eventlog.Record, n int) {
	t.Helper()
	ctx := context.Background()
	if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return createSchema(ctx, tx, p.Name(), schema) }); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(recs); i += n {
		chunk := recs[i:min(i+n, len(recs))]
		if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if err := setSearchPath(ctx, tx, schema); err != nil {
				return err
			}
			return p.Apply(ctx, tx, chunk)
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// checkInvariants checks that the counts kept incrementally agree with the
// rows they count, that both read models agree on the active peers, and
// that those are the peers the generator left active.
func checkInvariants(t *testing.T, pool *pgxpool.Pool, ratio, swarm string, g *histGen) {
	t.Helper()
	ctx := context.Background()
	r, s := pgx.Identifier{ratio}.Sanitize(), pgx.Identifier{swarm}.Sanitize()
	checks := map[string]string{
		"users.seeding/leeching = active peers": `SELECT u.user_id FROM R.users u FULL JOIN (SELECT user_id,
				count(*) FILTER (WHERE remaining = 0) AS s, count(*) FILTER (WHERE remaining <> 0) AS l FROM R.peers GROUP BY user_id) p
			USING (user_id) WHERE coalesce(u.seeding, 0) <> coalesce(p.s, 0) OR coalesce(u.leeching, 0) <> coalesce(p.l, 0)`,
		"user_torrents.active_peers = active peers": `SELECT t.user_id FROM R.user_torrents t FULL JOIN (SELECT user_id, info_hash, count(*) AS n
				FROM R.peers GROUP BY 1, 2) p USING (user_id, info_hash) WHERE coalesce(t.active_peers, 0) <> coalesce(p.n, 0)`,
		"users = sum of user_torrents": `SELECT u.user_id FROM R.users u FULL JOIN (SELECT user_id, sum(uploaded) AS up, sum(downloaded) AS down,
				sum(raw_uploaded) AS rup, sum(raw_downloaded) AS rdown, sum(seed_ms) AS seed, count(snatched_at) AS sn, max(last_announce_at) AS la
				FROM R.user_torrents GROUP BY 1) t USING (user_id)
			WHERE (u.uploaded, u.downloaded, u.raw_uploaded, u.raw_downloaded, u.seed_ms, u.snatches) IS DISTINCT FROM (t.up, t.down, t.rup, t.rdown, t.seed, t.sn)
				OR u.last_announce_at IS DISTINCT FROM t.la`,
		"torrents.seeders/leechers = active peers": `SELECT t.info_hash FROM S.torrents t FULL JOIN (SELECT info_hash,
				count(*) FILTER (WHERE seeder) AS s, count(*) FILTER (WHERE NOT seeder) AS l FROM S.peers GROUP BY 1) p
			USING (info_hash) WHERE coalesce(t.seeders, 0) <> coalesce(p.s, 0) OR coalesce(t.leechers, 0) <> coalesce(p.l, 0)`,
		"torrents.snatches = snatches": `SELECT t.info_hash FROM S.torrents t FULL JOIN (SELECT info_hash, count(*) AS n FROM S.snatches GROUP BY 1) s
			USING (info_hash) WHERE coalesce(t.snatches, 0) <> coalesce(s.n, 0)`,
		"snatches = user_torrents.snatched_at": `(SELECT info_hash, user_id, snatched_at FROM S.snatches
			EXCEPT SELECT info_hash, user_id, snatched_at FROM R.user_torrents WHERE snatched_at IS NOT NULL)
			UNION ALL (SELECT info_hash, user_id, snatched_at FROM R.user_torrents WHERE snatched_at IS NOT NULL
			EXCEPT SELECT info_hash, user_id, snatched_at FROM S.snatches)`,
		"ratio.peers = swarm.peers": `(SELECT info_hash, user_id, peer_id, remaining = 0 FROM R.peers EXCEPT SELECT info_hash, user_id, peer_id, seeder FROM S.peers)
			UNION ALL (SELECT info_hash, user_id, peer_id, seeder FROM S.peers EXCEPT SELECT info_hash, user_id, peer_id, remaining = 0 FROM R.peers)`,
		"history's last counts = torrents' counts": `SELECT t.info_hash FROM S.torrents t
			JOIN LATERAL (SELECT seeders, leechers FROM S.history h WHERE h.info_hash = t.info_hash ORDER BY bucket DESC LIMIT 1) h ON true
			WHERE NOT t.deleted AND (h.seeders, h.leechers) <> (t.seeders, t.leechers)`,
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

	want := g.activeKeys()
	rows, err := pool.Query(ctx, `SELECT info_hash, user_id, peer_id FROM `+r+`.peers`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[peerKey]bool{}
	var hb, pb []byte
	var u uuid.UUID
	_, err = pgx.ForEachRow(rows, []any{&hb, &u, &pb}, func() error {
		var k peerKey
		copy(k.hash[:], hb)
		copy(k.peer[:], pb)
		k.user = u
		got[k] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("%d active peers projected, the generator has %d", len(got), len(want))
	}
	for k := range want {
		if !got[k] {
			t.Errorf("active peer %x/%s/%q missing", k.hash[:4], k.user, k.peer)
			break
		}
	}
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
