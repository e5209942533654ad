package commands

import (
	"bytes"
	"crypto/sha1"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

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
		{"", "is not a bencoded dictionary"},
		{"d8:announce3:abce", "no info dictionary"},
		{"d4:infod4:name1:x12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee", "describes no data"},
		{"d4:infod4:name1:x6:lengthi5e12:piece lengthi0e6:pieces20:aaaaaaaaaaaaaaaaaaaaee", "piece length is 0"},
		{"d4:infod4:name1:x6:lengthi5e12:piece lengthi16e6:pieces3:abcee", "is below 16 KiB"},
		{"d4:infod4:name1:x6:lengthi5e12:piece lengthi16384e6:pieces21:aaaaaaaaaaaaaaaaaaaaaee", "not a multiple of 20"},
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
	body, err := personalTorrent(p.Registered, "http://127.0.0.1:6969/", domain.Passkey("0123456789abcdef0123456789abcdef"), "")
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

// fuzzLimits are small, so that the fuzzer meets them.
var fuzzLimits = Limits{MaxTorrentBytes: 64 << 10, MaxFiles: 16}

// FuzzParseTorrent feeds untrusted uploads to the .torrent parser: it must
// never panic, and what it accepts must hash to its info hash, be private,
// parse again to itself, and keep every rule (checked here independently
// of the parser, and against anacrolix's decoding where that decodes it).
// Seeds: testdata/fuzz/FuzzParseTorrent, one per refusal and then some.
func FuzzParseTorrent(f *testing.F) {
	f.Add(torrentFile(f, true))
	f.Add(torrentFile(f, false))
	f.Add([]byte("d4:infod4:name1:x6:lengthi5e12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee"))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := fuzzLimits.ParseTorrent(body)
		if err != nil {
			if domain.KindOf(err) != domain.KindInvalid || domain.FieldOf(err) != "file" {
				t.Fatalf("refused as %v on %q: %v", domain.KindOf(err), domain.FieldOf(err), err)
			}
			return
		}
		reg := p.Registered
		if int64(len(body)) > fuzzLimits.MaxTorrentBytes {
			t.Fatalf("accepted %d bytes, above the limit", len(body))
		}
		if reg.InfoHash != sha1.Sum(reg.Info) {
			t.Fatal("accepted torrent's info hash does not match its info")
		}
		if _, again, err := makePrivate(reg.Info); err != nil || again {
			t.Fatalf("accepted torrent is not private (%v)", err)
		}
		checkAcceptedFiles(t, reg)
		checkAcceptedInfo(t, reg)
		re, err := fuzzLimits.ParseTorrent([]byte("d4:info" + string(reg.Info) + "e"))
		if err != nil || re.Republished || re.Registered.InfoHash != reg.InfoHash || re.Registered.Size != reg.Size || len(re.Registered.Files) != len(reg.Files) {
			t.Fatalf("the registered info does not parse to itself: %v", err)
		}
	})
}

// plainName is the rule for a name and each part of a path, written
// independently of the parser's.
func plainName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/\\") && utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
}

// checkAcceptedFiles checks the registered name, files and size.
func checkAcceptedFiles(t *testing.T, reg domain.TorrentRegistered) {
	if !plainName(reg.Name) {
		t.Fatalf("accepted the name %q", reg.Name)
	}
	if len(reg.Files) == 0 || len(reg.Files) > fuzzLimits.MaxFiles {
		t.Fatalf("accepted %d files", len(reg.Files))
	}
	var total int64
	for _, f := range reg.Files {
		for _, part := range strings.Split(f.Path, "/") {
			if !plainName(part) {
				t.Fatalf("accepted the path %q", f.Path)
			}
		}
		if f.Length < 0 {
			t.Fatalf("accepted a length of %d", f.Length)
		}
		total += f.Length
	}
	if total != reg.Size || total <= 0 {
		t.Fatalf("accepted files of %d bytes in all, size %d", total, reg.Size)
	}
}

// checkAcceptedInfo checks the rules on anacrolix's decoding of the
// registered info dictionary, when it decodes it (it refuses some types of
// keys the rules do not read).
func checkAcceptedInfo(t *testing.T, reg domain.TorrentRegistered) {
	var info metainfo.Info
	if bencode.Unmarshal(reg.Info, &info) != nil {
		return
	}
	if info.Private == nil || !*info.Private {
		t.Fatal("anacrolix reads the accepted torrent as public")
	}
	pl := info.PieceLength
	if pl < 16<<10 || pl&(pl-1) != 0 || len(info.Pieces) == 0 || len(info.Pieces)%20 != 0 {
		t.Fatalf("accepted piece length %d with %d bytes of piece hashes", pl, len(info.Pieces))
	}
	if need := (reg.Size + pl - 1) / pl; int64(len(info.Pieces)/20) != need {
		t.Fatalf("accepted %d piece hashes for %d bytes in pieces of %d", len(info.Pieces)/20, reg.Size, pl)
	}
	if info.BestName() != reg.Name || !plainName(info.Name) {
		t.Fatalf("anacrolix names it %q (%q), registered %q", info.BestName(), info.Name, reg.Name)
	}
	var n int
	var total int64
	for fi := range info.UpvertedV1Files() {
		for _, part := range append(append(fi.Path, fi.PathUtf8...), fi.SymlinkPath...) {
			if !plainName(part) {
				t.Fatalf("anacrolix reads an accepted path part %q", part)
			}
		}
		n, total = n+1, total+fi.Length
	}
	if n != len(reg.Files) || total != reg.Size {
		t.Fatalf("anacrolix reads %d files of %d bytes, registered %d of %d", n, total, len(reg.Files), reg.Size)
	}
}
