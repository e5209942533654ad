package movies

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/djembe/djembe/domain"
	readmovies "github.com/djembe/djembe/projections/movies"
)

// parseFilter reads each parameter into its filter (a vocabulary's value
// in any case, in the vocabulary's spelling), and refuses a bad value
// with KindInvalid on its parameter.
func TestParseFilter(t *testing.T) {
	yes := true
	for q, want := range map[string]readmovies.Filter{
		"":                                {},
		"searchstr=+matrix+&person=keanu": {Search: "matrix", Person: "keanu"},
		"year=1999":                       {YearFrom: 1999, YearTo: 1999},
		"year=1990-1999":                  {YearFrom: 1990, YearTo: 1999},
		"year=1990-":                      {YearFrom: 1990},
		"year=-1999":                      {YearTo: 1999},
		"source=blu-ray&codec=X264&resolution=2160P&kind=remux&container=mkv": {Source: "Blu-ray", Codec: "x264",
			Resolution: "2160p", Kind: "Remux", Container: "MKV"},
		"hdr=any":          {HasHDR: &yes},
		"hdr=dolby+vision": {HDR: "Dolby Vision"},
		"hdr=None":         {HDR: "None"},
		"subtitle=FR":      {Subtitle: "fr"},
		"taglist=Science Fiction,noir&tags_type=1": {Tags: []string{"science.fiction", "noir"}, TagsAll: true},
		"order_by=Year&order_way=asc&page=3":       {Order: "year", Asc: true, Page: 3},
	} {
		v, _ := url.ParseQuery(q)
		got, err := parseFilter(v)
		if err != nil {
			t.Errorf("%q: %v", q, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %+v, want %+v", q, got, want)
		}
	}
	for q, field := range map[string]string{
		"year=last+year": "year", "year=1999-1990": "year", "year=-": "year", "source=laserdisc": "source",
		"codec=h266": "codec", "resolution=9000p": "resolution", "hdr=sometimes": "hdr", "kind=cam": "kind",
		"subtitle=english": "subtitle", "taglist=a+b!": "taglist", "tags_type=2": "tags_type", "order_by=colour": "order_by",
		"order_way=up": "order_way", "page=0": "page", "page=9999": "page",
	} {
		v, _ := url.ParseQuery(q)
		_, err := parseFilter(v)
		if domain.KindOf(err) != domain.KindInvalid || domain.FieldOf(err) != field {
			t.Errorf("%q: %v (field %q), want invalid on %s", q, err, domain.FieldOf(err), field)
		}
	}
}
