package main

import (
	"bytes"
	"crypto/sha1"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
)

// torrentFile makes a .torrent for one file of length bytes.
func torrentFile(t testing.TB, private bool) []byte {
	t.Helper()
	info := metainfo.Info{Name: "album.flac", PieceLength: 16384, Length: 40000, Pieces: make([]byte, 60)}
	if private {
		p := true
		info.Private = &p
	}
	ib, err := bencode.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := (&metainfo.MetaInfo{InfoBytes: ib, Announce: "http://elsewhere/announce"}).Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseTorrent(t *testing.T) {
	priv, err := parseTorrent(torrentFile(t, true))
	if err != nil {
		t.Fatal(err)
	}
	if priv.Republished || priv.Registered.Name != "album.flac" || priv.Registered.Size != 40000 || len(priv.Registered.Files) != 1 {
		t.Fatalf("private torrent parsed as %+v", priv)
	}
	pub, err := parseTorrent(torrentFile(t, false))
	if err != nil {
		t.Fatal(err)
	}
	if !pub.Republished {
		t.Fatal("a public torrent was not made private")
	}
	if pub.Registered.InfoHash != sha1.Sum(pub.Registered.Info) {
		t.Fatal("info hash is not the SHA-1 of the registered info dictionary")
	}
	var info metainfo.Info
	if err := bencode.Unmarshal(pub.Registered.Info, &info); err != nil || info.Private == nil || !*info.Private {
		t.Fatalf("registered info is not private: %v", err)
	}
	for _, tc := range []struct{ body, want string }{
		{"", "not a bencoded"},
		{"d8:announce3:abce", "info dictionary is malformed"},
		{"d4:infod4:name1:x12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee", "describes no data"},
		{"d4:infod4:name1:x6:lengthi5e12:piece lengthi0e6:pieces20:aaaaaaaaaaaaaaaaaaaaee", "no v1 pieces"},
		{"d4:infod4:name1:x6:lengthi5e12:piece lengthi16e6:pieces3:abcee", "no v1 pieces"},
	} {
		if _, err := parseTorrent([]byte(tc.body)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseTorrent(%q) = %v, want error containing %q", tc.body, err, tc.want)
		}
	}
}

func TestPersonalTorrentHoldsThePasskey(t *testing.T) {
	p, err := parseTorrent(torrentFile(t, true))
	if err != nil {
		t.Fatal(err)
	}
	body, err := personalTorrent(p.Registered, "http://127.0.0.1:6969/", "0123456789abcdef0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	mi, err := metainfo.Load(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if mi.Announce != "http://127.0.0.1:6969/announce/0123456789abcdef0123456789abcdef" {
		t.Fatalf("announce URL %q", mi.Announce)
	}
	if mi.HashInfoBytes() != metainfo.Hash(p.Registered.InfoHash) {
		t.Fatal("the personal .torrent has another info hash")
	}
}

// FuzzParseTorrent feeds untrusted uploads to the .torrent parser: it must
// never panic, and what it accepts must be private and hash to its info hash.
func FuzzParseTorrent(f *testing.F) {
	f.Add(torrentFile(f, true))
	f.Add(torrentFile(f, false))
	f.Add([]byte("d4:infod4:name1:x6:lengthi5e12:piece lengthi16e6:pieces20:aaaaaaaaaaaaaaaaaaaaee"))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := parseTorrent(body)
		if err != nil {
			return
		}
		if p.Registered.InfoHash != sha1.Sum(p.Registered.Info) {
			t.Fatal("accepted torrent's info hash does not match its info")
		}
		if _, again, err := makePrivate(p.Registered.Info); err != nil || again {
			t.Fatalf("accepted torrent is not private (%v)", err)
		}
	})
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
	if before != 3 { // alice, the torrent, the factors
		t.Fatalf("the log holds %d events, want 3", before)
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
