package movies

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/domaintest"
	"github.com/google/uuid"
)

func TestParseVocabularies(t *testing.T) {
	for _, tc := range []struct {
		list     []string
		in, want string
	}{
		{Sources, "blu-ray", "Blu-ray"}, {Sources, " UHD BLU-RAY ", "UHD Blu-ray"}, {Sources, "web", "WEB"}, {Sources, "Bluray", ""},
		{Codecs, "X264", "x264"}, {Codecs, "h.265", "H.265"}, {Codecs, "vc-1", "VC-1"}, {Codecs, "HEVC", ""},
		{Containers, "mkv", "MKV"}, {Containers, "vob ifo", "VOB IFO"}, {Containers, "MOV", ""},
		{Resolutions, "1080P", "1080p"}, {Resolutions, "1080i", "1080i"}, {Resolutions, "4K", ""},
		{HDRs, "dolby vision", "Dolby Vision"}, {HDRs, "hdr10+", "HDR10+"}, {HDRs, "HDR", ""},
		{Kinds, "remux", "Remux"}, {Kinds, "DISC", "Disc"}, {Kinds, "rip", ""},
	} {
		got, err := Parse(tc.list, "value", tc.in)
		if got != tc.want || (err == nil) != (tc.want != "") {
			t.Errorf("Parse(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if h, err := ParseHDR(""); h != HDRNone || err != nil {
		t.Errorf("ParseHDR(\"\") = %q, %v", h, err)
	}
	for _, tc := range []struct {
		in   string
		want CreditKind
		ok   bool
	}{{"director", CreditDirector, true}, {"Actors", CreditActor, true}, {"cast", CreditActor, true}, {"3", CreditProducer, true},
		{" Writer ", CreditWriter, true}, {"composer", 0, false}, {"0", 0, false}} {
		got, err := ParseCreditKind(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseCreditKind(%q) = %v, %v; want %v (ok %v)", tc.in, got, err, tc.want, tc.ok)
		}
	}
	if CreditActor.Plural() != "Actors" || CreditKind(9).Valid() {
		t.Error("credit kind names")
	}
}

func TestNormalizeTagsAndSubtitles(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want []string
		err  string
	}{
		{[]string{"Science Fiction", " noir ", "neo-noir", "noir", ""}, []string{"science.fiction", "noir", "neo.noir"}, ""},
		{[]string{"film_noir", "1970s", "drama."}, []string{"film.noir", "1970s", "drama"}, ""},
		{[]string{"sci-fi&horror"}, nil, "letters a-z"},
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
	for _, tc := range []struct {
		in   []string
		want []string
		ok   bool
	}{
		{[]string{"EN", " fr ", "en", ""}, []string{"en", "fr"}, true},
		{SplitList("de,ja,zh"), []string{"de", "ja", "zh"}, true},
		{nil, nil, true},
		{[]string{"eng"}, nil, false},
		{[]string{"english"}, nil, false},
		{[]string{"xx"}, nil, false},
		{[]string{"e"}, nil, false},
	} {
		got, err := NormalizeSubtitles("subs", "subtitles", tc.in)
		if (err == nil) != tc.ok || !slices.Equal(got, tc.want) || (err != nil && domain.FieldOf(err) != "subtitles") {
			t.Errorf("NormalizeSubtitles(%q) = %q, %v; want %q (ok %v)", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// fields lists the fields a (joined) refusal names, in order.
func fields(err error) []string { return domain.Fields(err) }

func TestMovieInfoCheck(t *testing.T) {
	director := Credit{Person: uuid.New(), Kind: CreditDirector}
	actor := Credit{Person: uuid.New(), Kind: CreditActor, Role: "Neo", Billing: 1}
	writer := Credit{Person: uuid.New(), Kind: CreditWriter}
	good := MovieInfo{Title: "The Matrix", Year: 1999, IMDbID: "tt0133093", Runtime: 136, Tags: []string{"science.fiction"},
		PosterURL: "https://img.example/matrix.jpg", Credits: []Credit{director, actor, writer}}
	for _, tc := range []struct {
		name   string
		edit   func(*MovieInfo)
		fields []string
	}{
		{"good", func(*MovieInfo) {}, nil},
		{"an actor alone", func(m *MovieInfo) { m.Credits = []Credit{actor} }, nil},
		{"a director alone, no runtime, no imdb", func(m *MovieInfo) { m.Credits, m.Runtime, m.IMDbID = []Credit{director}, 0, "" }, nil},
		{"an eight-digit imdb id", func(m *MovieInfo) { m.IMDbID = "tt10872600" }, nil},
		{"one actor in two roles", func(m *MovieInfo) {
			m.Credits = []Credit{{actor.Person, CreditActor, "Dr. Strangelove", 1}, {actor.Person, CreditActor, "Mandrake", 2}}
		}, nil},
		{"no title", func(m *MovieInfo) { m.Title = "" }, []string{"title"}},
		{"original title with a tab", func(m *MovieInfo) { m.OriginalTitle = "A\tB" }, []string{"original_title"}},
		{"year before cinema", func(m *MovieInfo) { m.Year = 1850 }, []string{"year"}},
		{"no year", func(m *MovieInfo) { m.Year = 0 }, []string{"year"}},
		{"imdb without tt", func(m *MovieInfo) { m.IMDbID = "0133093" }, []string{"imdb_id"}},
		{"imdb too short", func(m *MovieInfo) { m.IMDbID = "tt013309" }, []string{"imdb_id"}},
		{"imdb too long", func(m *MovieInfo) { m.IMDbID = "tt013309312" }, []string{"imdb_id"}},
		{"imdb as a link", func(m *MovieInfo) { m.IMDbID = "https://www.imdb.com/title/tt0133093/" }, []string{"imdb_id"}},
		{"runtime over 1000", func(m *MovieInfo) { m.Runtime = 1001 }, []string{"runtime"}},
		{"negative runtime", func(m *MovieInfo) { m.Runtime = -1 }, []string{"runtime"}},
		{"tags not normal", func(m *MovieInfo) { m.Tags = []string{"Science Fiction"} }, []string{"tags"}},
		{"javascript poster", func(m *MovieInfo) { m.PosterURL = "javascript:alert(1)" }, []string{"poster"}},
		{"a writer only", func(m *MovieInfo) { m.Credits = []Credit{writer} }, []string{"credits"}},
		{"no credits", func(m *MovieInfo) { m.Credits = nil }, []string{"credits"}},
		{"an actor without billing", func(m *MovieInfo) { m.Credits = []Credit{{actor.Person, CreditActor, "Neo", 0}} }, []string{"credits"}},
		{"two actors billed first", func(m *MovieInfo) {
			m.Credits = []Credit{actor, {uuid.New(), CreditActor, "Trinity", 1}}
		}, []string{"credits"}},
		{"a director with a role", func(m *MovieInfo) { m.Credits = []Credit{{director.Person, CreditDirector, "Neo", 0}} }, []string{"credits"}},
		{"a producer billed", func(m *MovieInfo) { m.Credits = []Credit{actor, {uuid.New(), CreditProducer, "", 2}} }, []string{"credits"}},
		{"a director twice", func(m *MovieInfo) { m.Credits = []Credit{director, director} }, []string{"credits"}},
		{"an actor twice in one role", func(m *MovieInfo) {
			m.Credits = []Credit{actor, {actor.Person, CreditActor, "neo", 2}}
		}, []string{"credits"}},
		{"a role with a newline", func(m *MovieInfo) { m.Credits = []Credit{{actor.Person, CreditActor, "Ne\no", 1}} }, []string{"credits"}},
		{"a credit naming nobody", func(m *MovieInfo) { m.Credits = []Credit{director, {uuid.Nil, CreditWriter, "", 0}} }, []string{"credits"}},
		{"an unknown kind", func(m *MovieInfo) { m.Credits = []Credit{director, {uuid.New(), 7, "", 0}} }, []string{"credits"}},
		{"several at once", func(m *MovieInfo) { m.Title, m.Year, m.IMDbID = "", 3000, "x" }, []string{"title", "year", "imdb_id"}},
	} {
		m := good
		m.Credits = slices.Clone(good.Credits)
		tc.edit(&m)
		err := m.Check("add movie")
		if got := fields(err); !slices.Equal(got, tc.fields) {
			t.Errorf("%s: fields refused %q (%v), want %q", tc.name, got, err, tc.fields)
		}
		if err != nil && domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("%s: kind %v, want invalid", tc.name, domain.KindOf(err))
		}
	}
}

func TestPersonAndEditionCheck(t *testing.T) {
	for _, tc := range []struct {
		name   string
		p      PersonInfo
		fields []string
	}{
		{"good", PersonInfo{BirthYear: 1964, Biography: "Born in Beirut.\nRaised in Toronto."}, nil},
		{"unknown birth", PersonInfo{}, nil},
		{"born too early", PersonInfo{BirthYear: 1700}, []string{"birth_year"}},
		{"biography too long", PersonInfo{Biography: strings.Repeat("a", MaxText+1)}, []string{"biography"}},
		{"biography with a control character", PersonInfo{Biography: "a\x00b"}, []string{"biography"}},
	} {
		if got := fields(tc.p.Check("edit person")); !slices.Equal(got, tc.fields) {
			t.Errorf("person %s: fields refused %q, want %q", tc.name, got, tc.fields)
		}
	}
	for name, ok := range map[string]bool{"Keanu Reeves": true, "": false, " Keanu": false, strings.Repeat("k", MaxName+1): false, "K\x07": false} {
		if err := CheckPersonName("add", "name", name); (err == nil) != ok {
			t.Errorf("CheckPersonName(%q) = %v", name, err)
		}
	}
	for _, tc := range []struct {
		name   string
		e      EditionInfo
		fields []string
	}{
		{"good", EditionInfo{Name: "Director's Cut", Year: 2007, Distributor: "Warner"}, nil},
		{"the movie's year", EditionInfo{Name: "Theatrical"}, nil},
		{"no name", EditionInfo{Year: 2001}, []string{"edition"}},
		{"year", EditionInfo{Name: "Extended", Year: 99}, []string{"edition_year"}},
		{"distributor with a newline", EditionInfo{Name: "Extended", Distributor: "A\nB"}, []string{"distributor"}},
	} {
		if got := fields(tc.e.Check("add edition")); !slices.Equal(got, tc.fields) {
			t.Errorf("edition %s: fields refused %q, want %q", tc.name, got, tc.fields)
		}
	}
	a := EditionInfo{Name: "Director's Cut", Year: 2007, Distributor: "Warner"}
	if !a.Same(EditionInfo{Name: "director's  cut", Year: 2007, Distributor: "WARNER"}) || a.Same(EditionInfo{Name: "Director's Cut"}) {
		t.Error("editions are the same by name, year and distributor, whatever the case")
	}
	if a.Label() != "Director's Cut (2007, Warner)" || (EditionInfo{Name: "Theatrical"}).Label() != "Theatrical" {
		t.Errorf("label %q", a.Label())
	}
}

func TestFormatCheck(t *testing.T) {
	enc := FormatInfo{Source: "Blu-ray", Codec: "x264", Container: "MKV", Resolution: "1080p", HDR: HDRNone, Kind: KindEncode, Subtitles: []string{"en", "fr"}}
	for _, tc := range []struct {
		name   string
		edit   func(*FormatInfo)
		fields []string
	}{
		{"a blu-ray encode", func(*FormatInfo) {}, nil},
		{"a dvd encode in avi", func(f *FormatInfo) { f.Source, f.Codec, f.Container, f.Resolution = "DVD", "XviD", "AVI", "576p" }, nil},
		{"a uhd remux in dolby vision", func(f *FormatInfo) {
			f.Source, f.Codec, f.Resolution, f.Kind, f.HDR = "UHD Blu-ray", "H.265", "2160p", KindRemux, "Dolby Vision"
		}, nil},
		{"a uhd disc", func(f *FormatInfo) {
			f.Source, f.Codec, f.Container, f.Resolution, f.Kind, f.HDR = "UHD Blu-ray", "H.265", "M2TS", "2160p", KindDisc, "HDR10"
		}, nil},
		{"a dvd as vob ifo", func(f *FormatInfo) {
			f.Source, f.Codec, f.Container, f.Resolution, f.Kind = "DVD", "MPEG-2", "VOB IFO", "480p", KindDisc
		}, nil},
		{"a web file in hdr10+", func(f *FormatInfo) { f.Source, f.Codec, f.Resolution, f.HDR = "WEB", "AV1", "2160p", "HDR10+" }, nil},
		{"an hdtv capture", func(f *FormatInfo) { f.Source, f.Codec, f.Container, f.Resolution = "HDTV", "MPEG-2", "MP4", "1080i" }, nil},
		{"no subtitles", func(f *FormatInfo) { f.Subtitles = nil }, nil},
		{"unknown source", func(f *FormatInfo) { f.Source = "LaserDisc" }, []string{"source"}},
		{"a source in the wrong case", func(f *FormatInfo) { f.Source = "blu-ray" }, []string{"source"}},
		{"unknown codec", func(f *FormatInfo) { f.Codec = "HEVC" }, []string{"codec"}},
		{"unknown container", func(f *FormatInfo) { f.Container = "MOV" }, []string{"container"}},
		{"unknown resolution", func(f *FormatInfo) { f.Resolution = "4K" }, []string{"resolution"}},
		{"no hdr given", func(f *FormatInfo) { f.HDR = "" }, []string{"hdr"}},
		{"unknown kind", func(f *FormatInfo) { f.Kind = "Rip" }, []string{"kind"}},
		{"a dvd in 720p", func(f *FormatInfo) { f.Source = "DVD"; f.Resolution = "720p" }, []string{"resolution"}},
		{"a vhs in 1080p", func(f *FormatInfo) { f.Source = "VHS" }, []string{"resolution"}},
		{"a blu-ray in 2160p", func(f *FormatInfo) { f.Resolution = "2160p" }, []string{"resolution"}},
		{"a remux of the web", func(f *FormatInfo) { f.Source, f.Kind = "WEB", KindRemux }, []string{"kind"}},
		{"a remux in avi", func(f *FormatInfo) { f.Kind, f.Container = KindRemux, "AVI" }, []string{"container"}},
		{"an encode as an iso", func(f *FormatInfo) { f.Container = "ISO" }, []string{"container"}},
		{"a disc of hdtv", func(f *FormatInfo) { f.Source, f.Kind, f.Container = "HDTV", KindDisc, "ISO" }, []string{"kind"}},
		{"a blu-ray as vob ifo", func(f *FormatInfo) { f.Kind, f.Container = KindDisc, "VOB IFO" }, []string{"container"}},
		{"a dvd as m2ts", func(f *FormatInfo) {
			f.Source, f.Resolution, f.Kind, f.Container = "DVD", "576p", KindDisc, "M2TS"
		}, []string{"container"}},
		{"a disc in mkv", func(f *FormatInfo) { f.Kind = KindDisc }, []string{"container"}},
		{"hdr in x264", func(f *FormatInfo) { f.HDR = "HDR10" }, []string{"hdr"}},
		{"hdr from a dvd", func(f *FormatInfo) {
			f.Source, f.Codec, f.Resolution, f.HDR = "DVD", "x265", "576p", "HDR10"
		}, []string{"hdr"}},
		{"subtitles not normal", func(f *FormatInfo) { f.Subtitles = []string{"EN"} }, []string{"subtitles"}},
		{"a subtitle that is no language", func(f *FormatInfo) { f.Subtitles = []string{"klingon"} }, []string{"subtitles"}},
		{"several at once", func(f *FormatInfo) { f.Source, f.Codec, f.Subtitles = "", "", []string{"zz"} }, []string{"source", "codec", "subtitles"}},
	} {
		f := enc
		f.Subtitles = slices.Clone(enc.Subtitles)
		tc.edit(&f)
		err := f.Check("add format")
		if got := fields(err); !slices.Equal(got, tc.fields) {
			t.Errorf("%s: fields refused %q (%v), want %q", tc.name, got, err, tc.fields)
		}
	}
	if got := enc.Label(); got != "Blu-ray / 1080p / x264 / MKV / Encode" {
		t.Errorf("label %q", got)
	}
	dv := FormatInfo{Source: "UHD Blu-ray", Codec: "H.265", Container: "M2TS", Resolution: "2160p", HDR: "Dolby Vision", Kind: KindDisc}
	if got := dv.Key(); got != "UHD Blu-ray / 2160p / H.265 / Disc / Dolby Vision" {
		t.Errorf("key %q", got)
	}
}

// Duplicates: the same source, resolution, codec, kind and HDR; not the
// container or the subtitles.
func TestDuplicates(t *testing.T) {
	a := FormatInfo{Source: "Blu-ray", Codec: "x264", Container: "MKV", Resolution: "1080p", HDR: HDRNone, Kind: KindEncode}
	for _, tc := range []struct {
		name string
		edit func(*FormatInfo)
		dup  bool
	}{
		{"the same", func(*FormatInfo) {}, true},
		{"another container", func(f *FormatInfo) { f.Container = "MP4" }, true},
		{"other subtitles", func(f *FormatInfo) { f.Subtitles = []string{"de"} }, true},
		{"another source", func(f *FormatInfo) { f.Source = "WEB" }, false},
		{"another resolution", func(f *FormatInfo) { f.Resolution = "720p" }, false},
		{"another codec", func(f *FormatInfo) { f.Codec = "x265" }, false},
		{"another kind", func(f *FormatInfo) { f.Kind = KindRemux }, false},
		{"another hdr", func(f *FormatInfo) { f.HDR = "HDR10" }, false},
	} {
		b := a
		tc.edit(&b)
		if got := a.Duplicates(b); got != tc.dup {
			t.Errorf("%s: Duplicates = %v, want %v", tc.name, got, tc.dup)
		}
	}
}

func TestCheckURL(t *testing.T) {
	for in, ok := range map[string]bool{"": true, "https://img.example/a.jpg": true, "http://a.b/c": true,
		"javascript:alert(1)": false, "data:image/png;base64,AA": false, "//example.org/a.jpg": false,
		"https://a.b/c d": false, "https://a.b/\"onload": false, "https:///nohost": false} {
		if err := CheckURL("edit", "poster", in); (err == nil) != ok {
			t.Errorf("CheckURL(%q) = %v, want ok %v", in, err, ok)
		}
	}
}

// The hierarchy's rules: a format belongs to one edition of the movie and
// one torrent; an edition holds one format of each source, resolution,
// codec, kind and HDR; the same torrent cannot be two formats.
func TestMovieFormatRules(t *testing.T) {
	movie, theatrical, cut := uuid.New(), uuid.New(), uuid.New()
	h1, h2, h3 := domain.InfoHash{1}, domain.InfoHash{2}, domain.InfoHash{3}
	x264 := FormatInfo{Source: "Blu-ray", Codec: "x264", Container: "MKV", Resolution: "1080p", HDR: HDRNone, Kind: KindEncode}
	var m Movie
	for _, e := range []domain.Event{
		MovieCreated{Movie: movie, MovieInfo: MovieInfo{Title: "Blade Runner", Year: 1982}},
		EditionAdded{Movie: movie, Edition: theatrical, EditionInfo: EditionInfo{Name: "Theatrical"}},
		EditionAdded{Movie: movie, Edition: cut, EditionInfo: EditionInfo{Name: "Final Cut", Year: 2007}},
		EditionAdded{Movie: uuid.New(), Edition: uuid.New(), EditionInfo: EditionInfo{Name: "Another movie's"}},
		FormatAdded{Movie: movie, Edition: theatrical, InfoHash: h1, FormatInfo: x264},
		FormatAdded{Movie: uuid.New(), Edition: theatrical, InfoHash: h3, FormatInfo: x264}, // another movie's
	} {
		m.Apply(e)
	}
	if len(m.Editions) != 2 || len(m.Formats) != 1 {
		t.Fatalf("movie state %+v", m)
	}
	mp4 := x264
	mp4.Container = "MP4"
	for _, tc := range []struct {
		name    string
		edition uuid.UUID
		h       domain.InfoHash
		f       FormatInfo
		kind    domain.Kind
		field   string
	}{
		{"another format in the edition", theatrical, h2, FormatInfo{Source: "Blu-ray", Codec: "x264", Container: "MKV", Resolution: "720p", HDR: HDRNone, Kind: KindEncode}, 0, ""},
		{"the same format in another edition", cut, h2, x264, 0, ""},
		{"a duplicate format", theatrical, h2, x264, domain.KindConflict, "format"},
		{"a duplicate in another container", theatrical, h2, mp4, domain.KindConflict, "format"},
		{"the same torrent twice", cut, h1, FormatInfo{Source: "WEB", Codec: "H.264", Container: "MKV", Resolution: "1080p", HDR: HDRNone, Kind: KindEncode}, domain.KindConflict, "file"},
		{"an edition of another movie", uuid.New(), h3, x264, domain.KindNotFound, "edition"},
		{"a bad format", theatrical, h3, FormatInfo{Source: "DVD", Codec: "x264", Container: "MKV", Resolution: "1080p", HDR: HDRNone, Kind: KindEncode}, domain.KindInvalid, "resolution"},
	} {
		err := m.CheckNewFormat("add format", tc.edition, tc.h, tc.f)
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
	err := m.CheckNewFormat("add format", theatrical, h2, x264)
	if !errors.As(err, &dup) || dup.Existing != h1 || !strings.Contains(err.Error(), h1.String()) ||
		!strings.Contains(err.Error(), "same source, resolution, codec, kind and HDR") {
		t.Errorf("a duplicate names the torrent that has the format and what makes it one: %v", err)
	}
	if e, ok := m.SameEdition(EditionInfo{Name: "final cut", Year: 2007}); !ok || e.ID != cut {
		t.Errorf("the final cut is found by what describes it: %v %v", e, ok)
	}
	if _, ok := m.SameEdition(EditionInfo{Name: "Final Cut"}); ok {
		t.Error("a final cut without the year is another edition")
	}
	if err := m.CheckEditionEdit("edit", theatrical, EditionInfo{Name: "Final Cut", Year: 2007}); domain.KindOf(err) != domain.KindConflict {
		t.Errorf("an edition edited into another: %v", err)
	}
	if err := m.CheckEditionEdit("edit", cut, EditionInfo{Name: "Final Cut", Year: 2007, Distributor: "Warner"}); err != nil {
		t.Errorf("an edition edited: %v", err)
	}
	if err := m.CheckEditionEdit("edit", uuid.New(), EditionInfo{Name: "X"}); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("an edition that is not there: %v", err)
	}
	m.Apply(FormatEdited{Movie: movie, InfoHash: h1, FormatInfo: mp4})
	m.Apply(EditionEdited{Movie: movie, Edition: cut, EditionInfo: EditionInfo{Name: "The Final Cut", Year: 2007}})
	if f, _ := m.Format(h1); f.Container != "MP4" || f.Edition != theatrical {
		t.Errorf("edited format %+v", f)
	}
	if e, _ := m.Edition(cut); e.Name != "The Final Cut" {
		t.Errorf("edited edition %+v", e)
	}
}

func TestMergeRules(t *testing.T) {
	a, b := Person{ID: uuid.New(), Name: "Keanu Reeves"}, Person{ID: uuid.New(), Name: "Keanu Reaves"}
	gone := Person{ID: uuid.New(), Name: "Old", MergedInto: uuid.New()}
	for _, tc := range []struct {
		name     string
		from, to Person
		kind     domain.Kind
	}{
		{"a duplicate into the person", b, a, 0},
		{"into themselves", a, a, domain.KindInvalid},
		{"a person merged already", gone, a, domain.KindConflict},
		{"into a merged person", a, gone, domain.KindInvalid},
		{"a missing person", Person{}, a, domain.KindNotFound},
		{"into a missing person", a, Person{}, domain.KindNotFound},
	} {
		err := CheckMerge("merge", tc.from, tc.to)
		if (tc.kind == 0 && err != nil) || (tc.kind != 0 && domain.KindOf(err) != tc.kind) {
			t.Errorf("%s: %v, want kind %v", tc.name, err, tc.kind)
		}
	}
	var p Person
	for _, e := range []domain.Event{PersonCreated{Person: b.ID, Name: b.Name}, PersonAliasAdded{Person: b.ID, Alias: "K. Reaves"},
		PersonEdited{Person: b.ID, PersonInfo: PersonInfo{BirthYear: 1964}}, PersonMerged{Person: b.ID, Into: a.ID},
		PersonAliasAdded{Person: a.ID, Alias: "not b's"}} {
		p.Apply(e)
	}
	if p.MergedInto != a.ID || p.Info.BirthYear != 1964 || !slices.Equal(p.Names(), []string{"Keanu Reaves", "K. Reaves"}) {
		t.Errorf("merged person %+v", p)
	}
}

// Every event belongs on its aggregate's subject, and nowhere else; a
// name claim on its name's subject, whatever the case and spacing.
func TestPlacement(t *testing.T) {
	person, movie := uuid.New(), uuid.New()
	for _, tc := range []struct {
		e       domain.Event
		subject string
		ok      bool
	}{
		{PersonNameClaimed{Name: "Keanu  Reeves", Person: person}, NameSubject("keanu reeves"), true},
		{PersonNameClaimed{Name: "Keanu Reeves", Person: person}, NameSubject("Carrie-Anne Moss"), false},
		{PersonNameClaimed{Name: "Keanu Reeves", Person: person}, PersonSubject(person), false},
		{PersonCreated{Person: person, Name: "X"}, PersonSubject(person), true},
		{PersonCreated{Person: person, Name: "X"}, PersonSubject(uuid.New()), false},
		{PersonCreated{Person: person, Name: "X"}, NameSubject("X"), false},
		{PersonMerged{Person: person, Into: uuid.New()}, PersonSubject(person), true},
		{PersonEdited{Person: person}, MovieSubject(person), false},
		{MovieCreated{Movie: movie}, MovieSubject(movie), true},
		{EditionAdded{Movie: movie}, MovieSubject(movie), true},
		{FormatAdded{Movie: movie, InfoHash: domain.InfoHash{9}}, MovieSubject(movie), true},
		{FormatAdded{Movie: movie}, PersonSubject(movie), false},
		{FormatEdited{Movie: movie}, MovieSubject(uuid.New()), false},
		{EditionAdded{Movie: movie}, domain.TorrentSubject(domain.InfoHash{9}), false},
		{MovieCreated{Movie: movie}, "djembe.music.album." + movie.String(), false},
		{IMDbClaimed{IMDbID: "tt0133093", Movie: movie}, IMDbSubject("tt0133093"), true},
		{IMDbClaimed{IMDbID: "tt0133093", Movie: movie}, IMDbSubject("tt0234215"), false},
		{IMDbClaimed{IMDbID: "tt0133093", Movie: movie}, MovieSubject(movie), false},
		{IMDbReleased{IMDbID: "tt0133093", Movie: movie}, IMDbSubject("tt0133093"), true},
		{MovieIMDbVoided{Movie: movie, IMDbID: "tt0133093"}, MovieSubject(movie), true},
		{MovieIMDbVoided{Movie: movie, IMDbID: "tt0133093"}, IMDbSubject("tt0133093"), false},
		{MovieMerged{Movie: movie, Into: person}, MovieSubject(movie), true},
		{MovieMerged{Movie: movie, Into: person}, MovieSubject(person), false},
		{MovieAbsorbed{Movie: movie, From: person}, MovieSubject(movie), true},
		{MovieAbsorbed{Movie: movie, From: person}, MovieSubject(person), false},
	} {
		if err := domain.CheckEventPlacement(tc.subject, tc.e); (err == nil) != tc.ok {
			t.Errorf("%s on %s: %v, want ok %v", tc.e.EventType(), tc.subject, err, tc.ok)
		}
	}
	for _, s := range []string{PersonSubject(person), MovieSubject(movie), NameSubject("x"), IMDbSubject("tt0133093")} {
		if !strings.HasPrefix(s, strings.TrimSuffix(SubjectAll, ">")) {
			t.Errorf("%s is outside %s", s, SubjectAll)
		}
	}
}

// Every event survives the log's encoding.
func TestEventsRoundTrip(t *testing.T) {
	h := domain.InfoHash{7}
	f := FormatInfo{Source: "UHD Blu-ray", Codec: "H.265", Container: "MKV", Resolution: "2160p", HDR: "Dolby Vision", Kind: KindRemux, Subtitles: []string{"en", "ja"}}
	events := []domain.Event{
		PersonNameClaimed{Name: "Björk", Person: uuid.New()},
		PersonCreated{Person: uuid.New(), Name: "Björk", PersonInfo: PersonInfo{BirthYear: 1965, Biography: "Icelandic"}},
		PersonEdited{Person: uuid.New(), PersonInfo: PersonInfo{Biography: "b"}},
		PersonAliasAdded{Person: uuid.New(), Alias: "Bjork"},
		PersonMerged{Person: uuid.New(), Into: uuid.New()},
		MovieCreated{Movie: uuid.New(), MovieInfo: MovieInfo{Title: "Dancer in the Dark", Year: 2000, IMDbID: "tt0168629", Runtime: 140,
			Tags: []string{"drama", "musical"}, PosterURL: "https://img.example/d.jpg", Synopsis: "s", OriginalTitle: "o",
			Credits: []Credit{{uuid.New(), CreditActor, "Selma", 1}, {uuid.New(), CreditDirector, "", 0}}}},
		MovieEdited{Movie: uuid.New(), MovieInfo: MovieInfo{Title: "T", Year: 2000, Credits: []Credit{{uuid.New(), CreditWriter, "", 0}}}},
		EditionAdded{Movie: uuid.New(), Edition: uuid.New(), EditionInfo: EditionInfo{Name: "Criterion Collection", Year: 2010, Distributor: "Criterion"}},
		EditionEdited{Movie: uuid.New(), Edition: uuid.New(), EditionInfo: EditionInfo{Name: "Theatrical"}},
		FormatAdded{Movie: uuid.New(), Edition: uuid.New(), InfoHash: h, FormatInfo: f},
		FormatEdited{Movie: uuid.New(), InfoHash: h, FormatInfo: f},
		IMDbClaimed{IMDbID: "tt0168629", Movie: uuid.New()},
		IMDbReleased{IMDbID: "tt0168629", Movie: uuid.New()},
		MovieIMDbVoided{Movie: uuid.New(), IMDbID: "tt0168629"},
		MovieMerged{Movie: uuid.New(), Into: uuid.New()},
		MovieAbsorbed{Movie: uuid.New(), From: uuid.New(), IMDbID: "tt0168629",
			Editions: []MergedEdition{{Edition: uuid.New(), Into: uuid.New(), EditionInfo: EditionInfo{Name: "Theatrical", Year: 2000}}},
			Formats:  []MergedFormat{{InfoHash: h, Edition: uuid.New(), FormatInfo: f}}},
	}
	if len(events) != len(Types) {
		t.Fatalf("%d events tested, %d types", len(events), len(Types))
	}
	for i, e := range events {
		typ := e.EventType()
		if typ != Types[i] || !strings.HasPrefix(typ, "Movies") {
			t.Errorf("event %d is a %s, Types has %s", i, typ, Types[i])
		}
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

// Every event, with random non-zero fields, survives the log's encoding
// (as internal/app checks for every registered type).
func TestRandomEventsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	for _, typ := range Types {
		for range 10 {
			e, err := domaintest.RandomEvent(typ, rng)
			if err != nil {
				t.Fatal(err)
			}
			back, err := domaintest.RoundTrip(e)
			if err != nil || !reflect.DeepEqual(back, e) {
				t.Fatalf("%s: %v\n got %+v\nwant %+v", typ, err, back, e)
			}
		}
	}
}
