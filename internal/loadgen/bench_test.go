package loadgen

import (
	"bufio"
	"bytes"
	"testing"
)

// The generator's own per-request cost: building a request and parsing a
// response must stay far below the server's.

func BenchmarkAppendRequest(b *testing.B) {
	pop := testPopulation(b, 1000)
	t := Target{Addr: "127.0.0.1:6969"}
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		buf = pop.appendRequest(buf[:0], &t, request{peer: i % 1000, event: EventNone})
	}
}

func BenchmarkReadResponse(b *testing.B) {
	body := BaselineBody(380)
	raw := append([]byte("HTTP/1.1 200 OK\r\nContent-Length: 380\r\nContent-Type: text/plain\r\nDate: Mon, 01 Jan 2026 00:00:00 GMT\r\n\r\n"), body...)
	rd := bytes.NewReader(raw)
	br := bufio.NewReaderSize(rd, 4096)
	buf := make([]byte, 0, 4096)
	s := newStats()
	b.ReportAllocs()
	for b.Loop() {
		rd.Reset(raw)
		br.Reset(rd)
		resp, err := readResponse(br, buf)
		if err != nil {
			b.Fatal(err)
		}
		s.response(resp, 1000)
	}
}
