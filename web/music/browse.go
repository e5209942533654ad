package music

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	readmusic "github.com/djembe/djembe/projections/music"
)

// browseView is /music/: the search form and the albums found, each with
// its matching formats under their editions.
type browseView struct {
	Query  url.Values
	Result readmusic.Result
	Error  string
	// The choices of the form's lists.
	ReleaseTypes []music.ReleaseType
	Formats      []string
	Encodings    []string
	Media        []string
	Orders       []string
}

// Albums are the page's albums as views.
func (v browseView) Albums() []albumView {
	out := make([]albumView, len(v.Result.Albums))
	for i, a := range v.Result.Albums {
		out[i] = albumView{a}
	}
	return out
}

// Q is one parameter of the search, to fill the form again.
func (v browseView) Q(key string) string { return v.Query.Get(key) }

// Selected reports whether the form's key had value (a select's option).
func (v browseView) Selected(key, value string) bool { return v.Query.Get(key) == value }

// PageURL is this search's page n.
func (v browseView) PageURL(n int) string {
	q := url.Values{}
	for k, vs := range v.Query {
		if k != "page" && len(vs) > 0 && vs[0] != "" {
			q.Set(k, vs[0])
		}
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	return "/music/?" + q.Encode()
}

// Advanced reports whether the search used a filter beyond the search
// string (the form then opens its advanced part).
func (v browseView) Advanced() bool {
	for k, vs := range v.Query {
		if k != "searchstr" && k != "page" && len(vs) > 0 && vs[0] != "" {
			return true
		}
	}
	return false
}

// browse is /music/: Gazelle's torrents.php for music.
func (p *pages) browse(w http.ResponseWriter, r *http.Request) {
	if p.s.SignedIn(w, r) == nil {
		return
	}
	q := r.URL.Query()
	v := browseView{Query: q, ReleaseTypes: music.ReleaseTypes, Formats: music.Formats, Encodings: music.Encodings,
		Media: music.Media, Orders: readmusic.Orders}
	f, err := parseFilter(q)
	status := http.StatusOK
	if err == nil {
		v.Result, err = readmusic.Browse(r.Context(), p.s.Pool(), f)
	}
	if err != nil {
		if domain.KindOf(err) != domain.KindInvalid {
			p.s.Fail(w, r, err)
			return
		}
		v.Error, status = domain.Message(err), http.StatusBadRequest
	}
	p.s.Render(w, r, status, "browse", "Music", v)
}

// Prev and Next are the neighbouring pages' numbers.
func (v browseView) Prev() int { return v.Result.Page - 1 }
func (v browseView) Next() int { return v.Result.Page + 1 }
