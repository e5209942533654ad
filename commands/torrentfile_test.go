package commands

import (
	"bytes"
	"crypto/sha1"
	"strings"
	"testing"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
)

// torrentFile is testenv.TorrentFile of "album.flac".
func torrentFile(t testing.TB, private bool) []byte {
	return testenv.TorrentFile(t, "album.flac", private)
}

func TestParseTorrent(t *testing.T) {
	priv, err := ParseTorrent(torrentFile(t, true))
	if err != nil {
		t.Fatal(err)
	}
	if priv.Republished || priv.Registered.Name != "album.flac" || priv.Registered.Size != 40000 || len(priv.Registered.Files) != 1 {
		t.Fatalf("private torrent parsed as %+v", priv)
	}
	pub, err := ParseTorrent(torrentFile(t, false))
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
		if _, err := ParseTorrent([]byte(tc.body)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseTorrent(%q) = %v, want error containing %q", tc.body, err, tc.want)
		}
	}
}

func TestPersonalTorrentHoldsThePasskey(t *testing.T) {
	p, err := ParseTorrent(torrentFile(t, true))
	if err != nil {
		t.Fatal(err)
	}
	body, err := personalTorrent(p.Registered, "http://127.0.0.1:6969/", domain.Passkey("0123456789abcdef0123456789abcdef"))
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
		p, err := ParseTorrent(body)
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
