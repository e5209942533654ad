package projections

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/jackc/pgx/v5"
)

// Benchmarks of the announce-driven projections. The workload is generated
// (histGen): 20k users, 10k torrents with Zipf popularity (a few big swarms,
// many small), about 50k active peers re-announcing every half hour or so,
// joining, completing, stopping and being reaped, in messages of 1000
// announces. The tables are first warmed with 150k announces (untimed), then
// 1,024,000 more are applied and timed, in transactions of 16, 256 or 1024
// messages. announces/s is the figure to read.
//
//	go test -run '^$' -bench 'Apply' -benchtime 1x ./projections
//
// What bounds it: Ratio writes about 2.4 rows (peer, user_torrents, users)
// per distinct peer in a transaction, so its speed grows with the announces
// per peer in one Apply call; Swarm writes only on changes and is bound by
// reading the peers' prior state and decoding.

const (
	benchWarm   = 150_000
	benchTimed  = 1_024_000
	benchPerMsg = 1000
)

// benchRecords generates the warm-up and timed records.
func benchRecords() (warm, timed []eventlog.Record) {
	g := newHistGen(42, 20_000, 10_000, 50_000, 40)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var recs []eventlog.Record
	for _, r := range g.registrations() {
		recs = append(recs, record(uint64(len(recs)+1), r, at))
	}
	nWarm := len(recs) + benchWarm/benchPerMsg
	for i := 0; i < (benchWarm+benchTimed)/benchPerMsg; i++ {
		recs = append(recs, record(uint64(len(recs)+1), g.batch(benchPerMsg), at))
	}
	return recs[:nWarm], recs[nWarm:]
}

func benchApply(b *testing.B, p Projection) {
	pool := testenv.DB(b)
	warm, timed := benchRecords()
	for _, perCall := range []int{16, 256, 1024} {
		b.Run(fmt.Sprintf("msgs=%d", perCall), func(b *testing.B) {
			var elapsed time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				schema := p.Name() + "_bench"
				applyInChunks(b, pool, p, schema, warm, 256)
				pool.Exec(context.Background(), "VACUUM ANALYZE")
				b.StartTimer()
				start := time.Now()
				applyChunksOnly(b, pool, p, schema, timed, perCall)
				elapsed += time.Since(start)
			}
			b.ReportMetric(float64(b.N*benchTimed)/elapsed.Seconds(), "announces/s")
		})
	}
}

// applyChunksOnly applies recs to existing tables in schema, perCall records
// per transaction.
func applyChunksOnly(b testing.TB, pool interface {
	Begin(context.Context) (pgx.Tx, error)
}, p Projection, schema string, recs []eventlog.Record, perCall int) {
	ctx := context.Background()
	for i := 0; i < len(recs); i += perCall {
		tx, err := pool.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if err := NewProjector(p, nil, nil).applyTo(ctx, tx, schema, recs[i:min(i+perCall, len(recs))]); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRatioApply measures announces applied per second by Ratio.Apply,
// committed in transactions of 16, 256 or 1024 messages (the live projector
// gets what has arrived, up to 500 messages; a rebuild 256 at a time).
func BenchmarkRatioApply(b *testing.B) { benchApply(b, Ratio{}) }

// BenchmarkSwarmApply is BenchmarkRatioApply for Swarm.
func BenchmarkSwarmApply(b *testing.B) { benchApply(b, Swarm{}) }

// BenchmarkRebuild measures what `djembe replay` does: Rebuild from a real
// log (NATS JetStream) holding the registrations and 1M announces in
// messages of 1000, reporting announce events per second.
func BenchmarkRebuild(b *testing.B) {
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
	for _, p := range []Projection{Ratio{}, Swarm{}} {
		b.Run(p.Name(), func(b *testing.B) {
			var events uint64
			var elapsed time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				err := NewProjector(p, pool, log).Rebuild(ctx, func(rp RebuildProgress) { events = rp.Events })
				if err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
			}
			b.ReportMetric(float64(uint64(b.N)*events)/elapsed.Seconds(), "events/s")
		})
	}
}
