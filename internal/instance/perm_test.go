package instance

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// A new data directory is 0700 and its lock 0600; an existing directory
// and lock that others could read or enter are narrowed.
func TestDataDirectoryAndLockAreTheOwnersOnly(t *testing.T) {
	fresh := filepath.Join(t.TempDir(), "data")
	if err := CheckWritable(fresh); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, fresh); m != 0o700 {
		t.Errorf("new data directory mode %o, want 700", m)
	}
	release, locked, err := lock(fresh)
	if err != nil || !locked {
		t.Fatalf("lock: %v %v", locked, err)
	}
	release()
	if m := mode(t, filepath.Join(fresh, "djembe.lock")); m != 0o600 {
		t.Errorf("new lock file mode %o, want 600", m)
	}

	old := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(old, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(old, 0o755) // whatever the umask
	if err := os.WriteFile(filepath.Join(old, "djembe.lock"), []byte("1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Join(old, "djembe.lock"), 0o666)
	if err := CheckWritable(old); err != nil {
		t.Fatal(err)
	}
	if release, _, err = lock(old); err != nil {
		t.Fatal(err)
	}
	release()
	if m := mode(t, old); m != 0o700 {
		t.Errorf("existing data directory narrowed to %o, want 700", m)
	}
	if m := mode(t, filepath.Join(old, "djembe.lock")); m != 0o600 {
		t.Errorf("existing lock file narrowed to %o, want 600", m)
	}
}

// With the servers started (PostgreSQL as user postgres when we are root),
// another local user can neither enter the data directory nor open its lock.
func TestAnotherUserCannotTakeTheLock(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to act as another user")
	}
	base, err := os.MkdirTemp("", "djembe-perm-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(base, 0o755) // reachable by user postgres
	t.Cleanup(func() { os.RemoveAll(base) })
	dir := filepath.Join(base, "data")
	inst, err := Open(context.Background(), Config{DataDir: dir}, Serve)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	if m := mode(t, dir); m&0o067 != 0 {
		t.Errorf("data directory mode %o grants more than its group's traversal", m)
	}
	cmd := exec.Command("/bin/sh", "-c", "exec 3>>"+filepath.Join(dir, "djembe.lock"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("user 65534 opened the lock file for writing: %s", out)
	}
}
