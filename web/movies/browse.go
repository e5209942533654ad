package movies

import (
	"net/http"
	"strconv"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	readmovies "github.com/djembe/djembe/projections/movies"
	"github.com/djembe/djembe/web"
)

// browseView is /movies/: the search form and the movies found, each with
// its matching formats under their editions.
type browseView struct {
	web.Search
	Result readmovies.Result
	Error  string
	vocab
	Orders []string
}

// Movies are the page's movies as views.
func (v browseView) Movies() []movieView {
	out := make([]movieView, len(v.Result.Movies))
	for i, m := range v.Result.Movies {
		out[i] = movieView{m}
	}
	return out
}

// Prev and Next are the neighbouring pages' numbers.
func (v browseView) Prev() int { return v.Result.Page - 1 }
func (v browseView) Next() int { return v.Result.Page + 1 }

// browse is /movies/: PTP's torrents.php, grouped by movie. A bad filter
// is shown above an empty list with a 400.
func (p *pages) browse(w http.ResponseWriter, r *http.Request) {
	if p.s.SignedIn(w, r) == nil {
		return
	}
	q := r.URL.Query()
	v := browseView{Search: web.Search{Path: "/movies/", Query: q}, vocab: formatVocab, Orders: readmovies.Orders}
	f, err := parseFilter(q)
	status := http.StatusOK
	if err == nil {
		v.Result, err = readmovies.Browse(r.Context(), p.s.Pool(), f)
	}
	if err != nil {
		if domain.KindOf(err) != domain.KindInvalid {
			p.s.Fail(w, r, err)
			return
		}
		v.Error, status = domain.Message(err), http.StatusBadRequest
	}
	p.s.Render(w, r, status, "browse", "Movies", v)
}

// vocab are the choices of the forms' lists.
type vocab struct {
	Sources, Codecs, Containers, Resolutions, HDRs, Kinds, EditionNames []string
	CreditKinds                                                         []movies.CreditKind
}

var formatVocab = vocab{Sources: movies.Sources, Codecs: movies.Codecs, Containers: movies.Containers,
	Resolutions: movies.Resolutions, HDRs: movies.HDRs, Kinds: movies.Kinds, EditionNames: movies.EditionNames,
	CreditKinds: movies.CreditKinds}

func itoa(n int) string { return strconv.Itoa(n) }
