package projections

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
)

// The generated history (mixedAnnounceHistory: sessions that start,
// progress, complete, restart, stop and are reaped, and two deleted
// torrents) leaves exactly the generator's active peers in the peers
// table, with what each last reported, however the log is cut into calls.
func TestPeersEqualTheActivePeers(t *testing.T) {
	g, evs := mixedAnnounceHistory(11, 150)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	recs := make([]eventlog.Record, 0, len(evs))
	for i, ev := range evs {
		recs = append(recs, record(uint64(i+1), ev, at))
	}
	pool := testenv.DB(t)
	var want []string
	for _, p := range g.active {
		want = append(want, fmt.Sprintf("%x %s %x %d %d %d", p.key.hash[:], p.key.user, p.key.peer[:], p.left, clamp(p.up), clamp(p.down)))
	}
	if len(want) == 0 {
		t.Fatal("the generator left no active peer")
	}
	sort.Strings(want)
	var first string
	for _, n := range []int{1, 7, len(recs)} {
		schema := fmt.Sprintf("peers_cut%d", n)
		applyInChunks(t, pool, Peers{}, schema, recs, n)
		rows, err := pool.Query(context.Background(), `SELECT encode(info_hash, 'hex') || ' ' || user_id || ' ' || encode(peer_id, 'hex') || ' ' ||
			remaining || ' ' || uploaded || ' ' || downloaded FROM `+schema+`.peers ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			got = append(got, s)
		}
		rows.Close()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("in calls of %d records: %d rows, the generator has %d active peers", n, len(got), len(want))
		}
		dump := fmt.Sprint(testenv.DumpTables(t, pool, schema))
		if first == "" {
			first = dump
		} else if dump != first {
			t.Fatalf("in calls of %d records the table differs from calls of 1", n)
		}
	}
}

// BenchmarkPeersApply is BenchmarkRatioApply for Peers.
func BenchmarkPeersApply(b *testing.B) { benchApply(b, Peers{}) }

// BenchmarkRebuildPeers is BenchmarkRebuild for Peers, beside Ratio
// measured on the same log in the same run.
func BenchmarkRebuildPeers(b *testing.B) {
	ctx := context.Background()
	log, pool := testenv.Log(b), testenv.DB(b)
	g := newHistGen(42, 20_000, 10_000, 50_000, 40)
	for _, r := range g.registrations() {
		if _, err := log.Append(ctx, domain.TorrentSubject(r.InfoHash), r); err != nil {
			b.Fatal(err)
		}
	}
	const total = 1_000_000
	for i := 0; i < total/benchPerMsg; i++ {
		if _, err := log.AppendAsync(domain.AnnounceSubject("t1"), g.batch(benchPerMsg)); err != nil {
			b.Fatal(err)
		}
	}
	<-log.AsyncComplete()
	for _, p := range []Projection{Ratio{}, Peers{}} {
		b.Run(p.Name(), func(b *testing.B) {
			var events uint64
			var elapsed time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				if err := NewProjector(p, pool, log).Rebuild(ctx, func(rp RebuildProgress) { events = rp.Events }); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
			}
			b.ReportMetric(float64(uint64(b.N)*events)/elapsed.Seconds(), "events/s")
		})
	}
}
