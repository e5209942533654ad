package music

import (
	"slices"
	"strconv"
	"testing"

	cmdmusic "github.com/djembe/djembe/commands/music"
	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/web"
)

// The album edit form as read: blank credit rows are dropped, tags are
// normalized, an unknown release type is left 0 for the write side to
// refuse, and what cannot be read at all is refused beside its field.
func TestReadAlbumForm(t *testing.T) {
	for _, tc := range []struct {
		name    string
		values  map[string]string
		credits []cmdmusic.ArtistCredit
		info    music.AlbumInfo
		errs    []string
	}{
		{"good", map[string]string{"title": " Amber ", "year": "1994", "release_type": "1", "tags": "IDM, Hip Hop",
			"artist0": "Autechre", "role0": "1", "artist1": " ", "role1": "1", "artist3": "Rob Brown", "role3": "7"},
			[]cmdmusic.ArtistCredit{{Name: "Autechre", Role: music.RoleMain}, {Name: "Rob Brown", Role: music.RoleProducer}},
			music.AlbumInfo{Title: "Amber", Year: 1994, ReleaseType: music.TypeAlbum, Tags: []string{"idm", "hip.hop"}}, nil},
		{"unknown release type", map[string]string{"title": "Amber", "year": "1994", "release_type": "2"},
			nil, music.AlbumInfo{Title: "Amber", Year: 1994}, nil},
		{"unreadable", map[string]string{"title": "Amber", "year": "nineteen", "release_type": "1", "tags": "r&b",
			"artist0": "Autechre", "role0": "99"},
			nil, music.AlbumInfo{Title: "Amber", ReleaseType: music.TypeAlbum}, []string{"artists", "tags", "year"}},
	} {
		f := web.NewForm()
		for k, v := range tc.values {
			f.Values[k] = v
		}
		credits, info := readAlbumForm(f)
		if !slices.Equal(credits, tc.credits) {
			t.Errorf("%s: credits %+v, want %+v", tc.name, credits, tc.credits)
		}
		if info.Title != tc.info.Title || info.Year != tc.info.Year || info.ReleaseType != tc.info.ReleaseType || !slices.Equal(info.Tags, tc.info.Tags) {
			t.Errorf("%s: info %+v, want %+v", tc.name, info, tc.info)
		}
		var errs []string
		for k := range f.Errors {
			errs = append(errs, k)
		}
		if slices.Sort(errs); !slices.Equal(errs, tc.errs) {
			t.Errorf("%s: refused %q (%v), want %q", tc.name, errs, f.Errors, tc.errs)
		}
	}
}

// The form offers every row up to the last one filled in and three blank
// ones more, never more than the write side accepts and the blanks.
func TestCreditRows(t *testing.T) {
	f := web.NewForm()
	if got := len(creditRows(f)); got != blankCredits {
		t.Errorf("an empty form has %d rows, want %d", got, blankCredits)
	}
	f.Values["artist4"] = "Autechre"
	if got := len(creditRows(f)); got != 5+blankCredits {
		t.Errorf("a form filled to row 4 has %d rows, want %d", got, 5+blankCredits)
	}
	f.Values["artist"+strconv.Itoa(maxCreditRows-1)] = "Rob Brown"
	if got := creditRows(f); len(got) != maxCreditRows || got[len(got)-1] != maxCreditRows-1 {
		t.Errorf("a full form has rows %v, want 0..%d", got, maxCreditRows-1)
	}
}
