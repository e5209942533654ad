package peerkeys

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
)

var t0 = time.Date(2025, 3, 1, 12, 30, 0, 0, time.UTC)

func mustSeal(t *testing.T, r *Ring, now time.Time) (uint32, []byte) {
	t.Helper()
	id, key, err := r.Seal(now)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != KeySize {
		t.Fatalf("a key of %d bytes", len(key))
	}
	return id, key
}

// A key per hour, one file each (0600 in a 0700 directory, named after
// its hour), the same for every ring on the directory.
func TestOneKeyPerHourSharedByTheDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "peer-keys")
	r := mustOpen(t, dir)
	id, key := mustSeal(t, r, t0)
	if id2, key2 := mustSeal(t, r, t0.Add(29*time.Minute)); id2 != id || !bytes.Equal(key2, key) {
		t.Error("two keys within one hour")
	}
	next, nextKey := mustSeal(t, r, t0.Add(30*time.Minute))
	if next != id+1 || bytes.Equal(nextKey, key) {
		t.Errorf("the next hour has id %d (after %d) and the same key: %v", next, id, bytes.Equal(nextKey, key))
	}
	if Start(id) != t0.Truncate(time.Hour) || ID(Start(id)) != id {
		t.Errorf("Start(%d) = %v", id, Start(id))
	}
	info, err := os.Stat(dir)
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("directory: %v, %v", info.Mode(), err)
	}
	info, err = os.Stat(filepath.Join(dir, "2025-03-01T12Z.key"))
	if err != nil || info.Mode().Perm() != 0o600 || info.Size() != KeySize {
		t.Fatalf("key file: %v, %v", info, err)
	}
	other := mustOpen(t, dir) // another process on the directory
	if k, ok := other.Key(id, t0); !ok || !bytes.Equal(k, key) {
		t.Error("another ring on the directory does not read the key")
	}
	if _, k := mustSeal(t, other, t0); !bytes.Equal(k, key) {
		t.Error("another ring on the directory seals with another key")
	}
	if _, ok := other.Key(id+5, t0); ok {
		t.Error("a key never made was found")
	}
}

// Rings racing to make the same hour's key all get the one that was
// linked first.
func TestConcurrentMakersAgree(t *testing.T) {
	dir := t.TempDir()
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		r := mustOpen(t, dir)
		wg.Go(func() {
			_, key, err := r.Seal(t0)
			if err != nil {
				t.Error(err)
			}
			keys[i] = key
		})
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if !bytes.Equal(k, keys[0]) {
			t.Fatal("two rings on one directory made different keys for one hour")
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files left, want the key alone", len(entries))
	}
}

// A key is refused once the retention after its hour has passed, even
// while its file exists; Expire removes the file; newer keys stay.
func TestKeysAreDestroyedAfterRetention(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir, 3*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := mustSeal(t, r, t0)
	newer, _ := mustSeal(t, r, t0.Add(time.Hour))
	end := Start(old).Add(Period + 3*time.Hour) // 16:00
	if _, ok := r.Key(old, end.Add(-time.Nanosecond)); !ok {
		t.Error("a key was refused before the end of its retention")
	}
	if _, ok := r.Key(old, end); ok {
		t.Error("a key past retention was given")
	}
	if err := r.Expire(end); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, name(old))); !os.IsNotExist(err) {
		t.Errorf("the expired key's file is still there: %v", err)
	}
	if _, ok := mustOpen(t, dir).Key(newer, end); !ok {
		t.Error("a key within retention was destroyed")
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o600)
	if err := r.Expire(end.Add(10 * time.Hour)); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 || entries[0].Name() != "notes.txt" {
		t.Errorf("after every key expired the directory holds %v", entries)
	}
}

func TestOpenRefusesAShortRetentionAndClosesTheDirectory(t *testing.T) {
	if _, err := Open(t.TempDir(), time.Hour); err == nil {
		t.Error("a retention of one period was accepted")
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	mustOpen(t, dir)
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Errorf("the directory is %v", info.Mode().Perm())
	}
	os.WriteFile(filepath.Join(dir, name(ID(t0))), []byte("short"), 0o600)
	if _, _, err := mustOpen(t, dir).Seal(t0); err == nil {
		t.Error("a key file of the wrong size was used")
	}
}

func TestMemoryRing(t *testing.T) {
	forever := Memory(0)
	id, key := mustSeal(t, forever, t0)
	forever.Expire(t0.Add(1000 * time.Hour))
	if k, ok := forever.Key(id, t0.Add(1000*time.Hour)); !ok || !bytes.Equal(k, key) {
		t.Error("a ring without retention lost a key")
	}
	short := Memory(2 * time.Hour)
	id, _ = mustSeal(t, short, t0)
	short.Expire(t0.Add(3 * time.Hour))
	if _, ok := short.Key(id, t0); ok {
		t.Error("an expired memory key is still kept")
	}
}

// The ring's seal and open helpers round-trip addresses.
func TestSealAndOpenAddrs(t *testing.T) {
	r := Memory(DefaultRetention)
	addrs := []domain.PeerAddr{{Port: 1}, {Port: 2}}
	s, err := r.SealAddrs(t0, addrs)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := r.OpenAddrs(s, 2, t0.Add(time.Hour)); !ok || len(got) != 2 || got[1].Port != 2 {
		t.Errorf("OpenAddrs: %v %v", got, ok)
	}
	if _, ok := r.OpenAddrs(s, 2, t0.Add(DefaultRetention+time.Hour)); ok {
		t.Error("addresses opened past retention")
	}
	if again, _ := r.SealAddrs(t0, addrs); bytes.Equal(again.Box, s.Box) {
		t.Error("two seals gave the same box: the nonce is not fresh")
	}
}

func TestKeysFitTheCipher(t *testing.T) {
	if KeySize != domain.AddrKeySize {
		t.Fatalf("keys of %d bytes, the cipher takes %d", KeySize, domain.AddrKeySize)
	}
}

func TestRetention(t *testing.T) {
	for _, tc := range []struct{ interval, want time.Duration }{
		{0, DefaultRetention}, {30 * time.Minute, DefaultRetention}, {30 * time.Hour, 62 * time.Hour},
	} {
		if got := Retention(tc.interval); got != tc.want {
			t.Errorf("Retention(%v) = %v, want %v", tc.interval, got, tc.want)
		}
	}
	if InDataDir("") != filepath.Join("data", Dir) || InDataDir("/srv/d") != "/srv/d/peer-keys" {
		t.Error("InDataDir")
	}
}

func TestNames(t *testing.T) {
	for _, s := range []string{"2025-03-01T12Z.key", "1970-01-01T00Z.key"} {
		if id, ok := parseName(s); !ok || name(id) != s {
			t.Errorf("%s: %d %v", s, id, ok)
		}
	}
	for _, s := range []string{"2025-03-01T12Z", "2025-3-01T12Z.key", "notes.key", ".new-key-1", "1969-12-31T23Z.key"} {
		if _, ok := parseName(s); ok {
			t.Errorf("%s was read as a key's name", s)
		}
	}
}

func mustOpen(t *testing.T, dir string) *Ring {
	t.Helper()
	r, err := Open(dir, DefaultRetention)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
