package pgcopy

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/internal/testenv"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// connWithTable is a connection to a fresh database in which ddl has run.
func connWithTable(t *testing.T, ddl string) *pgxpool.Conn {
	t.Helper()
	conn, err := testenv.DB(t).Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Release)
	if _, err := conn.Exec(context.Background(), ddl); err != nil {
		t.Fatal(err)
	}
	return conn
}

// row is one row of the test table, as read back.
type row struct {
	i8   int64
	i4   int32
	b    []byte
	u    pgtype.UUID
	ts   pgtype.Timestamptz
	null pgtype.Int8
}

// TestCopyRoundTrip copies rows of every supported type, extremes and NULLs
// included, into a real PostgreSQL and reads back the same values.
func TestCopyRoundTrip(t *testing.T) {
	ctx := context.Background()
	conn := connWithTable(t, `CREATE TABLE t (k int PRIMARY KEY, i8 bigint, i4 int, b bytea, u uuid, ts timestamptz, n bigint)`)
	u := [16]byte{0xde, 0xad, 0xbe, 0xef, 15: 0x01}
	times := []time.Time{
		time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),          // PostgreSQL's zero
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),          // before it
		time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC), // the projections' latest
		time.Date(2026, 11, 23, 22, 34, 27, 123e6, time.UTC), // any
	}
	want := []row{
		{i8: 0, i4: 0, b: []byte{}},
		{i8: math.MaxInt64, i4: math.MaxInt32, b: []byte{0, 1, 0xff}},
		{i8: math.MinInt64, i4: math.MinInt32, b: []byte(strings.Repeat("x", 70000))},
		{i8: -1, i4: -1, b: []byte("20 bytes of infohash")},
	}
	var r Rows
	for k := range want {
		w := &want[k]
		w.u = pgtype.UUID{Bytes: u, Valid: true}
		w.ts = pgtype.Timestamptz{Time: times[k], Valid: true}
		r.Row(7)
		r.Int4(int32(k))
		r.Int8(w.i8)
		r.Int4(w.i4)
		r.Bytes(w.b)
		r.UUID(u)
		r.TimestamptzMs(times[k].UnixMilli())
		r.Null()
		u[0]++
	}
	if r.Len() != len(want) {
		t.Fatalf("Len = %d, want %d", r.Len(), len(want))
	}
	n, err := r.CopyTo(ctx, conn.Conn(), "t")
	if err != nil || n != int64(len(want)) {
		t.Fatalf("CopyTo = %d, %v; want %d rows", n, err, len(want))
	}
	rows, err := conn.Query(ctx, `SELECT i8, i4, b, u, ts, n FROM t ORDER BY k`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for k := 0; rows.Next(); k++ {
		var got row
		if err := rows.Scan(&got.i8, &got.i4, &got.b, &got.u, &got.ts, &got.null); err != nil {
			t.Fatal(err)
		}
		w := want[k]
		if got.i8 != w.i8 || got.i4 != w.i4 || string(got.b) != string(w.b) || got.u != w.u ||
			!got.ts.Time.Equal(w.ts.Time) || got.null.Valid {
			t.Errorf("row %d: got %v %v %d bytes %x %v %v; want %v %v %d bytes %x %v NULL",
				k, got.i8, got.i4, len(got.b), got.u.Bytes, got.ts.Time, got.null, w.i8, w.i4, len(w.b), w.u.Bytes, w.ts.Time)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	// Reset reuses the buffer for a new stream; an empty stream copies nothing.
	r.Reset()
	if n, err := r.CopyTo(ctx, conn.Conn(), "t"); err != nil || n != 0 {
		t.Fatalf("empty CopyTo = %d, %v", n, err)
	}
}

// TestCopyRefusesMismatchedRows: a row whose fields do not match the table
// is refused by PostgreSQL, and nothing of the stream is written.
func TestCopyRefusesMismatchedRows(t *testing.T) {
	ctx := context.Background()
	conn := connWithTable(t, `CREATE TABLE t (a bigint, b int)`)
	for name, write := range map[string]func(*Rows){
		"too few fields": func(r *Rows) { r.Row(1); r.Int8(1) },
		"wrong width":    func(r *Rows) { r.Row(2); r.Int8(1); r.Int8(2) },
	} {
		var r Rows
		r.Row(2)
		r.Int8(7)
		r.Int4(7) // a good row first
		write(&r)
		if _, err := r.CopyTo(ctx, conn.Conn(), "t"); err == nil {
			t.Errorf("%s: copied without error", name)
		}
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d rows written (%v), want none", name, n, err)
		}
	}
}

// TestCopyStreamsManyRows streams more rows than several chunks hold, then
// a stream refused after its first chunks were sent: the first arrives
// whole with a buffer of about one chunk, the second writes nothing.
func TestCopyStreamsManyRows(t *testing.T) {
	ctx := context.Background()
	conn := connWithTable(t, `CREATE TABLE t (a bigint, b int)`)
	const rows = 50_000 // 22 bytes each: about 17 chunks
	var r Rows
	n, err := r.Copy(ctx, conn.Conn(), "t", func(r *Rows) {
		for i := range rows {
			r.Row(2)
			r.Int8(int64(i))
			r.Int4(int32(i))
		}
	})
	if err != nil || n != rows {
		t.Fatalf("Copy = %d, %v; want %d rows", n, err, rows)
	}
	var count, sum int64
	if err := conn.QueryRow(ctx, `SELECT count(*), sum(b) FROM t WHERE a = b`).Scan(&count, &sum); err != nil || count != rows || sum != rows*(rows-1)/2 {
		t.Fatalf("read back %d rows summing %d (%v)", count, sum, err)
	}
	if cap(r.buf) > 2*chunk {
		t.Errorf("the buffer grew to %d bytes, want about one chunk (%d)", cap(r.buf), chunk)
	}
	if _, err := conn.Exec(ctx, `TRUNCATE t`); err != nil {
		t.Fatal(err)
	}
	_, err = r.Copy(ctx, conn.Conn(), "t", func(r *Rows) {
		for i := range rows {
			r.Row(2)
			r.Int8(int64(i))
			if i == rows-10 {
				r.Int8(1) // a bigint where an int belongs: refused, after many chunks were sent
				continue
			}
			r.Int4(int32(i))
		}
	})
	if err == nil {
		t.Fatal("a malformed stream was copied")
	}
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM t`).Scan(&count); err != nil || count != 0 {
		t.Fatalf("%d rows of a refused stream written (%v)", count, err)
	}
	if n, err := r.Copy(ctx, conn.Conn(), "t", func(*Rows) {}); err != nil || n != 0 {
		t.Fatalf("an empty Copy after a refused one = %d, %v", n, err)
	}
}
