package demo

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
)

func TestDemoPieceLength(t *testing.T) {
	for _, tc := range []struct {
		size, want int64
	}{
		{1, 16 * KiB},
		{1500 * 16 * KiB, 16 * KiB},
		{1500*16*KiB + 1, 32 * KiB},
		{700 * MiB, 512 * KiB},
		{4 * GiB, 4 * MiB},
		{70 * GiB, 16 * MiB}, // at most 16 MiB, even with more pieces
	} {
		if got := PieceLength(tc.size); got != tc.want {
			t.Errorf("PieceLength(%d) = %d, want %d", tc.size, got, tc.want)
		}
	}
}

func TestDemoTorrentParses(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name  string
		files []File
		size  int64
		n     int // files the site lists
	}{
		{"tiny.txt", []File{{Length: 1}}, 1, 1},
		{"debian-12.5.0-amd64-netinst.iso", []File{{Length: 650 * MiB}}, 650 * MiB, 1},
		{"Film.Title.2019.2160p.UHD.BluRay.REMUX-GRP.mkv", []File{{Length: 70 * GiB}}, 70 * GiB, 1},
		{"Artist - Album (2001) [FLAC]", []File{{Path: []string{"01 - Intro.flac"}, Length: 30 * MiB},
			{Path: []string{"02 - Outro.flac"}, Length: 40*MiB + 7}, {Path: []string{"cover.jpg"}, Length: 900 * KiB}}, 70*MiB + 7 + 900*KiB, 3},
		{"Show.S01.1080p", []File{{Path: []string{"Subs", "English.srt"}, Length: 80 * KiB}, {Path: []string{"Show.S01E01.mkv"}, Length: 2 * GiB}}, 2*GiB + 80*KiB, 2},
	} {
		b, err := BuildTorrent(rng, tc.name, tc.files)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		p, err := commands.ParseTorrent(b)
		if err != nil {
			t.Fatalf("%s: ParseTorrent: %v", tc.name, err)
		}
		if p.Registered.Name != tc.name || p.Registered.Size != tc.size || len(p.Registered.Files) != tc.n {
			t.Errorf("%s: parsed as %q, %d bytes, %d files; want %d bytes, %d files", tc.name, p.Registered.Name, p.Registered.Size, len(p.Registered.Files), tc.size, tc.n)
		}
		if p.Republished {
			t.Errorf("%s: ParseTorrent had to set the private flag", tc.name)
		}
	}
	for _, bad := range [][]File{nil, {{Length: 0}}} {
		if _, err := BuildTorrent(rng, "x", bad); err == nil {
			t.Errorf("BuildTorrent(%v) made a torrent of nothing", bad)
		}
	}
}

func TestDemoTorrentFilesFollowTheSeed(t *testing.T) {
	items := Catalog(rand.New(rand.NewPCG(DefaultSeed, streamCatalog)), genericCategories(commands.Categories, nil), 20)
	_, a, err := TorrentFiles(DefaultSeed, items)
	if err != nil {
		t.Fatal(err)
	}
	_, b, _ := TorrentFiles(DefaultSeed, items)
	_, c, _ := TorrentFiles(DefaultSeed+1, items)
	if !slices.Equal(a, b) || slices.Equal(a, c) {
		t.Fatalf("info hashes of the same seed %v and %v, of another %v", a[:2], b[:2], c[:2])
	}
}

func TestDemoPassword(t *testing.T) {
	a, b := NewPassword(), NewPassword()
	if a == b || domain.ValidatePassword(a) != nil || len(a) < 16 || strings.Count(a, "-") != 5 {
		t.Fatalf("passwords %q and %q", a, b)
	}
}
