package music

import (
	"net/http"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	readmusic "github.com/djembe/djembe/projections/music"
	"github.com/djembe/djembe/web"
)

// browseView is /music/: the search form and the albums found, each with
// its matching formats under their editions.
type browseView struct {
	web.Search
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

// browse is /music/: Gazelle's torrents.php for music.
func (p *pages) browse(w http.ResponseWriter, r *http.Request) {
	if p.s.SignedIn(w, r) == nil {
		return
	}
	q := r.URL.Query()
	v := browseView{Search: web.Search{Path: "/music/", Query: q}, ReleaseTypes: music.ReleaseTypes, Formats: music.Formats, Encodings: music.Encodings,
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
