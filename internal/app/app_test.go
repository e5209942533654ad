package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/internal/testenv"
)

// dataDir is a data directory PostgreSQL can use when it runs as user postgres.
func dataDir(t *testing.T) string {
	t.Helper()
	base, err := os.MkdirTemp("", "djembe-app-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(base, 0o755)
	t.Cleanup(func() { os.RemoveAll(base) })
	return filepath.Join(base, "data")
}

// start runs a Main with every role on port 0, closed when t ends.
func start(t *testing.T, data string) *Main {
	t.Helper()
	m := New(Config{Instance: instance.Config{DataDir: data}, Web: "127.0.0.1:0", Ops: "127.0.0.1:0", Trackers: []string{"127.0.0.1:0"},
		Roles: Roles{Tracker: true, Projectors: true}, Log: io.Discard})
	if err := m.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	<-m.Ready()
	return m
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// aliceSharesATorrent registers alice, adds a torrent she uploads, and
// returns her registration, the torrent and her personal announce URL.
func aliceSharesATorrent(t *testing.T, m *Main) (commands.Registration, commands.TorrentAdded, string) {
	t.Helper()
	ctx, c := context.Background(), m.Commands()
	reg, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	added, err := c.AddTorrent(ctx, commands.Operator, commands.AddTorrent{File: testenv.TorrentFile(t, "album.flac", false), Uploader: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	body, err := c.PersonalTorrent(ctx, commands.Operator, added.Torrent.InfoHash, "alice", m.TrackerURL())
	if err != nil {
		t.Fatal(err)
	}
	mi, err := metainfo.Load(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return reg, added, mi.Announce
}

// TestMainServesEveryRole starts the whole system in-process on embedded
// servers: the web answers, the write side's changes reach the tracker and
// the read models, and Close stops everything and frees the data directory.
func TestMainServesEveryRole(t *testing.T) {
	data := dataDir(t)
	m := start(t, data)
	if code, body := get(t, m.WebURL()+"/healthz"); code != 200 {
		t.Fatalf("healthz: %d %s", code, body)
	}
	ctx := context.Background()
	_, added, announce := aliceSharesATorrent(t, m)
	h := added.Torrent.InfoHash
	q := url.Values{"info_hash": {string(h[:])}, "peer_id": {"-TR3000-000000000001"}, "port": {"51413"},
		"uploaded": {"0"}, "downloaded": {"0"}, "left": {"0"}, "compact": {"1"}, "event": {"started"}}
	var answer map[string]any
	testenv.Eventually(t, "the tracker knows alice and her torrent", func() bool {
		_, b := get(t, announce+"?"+q.Encode())
		answer = nil
		return bencode.Unmarshal([]byte(b), &answer) == nil && answer["failure reason"] == nil
	})
	if answer["complete"] != int64(1) {
		t.Fatalf("announce answered %v", answer)
	}
	testenv.Eventually(t, "the swarm read model counts the seeder", func() bool {
		var seeders int
		m.Instance().Pool.QueryRow(ctx, `SELECT seeders FROM swarm.torrents WHERE info_hash = $1`, h[:]).Scan(&seeders)
		return seeders == 1
	})
	var st struct{ Projections []struct{ Name string } }
	if _, b := get(t, m.OpsURL()+"/api/ops/projections"); json.Unmarshal([]byte(b), &st) != nil || len(st.Projections) != len(Projections()) {
		t.Fatalf("/api/ops/projections: %s", b)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if instance.Held(data) {
		t.Fatal("the data directory is still held after Close")
	}
	if _, err := http.Get(m.WebURL() + "/healthz"); err == nil {
		t.Fatal("the web still answers after Close")
	}
}

// TestMainRefusesABusyDataDirectory checks that a second Main on a
// data directory in use fails before serving, and names the running one.
func TestMainRefusesABusyDataDirectory(t *testing.T) {
	data := dataDir(t)
	first := start(t, data)
	// The same ports too: the data directory is what is named, not a port.
	second := New(Config{Instance: instance.Config{DataDir: data}, Web: strings.TrimPrefix(first.WebURL(), "http://"),
		Ops:      strings.TrimPrefix(first.OpsURL(), "http://"),
		Trackers: []string{strings.TrimPrefix(first.TrackerURL(), "http://")},
		Roles:    Roles{Tracker: true, Projectors: true}, Log: io.Discard})
	err := second.Run(t.Context())
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("another djembe (pid %d) is serving", os.Getpid())) {
		t.Fatalf("a second Main on the same data directory: %v", err)
	}
	if domain.KindOf(err) == domain.KindInvalid {
		t.Fatalf("a busy data directory is not the operator's bad input: %v", err)
	}
}

// TestAFailedListenerTakesNoRoleDown closes the tracker's listener under
// a running Main: the other roles keep serving and Wait reports no failure.
func TestAFailedListenerTakesNoRoleDown(t *testing.T) {
	m := start(t, dataDir(t))
	m.trackerLns[0].Close()
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	if err := m.Wait(ctx); err != nil {
		t.Fatalf("Wait after the tracker's listener failed: %v", err)
	}
	if code, body := get(t, m.WebURL()+"/healthz"); code != 200 {
		t.Fatalf("healthz after the tracker's listener failed: %d %s", code, body)
	}
	if _, err := m.Commands().RegisterUser(t.Context(), commands.Operator, commands.RegisterUser{Name: "bob"}); err != nil {
		t.Fatal(err)
	}
}
