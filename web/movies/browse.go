package movies

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	readmovies "github.com/djembe/djembe/projections/movies"
)

// browseView is /movies/: the search form and the movies found, each with
// its matching formats under their editions.
type browseView struct {
	Query  url.Values
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
	return "/movies/?" + q.Encode()
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
	v := browseView{Query: q, vocab: formatVocab, Orders: readmovies.Orders}
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
