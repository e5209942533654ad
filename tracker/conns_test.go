package tracker

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
)

// serveGuarded serves tr's production server on a guarded listener on
// 127.0.0.1 and returns its address.
func serveGuarded(t *testing.T, tr *Tracker) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := tr.NewServer()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(tr.Guard(ln)) }()
	t.Cleanup(func() {
		srv.Shutdown()
		if err := <-done; err != nil {
			t.Errorf("the server stopped with %v", err)
		}
	})
	return ln.Addr().String()
}

// getFrom sends an HTTP GET to addr from the local address from.
func getFrom(t *testing.T, from, addr, target string) (string, error) {
	t.Helper()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
	res, err := client.Get("http://" + addr + target)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return string(b), err
}

// TestConnectionLimits: idle connections past the per-address limit are
// closed at once, and those within it after the first-byte timeout, while
// real announces from another address are answered throughout.
func TestConnectionLimits(t *testing.T) {
	alice := newTestUser(t, "alice")
	h1 := randomHash()
	tr := offline(t, Config{Conns: ConnLimits{Max: 40, PerAddr: 10, FirstByteTimeout: 500 * time.Millisecond}},
		cat(userEvent(alice), torrentEvent(h1, domain.NormalFactors))...)
	addr := serveGuarded(t, tr)
	var idle []net.Conn
	for range 30 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		idle = append(idle, c)
	}
	defer func() {
		for _, c := range idle {
			c.Close()
		}
	}()
	p := newTestPeer(alice, "-LT2080-", "127.0.0.2:1", 6881)
	body, err := getFrom(t, "127.0.0.2", addr, p.url(h1, ann{left: 1, event: "started"}))
	if err != nil || !strings.HasPrefix(body, "d8:complete") {
		t.Fatalf("a real announce while 30 idle connections wait: %q, %v", body, err)
	}
	closed := 0
	for _, c := range idle {
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := io.ReadAll(c); err == nil { // the server closed it (after a 408 for a timeout)
			closed++
		}
	}
	if closed != 30 {
		t.Errorf("%d of 30 idle connections closed by the server (20 past the limit at once, 10 after the first-byte timeout)", closed)
	}
	if n := tr.RefusalCounts()["conn_limit"]; n != 20 {
		t.Errorf("%d connections refused, want 20 (past 10 per address)", n)
	}
	if body, err := getFrom(t, "127.0.0.1", addr, p.url(h1, ann{left: 1})); err != nil || !strings.HasPrefix(body, "d8:complete") {
		t.Errorf("an announce from the address whose idle connections were closed: %q, %v", body, err)
	}
}

// TestConnKeysIPv6By64: one customer's IPv6 addresses share a /64.
func TestConnKeysIPv6By64(t *testing.T) {
	a := connKey(&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2::1")})
	b := connKey(&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:ffff::9")})
	c := connKey(&net.TCPAddr{IP: net.ParseIP("2001:db8:1:3::1")})
	v4 := connKey(&net.TCPAddr{IP: net.ParseIP("::ffff:10.0.0.1")})
	if a != b || a == c || v4.Bits() != 32 || !v4.Addr().Is4() {
		t.Errorf("keys %v %v %v %v", a, b, c, v4)
	}
}

const emfileChild = "DJEMBE_TEST_EMFILE_CHILD"

// TestAcceptErrorsAreRetried runs the tracker's server in a child process
// whose file descriptors run out: its accept fails with EMFILE, the server
// keeps running, and once descriptors are free again it answers.
func TestAcceptErrorsAreRetried(t *testing.T) {
	if os.Getenv(emfileChild) == "1" {
		emfileChildMain(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestAcceptErrorsAreRetried$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), emfileChild+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("answered after EMFILE")) {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func emfileChildMain(t *testing.T) {
	alice := newTestUser(t, "alice")
	h1 := randomHash()
	var logBuf lockedBuffer
	tr := offline(t, Config{Conns: ConnLimits{Max: 10000, PerAddr: 10000}, Logger: slog.New(slog.NewTextHandler(&logBuf, nil))},
		cat(userEvent(alice), torrentEvent(h1, domain.NormalFactors))...)
	addr := serveGuarded(t, tr)
	open, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	var rl syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl)
	old := rl
	rl.Cur = uint64(len(open) + 16)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		t.Skipf("setrlimit: %v", err)
	}
	var conns []net.Conn
	for range 40 { // the client's ends and the server's use up the descriptors
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		conns = append(conns, c)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logBuf.String(), "accepting connections failed") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	for _, c := range conns {
		c.Close()
	}
	syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old)
	if !strings.Contains(logBuf.String(), "too many open files") {
		t.Fatalf("accept never failed with EMFILE (%d connections): %s", len(conns), logBuf.String())
	}
	p := newTestPeer(alice, "-LT2080-", "127.0.0.1:1", 6881)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if body, err := getFrom(t, "127.0.0.1", addr, p.url(h1, ann{left: 1, event: "started"})); err == nil && strings.HasPrefix(body, "d8:complete") {
			t.Log("answered after EMFILE")
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the server never answered again")
}

// lockedBuffer is a log destination the server's goroutines write while
// the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
