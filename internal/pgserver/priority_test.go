package pgserver

import (
	"context"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
)

// A lowered backend runs at BackgroundNice, in an autogroup at
// BackgroundNice too; another connection's backend keeps its priority.
func TestLowerPriorityOnlyTouchesThatBackend(t *testing.T) {
	s := mustStart(t, clusterDir(t))
	low, other := connectBackend(t, s), connectBackend(t, s)
	if err := LowerPriority(low.conn); err != nil {
		t.Fatal(err)
	}
	if n, err := processNice(low.pid); err != nil || n != BackgroundNice {
		t.Fatalf("lowered backend: nice %d, %v; want %d", n, err, BackgroundNice)
	}
	if b, err := os.ReadFile("/proc/" + strconv.Itoa(low.pid) + "/autogroup"); err == nil {
		if !strings.HasSuffix(strings.TrimSpace(string(b)), "nice "+strconv.Itoa(BackgroundNice)) {
			t.Fatalf("lowered backend's autogroup: %q", b)
		}
	}
	if n, err := processNice(other.pid); err != nil || n == BackgroundNice {
		t.Fatalf("other backend: nice %d, %v; want it untouched", n, err)
	}
}

type backend struct {
	conn *pgx.Conn
	pid  int
}

func connectBackend(t *testing.T, s *Server) backend {
	t.Helper()
	c, err := pgx.Connect(context.Background(), s.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return backend{conn: c, pid: int(c.PgConn().PID())}
}

// processNice is the nice value of pid (for tests).
func processNice(pid int) (int, error) {
	// getpriority(2) returns 20 - nice; the syscall package passes that raw.
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, pid)
	if err != nil {
		return 0, err
	}
	return 20 - p, nil
}
