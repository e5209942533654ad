package app

import (
	"bytes"
	"context"
	"encoding/hex"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anacrolix/torrent/bencode"
	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/jackc/pgx/v5"
)

// The fixture's facts (testdata/release-2026-11-29/README.md).
const (
	fixtureAlicePasskey = "b22ee954a744b0cb271778e2a4bdbe16"
	fixtureBobPasskey   = "43b77076f1242cc1ffc19593ae424595"
	fixtureTorrent      = "2229fda28f623f2729bc2e415d0e037640166d36"
)

// TestAnOldDataDirectoryOpens starts on the event log of the release
// before passkeys were derived and NATS was authenticated: the read models
// are built from it, the tracker takes the users' old passkeys, and a
// rotation moves a user to a derived passkey that works while the old one
// stops.
func TestAnOldDataDirectoryOpens(t *testing.T) {
	data := dataDir(t)
	copyDir(t, filepath.Join("testdata", "release-2026-11-29", "nats"), filepath.Join(data, "nats"))
	m := start(t, data)
	ctx := context.Background()
	alice, err := projections.ShowUser(ctx, m.Instance().Pool, m.Instance().Secret, "alice")
	if err != nil || alice.Passkey != fixtureAlicePasskey {
		t.Fatalf("alice from the old log: %+v, %v", alice, err)
	}
	if alice.Uploaded != 0 {
		t.Fatalf("alice's 1,000 bytes to nobody were credited: %+v", alice.RatioRow)
	}
	var h domain.InfoHash
	hex.Decode(h[:], []byte(fixtureTorrent))
	announce := func(passkey string) string {
		q := url.Values{"info_hash": {string(h[:])}, "peer_id": {"-TR3000-upgrade00001"}, "port": {"51413"},
			"uploaded": {"0"}, "downloaded": {"0"}, "left": {"0"}, "compact": {"1"}}
		_, b := get(t, strings.TrimSuffix(m.TrackerURL(), "/")+"/"+passkey+"/announce?"+q.Encode())
		var answer map[string]any
		if err := bencode.Unmarshal([]byte(b), &answer); err != nil {
			t.Fatalf("announce: %q: %v", b, err)
		}
		reason, _ := answer["failure reason"].(string)
		return reason
	}
	for _, pk := range []string{fixtureAlicePasskey, fixtureBobPasskey} {
		if reason := announce(pk); reason != "" {
			t.Fatalf("the old passkey %s is refused: %s", pk, reason)
		}
	}
	rotated, err := m.Commands().RotatePasskey(ctx, commands.Operator, "alice")
	if err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, "the tracker takes alice's derived passkey and refuses her old one", func() bool {
		return announce(string(rotated.Passkey)) == "" && announce(fixtureAlicePasskey) != ""
	})
	forgotten, err := m.Commands().ForgetUser(ctx, commands.Operator, "bob")
	if err != nil || !forgotten.PlainInLog {
		t.Fatalf("forgetting bob, registered in plain: %+v, %v; want PlainInLog", forgotten, err)
	}
	testenv.Eventually(t, "the tracker refuses bob", func() bool { return announce(fixtureBobPasskey) != "" })
}

// copyDir copies the tree at from to to.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o700)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// storeContains reports which of secrets occur in the bytes of the NATS
// store under data (the event log as it lies on disk).
func storeContains(t *testing.T, data string, secrets []string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(filepath.Join(data, "nats"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				found = append(found, s+" in "+path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestTheLogHoldsNoSecret registers users, rotates a passkey and
// announces, then reads the log's store on disk: no passkey (old or
// current), no name and no password hash is in it.
func TestTheLogHoldsNoSecret(t *testing.T) {
	data := dataDir(t)
	m := start(t, data)
	ctx := context.Background()
	c := m.Commands()
	var secrets []string
	for _, name := range []string{"Carol-Quux", "Dave-Quux"} {
		reg, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, name, strings.ToLower(name), string(reg.User.Passkey), reg.Password)
	}
	added, err := c.AddTorrent(ctx, commands.Operator, commands.AddTorrent{File: testenv.TorrentFile(t, "tape.flac", false), Uploader: "carol-quux"})
	if err != nil {
		t.Fatal(err)
	}
	p := newPeer(t, m, "carol-quux", added.Torrent.InfoHash, 1)
	testenv.Eventually(t, "the tracker knows carol", func() bool { return trackerAccepts(t, p) })
	rotated, err := c.RotatePasskey(ctx, commands.Operator, "carol-quux")
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, string(rotated.Passkey))
	p = newPeer(t, m, "carol-quux", added.Torrent.InfoHash, 2)
	testenv.Eventually(t, "the tracker knows carol's new passkey", func() bool { return trackerAccepts(t, p) })
	p.send("started", 0, 0, 0)
	testenv.Eventually(t, "the users read model has both password hashes", func() bool {
		rows, _ := m.Instance().Pool.Query(ctx, `SELECT password_hash FROM users.users WHERE password_hash <> ''`)
		hashes, _ := pgx.CollectRows(rows, pgx.RowTo[string])
		if len(hashes) != 2 {
			return false
		}
		secrets = append(secrets, hashes...)
		return true
	})
	if err := m.Close(); err != nil { // the store is flushed to disk
		t.Fatal(err)
	}
	if found := storeContains(t, data, secrets); len(found) > 0 {
		t.Fatalf("the log's store holds secrets:\n%s", strings.Join(found, "\n"))
	}
	if found := storeContains(t, data, []string{"tape.flac"}); len(found) == 0 {
		t.Fatal("the scan finds nothing at all: is it reading the store?")
	}
}
