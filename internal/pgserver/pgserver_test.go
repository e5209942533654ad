package pgserver

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
)

func clusterDir(t *testing.T) string {
	t.Helper()
	base, err := os.MkdirTemp("", "djembe-pgserver-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(base, 0o755) // reachable by user postgres when we are root
	t.Cleanup(func() { os.RemoveAll(base) })
	return filepath.Join(base, "pg")
}

func mustStart(t *testing.T, dir string) *Server {
	t.Helper()
	s, err := Start(context.Background(), Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	return s
}

func ping(t *testing.T, s *Server) {
	t.Helper()
	c, err := pgx.Connect(context.Background(), s.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	var one int
	if err := c.QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1: %v", err)
	}
}

func TestStartInitialisesThenRestarts(t *testing.T) {
	dir := clusterDir(t)
	s := mustStart(t, dir)
	ping(t, s)
	if err := s.EnsureDatabase(context.Background(), "djembe"); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "postmaster.pid")); err == nil {
		t.Fatal("a clean stop left postmaster.pid")
	}
	s2 := mustStart(t, dir) // same cluster, same password
	ping(t, s2)
}

func TestStaleLockFromACrashIsRecovered(t *testing.T) {
	dir := clusterDir(t)
	s := mustStart(t, dir)
	// Crash: the postmaster dies without cleaning up its lock file.
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
	if _, err := os.Stat(filepath.Join(dir, "postmaster.pid")); err != nil {
		t.Fatalf("expected a stale postmaster.pid after SIGKILL: %v", err)
	}
	ping(t, mustStart(t, dir))
}

func TestServerLeftRunningByACrashedOwnerIsStopped(t *testing.T) {
	dir := clusterDir(t)
	orphan := mustStart(t, dir)
	pid := orphan.cmd.Process.Pid
	// The owner "crashed" without stopping it: a new owner must take over.
	s := mustStart(t, dir)
	ping(t, s)
	if processAlive(pid) {
		t.Fatalf("the orphaned server (pid %d) still runs", pid)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if got, _ := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0]); got != s.cmd.Process.Pid {
		t.Fatalf("postmaster.pid names %d, want the new server %d", got, s.cmd.Process.Pid)
	}
}

func TestNonEmptyDirectoryWithoutClusterIsRefused(t *testing.T) {
	dir := clusterDir(t)
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, "stray"), []byte("x"), 0o600)
	_, err := Start(context.Background(), Config{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "holds no PostgreSQL cluster") {
		t.Fatalf("Start on a stray directory: %v", err)
	}
}

func TestUnreachableDirectoryIsExplained(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root hands the server to user postgres")
	}
	base := t.TempDir() // mode 0700: user postgres cannot enter it
	_, err := Start(context.Background(), Config{Dir: filepath.Join(base, "pg")})
	if err == nil || !strings.Contains(err.Error(), "cannot enter") {
		t.Fatalf("Start under a 0700 directory: %v", err)
	}
}

func TestRelativeDirectory(t *testing.T) {
	dir := clusterDir(t)
	t.Chdir(filepath.Dir(dir))
	ping(t, mustStart(t, "pg"))
}
