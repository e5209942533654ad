// Package movies is the Movies plugin's pages and JSON API, after PTP:
// browse and search grouped by movie, the movie page (credits, and its
// editions with their formats), the person page (their filmography by
// kind of credit), the upload form and staff's catalogue edits, and
// /api/v1/movies. It reads projections/movies and changes the catalogue
// only through commands/movies.
package movies

import (
	"embed"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	cmdmovies "github.com/djembe/djembe/commands/movies"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	readmovies "github.com/djembe/djembe/projections/movies"
	"github.com/djembe/djembe/web"
	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
)

//go:embed views/*.html
var viewsFS embed.FS

// Plugin is the Movies plugin's pages, mounted under /movies, and its
// API, under /api/v1/movies.
func Plugin() web.Plugin {
	return web.Plugin{Name: "movies", Label: "Movies", Views: web.ViewsDir(viewsFS), Routes: routes, API: apiRoutes}
}

// pages are the plugin's handlers.
type pages struct {
	s    *web.Site
	cmds *cmdmovies.Commands
}

func newPages(s *web.Site) *pages {
	p := &pages{s: s}
	if s.Commands() != nil {
		p.cmds = cmdmovies.New(s.Commands())
	}
	return p
}

func routes(r chi.Router, s *web.Site) {
	p := newPages(s)
	r.Get("/", p.browse)
	r.Get("/person", p.personByName)
	r.Get("/people/{id}", p.person)
	r.Get("/torrents/{infohash}", p.formatMovie)
	r.Get("/upload", p.uploadShow)
	r.Post("/upload", p.uploadCheck)
	r.Get("/{id}", p.movie)
	r.Post("/{id}/edit", p.movieEdit)
	r.Post("/{id}/merge", p.movieMerge)
	r.Post("/{id}/editions/{edition}", p.editionEdit)
	r.Post("/{id}/formats/{infohash}", p.formatEdit)
	r.Post("/people/{id}/edit", p.personEdit)
	r.Post("/people/{id}/aliases", p.personAlias)
	r.Post("/people/{id}/merge", p.personMerge)
}

// idParam is the URL's {id} as a uuid; a malformed one is a 404.
func (p *pages) idParam(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	return p.s.UUIDParam(w, r, "id")
}

// movieURL is a movie's page.
func movieURL(id uuid.UUID) string { return "/movies/" + id.String() }

// personURL is a person's page.
func personURL(id uuid.UUID) string { return "/movies/people/" + id.String() }

// formatAnchor is the id of a format's row on its movie's page.
func formatAnchor(h domain.InfoHash) string { return "t" + h.String() }

// personByName sends /movies/person?name=NAME to the person that name or
// alias leads to.
func (p *pages) personByName(w http.ResponseWriter, r *http.Request) {
	if p.s.SignedIn(w, r) == nil {
		return
	}
	id, err := readmovies.PersonByName(r.Context(), p.s.Pool(), r.URL.Query().Get("name"))
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, personURL(id), http.StatusSeeOther)
}

// formatMovie sends a torrent of the plugin to its movie's page, at its row.
func (p *pages) formatMovie(w http.ResponseWriter, r *http.Request) {
	if p.s.SignedIn(w, r) == nil {
		return
	}
	h, ok := p.s.InfoHashParam(w, r)
	if !ok {
		return
	}
	movie, err := readmovies.MovieOfFormat(r.Context(), p.s.Pool(), h)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, movieURL(movie)+"#"+formatAnchor(h), http.StatusSeeOther)
}

// editionHeading is how an edition heads its formats: "Theatrical – 1999
// – Warner", the movie's year when the edition has none.
func editionHeading(movieYear int, e movies.EditionInfo) string {
	year := e.Year
	if year == 0 {
		year = movieYear
	}
	parts := []string{e.Name, strconv.Itoa(year)}
	if e.Distributor != "" {
		parts = append(parts, e.Distributor)
	}
	return strings.Join(parts, " – ")
}

// searchURL is a browse of the movies by one filter.
func searchURL(key, value string) string {
	return "/movies/?" + url.Values{key: {value}}.Encode()
}
