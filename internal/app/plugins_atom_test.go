package app

import (
	"context"
	"testing"

	"github.com/djembe/djembe/commands"
	cmdmovies "github.com/djembe/djembe/commands/movies"
	cmdmusic "github.com/djembe/djembe/commands/music"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/internal/testenv"
)

// A torrent is one atomic model of one plugin: a .torrent uploaded as a
// music format is refused as a movie format, and as a plain torrent, on
// its file, and neither refusal appends anything.
func TestATorrentIsOneAtomOfOnePlugin(t *testing.T) {
	m := start(t, dataDir(t))
	ctx, c := context.Background(), m.Commands()
	if _, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: "dora"}); err != nil {
		t.Fatal(err)
	}
	file := testenv.TorrentFile(t, "both-ways", false)
	up, err := cmdmusic.New(c).Upload(ctx, commands.Operator, cmdmusic.Upload{File: file, Uploader: "dora", Source: "djembe",
		Artists:     []cmdmusic.ArtistCredit{{Name: "Stereolab", Role: music.RoleMain}},
		AlbumInfo:   music.AlbumInfo{Title: "Dots and Loops", Year: 1997, ReleaseType: music.TypeAlbum},
		ReleaseInfo: music.ReleaseInfo{Media: "CD"},
		Format:      music.FormatInfo{Format: "FLAC", Encoding: "Lossless"}})
	if err != nil {
		t.Fatal(err)
	}
	last, err := m.Instance().Log.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, errMovie := cmdmovies.New(c).Upload(ctx, commands.Operator, cmdmovies.Upload{File: file, Uploader: "dora", Source: "djembe",
		Credits:     []cmdmovies.PersonCredit{{Name: "Chantal Akerman", Kind: movies.CreditDirector}},
		MovieInfo:   movies.MovieInfo{Title: "Jeanne Dielman", Year: 1975},
		EditionInfo: movies.EditionInfo{Name: "Theatrical"},
		Format: movies.FormatInfo{Source: "Blu-ray", Codec: "x264", Container: "MKV", Resolution: "1080p", HDR: movies.HDRNone,
			Kind: movies.KindEncode}})
	_, errPlain := c.AddTorrent(ctx, commands.Operator, commands.AddTorrent{File: file, Uploader: "dora", Source: "djembe"})
	for name, err := range map[string]error{"a movie format": errMovie, "a plain torrent": errPlain} {
		if domain.KindOf(err) != domain.KindConflict || domain.FieldOf(err) != "file" {
			t.Errorf("the music format %s again as %s: %v, want a conflict on the file", up.InfoHash, name, err)
		}
	}
	if now, _ := m.Instance().Log.LastSeq(ctx); now != last {
		t.Errorf("the refusals appended %d events", now-last)
	}
}
