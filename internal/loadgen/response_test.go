package loadgen

import (
	"bufio"
	"strings"
	"testing"
)

func TestReadResponse(t *testing.T) {
	tests := []struct {
		name, raw string
		status    int
		close     bool
		body      string
		err       bool
	}{
		{"content length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello", 200, false, "hello", false},
		{"header case", "HTTP/1.1 200 OK\r\ncontent-length:3\r\n\r\nabc", 200, false, "abc", false},
		{"connection close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", 200, true, "ok", false},
		{"http/1.0 closes", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", 200, true, "ok", false},
		{"http/1.0 keep-alive", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", 200, false, "ok", false},
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\na;ext=1\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n", 200, false, "abc0123456789", false},
		{"to eof", "HTTP/1.1 200 OK\r\n\r\nuntil the end", 200, true, "until the end", false},
		{"no body status", "HTTP/1.1 304 Not Modified\r\n\r\n", 304, false, "", false},
		{"error status", "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy", 503, false, "busy", false},
		{"short body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 0, false, "", true},
		{"not http", "SSH-2.0-OpenSSH\r\n\r\n", 0, false, "", true},
		{"bad length", "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", 0, false, "", true},
		{"bad header", "HTTP/1.1 200 OK\r\nnocolon\r\n\r\n", 0, false, "", true},
		{"too large", "HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n", 0, false, "", true},
		{"bad chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 0, false, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := readResponse(bufio.NewReader(strings.NewReader(tt.raw)), make([]byte, 0, 4))
			if (err != nil) != tt.err {
				t.Fatalf("err %v, want error %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if resp.status != tt.status || resp.close != tt.close || string(resp.body) != tt.body {
				t.Errorf("got %d close=%v %q, want %d close=%v %q", resp.status, resp.close, resp.body, tt.status, tt.close, tt.body)
			}
		})
	}
}

func TestReadResponsePipelined(t *testing.T) {
	br := bufio.NewReader(strings.NewReader("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb"))
	for _, want := range []string{"a", "b"} {
		resp, err := readResponse(br, nil)
		if err != nil || string(resp.body) != want {
			t.Fatalf("got %q, %v; want %q", resp.body, err, want)
		}
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		body    string
		failure string
		warning bool
		peers   int
	}{
		{"d14:failure reason15:unknown passkeye", "unknown passkey", false, 0},
		{"d8:completei1e10:incompletei2e8:intervali1800e5:peers12:abcdefghijkle", "", false, 2},
		{"d8:intervali1800e5:peers0:15:warning message9:slow downe", "", true, 0},
		{"d14:failure reason99:truncatede", "", false, 0},
		{"not bencode", "", false, 0},
	}
	for _, tt := range tests {
		a := classify([]byte(tt.body))
		if string(a.failure) != tt.failure || a.warning != tt.warning || a.peers != tt.peers {
			t.Errorf("%q: got %q %v %d", tt.body, a.failure, a.warning, a.peers)
		}
	}
}
