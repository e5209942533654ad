package movies

import (
	"errors"
	"slices"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// A claim's holder is the movie its last IMDbClaimed names, until that
// movie releases it; a release by another movie changes nothing.
func TestIMDbClaim(t *testing.T) {
	a, b := uuid.New(), uuid.New()
	for _, tc := range []struct {
		name   string
		events []domain.Event
		holder uuid.UUID
	}{
		{"never claimed", nil, uuid.Nil},
		{"claimed", []domain.Event{IMDbClaimed{"tt0133093", a}}, a},
		{"released", []domain.Event{IMDbClaimed{"tt0133093", a}, IMDbReleased{"tt0133093", a}}, uuid.Nil},
		{"released by another", []domain.Event{IMDbClaimed{"tt0133093", a}, IMDbReleased{"tt0133093", b}}, a},
		{"re-taken after a release", []domain.Event{IMDbClaimed{"tt0133093", a}, IMDbReleased{"tt0133093", a}, IMDbClaimed{"tt0133093", b}}, b},
		{"taken over (a pending claim voided)", []domain.Event{IMDbClaimed{"tt0133093", a}, IMDbClaimed{"tt0133093", b}}, b},
		{"a late release of the old holder", []domain.Event{IMDbClaimed{"tt0133093", a}, IMDbClaimed{"tt0133093", b}, IMDbReleased{"tt0133093", a}}, b},
	} {
		var c IMDbClaim
		for _, e := range tc.events {
			c.Apply(e)
		}
		if c.Holder != tc.holder {
			t.Errorf("%s: held by %v, want %v", tc.name, c.Holder, tc.holder)
		}
	}
}

// A movie holds an id only while it exists, is not merged and carries it.
func TestHoldsIMDb(t *testing.T) {
	id := uuid.New()
	matrix := Movie{ID: id, Info: MovieInfo{Title: "The Matrix", Year: 1999, IMDbID: "tt0133093"}}
	merged := matrix
	merged.MergedInto = uuid.New()
	other := matrix
	other.Info.IMDbID = "tt0234215"
	for _, tc := range []struct {
		name string
		m    Movie
		want bool
	}{
		{"carries it", matrix, true},
		{"never created (its writer stopped)", Movie{}, false},
		{"carries another (an edit pending or stopped)", other, false},
		{"merged away", merged, false},
	} {
		if got := HoldsIMDb(tc.m, "tt0133093"); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	err := IMDbTaken("upload movie", "tt0133093", matrix)
	var taken *IMDbTakenError
	if domain.FieldOf(err) != "imdb_id" || domain.KindOf(err) != domain.KindConflict || !errors.As(err, &taken) || taken.Movie != id ||
		domain.Message(err) != "IMDb id tt0133093 is The Matrix (1999), here already: add your format to that movie" {
		t.Errorf("the refusal: %v", err)
	}
}

// A merge is refused into itself, into a merged movie, of a merged movie
// and of or into a missing one.
func TestMovieMergeRules(t *testing.T) {
	a := Movie{ID: uuid.New(), Info: MovieInfo{Title: "The Matrix", Year: 1999}}
	b := Movie{ID: uuid.New(), Info: MovieInfo{Title: "Matrix", Year: 1999}}
	gone := Movie{ID: uuid.New(), Info: MovieInfo{Title: "Old", Year: 1999}, MergedInto: uuid.New()}
	for _, tc := range []struct {
		name     string
		from, to Movie
		kind     domain.Kind
		field    string
	}{
		{"a duplicate into the movie", b, a, 0, ""},
		{"into itself", a, a, domain.KindInvalid, "into"},
		{"a movie merged already", gone, a, domain.KindConflict, ""},
		{"into a merged movie", a, gone, domain.KindInvalid, "into"},
		{"a missing movie", Movie{}, a, domain.KindNotFound, ""},
		{"into a missing movie", a, Movie{}, domain.KindNotFound, "into"},
	} {
		err := CheckMovieMerge("merge movies", tc.from, tc.to)
		if (tc.kind == 0 && err != nil) || (tc.kind != 0 && (domain.KindOf(err) != tc.kind || domain.FieldOf(err) != tc.field)) {
			t.Errorf("%s: %v, want kind %v on %q", tc.name, err, tc.kind, tc.field)
		}
	}
}

// Absorb moves a duplicate's editions and formats: an edition the target
// has (by EditionInfo.Same) is joined, the others move as they are, every
// format goes with its edition, duplicates included; applied, the target
// holds them all and takes the IMDb id given when it had none.
func TestAbsorb(t *testing.T) {
	into, from := uuid.New(), uuid.New()
	theatrical, cut := uuid.New(), uuid.New()
	srcTheatrical, srcCut, srcIMAX := uuid.New(), uuid.New(), uuid.New()
	enc := FormatInfo{Source: "Blu-ray", Codec: "x264", Container: "MKV", Resolution: "1080p", HDR: HDRNone, Kind: KindEncode}
	dvd := FormatInfo{Source: "DVD", Codec: "XviD", Container: "AVI", Resolution: "576p", HDR: HDRNone, Kind: KindEncode}
	var dst, src Movie
	for _, e := range []domain.Event{MovieCreated{Movie: into, MovieInfo: MovieInfo{Title: "The Matrix", Year: 1999}},
		EditionAdded{Movie: into, Edition: theatrical, EditionInfo: EditionInfo{Name: "Theatrical"}},
		EditionAdded{Movie: into, Edition: cut, EditionInfo: EditionInfo{Name: "Director's Cut", Year: 2001}},
		FormatAdded{Movie: into, Edition: theatrical, InfoHash: domain.InfoHash{1}, FormatInfo: enc}} {
		dst.Apply(e)
	}
	for _, e := range []domain.Event{MovieCreated{Movie: from, MovieInfo: MovieInfo{Title: "Matrix", Year: 1999, IMDbID: "tt0133093"}},
		EditionAdded{Movie: from, Edition: srcTheatrical, EditionInfo: EditionInfo{Name: "theatrical"}},
		EditionAdded{Movie: from, Edition: srcCut, EditionInfo: EditionInfo{Name: "Director's Cut"}}, // another year: another edition
		EditionAdded{Movie: from, Edition: srcIMAX, EditionInfo: EditionInfo{Name: "IMAX"}},
		FormatAdded{Movie: from, Edition: srcTheatrical, InfoHash: domain.InfoHash{2}, FormatInfo: enc},
		FormatAdded{Movie: from, Edition: srcTheatrical, InfoHash: domain.InfoHash{3}, FormatInfo: dvd},
		FormatAdded{Movie: from, Edition: srcCut, InfoHash: domain.InfoHash{4}, FormatInfo: dvd},
		MovieMerged{Movie: from, Into: into}} {
		src.Apply(e)
	}
	if src.MergedInto != into {
		t.Fatalf("the merged movie: %+v", src)
	}
	ab := Absorb(src, dst, "tt0133093")
	wantEditions := []MergedEdition{{srcTheatrical, theatrical, EditionInfo{Name: "theatrical"}},
		{srcCut, srcCut, EditionInfo{Name: "Director's Cut"}}, {srcIMAX, srcIMAX, EditionInfo{Name: "IMAX"}}}
	wantFormats := []MergedFormat{{domain.InfoHash{2}, theatrical, enc}, {domain.InfoHash{3}, theatrical, dvd}, {domain.InfoHash{4}, srcCut, dvd}}
	if ab.Movie != into || ab.From != from || !slices.Equal(ab.Editions, wantEditions) || !slices.EqualFunc(ab.Formats, wantFormats, sameFormat) {
		t.Fatalf("absorb %+v", ab)
	}
	if dst.HasAbsorbed(from) {
		t.Error("absorbed before the event")
	}
	dst.Apply(ab)
	dst.Apply(ab) // a second delivery adds nothing
	if len(dst.Editions) != 4 || len(dst.Formats) != 4 || dst.Info.IMDbID != "tt0133093" || !dst.HasAbsorbed(from) {
		t.Errorf("after the merge %+v", dst)
	}
	if err := dst.CheckNewFormat("upload", theatrical, domain.InfoHash{9}, enc); domain.KindOf(err) != domain.KindConflict {
		t.Errorf("the joined edition's formats count as its own: %v", err)
	}
	if err := dst.CheckNewFormat("upload", srcIMAX, domain.InfoHash{9}, enc); err != nil {
		t.Errorf("a format of an edition that moved: %v", err)
	}
}

func sameFormat(a, b MergedFormat) bool {
	return a.InfoHash == b.InfoHash && a.Edition == b.Edition && a.Label() == b.Label()
}
