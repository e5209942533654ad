package music

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

func TestParseVocabularies(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want ReleaseType
		ok   bool
	}{{"Album", TypeAlbum, true}, {"live ALBUM", TypeLiveAlbum, true}, {"9", TypeSingle, true}, {" EP ", TypeEP, true},
		{"21", TypeUnknown, true}, {"2", 0, false}, {"Albums", 0, false}, {"", 0, false}} {
		got, err := ParseReleaseType(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseReleaseType(%q) = %v, %v; want %v (ok %v)", tc.in, got, err, tc.want, tc.ok)
		}
	}
	for _, tc := range []struct {
		in   string
		want Role
		ok   bool
	}{{"main", RoleMain, true}, {"artists", RoleMain, true}, {"with", RoleGuest, true}, {"Guest", RoleGuest, true},
		{"remixedBy", RoleRemixer, true}, {"compiler", RoleDJ, true}, {"DJ / Compiler", RoleDJ, true}, {"8", RoleArranger, true},
		{"singer", 0, false}, {"0", 0, false}} {
		got, err := ParseRole(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseRole(%q) = %v, %v; want %v (ok %v)", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestNormalizeTags(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want []string
		err  string
	}{
		{[]string{"Hip Hop", " jazz ", "post-rock", "jazz", ""}, []string{"hip.hop", "jazz", "post.rock"}, ""},
		{[]string{"drum_and_bass", "1990s", "electronic."}, []string{"drum.and.bass", "1990s", "electronic"}, ""},
		{[]string{"rock&roll"}, nil, "letters a-z"},
		{[]string{strings.Repeat("a", 33)}, nil, "longer than 32"},
		{strings.Split("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u", ","), nil, "at most 20"},
	} {
		got, err := NormalizeTags("tags", "tags", tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || domain.FieldOf(err) != "tags" {
				t.Errorf("NormalizeTags(%q) = %v, %v; want an error on tags saying %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("NormalizeTags(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// fields lists the fields a (joined) refusal names, in order.
func fields(err error) []string { return domain.Fields(err) }

func TestAlbumInfoCheck(t *testing.T) {
	main, guest := Credit{uuid.New(), RoleMain}, Credit{uuid.New(), RoleGuest}
	good := AlbumInfo{Title: "In Rainbows", Year: 2007, ReleaseType: TypeAlbum, Tags: []string{"rock", "art.rock"},
		CoverURL: "https://example.org/cover.jpg", Credits: []Credit{main, guest}}
	for _, tc := range []struct {
		name   string
		edit   func(*AlbumInfo)
		fields []string
	}{
		{"good", func(*AlbumInfo) {}, nil},
		{"composer leads", func(a *AlbumInfo) { a.Credits = []Credit{{uuid.New(), RoleComposer}} }, nil},
		{"no title", func(a *AlbumInfo) { a.Title = " " }, []string{"title"}},
		{"spaces around title", func(a *AlbumInfo) { a.Title = " In Rainbows" }, []string{"title"}},
		{"year too old", func(a *AlbumInfo) { a.Year = 1066 }, []string{"year"}},
		{"no year", func(a *AlbumInfo) { a.Year = 0 }, []string{"year"}},
		{"unknown type", func(a *AlbumInfo) { a.ReleaseType = 2 }, []string{"release_type"}},
		{"tags not normal", func(a *AlbumInfo) { a.Tags = []string{"Art Rock"} }, []string{"tags"}},
		{"javascript cover", func(a *AlbumInfo) { a.CoverURL = "javascript:alert(1)" }, []string{"cover"}},
		{"guest only", func(a *AlbumInfo) { a.Credits = []Credit{guest} }, []string{"artists"}},
		{"no credits", func(a *AlbumInfo) { a.Credits = nil }, []string{"artists"}},
		{"credited twice", func(a *AlbumInfo) { a.Credits = []Credit{main, main} }, []string{"artists"}},
		{"unknown role", func(a *AlbumInfo) { a.Credits = []Credit{main, {uuid.New(), 99}} }, []string{"artists"}},
		{"several at once", func(a *AlbumInfo) { a.Title, a.Year = "", 3000 }, []string{"title", "year"}},
	} {
		a := good
		a.Credits = slices.Clone(good.Credits)
		tc.edit(&a)
		err := a.Check("add album")
		if got := fields(err); !slices.Equal(got, tc.fields) {
			t.Errorf("%s: fields refused %q (%v), want %q", tc.name, got, err, tc.fields)
		}
		if err != nil && domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("%s: kind %v, want invalid", tc.name, domain.KindOf(err))
		}
	}
}

func TestArtistInfoCheck(t *testing.T) {
	one, two := uuid.New(), uuid.New()
	many := make([]uuid.UUID, MaxSimilar+1)
	for i := range many {
		many[i] = uuid.New()
	}
	for _, tc := range []struct {
		name   string
		info   ArtistInfo
		fields []string
	}{
		{"good", ArtistInfo{Description: "Drone.\nLoud.", ImageURL: "https://example.org/a.jpg", Similar: []uuid.UUID{one, two}}, nil},
		{"nothing", ArtistInfo{}, nil},
		{"as many similar as allowed", ArtistInfo{Similar: many[:MaxSimilar]}, nil},
		{"too many similar", ArtistInfo{Similar: many}, []string{"similar"}},
		{"similar twice", ArtistInfo{Similar: []uuid.UUID{one, two, one}}, []string{"similar"}},
		{"similar nobody", ArtistInfo{Similar: []uuid.UUID{uuid.Nil}}, []string{"similar"}},
		{"data image", ArtistInfo{ImageURL: "data:image/png;base64,AAAA"}, []string{"image"}},
		{"control character", ArtistInfo{Description: "a\x00b"}, []string{"description"}},
		{"several at once", ArtistInfo{ImageURL: "ftp://x/y", Similar: []uuid.UUID{one, one}}, []string{"image", "similar"}},
	} {
		err := tc.info.Check("edit artist")
		if got := fields(err); !slices.Equal(got, tc.fields) {
			t.Errorf("%s: fields refused %q (%v), want %q", tc.name, got, err, tc.fields)
		}
	}
}

func TestReleaseAndFormatCheck(t *testing.T) {
	for _, tc := range []struct {
		name   string
		r      ReleaseInfo
		fields []string
	}{
		{"good", ReleaseInfo{Year: 2008, RecordLabel: "XL", CatalogueNumber: "XLCD 324", Media: "CD"}, nil},
		{"album's year", ReleaseInfo{Media: "WEB"}, nil},
		{"unknown medium", ReleaseInfo{Media: "Wax cylinder"}, []string{"media"}},
		{"medium in the wrong case", ReleaseInfo{Media: "vinyl"}, []string{"media"}},
		{"year", ReleaseInfo{Year: 99, Media: "CD"}, []string{"release_year"}},
		{"label with a newline", ReleaseInfo{RecordLabel: "X\nL", Media: "CD"}, []string{"record_label"}},
	} {
		if got := fields(tc.r.Check("add release")); !slices.Equal(got, tc.fields) {
			t.Errorf("release %s: fields refused %q, want %q", tc.name, got, tc.fields)
		}
	}
	for _, tc := range []struct {
		name   string
		f      FormatInfo
		media  string
		fields []string
	}{
		{"flac with log and cue", FormatInfo{Format: "FLAC", Encoding: "Lossless", HasLog: true, LogScore: 100, HasCue: true}, "CD", nil},
		{"24bit flac from the web", FormatInfo{Format: "FLAC", Encoding: "24bit Lossless"}, "WEB", nil},
		{"mp3 v0 scene", FormatInfo{Format: "MP3", Encoding: "V0 (VBR)", Scene: true}, "CD", nil},
		{"dts lossless", FormatInfo{Format: "DTS", Encoding: "Lossless"}, "DVD", nil},
		{"lossy flac", FormatInfo{Format: "FLAC", Encoding: "320"}, "CD", []string{"encoding"}},
		{"lossless mp3", FormatInfo{Format: "MP3", Encoding: "Lossless"}, "CD", []string{"encoding"}},
		{"unknown format", FormatInfo{Format: "WAV", Encoding: "Lossless"}, "CD", []string{"format"}},
		{"unknown encoding", FormatInfo{Format: "MP3", Encoding: "V0"}, "CD", []string{"encoding"}},
		{"log on vinyl", FormatInfo{Format: "FLAC", Encoding: "Lossless", HasLog: true, LogScore: 100}, "Vinyl", []string{"has_log"}},
		{"cue with mp3", FormatInfo{Format: "MP3", Encoding: "320", HasCue: true}, "CD", []string{"has_log"}},
		{"score without log", FormatInfo{Format: "FLAC", Encoding: "Lossless", LogScore: 80}, "CD", []string{"log_score"}},
		{"score over 100", FormatInfo{Format: "FLAC", Encoding: "Lossless", HasLog: true, LogScore: 101}, "CD", []string{"log_score"}},
	} {
		if got := fields(tc.f.Check("add format", tc.media)); !slices.Equal(got, tc.fields) {
			t.Errorf("format %s: fields refused %q, want %q", tc.name, got, tc.fields)
		}
	}
	if got := (FormatInfo{Format: "FLAC", Encoding: "Lossless", HasLog: true, LogScore: 95, HasCue: true}).Label(); got != "FLAC / Lossless / Log (95%) / Cue" {
		t.Errorf("label %q", got)
	}
}

func TestCheckURL(t *testing.T) {
	for in, ok := range map[string]bool{"": true, "https://img.example/a.jpg": true, "http://a.b/c": true,
		"javascript:alert(1)": false, "data:image/png;base64,AA": false, "//example.org/a.jpg": false,
		"https://a.b/c d": false, "https://a.b/\"onload": false, "https:///nohost": false} {
		if err := CheckURL("edit", "image", in); (err == nil) != ok {
			t.Errorf("CheckURL(%q) = %v, want ok %v", in, err, ok)
		}
	}
}

// The hierarchy's rules: a format belongs to one edition of the album
// and one torrent; an edition holds one of each format and encoding; the
// same torrent cannot be two formats.
func TestAlbumFormatRules(t *testing.T) {
	album, cd, vinyl := uuid.New(), uuid.New(), uuid.New()
	h1, h2, h3 := domain.InfoHash{1}, domain.InfoHash{2}, domain.InfoHash{3}
	flac := FormatInfo{Format: "FLAC", Encoding: "Lossless"}
	var a Album
	for _, e := range []domain.Event{
		AlbumCreated{Album: album, AlbumInfo: AlbumInfo{Title: "T", Year: 2001, ReleaseType: TypeAlbum}},
		ReleaseAdded{Album: album, Release: cd, ReleaseInfo: ReleaseInfo{Media: "CD"}},
		ReleaseAdded{Album: album, Release: vinyl, ReleaseInfo: ReleaseInfo{Media: "Vinyl", Year: 2002}},
		ReleaseAdded{Album: uuid.New(), Release: uuid.New(), ReleaseInfo: ReleaseInfo{Media: "WEB"}}, // another album's
		FormatAdded{Album: album, Release: cd, InfoHash: h1, FormatInfo: flac},
	} {
		a.Apply(e)
	}
	if len(a.Releases) != 2 || len(a.Formats) != 1 {
		t.Fatalf("album state %+v", a)
	}
	for _, tc := range []struct {
		name    string
		release uuid.UUID
		h       domain.InfoHash
		f       FormatInfo
		kind    domain.Kind
		field   string
	}{
		{"another format in the edition", cd, h2, FormatInfo{Format: "MP3", Encoding: "320"}, 0, ""},
		{"the same format in another edition", vinyl, h2, flac, 0, ""},
		{"a duplicate format", cd, h2, flac, domain.KindConflict, "format"},
		{"the same torrent twice", vinyl, h1, FormatInfo{Format: "MP3", Encoding: "V0 (VBR)"}, domain.KindConflict, "file"},
		{"an edition of another album", uuid.New(), h3, flac, domain.KindNotFound, "release"},
		{"a bad format", cd, h3, FormatInfo{Format: "FLAC", Encoding: "320"}, domain.KindInvalid, "encoding"},
	} {
		err := a.CheckNewFormat("add format", tc.release, tc.h, tc.f)
		if tc.kind == 0 {
			if err != nil {
				t.Errorf("%s: refused: %v", tc.name, err)
			}
			continue
		}
		if domain.KindOf(err) != tc.kind || domain.FieldOf(err) != tc.field {
			t.Errorf("%s: %v (kind %v, field %q); want kind %v on %q", tc.name, err, domain.KindOf(err), domain.FieldOf(err), tc.kind, tc.field)
		}
	}
	var dup *DuplicateError
	if err := a.CheckNewFormat("add format", cd, h2, flac); !errors.As(err, &dup) || dup.Existing != h1 {
		t.Errorf("a duplicate names the torrent that has the format: %v", err)
	}
	if r, ok := a.SameRelease(ReleaseInfo{Media: "Vinyl", Year: 2002}); !ok || r.ID != vinyl {
		t.Errorf("the vinyl edition is found by what describes it: %v %v", r, ok)
	}
	if _, ok := a.SameRelease(ReleaseInfo{Media: "Vinyl", Year: 2002, EditionTitle: "Deluxe"}); ok {
		t.Error("a deluxe vinyl is another edition")
	}
}

func TestMergeRules(t *testing.T) {
	a, b, gone := Artist{ID: uuid.New(), Name: "Sunn O)))"}, Artist{ID: uuid.New(), Name: "Sunn 0)))"}, Artist{ID: uuid.New(), Name: "Old", MergedInto: uuid.New()}
	for _, tc := range []struct {
		name     string
		from, to Artist
		kind     domain.Kind
	}{
		{"a duplicate into the artist", b, a, 0},
		{"into itself", a, a, domain.KindInvalid},
		{"an artist merged already", gone, a, domain.KindConflict},
		{"into a merged artist", a, gone, domain.KindInvalid},
		{"a missing artist", Artist{}, a, domain.KindNotFound},
	} {
		err := CheckMerge("merge", tc.from, tc.to)
		if (tc.kind == 0 && err != nil) || (tc.kind != 0 && domain.KindOf(err) != tc.kind) {
			t.Errorf("%s: %v, want kind %v", tc.name, err, tc.kind)
		}
	}
	var art Artist
	for _, e := range []domain.Event{ArtistCreated{Artist: b.ID, Name: b.Name}, ArtistAliasAdded{Artist: b.ID, Alias: "SunnO"},
		ArtistMerged{Artist: b.ID, Into: a.ID}, ArtistAliasAdded{Artist: a.ID, Alias: "not b's"}} {
		art.Apply(e)
	}
	if art.MergedInto != a.ID || !slices.Equal(art.Names(), []string{"Sunn 0)))", "SunnO"}) {
		t.Errorf("merged artist %+v", art)
	}
}

// Every event belongs on its aggregate's subject, and nowhere else; a
// name claim on its name's subject, whatever the case and spacing.
func TestPlacement(t *testing.T) {
	artist, album := uuid.New(), uuid.New()
	for _, tc := range []struct {
		e       domain.Event
		subject string
		ok      bool
	}{
		{ArtistNameClaimed{Name: "Boards of  Canada", Artist: artist}, NameSubject("boards of canada"), true},
		{ArtistNameClaimed{Name: "Boards of Canada", Artist: artist}, NameSubject("Autechre"), false},
		{ArtistCreated{Artist: artist, Name: "X"}, ArtistSubject(artist), true},
		{ArtistCreated{Artist: artist, Name: "X"}, ArtistSubject(uuid.New()), false},
		{ArtistMerged{Artist: artist, Into: uuid.New()}, ArtistSubject(artist), true},
		{FormatAdded{Album: album, InfoHash: domain.InfoHash{9}}, AlbumSubject(album), true},
		{FormatAdded{Album: album}, ArtistSubject(album), false},
		{ReleaseAdded{Album: album}, domain.TorrentSubject(domain.InfoHash{9}), false},
		{AlbumKeyClaimed{Key: "k1", Album: album}, AlbumKeySubject("k1"), true},
		{AlbumKeyClaimed{Key: "k1", Album: album}, AlbumKeySubject("k2"), false},
	} {
		if err := domain.CheckEventPlacement(tc.subject, tc.e); (err == nil) != tc.ok {
			t.Errorf("%s on %s: %v, want ok %v", tc.e.EventType(), tc.subject, err, tc.ok)
		}
	}
}

// An album's key ignores the order of its artists and the case and
// spacing of its title, and tells years and line-ups apart.
func TestAlbumKey(t *testing.T) {
	a, b := uuid.New(), uuid.New()
	k := AlbumKey([]uuid.UUID{a, b}, "Selected Ambient Works", 1992)
	for _, same := range []string{AlbumKey([]uuid.UUID{b, a}, "selected  ambient works", 1992)} {
		if same != k {
			t.Errorf("the same album has another key")
		}
	}
	for _, other := range []string{AlbumKey([]uuid.UUID{a}, "Selected Ambient Works", 1992), AlbumKey([]uuid.UUID{a, b}, "Selected Ambient Works", 1994)} {
		if other == k {
			t.Errorf("another album has the same key")
		}
	}
}

// Every event survives the log's encoding.
func TestEventsRoundTrip(t *testing.T) {
	h := domain.InfoHash{7}
	events := []domain.Event{
		ArtistNameClaimed{Name: "Björk", Artist: uuid.New()},
		ArtistCreated{Artist: uuid.New(), Name: "Björk", ArtistInfo: ArtistInfo{Description: "Icelandic", ImageURL: "https://x.y/b.jpg", Similar: []uuid.UUID{uuid.New()}}},
		ArtistEdited{Artist: uuid.New(), ArtistInfo: ArtistInfo{Description: "d"}},
		ArtistAliasAdded{Artist: uuid.New(), Alias: "Bjork"},
		ArtistMerged{Artist: uuid.New(), Into: uuid.New()},
		AlbumKeyClaimed{Key: AlbumKey([]uuid.UUID{uuid.New()}, "Homogenic", 1997), Album: uuid.New()},
		AlbumCreated{Album: uuid.New(), AlbumInfo: AlbumInfo{Title: "Homogenic", Year: 1997, ReleaseType: TypeAlbum, Tags: []string{"electronic"}, Credits: []Credit{{uuid.New(), RoleMain}}}},
		AlbumEdited{Album: uuid.New(), AlbumInfo: AlbumInfo{Title: "Homogenic", Year: 1997, ReleaseType: TypeAlbum}},
		ReleaseAdded{Album: uuid.New(), Release: uuid.New(), ReleaseInfo: ReleaseInfo{Year: 1997, RecordLabel: "One Little Indian", CatalogueNumber: "TPLP71CD", Media: "CD"}},
		ReleaseEdited{Album: uuid.New(), Release: uuid.New(), ReleaseInfo: ReleaseInfo{Media: "Vinyl"}},
		FormatAdded{Album: uuid.New(), Release: uuid.New(), InfoHash: h, FormatInfo: FormatInfo{Format: "FLAC", Encoding: "Lossless", HasLog: true, LogScore: 100, HasCue: true}},
		FormatEdited{Album: uuid.New(), InfoHash: h, FormatInfo: FormatInfo{Format: "MP3", Encoding: "320", Scene: true}},
	}
	if len(events) != len(Types) {
		t.Fatalf("%d events tested, %d types", len(events), len(Types))
	}
	for _, e := range events {
		typ := e.EventType()
		version, payload, err := domain.Encode(e)
		if err != nil {
			t.Fatal(err)
		}
		back, err := domain.Decode(typ, version, payload)
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		if !domain.HasPlacement(typ) {
			t.Errorf("%s has no placement", typ)
		}
		if !reflect.DeepEqual(back, e) {
			t.Errorf("%s round trip:\n got %+v\nwant %+v", typ, back, e)
		}
	}
}
