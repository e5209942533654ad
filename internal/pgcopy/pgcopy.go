// Package pgcopy writes rows in PostgreSQL's binary COPY format ("COPY ...
// FROM STDIN (FORMAT binary)", described in the PostgreSQL manual under
// COPY, "Binary Format") for the few column types the projections write.
//
// It exists for speed: the projections write tens of thousands of rows a
// second while sharing the CPU with the tracker, and appending fixed-width
// big-endian fields to one reused buffer costs a fraction of encoding the
// same rows as parameter arrays through pgx's generic, reflection-driven
// type map. Invariant: the caller writes, for every row, exactly the fields
// it declared in Row, in the table's column order and types; PostgreSQL
// refuses the whole COPY otherwise, so a mistake cannot write wrong data.
package pgcopy

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
)

// header is the binary COPY signature, flags and header extension length.
var header = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// Rows is a binary COPY stream under construction. The zero value is ready
// to use; Reset makes it reusable without freeing its buffer.
type Rows struct {
	buf     []byte
	n       int
	started bool // the header is written (it may have been sent)

	sink    *io.PipeWriter // while Copy streams: where full chunks go
	sinkErr error          // the first failed send; later rows are dropped
}

// Reset empties r, keeping its buffer.
func (r *Rows) Reset() { r.buf, r.n, r.started = r.buf[:0], 0, false }

// Len is the number of rows started.
func (r *Rows) Len() int { return r.n }

// Row starts a row of fields fields.
func (r *Rows) Row(fields int) {
	if r.sink != nil && len(r.buf) >= chunk {
		r.send()
	}
	if !r.started {
		r.buf, r.started = append(r.buf, header...), true
	}
	r.buf = binary.BigEndian.AppendUint16(r.buf, uint16(fields))
	r.n++
}

// Int8 writes a bigint.
func (r *Rows) Int8(v int64) {
	r.buf = binary.BigEndian.AppendUint32(r.buf, 8)
	r.buf = binary.BigEndian.AppendUint64(r.buf, uint64(v))
}

// Int4 writes an integer.
func (r *Rows) Int4(v int32) {
	r.buf = binary.BigEndian.AppendUint32(r.buf, 4)
	r.buf = binary.BigEndian.AppendUint32(r.buf, uint32(v))
}

// Bytes writes a bytea.
func (r *Rows) Bytes(b []byte) {
	r.buf = binary.BigEndian.AppendUint32(r.buf, uint32(len(b)))
	r.buf = append(r.buf, b...)
}

// UUID writes a uuid.
func (r *Rows) UUID(u [16]byte) {
	r.buf = binary.BigEndian.AppendUint32(r.buf, 16)
	r.buf = append(r.buf, u[:]...)
}

// Null writes a NULL of any type.
func (r *Rows) Null() { r.buf = binary.BigEndian.AppendUint32(r.buf, 0xffffffff) }

// postgresEpochMs is 2000-01-01T00:00:00Z, PostgreSQL's time zero, in Unix
// milliseconds.
const postgresEpochMs = 946_684_800_000

// TimestamptzMs writes a timestamptz given in Unix milliseconds. ms must be
// within PostgreSQL's timestamp range (years 4713 BC to 294276 AD), which
// every time from 1970 to 9999 is.
func (r *Rows) TimestamptzMs(ms int64) {
	r.Int8((ms - postgresEpochMs) * 1000)
}

// Data is the complete COPY stream: header, rows and trailer. It is valid
// until the next change to r.
func (r *Rows) Data() []byte {
	if !r.started {
		r.buf, r.started = append(r.buf, header...), true
	}
	return append(r.buf, 0xff, 0xff) // the trailer: a field count of -1
}

// CopyTo copies r's rows into table (a name as written in SQL, already safe)
// over conn, whose columns, in order, are the fields of each row. It
// returns the number of rows copied.
func (r *Rows) CopyTo(ctx context.Context, conn *pgx.Conn, table string) (int64, error) {
	tag, err := conn.PgConn().CopyFrom(ctx, bytes.NewReader(r.Data()), "COPY "+table+" FROM STDIN (FORMAT binary)")
	if err != nil {
		return 0, fmt.Errorf("copy into %s: %w", table, err)
	}
	return tag.RowsAffected(), nil
}

// chunk is how much of a streamed COPY is built before it is sent.
const chunk = 64 << 10

// errCopyEnded stops a fill whose COPY ended early (refused, or ctx ended).
var errCopyEnded = errors.New("pgcopy: the COPY ended")

// Copy copies into table (a name as written in SQL, already safe), over
// conn, the rows fill writes into r, sending them in chunks of about 64 KiB
// as they are written: r's buffer stays about one chunk large however many
// rows there are, where building the whole stream first would grow (and
// fault in) a buffer of the whole run. fill runs in its own goroutine and
// must only write rows into r. Copy returns the number of rows copied;
// PostgreSQL refuses the whole COPY if a row is malformed.
func (r *Rows) Copy(ctx context.Context, conn *pgx.Conn, table string, fill func(*Rows)) (int64, error) {
	r.Reset()
	pr, pw := io.Pipe()
	r.sink, r.sinkErr = pw, nil
	done := make(chan struct{})
	go func() {
		defer close(done)
		fill(r)
		r.buf = r.Data()
		r.send()
		pw.CloseWithError(r.sinkErr) // nil: the reader sees the end of the stream
	}()
	tag, err := conn.PgConn().CopyFrom(ctx, pr, "COPY "+table+" FROM STDIN (FORMAT binary)")
	pr.CloseWithError(errCopyEnded) // a fill still writing stops
	<-done
	r.sink, r.sinkErr = nil, nil
	if err != nil {
		return 0, fmt.Errorf("copy into %s: %w", table, err)
	}
	return tag.RowsAffected(), nil
}

// send writes the built part of the stream to the sink and empties the
// buffer; after a failed write nothing more is sent.
func (r *Rows) send() {
	if r.sinkErr == nil {
		_, r.sinkErr = r.sink.Write(r.buf)
	}
	r.buf = r.buf[:0]
}
