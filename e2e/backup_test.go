package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// backupFileSize is the size of the data alice backs up.
const backupFileSize = 4 << 20

// TestBackupRedundancyWithRealClients is the Backup plugin's story with
// real clients through the tracker: alice creates a backup wanting two
// copies and adds a version (`djembe backup add-version`, which registers
// her .torrent with the site's source tag, so she seeds her personal
// .torrent); her libtorrent seeds it, alone it is at risk. bob (aria2)
// and carol (libtorrent) download it through their personal .torrents and
// keep seeding: the version has two copies and is healthy, out of the
// queue; each downloader's backup credit rose by exactly the version's
// size, alice's by nothing, and neither downloader's site ratio was
// charged (the torrent is neutral). Then the clients stop one by one, each
// announcing `stopped`: bob's, and the version is under-replicated and in
// the queue; carol's, and with alice's alone it is at risk; alice's, and it
// is lost; carol's libtorrent seeding her complete copy again, and it is at
// risk again.
func TestBackupRedundancyWithRealClients(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end with real clients: not in -short mode")
	}
	requirePackages(t)
	b := newBudget(t, testBudget)
	w := newWorkspace(t)
	d := startServe(t, buildDjembe(t, w.root, b.cap(2*time.Minute)), w.data, w.logs, b)
	t.Cleanup(func() { w.dumpLogsOnFailure(t, d) })
	for _, name := range []string{"alice", "bob", "carol"} {
		d.addUser(name)
	}

	var created struct {
		ID string `json:"id"`
	}
	d.runJSON(&created, "backup", "create", "--user", "alice", "--name", "Photos", "--redundancy", "2")
	original := w.randomFile(t, filepath.Join(w.aliceDir, "photos.tar"), backupFileSize)
	made := filepath.Join(w.root, "made.torrent")
	madeHash := createTorrent(t, original, made, "")
	var added struct {
		InfoHash string `json:"info_hash"`
		Number   int    `json:"number"`
		Size     int64  `json:"size"`
		Title    string `json:"title"`
	}
	d.runJSON(&added, "backup", "add-version", "--backup", created.ID, "--user", "alice", made, "--message", "first")
	if added.Number != 1 || added.Size != backupFileSize || added.Title != "Photos – version 1" || added.InfoHash == madeHash {
		t.Fatalf("backup add-version printed %+v; want version 1 of %d bytes, its info hash not %s (the source tag changes it)",
			added, backupFileSize, madeHash)
	}
	v := &versionWatch{d: d, backup: created.ID, hash: added.InfoHash}
	torrents := map[string]string{}
	for _, name := range []string{"alice", "bob", "carol"} {
		torrents[name] = filepath.Join(w.root, name+".torrent")
		d.getTorrent(added.InfoHash, name, torrents[name])
	}

	alice := startLibtorrent(t, "alice", torrents["alice"], w.aliceDir, w.logs, true)
	w.lt = alice
	v.wait("at risk", 0, true, b.cap(30*time.Second))

	for _, name := range []string{"bob", "carol"} {
		checkBackupStanding(t, d, name, 0, 0)
	}
	carolDir := filepath.Join(w.root, "carol")
	bob := startAria2(t, "bob", torrents["bob"], w.bobDir, w.logs)
	w.aria = bob
	carol := startLibtorrent(t, "carol", torrents["carol"], carolDir, w.logs, false)
	t.Cleanup(func() { dumpLibtorrentOnFailure(t, carol) })
	waitForCopies(t, alice, original, map[string]func() bool{
		filepath.Join(w.bobDir, "photos.tar"): bob.proc.running,
		filepath.Join(carolDir, "photos.tar"): carol.proc.running,
	}, b.cap(90*time.Second))

	v.wait("healthy", 2, true, b.cap(30*time.Second))
	v.inQueue(false)
	waitForBackupCredit(t, d, map[string]int64{"bob": backupFileSize, "carol": backupFileSize}, b.cap(30*time.Second))
	checkBackupStanding(t, d, "alice", 0, 2*backupFileSize)
	for _, name := range []string{"bob", "carol"} {
		if got := d.showUser(name); got.Downloaded != 0 {
			t.Errorf("%s's site download is %d after downloading a backup version; want 0 (backups are neutral): %s", name, got.Downloaded, got.raw)
		}
	}

	if code := bob.stop(b.cap(20 * time.Second)); code != 0 {
		t.Errorf("bob's aria2 exited %d after SIGINT (want 0)", code)
	}
	v.wait("under-replicated", 1, true, b.cap(30*time.Second))
	v.inQueue(true)

	t.Logf("carol's libtorrent stopped: %v", carol.stop()["stopped"])
	v.wait("at risk", 0, true, b.cap(30*time.Second))
	v.inQueue(true)

	t.Logf("alice's libtorrent stopped: %v", alice.stop()["stopped"])
	v.wait("lost", 0, false, b.cap(30*time.Second))

	again := startLibtorrent(t, "carol-again", torrents["carol"], carolDir, w.logs, true)
	t.Cleanup(func() { dumpLibtorrentOnFailure(t, again) })
	v.wait("at risk", 1, false, b.cap(30*time.Second))
	v.inQueue(true)
	again.stop()
	// Credit is what was downloaded: nothing more came of seeding.
	waitForBackupCredit(t, d, map[string]int64{"bob": backupFileSize, "carol": backupFileSize}, b.cap(10*time.Second))
	checkBackupStanding(t, d, "alice", 0, 2*backupFileSize)

	if code := d.stop(b.cap(60 * time.Second)); code != 0 {
		t.Errorf("djembe serve exited %d after SIGINT, want 0:\n%s", code, tail(d.logPath, 30))
	}
}

// backupVersion is a version as `djembe backup show` prints it.
type backupVersion struct {
	InfoHash     string `json:"info_hash"`
	Copies       int    `json:"copies"`
	OwnerSeeding bool   `json:"owner_seeding"`
	State        string `json:"state"`
	Deficit      int    `json:"deficit"`
}

// versionWatch reads one version of a backup through the CLI.
type versionWatch struct {
	d            *djembe
	backup, hash string
}

// get is the version as `djembe backup show` prints it now.
func (v *versionWatch) get() backupVersion {
	v.d.t.Helper()
	var b struct {
		Versions []backupVersion `json:"versions"`
	}
	v.d.runJSON(&b, "backup", "show", v.backup)
	for _, x := range b.Versions {
		if x.InfoHash == v.hash {
			return x
		}
	}
	v.d.t.Fatalf("backup show %s lists no version %s: %+v", v.backup, v.hash, b.Versions)
	return backupVersion{}
}

// wait polls until the version is in state with copies other users'
// copies and its owner seeding or not, failing after limit.
func (v *versionWatch) wait(state string, copies int, ownerSeeding bool, limit time.Duration) {
	v.d.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		got := v.get()
		if got.State == state && got.Copies == copies && got.OwnerSeeding == ownerSeeding {
			v.d.t.Logf("version %s: %s, %d copies, owner seeding %v, deficit %d", v.hash[:8], got.State, got.Copies, got.OwnerSeeding, got.Deficit)
			return
		}
		if time.Now().After(deadline) {
			v.d.t.Fatalf("version %s not %s with %d copies (owner seeding %v) within %s: %+v",
				v.hash, state, copies, ownerSeeding, limit, got)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// inQueue checks whether the version is listed in `djembe backup queue`.
func (v *versionWatch) inQueue(want bool) {
	v.d.t.Helper()
	var q struct {
		Total    int             `json:"total"`
		Versions []backupVersion `json:"versions"`
	}
	v.d.runJSON(&q, "backup", "queue")
	listed := slices.ContainsFunc(q.Versions, func(x backupVersion) bool { return x.InfoHash == v.hash })
	if listed != want {
		v.d.t.Errorf("version %s in the queue: %v, want %v (queue: %+v)", v.hash, listed, want, q)
	}
}

// backupStanding is what `djembe backup standing` prints.
type backupStanding struct {
	Credit     int64 `json:"credit"`
	Obligation int64 `json:"obligation"`
}

func (d *djembe) backupStanding(name string) backupStanding {
	d.t.Helper()
	var s backupStanding
	d.runJSON(&s, "backup", "standing", name)
	return s
}

// checkBackupStanding checks a user's backup credit and obligation now.
func checkBackupStanding(t *testing.T, d *djembe, name string, credit, obligation int64) {
	t.Helper()
	if got := d.backupStanding(name); got.Credit != credit || got.Obligation != obligation {
		t.Errorf("%s's backup standing: %+v, want credit %d and obligation %d", name, got, credit, obligation)
	}
}

// waitForBackupCredit polls until each user's backup credit is exactly as
// wanted, failing at once if one is more, or after limit.
func waitForBackupCredit(t *testing.T, d *djembe, want map[string]int64, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		var off []string
		for name, credit := range want {
			got := d.backupStanding(name).Credit
			if got > credit {
				t.Fatalf("%s's backup credit is %d, more than the %d bytes downloaded", name, got, credit)
			}
			if got != credit {
				off = append(off, fmt.Sprintf("%s: %d, want %d", name, got, credit))
			}
		}
		if len(off) == 0 {
			t.Logf("backup credit as wanted: %v", want)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("backup credit not as wanted within %s: %v", limit, off)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// waitForCopies polls until every copy (its path and whether its client
// still runs) has the original's content, asking the seeder to announce
// now and then so it learns the leechers.
func waitForCopies(t *testing.T, seeder *ltClient, original string, copies map[string]func() bool, limit time.Duration) {
	t.Helper()
	want := fileSHA256(t, original)
	deadline := time.Now().Add(limit)
	nextAnnounce := time.Now().Add(2 * time.Second)
	for {
		done := 0
		for path, running := range copies {
			if bytes.Equal(fileSHA256(t, path), want) {
				done++
			} else if !running() {
				t.Fatalf("the client downloading %s exited before its copy was complete", path)
			}
		}
		if done == len(copies) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d copies complete after %s; the seeder: %v", done, len(copies), limit, seeder.command("status", 10*time.Second))
		}
		if time.Now().After(nextAnnounce) {
			seeder.reannounce()
			nextAnnounce = time.Now().Add(10 * time.Second)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// dumpLibtorrentOnFailure attaches a libtorrent client's logs to a failed test.
func dumpLibtorrentOnFailure(t *testing.T, c *ltClient) {
	if !t.Failed() {
		return
	}
	t.Logf("%s's libtorrent log (%s):\n%s", c.name, c.logPath, tail(c.logPath, 60))
	if b, err := os.ReadFile(c.logPath + ".stderr"); err == nil && len(b) > 0 {
		t.Logf("%s's libtorrent stderr:\n%s", c.name, tail(c.logPath+".stderr", 20))
	}
}
