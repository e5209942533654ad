package tracker

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// ConnLimits bound the connections of the tracker's listeners, so that
// clients that open connections and send nothing cannot take the file
// descriptors the tracker, the log and the database need.
type ConnLimits struct {
	// Max is the most connections open at once, over every listener.
	// Default: the process's file-descriptor limit less a reserve of an
	// eighth (at least 512) for the log, the database and the web.
	Max int
	// PerAddr is the most connections open at once from one client
	// address (IPv6: one /64, what one customer gets). Default 256.
	PerAddr int
	// FirstByteTimeout is how long a new connection may take to send its
	// request line and headers. Default 5s.
	FirstByteTimeout time.Duration
	// IdleTimeout is how long a kept-alive connection may wait for its next
	// request. Default 60s.
	IdleTimeout time.Duration
}

// Defaults of ConnLimits.
const (
	DefaultConnsPerAddr     = 256
	DefaultFirstByteTimeout = 5 * time.Second
	DefaultIdleTimeout      = 60 * time.Second
)

func (c ConnLimits) withDefaults() ConnLimits {
	if c.Max <= 0 {
		c.Max = defaultMaxConns()
	}
	if c.PerAddr <= 0 {
		c.PerAddr = DefaultConnsPerAddr
	}
	if c.FirstByteTimeout <= 0 {
		c.FirstByteTimeout = DefaultFirstByteTimeout
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	return c
}

// defaultMaxConns is the file-descriptor limit (Go raises the soft limit
// to the hard one at start) less a reserve.
func defaultMaxConns() int {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil || rl.Cur == 0 || rl.Cur > 1<<24 {
		return 16384
	}
	limit := int(rl.Cur)
	return max(limit-max(limit/8, 512), 64)
}

// Guard wraps a tracker listener: accept errors (running out of file
// descriptors, say) are retried with a back-off instead of ending the
// server, and connections beyond the limits are closed at once, before a
// byte is read. It counts the connections it refused.
func (t *Tracker) Guard(ln net.Listener) net.Listener {
	return &guardedListener{Listener: ln, t: t, limits: t.cfg.Conns, perAddr: map[netip.Prefix]int{}}
}

type guardedListener struct {
	net.Listener
	t      *Tracker
	limits ConnLimits

	mu      sync.Mutex
	open    int
	perAddr map[netip.Prefix]int
}

// acceptBackoff bounds the pause after a failed accept.
const (
	minAcceptBackoff = 5 * time.Millisecond
	maxAcceptBackoff = time.Second
)

// Accept returns the next connection within the limits. It returns an
// error only once the listener is closed.
func (l *guardedListener) Accept() (net.Conn, error) {
	backoff := minAcceptBackoff
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil, err
			}
			l.t.serverLog.Printf("accepting connections failed (%v); retrying in %v", unwrapSyscall(err), backoff)
			time.Sleep(backoff)
			backoff = min(2*backoff, maxAcceptBackoff)
			continue
		}
		backoff = minAcceptBackoff
		key := connKey(c.RemoteAddr())
		if !l.admit(key) {
			l.t.connsRefused.Add(1)
			c.Close()
			continue
		}
		return &guardedConn{Conn: c, l: l, key: key}, nil
	}
}

// admit takes a place for a connection from key, if the limits allow.
func (l *guardedListener) admit(key netip.Prefix) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open >= l.limits.Max || l.perAddr[key] >= l.limits.PerAddr {
		return false
	}
	l.open++
	l.perAddr[key]++
	return true
}

func (l *guardedListener) release(key netip.Prefix) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
	if l.perAddr[key]--; l.perAddr[key] <= 0 {
		delete(l.perAddr, key)
	}
}

// guardedConn gives its place back when it is closed, once.
type guardedConn struct {
	net.Conn
	l      *guardedListener
	key    netip.Prefix
	closed atomic.Bool
}

func (c *guardedConn) Close() error {
	if c.closed.CompareAndSwap(false, true) {
		c.l.release(c.key)
	}
	return c.Conn.Close()
}

// connKey is what the per-address limit counts by: an IPv4 address, or
// an IPv6 address's /64.
func connKey(a net.Addr) netip.Prefix {
	var ip netip.Addr
	if tcp, ok := a.(*net.TCPAddr); ok {
		ip, _ = netip.AddrFromSlice(tcp.IP)
		ip = ip.Unmap()
	} else {
		ip = remoteAddr(a.String())
	}
	bits := 32
	if ip.Is6() {
		bits = 64
	}
	p, _ := ip.Prefix(bits)
	return p
}

func unwrapSyscall(err error) error {
	var se *net.OpError
	if errors.As(err, &se) && se.Err != nil {
		return se.Err
	}
	return err
}

// limitedLog writes fasthttp's and the listeners' lines to slog at most
// once per second; the lines dropped meanwhile are counted in the next.
// fasthttp runs with SecureErrorLogMessage, so no line quotes a request.
type limitedLog struct {
	logger  *slog.Logger
	mu      sync.Mutex
	last    time.Time
	dropped int
}

func (l *limitedLog) Printf(format string, args ...any) {
	l.mu.Lock()
	now := time.Now()
	if now.Sub(l.last) < time.Second {
		l.dropped++
		l.mu.Unlock()
		return
	}
	dropped := l.dropped
	l.last, l.dropped = now, 0
	l.mu.Unlock()
	l.logger.Warn("tracker server", "line", fmt.Sprintf(format, args...), "similar_lines_dropped", dropped)
}
