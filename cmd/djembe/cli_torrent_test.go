package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/internal/testenv"
)

// torrentFile is testenv.TorrentFile of "album.flac".
func torrentFile(t testing.TB, private bool) []byte {
	return testenv.TorrentFile(t, "album.flac", private)
}

func TestTorrentAddGetAndDuplicate(t *testing.T) {
	data := dataDir(t)
	alice := decode(t, djembe(t, "", "user", "add", "alice", "--data", data))
	file := filepath.Join(t.TempDir(), "album.torrent")
	os.WriteFile(file, torrentFile(t, false), 0o644)
	added := decode(t, djembe(t, "", "torrent", "add", file, "--user", "alice", "--data", data))
	hash, _ := added["info_hash"].(string)
	if len(hash) != 40 || added["made_private"] != true {
		t.Fatalf("torrent add printed %v", added)
	}
	// The same upload again is refused: made private, it has the same info hash.
	if r := djembe(t, "", "torrent", "add", file, "--user", "alice", "--data", data); r.code != exitInput || !strings.Contains(r.stderr, "already registered") {
		t.Fatalf("duplicate torrent add: exit %d, %q", r.code, r.stderr)
	}
	out := filepath.Join(t.TempDir(), "alice.torrent")
	decode(t, djembe(t, "", "torrent", "get", hash, "--user", "alice", "-o", out, "--public-url", "http://tracker.example:6969", "--data", data))
	mi, err := metainfo.LoadFromFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := "http://tracker.example:6969/announce/" + alice["passkey"].(string); mi.Announce != want {
		t.Fatalf("announce URL %q, want %q", mi.Announce, want)
	}
	if mi.HashInfoBytes().HexString() != hash {
		t.Fatalf("personal torrent hash %s, registered %s", mi.HashInfoBytes().HexString(), hash)
	}
	if r := djembe(t, "", "torrent", "get", strings.Repeat("0", 40), "--user", "alice", "-o", out, "--data", data); r.code != exitInput || !strings.Contains(r.stderr, "no torrent") {
		t.Fatalf("get of an unknown hash: exit %d, %q", r.code, r.stderr)
	}
}

func TestTorrentFactorsDeleteAndClientAllowList(t *testing.T) {
	data := dataDir(t)
	decode(t, djembe(t, "", "user", "add", "alice", "--data", data))
	file := filepath.Join(t.TempDir(), "album.torrent")
	os.WriteFile(file, torrentFile(t, true), 0o644)
	hash := decode(t, djembe(t, "", "torrent", "add", file, "--user", "alice", "--data", data))["info_hash"].(string)

	set := decode(t, djembe(t, "", "torrent", "factors", hash, "--freeleech", "--double-upload", "--data", data))
	if f := set["change"].(map[string]any)["factors"].(map[string]any); f["upload_percent"] != 200.0 || f["download_percent"] != 0.0 {
		t.Fatalf("factors printed %v", set)
	}
	before := logLength(t, data)
	if before != 4 { // the server secret's fingerprint, alice, the torrent, the factors
		t.Fatalf("the log holds %d events, want 4", before)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"torrent", "factors", strings.Repeat("a", 40), "--neutral"}, "no torrent"},
		{[]string{"torrent", "factors", hash, "--upload", "5000"}, "between 0 and"},
		{[]string{"torrent", "factors", "xyz"}, "40 hex"},
		{[]string{"clients", "allow", ""}, "1 to 20 bytes"},
		{[]string{"clients"}, "usage"},
	} {
		if r := djembe(t, "", append(tc.args, "--data", data)...); r.code != exitInput || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("djembe %v: exit %d, %q; want %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
	if after := logLength(t, data); after != before {
		t.Fatalf("refused commands appended %d events", after-before)
	}
	decode(t, djembe(t, "", "clients", "allow", "-TR", "-qB", "--data", data))
	decode(t, djembe(t, "", "torrent", "delete", hash, "--reason", "dupe", "--data", data))
	if after := logLength(t, data); after != before+2 {
		t.Fatalf("log grew by %d events, want 2", after-before)
	}
}
