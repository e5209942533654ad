package commands

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/domain"
)

// TestParseHybridTorrent: a hybrid v1+v2 torrent as libtorrent 2.0 makes it
// by default (meta version 2, file tree, pieces root, and the v1 pieces
// and files with padding files) registers by its v1 info hash.
func TestParseHybridTorrent(t *testing.T) {
	// testdata/hybrid-private.torrent: libtorrent 2.0.8's create_torrent of
	// Album/01.flac (40000 bytes) and Album/02.flac (70000), 16 KiB pieces,
	// set_priv(True); this is the v1 hash libtorrent gave it.
	const v1Hash = "e8b7dc5faa5b0c257efeae6d827c439eaac039cb"
	data, err := os.ReadFile("testdata/hybrid-private.torrent")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseTorrent(data)
	if err != nil {
		t.Fatal(err)
	}
	reg := p.Registered
	if hex.EncodeToString(reg.InfoHash[:]) != v1Hash || p.Republished {
		t.Fatalf("registered as %x (republished %v), want libtorrent's v1 hash %s", reg.InfoHash, p.Republished, v1Hash)
	}
	if reg.Name != "Album" || reg.Size != 131072 || len(reg.Files) != 4 || reg.Files[0].Path != "Album/01.flac" || reg.Files[2].Path != "Album/02.flac" {
		t.Fatalf("registered %q, %d bytes, files %+v", reg.Name, reg.Size, reg.Files)
	}
	if !bytes.Contains(reg.Info, []byte("9:file tree")) || !bytes.Contains(reg.Info, []byte("11:pieces root")) {
		t.Fatal("the registered info dictionary lost its v2 fields")
	}
}

func TestParseTorrentAccepts(t *testing.T) {
	for _, tc := range []struct {
		name        string
		body        []byte
		republished bool
		files       []string
	}{
		{"multi-file", torrentOf(t, multi([]string{"CD1", "01 - Intro.flac"}, []string{"cover.jpg"})), true, []string{"Album/CD1/01 - Intro.flac", "Album/cover.jpg"}},
		{"unicode names", torrentOf(t, with(multi([]string{"Björk – Jóga.flac"}), "name", "日本語")), true, []string{"日本語/Björk – Jóga.flac"}},
		{"name.utf-8 wins", torrentOf(t, with(single(), "name.utf-8", "album ü.flac")), true, []string{"album ü.flac"}},
		{"private 0 is made 1", torrentOf(t, with(single(), "private", 0)), true, []string{"album.flac"}},
		{"private already", torrentOf(t, with(single(), "private", 1)), false, []string{"album.flac"}},
		{"unsorted keys", []byte("d4:infod4:name1:x6:lengthi5e12:piece lengthi16384e6:pieces20:hhhhhhhhhhhhhhhhhhhhee"), true, []string{"x"}},
		{"exact pieces", torrentOf(t, with(with(single(), "length", 3*16384), "pieces", strings.Repeat("h", 60))), true, []string{"album.flac"}},
		{"at the files limit", torrentOf(t, multi([]string{"1"}, []string{"2"}, []string{"3"})), true, []string{"Album/1", "Album/2", "Album/3"}},
	} {
		p, err := Limits{MaxFiles: 3}.ParseTorrent(tc.body)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		var got []string
		for _, f := range p.Registered.Files {
			got = append(got, f.Path)
		}
		if p.Republished != tc.republished || strings.Join(got, "|") != strings.Join(tc.files, "|") {
			t.Errorf("%s: republished %v, files %q; want %v, %q", tc.name, p.Republished, got, tc.republished, tc.files)
		}
		var info metainfo.Info
		if err := bencode.Unmarshal(p.Registered.Info, &info); err != nil || info.Private == nil || !*info.Private {
			t.Errorf("%s: registered info is not private (%v)", tc.name, err)
		}
		if p.Registered.InfoHash != sha1.Sum(p.Registered.Info) {
			t.Errorf("%s: info hash is not the SHA-1 of the info dictionary", tc.name)
		}
	}
}

// TestMakePrivateKeepsSortedOrder: the flag goes where a canonical encoder
// puts it, so a sorted dictionary stays sorted.
func TestMakePrivateKeepsSortedOrder(t *testing.T) {
	info, _ := bencode.Marshal(single())
	out, changed, err := makePrivate(info)
	want, _ := bencode.Marshal(with(single(), "private", 1))
	if err != nil || !changed || !bytes.Equal(out, want) {
		t.Fatalf("makePrivate = %q, %v, %v; want %q", out, changed, err, want)
	}
}

// countingReader counts what is read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// zeros is an endless reader, like /dev/zero.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestReadTorrentStopsAfterTheLimit(t *testing.T) {
	r := &countingReader{r: zeros{}}
	_, err := ReadTorrent(r)
	var de *domain.Error
	if !errors.As(err, &de) || de.Kind != domain.KindInvalid || de.Field != "file" || !strings.Contains(err.Error(), "larger than 8 MiB") {
		t.Fatalf("ReadTorrent of an endless input: %v", err)
	}
	if r.n != MaxTorrentFile+1 {
		t.Fatalf("read %d bytes of an endless input, want %d", r.n, MaxTorrentFile+1)
	}
	small := Limits{MaxTorrentBytes: 10}
	if b, err := small.ReadTorrent(strings.NewReader("0123456789")); err != nil || len(b) != 10 {
		t.Fatalf("ReadTorrent at the limit = %d bytes, %v", len(b), err)
	}
	if _, err := small.ReadTorrent(strings.NewReader("0123456789x")); err == nil || !strings.Contains(err.Error(), "larger than 10 bytes") {
		t.Fatalf("ReadTorrent above the limit = %v", err)
	}
	if _, err := small.ReadTorrent(iotestErr{}); domain.KindOf(err) != domain.KindInvalid || !strings.Contains(err.Error(), "could not be read") {
		t.Fatalf("ReadTorrent of a failing reader = %v", err)
	}
}

type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, errors.New("is a directory") }

func TestNewTakesLimits(t *testing.T) {
	if got := New(nil, Keys{}).Limits(); got != DefaultLimits {
		t.Fatalf("New(log).Limits() = %+v, want %+v", got, DefaultLimits)
	}
	if got := New(nil, Keys{}, WithLimits(Limits{MaxFiles: 5})).Limits(); got != (Limits{MaxTorrentBytes: MaxTorrentFile, MaxFiles: 5}) {
		t.Fatalf("WithLimits(MaxFiles 5) gives %+v", got)
	}
}
