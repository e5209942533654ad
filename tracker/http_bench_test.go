package tracker

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkHTTP compares the tracker with a trivial net/http handler that
// returns a fixed body, over real TCP on 127.0.0.1 with 64 connections, in
// keep-alive and connection-close modes. The client is a minimal raw
// HTTP/1.1 client in the same process (sharing the CPUs, like the load
// command). ns/op is the inverse of the request rate; compare the tracker
// to "trivial" of the same mode.
func BenchmarkHTTP(b *testing.B) {
	p := newPopulation(b, 20_000, 5_000, 100_000)
	h := p.tr.Handler()
	for _, r := range p.reqs {
		h.ServeHTTP(&discardWriter{h: http.Header{}}, r)
	}
	p.tr.discardPending()
	stop := make(chan struct{})
	go func() { // stands in for the publisher: queued announces are dropped
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				p.tr.discardPending()
			}
		}
	}()
	defer close(stop)
	body := []byte("d8:completei1e10:incompletei1e8:intervali1800e5:peers0:e")
	trivial := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	targets := make([]string, len(p.reqs))
	for i, r := range p.reqs {
		targets[i] = r.URL.RequestURI()
	}
	for _, mode := range []string{"keepalive", "close"} {
		for _, s := range []struct {
			name string
			h    http.Handler
		}{{"trivial", trivial}, {"tracker", h}} {
			b.Run(mode+"/"+s.name, func(b *testing.B) {
				addr := serveTCP(b, s.h)
				load(b, addr, targets, mode == "close")
			})
		}
	}
}

func serveTCP(b *testing.B, h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// load sends b.N requests over 64 connections (a new one per request when
// closing) and reads every response.
func load(b *testing.B, addr string, targets []string, closing bool) {
	const conns = 64
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	b.ResetTimer()
	for c := range conns {
		wg.Go(func() {
			var conn net.Conn
			var br *bufio.Reader
			buf := make([]byte, 0, 512)
			for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
				if conn == nil {
					var err error
					if conn, err = net.Dial("tcp", addr); err != nil {
						failed.Store(err)
						return
					}
					br = bufio.NewReaderSize(conn, 8192)
				}
				buf = append(buf[:0], "GET "...)
				buf = append(buf, targets[(int(i)*conns+c)%len(targets)]...)
				buf = append(buf, " HTTP/1.1\r\nHost: t\r\n"...)
				if closing {
					buf = append(buf, "Connection: close\r\n"...)
				}
				buf = append(buf, "\r\n"...)
				if _, err := conn.Write(buf); err != nil {
					failed.Store(err)
					return
				}
				if err := readResponse(br); err != nil {
					failed.Store(err)
					return
				}
				if closing {
					conn.Close()
					conn = nil
				}
			}
			if conn != nil {
				conn.Close()
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	if err := failed.Load(); err != nil {
		b.Fatal(err)
	}
}

// readResponse reads one response with a Content-Length body.
func readResponse(br *bufio.Reader) error {
	n := -1
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(line) <= 2 {
			break
		}
		if k, v, ok := bytes.Cut(line, []byte(":")); ok && bytes.EqualFold(k, []byte("Content-Length")) {
			n, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
		}
	}
	if n < 0 {
		return io.ErrUnexpectedEOF
	}
	_, err := br.Discard(n)
	return err
}
