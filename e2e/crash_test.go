package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeKilledLosesNothing kills `djembe serve` with SIGKILL (no chance
// to clean up) and starts it again on the same data directory: the
// PostgreSQL it started goes down with it, the next start recovers, and
// every event appended before the kill is still there.
func TestServeKilledLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts djembe serve twice: not in -short mode")
	}
	if !havePostgres() {
		t.Skip("PostgreSQL server binaries missing: apt-get install -y postgresql")
	}
	b := newBudget(t, 150*time.Second)
	w := newWorkspace(t)
	bin := buildDjembe(t, w.root, b.cap(90*time.Second))

	first := startServe(t, bin, w.data, w.logs, b)
	carol := first.addUser("carol")
	if err := first.serve.signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if exited, _ := first.serve.wait(b.cap(10 * time.Second)); !exited {
		t.Fatal("serve survived SIGKILL")
	}
	waitNoPostmaster(t, w.data, b.cap(30*time.Second))

	os.Rename(filepath.Join(w.logs, "serve.log"), filepath.Join(w.logs, "serve-killed.log"))
	second := startServe(t, bin, w.data, w.logs, b)
	shown := second.showUser("carol")
	if !strings.Contains(shown.raw, carol.Passkey) {
		t.Fatalf("after the kill carol reads %s, want passkey %s", shown.raw, carol.Passkey)
	}
	cmd := exec.Command(bin, "user", "add", "carol", "--data", w.data)
	cmd.Env = childEnv()
	out, err := cmd.CombinedOutput()
	if exitCode(err) != 2 || !strings.Contains(string(out), "taken") {
		t.Fatalf("re-adding carol after the restart: exit %d, %s", exitCode(err), out)
	}
	second.addUser("dave")
	if code := second.stop(b.cap(60 * time.Second)); code != 0 {
		t.Fatalf("serve exited %d after SIGINT:\n%s", code, tail(second.logPath, 30))
	}
}

// waitNoPostmaster waits until no postgres runs on dir: the server a killed
// serve started must go down with it (parent-death signal).
func waitNoPostmaster(t *testing.T, dir string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for len(postmastersOn(dir)) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("postgres %v still runs on %s %s after its serve was killed", postmastersOn(dir), dir, limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
