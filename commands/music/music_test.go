package music

import (
	"context"
	"errors"
	"os"
	"slices"
	"testing"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// env is the Music plugin's write side on a real log, with a user who
// uploads.
type env struct {
	t    *testing.T
	ctx  context.Context
	log  *eventlog.Log
	core *commands.Commands
	m    *Commands
	dora commands.Actor
}

func newEnv(t *testing.T) *env {
	log := testenv.Log(t)
	core := commands.New(log, commands.Keys{Secret: domain.ServerSecret("the music tests' secret, 32 bytes"), Vault: testenv.DB(t)})
	e := &env{t: t, ctx: context.Background(), log: log, core: core, m: New(core)}
	r, err := core.RegisterUser(e.ctx, commands.Operator, commands.RegisterUser{Name: "dora"})
	if err != nil {
		t.Fatal(err)
	}
	e.dora = commands.UserActor(r.User.ID, false)
	return e
}

func (e *env) last() uint64 {
	e.t.Helper()
	seq, err := e.log.LastSeq(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return seq
}

// newAlbum is an upload of a new album by one main artist, on CD in FLAC.
func newAlbum(t *testing.T, name, artist string) Upload {
	return Upload{File: testenv.TorrentFile(t, name, false), Uploader: "dora", Source: "djembe",
		Artists:     []ArtistCredit{{Name: artist, Role: music.RoleMain}},
		AlbumInfo:   music.AlbumInfo{Title: "Music Has the Right to Children", Year: 1998, ReleaseType: music.TypeAlbum, Tags: []string{"electronic"}},
		ReleaseInfo: music.ReleaseInfo{Year: 1998, RecordLabel: "Warp", CatalogueNumber: "WARPCD55", Media: "CD"},
		Format:      music.FormatInfo{Format: "FLAC", Encoding: "Lossless", HasLog: true, LogScore: 100, HasCue: true}}
}

// An upload of a new album creates its artist, album, edition and format,
// and registers its torrent in the category Music with a what.cd title.
// More formats join the edition; a duplicate format is refused with the
// torrent that has it, and appends nothing; a new edition of the album
// holds the same format again; the same artist is found by any case.
func TestUploadBuildsTheHierarchy(t *testing.T) {
	e := newEnv(t)
	first, err := e.m.Upload(e.ctx, e.dora, newAlbum(t, "boc-flac", "Boards of Canada"))
	if err != nil {
		t.Fatal(err)
	}
	tor, err := e.core.Torrent(e.ctx, first.InfoHash)
	if err != nil {
		t.Fatal(err)
	}
	if tor.Category != Category || tor.Title != "Boards of Canada – Music Has the Right to Children (1998) [CD / FLAC / Lossless]" {
		t.Errorf("torrent registered as %q in %q", tor.Title, tor.Category)
	}
	al, _, err := e.m.album(e.ctx, "test", first.Album)
	if err != nil {
		t.Fatal(err)
	}
	art, err := e.m.ArtistByName(e.ctx, "boards OF canada")
	if err != nil || len(al.Info.Credits) != 1 || al.Info.Credits[0] != (music.Credit{Artist: art.ID, Role: music.RoleMain}) {
		t.Fatalf("album credits %+v, artist %+v (%v)", al.Info.Credits, art, err)
	}
	if len(al.Releases) != 1 || al.Releases[0].ID != first.Release || len(al.Formats) != 1 || al.Formats[0].InfoHash != first.InfoHash {
		t.Fatalf("album %+v", al)
	}

	// The same album described again, as a new album, is that album.
	same := newAlbum(t, "boc-320", "boards of canada")
	same.AlbumInfo.Title = "music has the right to children"
	same.Format = music.FormatInfo{Format: "MP3", Encoding: "320"}
	if up, err := e.m.Upload(e.ctx, e.dora, same); err != nil || up.Album != first.Album || up.Release != first.Release {
		t.Fatalf("the same album uploaded as new: %+v (want album %s), %v", up, first.Album, err)
	}
	dupNew := newAlbum(t, "boc-flac-again", "Boards of Canada")
	if _, err := e.m.Upload(e.ctx, e.dora, dupNew); domain.KindOf(err) != domain.KindConflict || domain.FieldOf(err) != "format" {
		t.Fatalf("a duplicate format uploaded as a new album: %v", err)
	}

	mp3 := Upload{File: testenv.TorrentFile(t, "boc-v0", false), Uploader: "dora", Album: first.Album, Release: first.Release,
		Format: music.FormatInfo{Format: "MP3", Encoding: "V0 (VBR)"}}
	second, err := e.m.Upload(e.ctx, e.dora, mp3)
	if err != nil || second.Release != first.Release {
		t.Fatalf("a second format of the edition: %+v, %v", second, err)
	}

	before := e.last()
	dup := mp3
	dup.File = testenv.TorrentFile(t, "boc-v0-again", false)
	_, err = e.m.Upload(e.ctx, e.dora, dup)
	var de *music.DuplicateError
	if domain.KindOf(err) != domain.KindConflict || domain.FieldOf(err) != "format" || !errors.As(err, &de) || de.Existing != second.InfoHash {
		t.Fatalf("a duplicate format: %v", err)
	}
	if after := e.last(); after != before {
		t.Errorf("the refused duplicate appended %d events", after-before)
	}

	vinyl := Upload{File: testenv.TorrentFile(t, "boc-vinyl", false), Uploader: "dora", Album: first.Album,
		ReleaseInfo: music.ReleaseInfo{Year: 2004, RecordLabel: "Warp", CatalogueNumber: "WARPLP55R", Media: "Vinyl"},
		Format:      music.FormatInfo{Format: "MP3", Encoding: "V0 (VBR)"}}
	third, err := e.m.Upload(e.ctx, e.dora, vinyl)
	if err != nil || third.Release == first.Release {
		t.Fatalf("the same format in a new edition: %+v, %v", third, err)
	}
	again := vinyl
	again.File = testenv.TorrentFile(t, "boc-vinyl-flac", false)
	again.Format = music.FormatInfo{Format: "FLAC", Encoding: "24bit Lossless"}
	if fourth, err := e.m.Upload(e.ctx, e.dora, again); err != nil || fourth.Release != third.Release {
		t.Fatalf("an edition described again is the same edition: %+v (want release %s), %v", fourth, third.Release, err)
	}

	other := newAlbum(t, "boc-geogaddi", "BOARDS OF CANADA")
	other.AlbumInfo.Title, other.AlbumInfo.Year = "Geogaddi", 2002
	g, err := e.m.Upload(e.ctx, e.dora, other)
	if err != nil {
		t.Fatal(err)
	}
	gal, _, _ := e.m.album(e.ctx, "test", g.Album)
	if gal.Info.Credits[0].Artist != art.ID {
		t.Errorf("an artist named in another case is the same artist: %v, want %v", gal.Info.Credits[0].Artist, art.ID)
	}
}

// Every problem of an upload is refused on its field before anything is
// appended, the .torrent's too.
func TestUploadRefusals(t *testing.T) {
	e := newEnv(t)
	good := newAlbum(t, "good", "Autechre")
	for _, tc := range []struct {
		name   string
		edit   func(*Upload)
		kind   domain.Kind
		fields []string
	}{
		{"no file", func(u *Upload) { u.File = nil }, domain.KindInvalid, []string{"file"}},
		{"no artist", func(u *Upload) { u.Artists = nil }, domain.KindInvalid, []string{"artists"}},
		{"guest only", func(u *Upload) { u.Artists[0].Role = music.RoleGuest }, domain.KindInvalid, []string{"artists"}},
		{"title and medium", func(u *Upload) { u.AlbumInfo.Title, u.ReleaseInfo.Media = "", "LaserDisc" }, domain.KindInvalid, []string{"title", "media"}},
		{"log on vinyl", func(u *Upload) { u.ReleaseInfo.Media = "Vinyl" }, domain.KindInvalid, []string{"has_log"}},
		{"an edition of a new album", func(u *Upload) { u.Release = uuid.New() }, domain.KindInvalid, []string{"release"}},
		{"an album that is not there", func(u *Upload) { u.Album = uuid.New() }, domain.KindNotFound, []string{"album"}},
		{"a broken torrent", func(u *Upload) { u.File = []byte("d4:infod6:lengthi5e4:name1:aee") }, domain.KindInvalid, nil},
	} {
		u := good
		u.Artists = append([]ArtistCredit(nil), good.Artists...)
		tc.edit(&u)
		before := e.last()
		_, err := e.m.Upload(e.ctx, e.dora, u)
		if domain.KindOf(err) != tc.kind {
			t.Errorf("%s: %v (kind %v), want kind %v", tc.name, err, domain.KindOf(err), tc.kind)
		}
		if tc.fields != nil {
			if got := fieldsOf(err); !equal(got, tc.fields) {
				t.Errorf("%s: fields %q, want %q (%v)", tc.name, got, tc.fields, err)
			}
		}
		if after := e.last(); after != before {
			t.Errorf("%s: the refused upload appended %d events", tc.name, after-before)
		}
	}
}

// Aliases and merges: an alias leads to its artist and cannot be taken
// twice; a merged artist's name leads to the artist it was merged into;
// only staff edit and merge.
func TestAliasesAndMerges(t *testing.T) {
	e := newEnv(t)
	a, err := e.m.Upload(e.ctx, e.dora, newAlbum(t, "a", "Sunn O)))"))
	if err != nil {
		t.Fatal(err)
	}
	dupe := newAlbum(t, "b", "Sunn 0)))")
	dupe.AlbumInfo.Title = "Monoliths & Dimensions"
	if _, err := e.m.Upload(e.ctx, e.dora, dupe); err != nil {
		t.Fatal(err)
	}
	real, _ := e.m.ArtistByName(e.ctx, "Sunn O)))")
	typo, _ := e.m.ArtistByName(e.ctx, "Sunn 0)))")
	if real.ID == typo.ID {
		t.Fatal("two names made one artist")
	}
	if err := e.m.MergeArtists(e.ctx, e.dora, typo.ID, real.ID); domain.KindOf(err) != domain.KindForbidden {
		t.Errorf("a user merged artists: %v", err)
	}
	if err := e.m.AddAlias(e.ctx, e.dora, real.ID, "Sunn"); domain.KindOf(err) != domain.KindForbidden {
		t.Errorf("a user added an alias: %v", err)
	}
	if err := e.m.AddAlias(e.ctx, commands.Operator, real.ID, "Sunn"); err != nil {
		t.Fatal(err)
	}
	if got, err := e.m.ArtistByName(e.ctx, "sunn"); err != nil || got.ID != real.ID {
		t.Errorf("the alias leads to %+v (%v)", got, err)
	}
	if err := e.m.AddAlias(e.ctx, commands.Operator, typo.ID, "SUNN"); domain.KindOf(err) != domain.KindConflict || domain.FieldOf(err) != "alias" {
		t.Errorf("an alias taken twice: %v", err)
	}
	if err := e.m.MergeArtists(e.ctx, commands.Operator, typo.ID, real.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := e.m.ArtistByName(e.ctx, "Sunn 0)))"); err != nil || got.ID != real.ID {
		t.Errorf("the merged artist's name leads to %+v (%v), want %s", got, err, real.ID)
	}
	if err := e.m.MergeArtists(e.ctx, commands.Operator, typo.ID, real.ID); domain.KindOf(err) != domain.KindConflict {
		t.Errorf("merging a merged artist again: %v", err)
	}
	// An upload naming the merged artist credits the artist it became.
	later := newAlbum(t, "c", "sunn 0)))")
	later.AlbumInfo.Title = "Kannon"
	up, err := e.m.Upload(e.ctx, e.dora, later)
	if err != nil {
		t.Fatal(err)
	}
	al, _, _ := e.m.album(e.ctx, "test", up.Album)
	if al.Info.Credits[0].Artist != real.ID {
		t.Errorf("an upload naming the merged artist credits %s, want %s", al.Info.Credits[0].Artist, real.ID)
	}
	if err := e.m.EditArtist(e.ctx, commands.Operator, real.ID, music.ArtistInfo{ImageURL: "javascript:x"}); domain.FieldOf(err) != "image" {
		t.Errorf("a javascript: image: %v", err)
	}
	_ = a
}

// fieldsOf lists the fields a (joined) refusal names, in order.
func fieldsOf(err error) []string { return domain.Fields(err) }

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Similar artists through EditArtist: another artist of the site is
// kept; the artist itself, an artist that is not there, one named twice
// and a user's edit are refused beside "similar" (or as forbidden) and
// append nothing.
func TestEditArtistSimilar(t *testing.T) {
	e := newEnv(t)
	for _, up := range []Upload{newAlbum(t, "a", "Boards of Canada"), newAlbum(t, "b", "Autechre")} {
		up.AlbumInfo.Title = up.Artists[0].Name + " album"
		if _, err := e.m.Upload(e.ctx, e.dora, up); err != nil {
			t.Fatal(err)
		}
	}
	boc, _ := e.m.ArtistByName(e.ctx, "Boards of Canada")
	ae, _ := e.m.ArtistByName(e.ctx, "Autechre")
	if err := e.m.EditArtist(e.ctx, e.dora, boc.ID, music.ArtistInfo{Similar: []uuid.UUID{ae.ID}}); domain.KindOf(err) != domain.KindForbidden {
		t.Errorf("a user edited an artist: %v", err)
	}
	before := e.last()
	for name, similar := range map[string][]uuid.UUID{
		"itself": {boc.ID}, "nobody": {uuid.New()}, "twice": {ae.ID, ae.ID},
	} {
		err := e.m.EditArtist(e.ctx, commands.Operator, boc.ID, music.ArtistInfo{Similar: similar})
		if domain.FieldOf(err) != "similar" || domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("similar %s: %v", name, err)
		}
	}
	if got := e.last(); got != before {
		t.Errorf("refused edits appended %d events", got-before)
	}
	if err := e.m.EditArtist(e.ctx, commands.Operator, boc.ID, music.ArtistInfo{Description: "Scottish", Similar: []uuid.UUID{ae.ID}}); err != nil {
		t.Fatal(err)
	}
	art, _, _ := e.m.current(e.ctx, "test", boc.ID)
	if !slices.Equal(art.Info.Similar, []uuid.UUID{ae.ID}) || art.Info.Description != "Scottish" {
		t.Errorf("the artist after the edit: %+v", art.Info)
	}
}

// EditRelease refuses every problem at once, each beside its field (a
// year out of range and a medium the edition's logged FLAC does not fit),
// and a user's edit; staff's good edit is the edition's from then on.
func TestEditRelease(t *testing.T) {
	e := newEnv(t)
	up, err := e.m.Upload(e.ctx, e.dora, newAlbum(t, "a", "Boards of Canada"))
	if err != nil {
		t.Fatal(err)
	}
	good := music.ReleaseInfo{Year: 2004, RecordLabel: "Warp Records", CatalogueNumber: "WARPCD55R", EditionTitle: "Remaster", Media: "CD"}
	if err := e.m.EditRelease(e.ctx, e.dora, up.Album, up.Release, good); domain.KindOf(err) != domain.KindForbidden {
		t.Errorf("a user edited an edition: %v", err)
	}
	before := e.last()
	for _, tc := range []struct {
		name   string
		info   music.ReleaseInfo
		fields []string
	}{
		{"vinyl with a log, in 3000", music.ReleaseInfo{Year: 3000, Media: "Vinyl"}, []string{"release_year", "media"}},
		{"an unknown medium", music.ReleaseInfo{Media: "Wax cylinder"}, []string{"media"}},
		{"a control character", music.ReleaseInfo{RecordLabel: "Warp\x07", Media: "CD"}, []string{"record_label"}},
	} {
		if got := fieldsOf(e.m.EditRelease(e.ctx, commands.Operator, up.Album, up.Release, tc.info)); !equal(got, tc.fields) {
			t.Errorf("%s: fields refused %q, want %q", tc.name, got, tc.fields)
		}
	}
	if got := e.last(); got != before {
		t.Errorf("refused edits appended %d events", got-before)
	}
	if err := e.m.EditRelease(e.ctx, commands.Operator, up.Album, up.Release, good); err != nil {
		t.Fatal(err)
	}
	al, _, _ := e.m.album(e.ctx, "test", up.Album)
	if r, _ := al.Release(up.Release); r.ReleaseInfo != good {
		t.Errorf("the edition after the edit: %+v", r.ReleaseInfo)
	}
}
