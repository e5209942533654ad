package e2e

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"
	"time"
)

const (
	// fileSize is the size of the file alice seeds and bob downloads.
	fileSize = 8 << 20
	// creditTolerance is how far credited bytes may be from fileSize (2%).
	creditTolerance = fileSize / 50
	// testBudget bounds the whole test, from build to serve's exit.
	testBudget = 170 * time.Second
)

// TestRealClientsCredited is the whole user story on one machine: an operator
// starts `djembe serve`, registers alice and bob and a torrent alice uploads;
// alice seeds it with libtorrent, bob downloads it with aria2 through the
// tracker on 127.0.0.1; the file arrives intact, and `djembe user show`
// credits alice's upload and bob's download with the file's size within 2%.
// Serve then stops on SIGINT, exiting 0 and leaving no PostgreSQL behind.
func TestRealClientsCredited(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end with real clients: not in -short mode")
	}
	requirePackages(t)
	b := newBudget(t, testBudget)
	w := newWorkspace(t)
	d := startServe(t, buildDjembe(t, w.root, b.cap(2*time.Minute)), w.data, w.logs, b)
	t.Cleanup(func() { w.dumpLogsOnFailure(t, d) })

	alice, bob := d.addUser("alice"), d.addUser("bob")
	t.Logf("users: alice (passkey %s…), bob (passkey %s…)", alice.Passkey[:6], bob.Passkey[:6])

	original := w.randomFile(t, filepath.Join(w.aliceDir, "music.bin"), fileSize)
	uploaded := filepath.Join(w.root, "upload.torrent")
	createTorrent(t, original, uploaded, "")
	infoHash := d.addTorrent(uploaded, "alice")
	aliceTorrent, bobTorrent := filepath.Join(w.root, "alice.torrent"), filepath.Join(w.root, "bob.torrent")
	d.getTorrent(infoHash, "alice", aliceTorrent)
	d.getTorrent(infoHash, "bob", bobTorrent)

	seeder := startLibtorrent(t, "alice", aliceTorrent, w.aliceDir, w.logs, true)
	w.lt = seeder
	leecher := startAria2(t, "bob", bobTorrent, w.bobDir, w.logs)
	w.aria = leecher
	transferred := waitForCopy(t, seeder, leecher, original, filepath.Join(w.bobDir, "music.bin"), b.cap(120*time.Second))
	t.Logf("bob's copy matches (sha256 %x)", transferred)

	if code := leecher.stop(b.cap(20 * time.Second)); code != 0 {
		t.Errorf("aria2 exited %d after SIGINT (want 0)", code)
	}
	t.Logf("alice's libtorrent stopped: %v", seeder.stop()["stopped"])

	waitForCredit(t, d, b.cap(30*time.Second))

	if code := d.stop(b.cap(60 * time.Second)); code != 0 {
		t.Errorf("djembe serve exited %d after SIGINT, want 0:\n%s", code, tail(d.logPath, 30))
	}
	if pids := postmastersOn(w.data); len(pids) > 0 {
		t.Errorf("postgres still running on %s after serve exited: pids %v", w.data, pids)
	}
}

// workspace is the test's directories: everything under one 0755 temporary
// directory (PostgreSQL may run as user postgres and must reach its data).
// It is removed at the end unless the test failed or DJEMBE_E2E_KEEP is set.
type workspace struct {
	root, data, logs string
	aliceDir, bobDir string
	lt               *ltClient // for the failure dump
	aria             *aria2
}

func newWorkspace(t *testing.T) *workspace {
	t.Helper()
	root, err := os.MkdirTemp("", "djembe-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	w := &workspace{root: root, data: filepath.Join(root, "data"), logs: filepath.Join(root, "logs"),
		aliceDir: filepath.Join(root, "alice"), bobDir: filepath.Join(root, "bob")}
	for _, dir := range []string{root, w.data, w.logs, w.aliceDir, w.bobDir} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		if t.Failed() || os.Getenv("DJEMBE_E2E_KEEP") != "" {
			t.Logf("kept %s for inspection", root)
			return
		}
		os.RemoveAll(root)
	})
	return w
}

// randomFile writes size random bytes to path and returns path.
func (w *workspace) randomFile(t *testing.T, path string, size int) string {
	t.Helper()
	b := make([]byte, size)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// dumpLogsOnFailure attaches serve's and the clients' logs to a failed test.
func (w *workspace) dumpLogsOnFailure(t *testing.T, d *djembe) {
	if !t.Failed() {
		return
	}
	t.Logf("djembe serve log (%s):\n%s", d.logPath, tail(d.logPath, 80))
	if w.lt != nil {
		t.Logf("alice's libtorrent log (%s):\n%s", w.lt.logPath, tail(w.lt.logPath, 60))
		t.Logf("alice's libtorrent stderr:\n%s", tail(w.lt.logPath+".stderr", 20))
	}
	if w.aria != nil {
		t.Logf("bob's aria2 log, tracker lines (%s):\n%s", w.aria.logPath,
			grepLines(w.aria.logPath, 40, "announce", "Tracker", "tracker", "failure", "ERROR", "Download complete"))
		t.Logf("bob's aria2 log, last lines:\n%s", tail(w.aria.logPath, 30))
	}
}

// waitForCopy polls until bob's copy has the original's sha256, asking the
// seeder to re-announce now and then so it learns the leecher. It fails if
// either client exits or the copy is not complete within limit.
func waitForCopy(t *testing.T, seeder *ltClient, leecher *aria2, original, copyPath string, limit time.Duration) []byte {
	t.Helper()
	want := fileSHA256(t, original)
	deadline := time.Now().Add(limit)
	nextAnnounce := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		if !leecher.proc.running() {
			t.Fatalf("bob's aria2 exited before the download completed (%v)", leecher.proc.err)
		}
		if got := fileSHA256(t, copyPath); bytes.Equal(got, want) {
			return got
		}
		if time.Now().After(nextAnnounce) {
			seeder.reannounce()
			nextAnnounce = time.Now().Add(10 * time.Second)
		}
		time.Sleep(250 * time.Millisecond)
	}
	st := seeder.command("status", 10*time.Second)
	t.Fatalf("bob's copy %s is not the original after %s; alice's libtorrent: %v", copyPath, limit, st)
	return nil
}

// fileSHA256 is the file's sha256, or nil if it cannot be read yet.
func fileSHA256(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	sum := sha256.Sum256(b)
	return sum[:]
}

// waitForCredit polls `djembe user show` until alice's credited upload and
// bob's credited download are each the file's size within 2%.
func waitForCredit(t *testing.T, d *djembe, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	var alice, bob credit
	for {
		alice, bob = d.showUser("alice"), d.showUser("bob")
		if near(alice.Uploaded, fileSize) && near(bob.Downloaded, fileSize) {
			t.Logf("credited: alice uploaded %d, bob downloaded %d (file %d bytes)", alice.Uploaded, bob.Downloaded, fileSize)
			return
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("credit not within 2%% of %d bytes after %s: alice uploaded %d, bob downloaded %d\nalice: %s\nbob: %s",
		fileSize, limit, alice.Uploaded, bob.Downloaded, alice.raw, bob.raw)
}

// near reports whether got is want within creditTolerance.
func near(got, want int64) bool {
	diff := got - want
	return diff >= -creditTolerance && diff <= creditTolerance
}
