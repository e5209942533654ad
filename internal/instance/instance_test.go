package instance

import (
	"context"
	"os"
	"syscall"
	"testing"

	"github.com/djembe/djembe/internal/pgserver"
	"github.com/jackc/pgx/v5/pgxpool"
)

// With the embedded PostgreSQL, the Background pool's backends run at the
// lowest priority and the main pool's do not.
func TestBackgroundPoolRunsAtLowPriority(t *testing.T) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "djembe-instance-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755) // reachable by user postgres when we are root
	t.Cleanup(func() { os.RemoveAll(dir) })
	inst, err := Open(ctx, Config{DataDir: dir}, Serve)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	if !inst.Runtime.EmbeddedDB || inst.Background == inst.Pool {
		t.Fatalf("embedded %v, separate background pool %v", inst.Runtime.EmbeddedDB, inst.Background != inst.Pool)
	}
	if n := backendNice(t, inst.Background); n != pgserver.BackgroundNice {
		t.Fatalf("background backend nice %d, want %d", n, pgserver.BackgroundNice)
	}
	own, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := backendNice(t, inst.Pool); n != 20-own {
		t.Fatalf("main pool backend nice %d, want ours, %d", n, 20-own)
	}
}

func backendNice(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	c, err := pool.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, int(c.Conn().PgConn().PID()))
	if err != nil {
		t.Fatal(err)
	}
	return 20 - p
}
