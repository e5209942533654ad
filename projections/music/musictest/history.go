// Package musictest appends a Music history for the conformance suite and
// the plugin's read-model tests.
package musictest

import (
	"context"
	"fmt"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/google/uuid"
)

// Catalogue is what History appended, for a test to look for.
type Catalogue struct {
	Artists  []uuid.UUID // Artists[1] was merged into Artists[0]
	Albums   []uuid.UUID
	Releases []uuid.UUID // one per album, then a second edition of Albums[0]
	Formats  []domain.InfoHash
	Deleted  domain.InfoHash // a format whose torrent was deleted
}

// History appends a catalogue exercising every Music event: three artists
// (one with an alias, similar artists and a later edit), three albums with
// credits, editions and formats (their torrents registered in category
// Music), an album edit, edition and format edits, a merge of the second
// artist into the first, and a deleted format torrent. seed makes the
// info hashes and names its own.
func History(t testing.TB, log *eventlog.Log, seed byte) Catalogue {
	t.Helper()
	ctx := context.Background()
	add := func(subject string, e domain.Event, opts ...eventlog.AppendOption) {
		t.Helper()
		if _, err := log.Append(ctx, subject, e, opts...); err != nil {
			t.Fatal(err)
		}
	}
	var c Catalogue
	names := []string{"Boards of Canada", "Boards of Kanada", "Autechre"}
	for i, n := range names {
		n = fmt.Sprintf("%s %d", n, seed)
		id := uuid.New()
		add(music.NameSubject(n), music.ArtistNameClaimed{Name: n, Artist: id}, eventlog.ExpectNew())
		add(music.ArtistSubject(id), music.ArtistCreated{Artist: id, Name: n, ArtistInfo: music.ArtistInfo{Description: "From " + n}})
		c.Artists = append(c.Artists, id)
		if i == 0 {
			alias := fmt.Sprintf("BoC %d", seed)
			add(music.NameSubject(alias), music.ArtistNameClaimed{Name: alias, Artist: id}, eventlog.ExpectNew())
			add(music.ArtistSubject(id), music.ArtistAliasAdded{Artist: id, Alias: alias})
		}
	}
	add(music.ArtistSubject(c.Artists[2]), music.ArtistEdited{Artist: c.Artists[2],
		ArtistInfo: music.ArtistInfo{Description: "Rochdale", ImageURL: "https://img.example/ae.jpg", Similar: []uuid.UUID{c.Artists[0], c.Artists[1]}}})
	albums := []struct {
		title  string
		year   int
		typ    music.ReleaseType
		artist int
		media  string
	}{{"Music Has the Right to Children", 1998, music.TypeAlbum, 0, "CD"}, {"Twoism", 1995, music.TypeEP, 1, "Vinyl"},
		{"Tri Repetae", 1995, music.TypeAlbum, 2, "CD"}}
	torrent := func(n int, title string) domain.InfoHash {
		h := domain.InfoHash{seed, byte(n), 0xa1}
		add(domain.TorrentSubject(h), domain.TorrentRegistered{InfoHash: h, Name: fmt.Sprintf("t%d-%d", seed, n), Title: title,
			Size: int64(1000 * (n + 1)), Category: "Music", Uploader: uuid.New(), Factors: domain.NormalFactors}, eventlog.ExpectNew())
		return h
	}
	for i, a := range albums {
		id, rel := uuid.New(), uuid.New()
		credits := []music.Credit{{Artist: c.Artists[a.artist], Role: music.RoleMain}}
		if i == 0 {
			credits = append(credits, music.Credit{Artist: c.Artists[2], Role: music.RoleRemixer})
		}
		add(music.AlbumSubject(id), music.AlbumCreated{Album: id, AlbumInfo: music.AlbumInfo{Title: a.title, Year: a.year,
			ReleaseType: a.typ, Tags: []string{"electronic", "idm"}, Credits: credits}}, eventlog.ExpectNew())
		add(music.AlbumSubject(id), music.ReleaseAdded{Album: id, Release: rel, ReleaseInfo: music.ReleaseInfo{Year: a.year, RecordLabel: "Warp", Media: a.media}})
		for j, f := range []music.FormatInfo{{Format: "FLAC", Encoding: "Lossless"}, {Format: "MP3", Encoding: "V0 (VBR)"}} {
			h := torrent(3*i+j, a.title)
			add(music.AlbumSubject(id), music.FormatAdded{Album: id, Release: rel, InfoHash: h, FormatInfo: f})
			c.Formats = append(c.Formats, h)
		}
		c.Albums, c.Releases = append(c.Albums, id), append(c.Releases, rel)
	}
	second := uuid.New()
	add(music.AlbumSubject(c.Albums[0]), music.ReleaseAdded{Album: c.Albums[0], Release: second,
		ReleaseInfo: music.ReleaseInfo{Year: 2004, RecordLabel: "Warp", CatalogueNumber: "WARPLP55R", Media: "Vinyl"}})
	h := torrent(9, "MHTRTC vinyl")
	add(music.AlbumSubject(c.Albums[0]), music.FormatAdded{Album: c.Albums[0], Release: second, InfoHash: h,
		FormatInfo: music.FormatInfo{Format: "FLAC", Encoding: "24bit Lossless"}})
	c.Formats, c.Releases = append(c.Formats, h), append(c.Releases, second)
	add(music.AlbumSubject(c.Albums[0]), music.ReleaseEdited{Album: c.Albums[0], Release: c.Releases[0],
		ReleaseInfo: music.ReleaseInfo{Year: 1998, RecordLabel: "Warp", CatalogueNumber: "WARPCD55", Media: "CD"}})
	add(music.AlbumSubject(c.Albums[0]), music.FormatEdited{Album: c.Albums[0], InfoHash: c.Formats[0],
		FormatInfo: music.FormatInfo{Format: "FLAC", Encoding: "Lossless", HasLog: true, LogScore: 100, HasCue: true}})
	add(music.AlbumSubject(c.Albums[2]), music.AlbumEdited{Album: c.Albums[2], AlbumInfo: music.AlbumInfo{Title: "Tri Repetae++",
		Year: 1995, ReleaseType: music.TypeAlbum, Tags: []string{"electronic"}, Credits: []music.Credit{{Artist: c.Artists[2], Role: music.RoleMain},
			{Artist: c.Artists[1], Role: music.RoleGuest}}}})
	add(music.ArtistSubject(c.Artists[1]), music.ArtistMerged{Artist: c.Artists[1], Into: c.Artists[0]})
	c.Deleted = c.Formats[4]
	add(domain.TorrentSubject(c.Deleted), domain.TorrentDeleted{InfoHash: c.Deleted, Reason: "trumped"})
	return c
}
