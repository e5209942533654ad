//go:build unix

package pgcopy

import (
	"context"
	"math"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/djembe/djembe/internal/testenv"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Benchmarks of pgcopy against pgx's own CopyFrom on the rows the ratio
// projection stages (projections/ratio.go, ratio_pairs_in: 12 columns), so
// that the reason pgcopy exists can be checked again with a new pgx:
//
//	go test -run '^$' -bench Copy -benchmem -benchtime 3s ./internal/pgcopy
//
// (BenchmarkCopyPgcopy grows its buffer once, in its first iteration: with
// few iterations that growth weighs on its figures.)
//
// Each iteration copies copyBenchRows rows into a temporary table (ON
// COMMIT DELETE ROWS, as the projection's) in one transaction. ns/row is
// wall time, PostgreSQL's work included; cpu-ns/row, B/op and allocs/op are
// this process's alone: cpu-ns/row is the CPU that competes with the
// tracker, the kernel's work of sending the stream over the socket
// included, PostgreSQL's not. CopyFrom is measured in its cheapest form, a
// reused row of pointers to pgtype values (nothing allocated per value),
// and in the plain one, Go values boxed into a reused []any.

const copyBenchRows = 50_000

// benchPair is one ratio_pairs_in row as the projection aggregates it.
type benchPair struct {
	user                      [16]byte
	hash                      [20]byte
	up, down, rawUp, rawDown  int64
	remaining                 int64
	hasRemaining              bool
	seedMs                    int64
	firstMs, lastMs, snatchMs int64 // noTime when unset
	active                    int32
}

const noTime = math.MinInt64

func benchPairs() []benchPair {
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	ps := make([]benchPair, copyBenchRows)
	for i := range ps {
		p := &ps[i]
		for j := range p.user {
			p.user[j] = byte(rng.Uint32())
		}
		for j := range p.hash {
			p.hash[j] = byte(rng.Uint32())
		}
		p.up, p.down = rng.Int64N(1<<34), rng.Int64N(1<<34)
		p.rawUp, p.rawDown = p.up, p.down
		p.remaining, p.hasRemaining = rng.Int64N(1<<30), i%5 != 0
		p.seedMs = rng.Int64N(1 << 31)
		p.firstMs = base + rng.Int64N(1<<31)
		p.lastMs = p.firstMs + rng.Int64N(1<<20)
		p.snatchMs = noTime
		if i%20 == 0 {
			p.snatchMs = p.lastMs
		}
		p.active = int32(rng.IntN(3)) - 1
	}
	return ps
}

const benchTable = `CREATE TEMP TABLE pairs_in (user_id uuid, info_hash bytea, uploaded int8, downloaded int8,
	raw_uploaded int8, raw_downloaded int8, remaining int8, seed_ms int8, first_announce_at timestamptz,
	last_announce_at timestamptz, snatched_at timestamptz, active_peers int4) ON COMMIT DELETE ROWS`

var benchColumns = []string{"user_id", "info_hash", "uploaded", "downloaded", "raw_uploaded", "raw_downloaded",
	"remaining", "seed_ms", "first_announce_at", "last_announce_at", "snatched_at", "active_peers"}

// benchConn is a connection to a fresh database with the temporary table
// pairs_in.
func benchConn(tb testing.TB) *pgx.Conn {
	tb.Helper()
	conn, err := testenv.DB(tb).Acquire(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(conn.Release)
	if _, err := conn.Exec(context.Background(), benchTable); err != nil {
		tb.Fatal(err)
	}
	return conn.Conn()
}

// benchCopy runs copy, which must copy all of ps, in one transaction per
// iteration.
func benchCopy(b *testing.B, copy copyFunc) {
	ctx := context.Background()
	conn := benchConn(b)
	ps := benchPairs()
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		tx, err := conn.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		n, err := copy(ctx, tx.Conn(), ps)
		if err != nil || n != int64(len(ps)) {
			b.Fatalf("copied %d rows, %v; want %d", n, err, len(ps))
		}
		if err := tx.Commit(ctx); err != nil {
			b.Fatal(err)
		}
	}
	cpu := processCPU() - cpu0
	rows := float64(b.N * len(ps))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/rows, "ns/row")
	b.ReportMetric(float64(cpu.Nanoseconds())/rows, "cpu-ns/row")
}

// processCPU is the user and system CPU time this process has used, the
// garbage collector's included and PostgreSQL's (its own processes) not.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// copyFunc copies all of ps into pairs_in and returns the rows copied.
type copyFunc func(ctx context.Context, conn *pgx.Conn, ps []benchPair) (int64, error)

// copyFuncs are the ways compared, each made with its own reused state.
var copyFuncs = map[string]func() copyFunc{
	"Pgcopy": copyPgcopy, "CopyFromPointers": copyFromPointers, "CopyFromBoxed": copyFromBoxed,
}

// BenchmarkCopyPgcopy copies with one Rows reused from copy to copy, its
// buffer grown once.
func BenchmarkCopyPgcopy(b *testing.B) { benchCopy(b, copyPgcopy()) }

// BenchmarkCopyPgcopyFresh starts every copy from an empty Rows, whose
// buffer then grows row by row (append grows a large slice by a quarter at
// a time, copying it): what the projection pays when a garbage collection
// has emptied its sync.Pool of buffers.
func BenchmarkCopyPgcopyFresh(b *testing.B) {
	benchCopy(b, func(ctx context.Context, conn *pgx.Conn, ps []benchPair) (int64, error) {
		return copyPgcopy()(ctx, conn, ps)
	})
}

// BenchmarkCopyFromPointers copies with pgx's CopyFrom, every row from one
// []any of pointers to pgtype values: pgx's cheapest form.
func BenchmarkCopyFromPointers(b *testing.B) { benchCopy(b, copyFromPointers()) }

// BenchmarkCopyFromBoxed copies with pgx's CopyFrom, each row's Go values
// boxed into a reused []any: its plain form.
func BenchmarkCopyFromBoxed(b *testing.B) { benchCopy(b, copyFromBoxed()) }

// TestCopyFromWritesWhatPgcopyWrites: the benchmarked ways copy the same
// rows, so the benchmarks compare equal work.
func TestCopyFromWritesWhatPgcopyWrites(t *testing.T) {
	ctx := context.Background()
	conn := benchConn(t)
	ps := benchPairs()[:2000]
	sums := map[string]string{}
	for name, f := range copyFuncs {
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := f()(ctx, tx.Conn(), ps); err != nil || n != int64(len(ps)) {
			t.Fatalf("%s: copied %d rows, %v; want %d", name, n, err, len(ps))
		}
		var sum string
		err = tx.QueryRow(ctx, `SELECT md5(string_agg(p::text, E'\n' ORDER BY p::text)) FROM pairs_in p`).Scan(&sum)
		if err != nil {
			t.Fatal(err)
		}
		sums[name] = sum
		if err := tx.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for name, sum := range sums {
		if sum != sums["Pgcopy"] {
			t.Errorf("%s wrote other rows than Pgcopy (md5 %s, Pgcopy's %s)", name, sum, sums["Pgcopy"])
		}
	}
}

// copyPgcopy copies with Rows, as the ratio projection does.
func copyPgcopy() copyFunc {
	var r Rows
	ms := func(v int64) {
		if v == noTime {
			r.Null()
		} else {
			r.TimestamptzMs(v)
		}
	}
	return func(ctx context.Context, conn *pgx.Conn, ps []benchPair) (int64, error) {
		r.Reset()
		for i := range ps {
			p := &ps[i]
			r.Row(12)
			r.UUID(p.user)
			r.Bytes(p.hash[:])
			r.Int8(p.up)
			r.Int8(p.down)
			r.Int8(p.rawUp)
			r.Int8(p.rawDown)
			if p.hasRemaining {
				r.Int8(p.remaining)
			} else {
				r.Null()
			}
			r.Int8(p.seedMs)
			ms(p.firstMs)
			ms(p.lastMs)
			ms(p.snatchMs)
			r.Int4(p.active)
		}
		return r.CopyTo(ctx, conn, "pairs_in")
	}
}

// hashBytes is an info hash that encodes as bytea through a pointer
// without allocating (a pgtype.BytesValuer).
type hashBytes [20]byte

func (h *hashBytes) BytesValue() ([]byte, error) { return h[:], nil }

func pgTime(ms int64) pgtype.Timestamptz {
	if ms == noTime {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: time.UnixMilli(ms), Valid: true}
}

// copyFromPointers copies with pgx's CopyFrom, every row from the same
// []any of pointers to pgtype values.
func copyFromPointers() copyFunc {
	var row struct {
		user                     pgtype.UUID
		hash                     hashBytes
		up, down, rawUp, rawDown pgtype.Int8
		remaining, seedMs        pgtype.Int8
		first, last, snatch      pgtype.Timestamptz
		active                   pgtype.Int4
	}
	vals := []any{&row.user, &row.hash, &row.up, &row.down, &row.rawUp, &row.rawDown, &row.remaining, &row.seedMs,
		&row.first, &row.last, &row.snatch, &row.active}
	i8 := func(v int64) pgtype.Int8 { return pgtype.Int8{Int64: v, Valid: true} }
	return func(ctx context.Context, conn *pgx.Conn, ps []benchPair) (int64, error) {
		return conn.CopyFrom(ctx, pgx.Identifier{"pairs_in"}, benchColumns, pgx.CopyFromSlice(len(ps), func(i int) ([]any, error) {
			p := &ps[i]
			row.user = pgtype.UUID{Bytes: p.user, Valid: true}
			row.hash = p.hash
			row.up, row.down, row.rawUp, row.rawDown = i8(p.up), i8(p.down), i8(p.rawUp), i8(p.rawDown)
			row.remaining = pgtype.Int8{Int64: p.remaining, Valid: p.hasRemaining}
			row.seedMs = i8(p.seedMs)
			row.first, row.last, row.snatch = pgTime(p.firstMs), pgTime(p.lastMs), pgTime(p.snatchMs)
			row.active = pgtype.Int4{Int32: p.active, Valid: true}
			return vals, nil
		}))
	}
}

// copyFromBoxed copies with pgx's CopyFrom, boxing each row's Go values
// (int64, int32, []byte, pgtype.UUID, pgtype.Timestamptz, nil) into a
// reused []any.
func copyFromBoxed() copyFunc {
	row := make([]any, 12)
	t := func(ms int64) any {
		if ms == noTime {
			return nil
		}
		return pgtype.Timestamptz{Time: time.UnixMilli(ms), Valid: true}
	}
	return func(ctx context.Context, conn *pgx.Conn, ps []benchPair) (int64, error) {
		return conn.CopyFrom(ctx, pgx.Identifier{"pairs_in"}, benchColumns, pgx.CopyFromSlice(len(ps), func(i int) ([]any, error) {
			p := &ps[i]
			row[0] = pgtype.UUID{Bytes: p.user, Valid: true}
			row[1] = p.hash[:]
			row[2], row[3], row[4], row[5] = p.up, p.down, p.rawUp, p.rawDown
			row[6] = pgtype.Int8{Int64: p.remaining, Valid: p.hasRemaining}
			row[7] = p.seedMs
			row[8], row[9], row[10] = t(p.firstMs), t(p.lastMs), t(p.snatchMs)
			row[11] = p.active
			return row, nil
		}))
	}
}
