package loadgen

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"time"
)

// conn is one simulated client connection: a raw HTTP/1.1 client over a
// net.Conn. In keep-alive mode it reuses the connection until the server
// closes it or an error occurs; in close mode it dials for every request.
// It is owned by one goroutine.
type conn struct {
	addr    string
	dialer  net.Dialer
	timeout time.Duration
	c       net.Conn
	br      *bufio.Reader
	body    []byte
	// deadline is the connection's current I/O deadline; it is moved forward
	// only when less than half the timeout is left, to keep SetDeadline off
	// the per-request path.
	deadline time.Time
}

func newConn(addr string, timeout time.Duration) *conn {
	return &conn{addr: addr, timeout: timeout, br: bufio.NewReaderSize(nil, 4096), body: make([]byte, 0, 4096)}
}

// roundTrip sends req (a complete HTTP request) and reads the response. On
// error, op says which step failed ("dial", "write" or "read") and the
// connection is closed. The response body is valid until the next call.
// When resp.close is set the caller must end the connection (awaitClose or
// close) before the next call.
func (c *conn) roundTrip(ctx context.Context, req []byte, now time.Time) (resp response, op string, err error) {
	if c.c == nil {
		nc, err := c.dialer.DialContext(ctx, "tcp", c.addr)
		if err != nil {
			return response{}, "dial", err
		}
		c.c, c.deadline = nc, time.Time{}
		c.br.Reset(nc)
	}
	if c.deadline.Sub(now) < c.timeout/2 {
		c.deadline = now.Add(c.timeout)
		_ = c.c.SetDeadline(c.deadline)
	}
	if _, err := c.c.Write(req); err != nil {
		c.close()
		return response{}, "write", err
	}
	resp, err = readResponse(c.br, c.body)
	if err != nil {
		c.close()
		return response{}, "read", err
	}
	if cap(resp.body) > cap(c.body) {
		c.body = resp.body[:0]
	}
	return resp, "", nil
}

// awaitClose waits (within the I/O deadline) for the server to close the
// connection after a Connection: close response, then closes it. The server
// thus closes first and keeps the TIME_WAIT state, as with real clients that
// read to EOF; the generator's ephemeral ports are not held in TIME_WAIT,
// so one run's closed connections do not slow the next run's dials.
func (c *conn) awaitClose() {
	if c.c == nil {
		return
	}
	var b [64]byte
	for {
		if _, err := c.br.Read(b[:]); err != nil {
			break
		}
	}
	c.close()
}

func (c *conn) close() {
	if c.c != nil {
		c.c.Close()
		c.c = nil
	}
}

// shortCause names an I/O error briefly and stably, for grouping in reports.
func shortCause(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed early"
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE):
		return "connection reset"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "no free local port (ephemeral ports exhausted)"
	case errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE):
		return "too many open files"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, errMalformed), errors.Is(err, errTooLarge):
		return err.Error()
	}
	s := err.Error()
	if len(s) > 80 {
		s = s[:80]
	}
	return s
}
