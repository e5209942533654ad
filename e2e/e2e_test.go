package e2e

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	// fileSize is the size of the file alice seeds and the others download.
	fileSize = 8 << 20
	// creditTolerance is how far credited bytes may be from fileSize (2%),
	// for each copy of the file transferred.
	creditTolerance = fileSize / 50
	// testBudget bounds the whole test, from build to serve's exit.
	testBudget = 170 * time.Second
)

// TestRealClientsCredited is the whole user story on one machine: an operator
// starts `djembe serve`, registers alice, bob, carol and dave and a torrent
// alice uploads; alice seeds it with libtorrent; through the tracker on
// 127.0.0.1, bob downloads it with aria2, then carol and dave one after the
// other with rtorrent (which keeps one peer per address, so each finds alice
// alone). Every copy arrives intact; the tracker counts each downloader's
// snatch (the scrape's `downloaded`), although rtorrent never sends
// `completed` in time: carol's rtorrent says left=0 in a regular announce,
// dave's only in `stopped`. `djembe user show` then credits alice's upload
// with three times the file's size and each download with its size, within
// 2% a copy, and shows one snatch for each downloader and none for alice.
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
	if got := d.scrape(alice.Passkey, infoHash).downloaded; got != 1 {
		t.Errorf("after bob's aria2 the scrape says downloaded=%d, want 1 (bob's snatch)", got)
	}

	// carol: once complete, the announce d.tracker_announce asks for says
	// left=0 without an event; dave: stopped at once, says left=0 only in
	// `stopped`. Either is the snatch.
	w.rtorrentSnatch(t, d, "carol", infoHash, original, true, b)
	w.rtorrentSnatch(t, d, "dave", infoHash, original, false, b)

	t.Logf("alice's libtorrent stopped: %v", seeder.stop()["stopped"])

	waitForCredit(t, d, []wantCredit{
		{name: "alice", uploaded: 3 * fileSize},
		{name: "bob", downloaded: fileSize, snatches: 1},
		{name: "carol", downloaded: fileSize, snatches: 1},
		{name: "dave", downloaded: fileSize, snatches: 1},
	}, b.cap(30*time.Second))

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
	rt               []*rtorrent
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
	for _, r := range w.rt {
		t.Logf("%s's rtorrent announces:\n%s", r.name, strings.Join(r.announces(), "\n"))
		t.Logf("%s", r.logs())
	}
}

// rtorrentSnatch registers user name, has it download the torrent with
// rtorrent from alice's seeder, and waits until the tracker counts its
// snatch: the scrape's `downloaded` grows by one. With announce, rtorrent
// is asked to announce once complete (it says left=0, with no event: its
// `completed` waits for its next regular announce, ten minutes on); then,
// or at once without announce, it is shut down (it sends `stopped`, with
// left=0). Waiting for the download to be complete and running again after
// rtorrent's hash check on completion, and for rtorrent to exit after its
// `stopped`, makes the outcome not depend on timing.
func (w *workspace) rtorrentSnatch(t *testing.T, d *djembe, name, infoHash, original string, announce bool, b budget) {
	t.Helper()
	user := d.addUser(name)
	torrent := filepath.Join(w.root, name+".torrent")
	d.getTorrent(infoHash, name, torrent)
	before := d.scrape(user.Passkey, infoHash).downloaded
	dir := filepath.Join(w.root, name)
	r := startRtorrent(t, name, torrent, infoHash, filepath.Join(w.root, name+"-rtorrent"), dir, w.logs, b.cap(20*time.Second))
	w.rt = append(w.rt, r)
	r.waitComplete(original, filepath.Join(dir, filepath.Base(original)), b.cap(60*time.Second))
	snatched := func() bool { return d.scrape(user.Passkey, infoHash).downloaded > before }
	if announce {
		r.announceUntil(fmt.Sprintf("its snatch (scrape downloaded > %d)", before), snatched, b.cap(20*time.Second))
	}
	r.shutdown(b.cap(20 * time.Second))
	sent := strings.Join(r.announces(), "\n")
	deadline := time.Now().Add(b.cap(10 * time.Second))
	for !snatched() {
		if time.Now().After(deadline) {
			t.Fatalf("the tracker counted no snatch for %s (scrape downloaded still %d); rtorrent sent:\n%s\n%s",
				name, before, sent, r.logs())
		}
		time.Sleep(250 * time.Millisecond)
	}
	if got := d.scrape(user.Passkey, infoHash).downloaded; got != before+1 {
		t.Errorf("after %s's rtorrent the scrape says downloaded=%d, want %d", name, got, before+1)
	}
	t.Logf("%s's rtorrent sent:\n%s", name, sent)
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

// wantCredit is what `djembe user show` should say of a user in the end.
type wantCredit struct {
	name                 string
	uploaded, downloaded int64
	snatches             int
}

// waitForCredit polls `djembe user show` until every user's credited upload
// and download are as wanted within 2% a copy, and the snatches exactly so.
func waitForCredit(t *testing.T, d *djembe, want []wantCredit, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		var off, shown []string
		for _, w := range want {
			got := d.showUser(w.name)
			if !near(got.Uploaded, w.uploaded) || !near(got.Downloaded, w.downloaded) || got.Snatches != w.snatches {
				off = append(off, fmt.Sprintf("%s: want uploaded %d, downloaded %d, snatches %d; got %s",
					w.name, w.uploaded, w.downloaded, w.snatches, got.raw))
			}
			shown = append(shown, fmt.Sprintf("%s uploaded %d, downloaded %d, snatches %d",
				w.name, got.Uploaded, got.Downloaded, got.Snatches))
		}
		if len(off) == 0 {
			t.Logf("credited (file %d bytes): %s", fileSize, strings.Join(shown, "; "))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("credit not as wanted after %s (2%% of %d bytes a copy):\n%s", limit, fileSize, strings.Join(off, "\n"))
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// near reports whether got is want within creditTolerance for each copy of
// the file in want (at least one).
func near(got, want int64) bool {
	tolerance := int64(creditTolerance) * max(1, want/fileSize)
	diff := got - want
	return diff >= -tolerance && diff <= tolerance
}
