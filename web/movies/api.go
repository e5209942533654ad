package movies

import (
	"net/http"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	readmovies "github.com/djembe/djembe/projections/movies"
	"github.com/djembe/djembe/web"
	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
)

// apiRoutes is the plugin's JSON API, under /api/v1/movies (token and
// rate limit checked by the site before these run):
//
//	GET /api/v1/movies?…            a browse page (parameters as /movies/, parseFilter)
//	GET /api/v1/movies/{id}         a movie with its credits, editions and formats
//	GET /api/v1/movies/people/{id}  a person with their filmography
//
// A bad parameter or a malformed id is a 400 "invalid", an unknown id a
// 404 "not_found", both in the API's error shape.
func apiRoutes(r chi.Router, s *web.Site) {
	a := api{s}
	r.Get("/", a.browse)
	r.Get("/people/{id}", a.person)
	r.Get("/{id}", a.movie)
}

type api struct{ s *web.Site }

// apiPerson names a person.
type apiPerson struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

// apiActor is an actor in a movie's cast.
type apiActor struct {
	apiPerson
	Role    string `json:"role"`
	Billing int    `json:"billing"` // from 1
}

// apiFormat is one format, one torrent.
type apiFormat struct {
	InfoHash    string    `json:"info_hash"` // hex
	Source      string    `json:"source"`
	Codec       string    `json:"codec"`
	Container   string    `json:"container"`
	Resolution  string    `json:"resolution"`
	HDR         string    `json:"hdr"`  // "None" for SDR
	Kind        string    `json:"kind"` // Encode, Remux or Disc
	Subtitles   []string  `json:"subtitles"`
	Size        int64     `json:"size"`
	Seeders     int       `json:"seeders"`
	Leechers    int       `json:"leechers"`
	Snatches    int       `json:"snatches"`
	Freeleech   bool      `json:"freeleech"`
	Added       time.Time `json:"added"`
	DownloadURL string    `json:"download_url"` // the .torrent, by the same bearer token
}

// apiEdition is an edition with its formats.
type apiEdition struct {
	ID          uuid.UUID   `json:"id"`
	Name        string      `json:"name"`
	Year        int         `json:"year"` // 0: the movie's
	Distributor string      `json:"distributor"`
	Formats     []apiFormat `json:"formats"`
}

// apiMovie is a movie with its credits, editions and formats (in browse,
// the matching formats only).
type apiMovie struct {
	ID            uuid.UUID    `json:"id"`
	Title         string       `json:"title"`
	OriginalTitle string       `json:"original_title"`
	Year          int          `json:"year"`
	Runtime       int          `json:"runtime"` // minutes; 0: unknown
	IMDbID        string       `json:"imdb_id"`
	Synopsis      string       `json:"synopsis"`
	Tags          []string     `json:"tags"`
	PosterURL     string       `json:"poster_url"`
	Directors     []apiPerson  `json:"directors"`
	Writers       []apiPerson  `json:"writers"`
	Producers     []apiPerson  `json:"producers"`
	Cast          []apiActor   `json:"cast"` // in billing order
	Editions      []apiEdition `json:"editions"`
}

// apiBrowse is one page of a browse.
type apiBrowse struct {
	Movies  []apiMovie `json:"movies"`
	Page    int        `json:"page"`
	Pages   int        `json:"pages"`
	Total   int        `json:"total"` // movies matching, over every page
	PerPage int        `json:"per_page"`
}

// apiFilm is a movie in a filmography.
type apiFilm struct {
	ID    uuid.UUID `json:"id"`
	Title string    `json:"title"`
	Year  int       `json:"year"`
	Roles []string  `json:"roles,omitempty"` // an actor's characters
}

// apiCredits is a person's movies in one kind of credit.
type apiCredits struct {
	Kind   string    `json:"kind"` // Director, Writer, Producer or Actor
	Movies []apiFilm `json:"movies"`
}

// apiPersonPage is a person with their filmography.
type apiPersonPage struct {
	apiPerson
	Aliases     []string     `json:"aliases"`
	BirthYear   int          `json:"birth_year"` // 0: unknown
	Biography   string       `json:"biography"`
	Filmography []apiCredits `json:"filmography"`
}

func toAPIPeople(cs []readmovies.CreditRow) []apiPerson {
	out := []apiPerson{}
	for _, c := range cs {
		out = append(out, apiPerson{c.ID, c.Name})
	}
	return out
}

func toAPIMovie(m readmovies.MovieRow) apiMovie {
	out := apiMovie{ID: m.ID, Title: m.Title, OriginalTitle: m.OriginalTitle, Year: m.Year, Runtime: m.Runtime, IMDbID: m.IMDbID,
		Synopsis: m.Synopsis, Tags: orEmpty(m.Tags), PosterURL: m.PosterURL, Directors: toAPIPeople(m.People(movies.CreditDirector)),
		Writers: toAPIPeople(m.People(movies.CreditWriter)), Producers: toAPIPeople(m.People(movies.CreditProducer)),
		Cast: []apiActor{}, Editions: []apiEdition{}}
	for _, c := range m.Cast() {
		out.Cast = append(out.Cast, apiActor{apiPerson{c.ID, c.Name}, c.Role, c.Billing})
	}
	for _, e := range m.Editions {
		ed := apiEdition{ID: e.ID, Name: e.Name, Year: e.Year, Distributor: e.Distributor, Formats: []apiFormat{}}
		for _, f := range e.Formats {
			ed.Formats = append(ed.Formats, apiFormat{InfoHash: f.InfoHash.String(), Source: f.Source, Codec: f.Codec,
				Container: f.Container, Resolution: f.Resolution, HDR: f.HDR, Kind: f.Kind, Subtitles: orEmpty(f.Subtitles),
				Size: f.Size, Seeders: f.Seeders, Leechers: f.Leechers, Snatches: f.Snatches, Freeleech: f.Freeleech, Added: f.AddedAt,
				DownloadURL: "/api/v1/torrents/" + f.InfoHash.String() + "/download"})
		}
		out.Editions = append(out.Editions, ed)
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// browse is GET /api/v1/movies: a browse page, with the page's filters.
func (a api) browse(w http.ResponseWriter, r *http.Request) {
	f, err := parseFilter(r.URL.Query())
	if err != nil {
		a.s.APIError(w, r, err)
		return
	}
	res, err := readmovies.Browse(r.Context(), a.s.Pool(), f)
	if err != nil {
		a.s.APIError(w, r, err)
		return
	}
	out := apiBrowse{Movies: []apiMovie{}, Page: res.Page, Pages: res.Pages, Total: res.Total, PerPage: readmovies.PageSize}
	for _, m := range res.Movies {
		out.Movies = append(out.Movies, toAPIMovie(m))
	}
	a.s.WriteJSON(w, out)
}

// id is the URL's {id}; a malformed one is answered with a 400.
func (a api) id(w http.ResponseWriter, r *http.Request, what string) (uuid.UUID, bool) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		a.s.APIError(w, r, domain.FieldE("read movies", "id", domain.KindInvalid, "a %s's id is a UUID", what))
		return id, false
	}
	return id, true
}

// movie is GET /api/v1/movies/{id}; a merged movie is answered with the
// movie it was merged into (whose id differs).
func (a api) movie(w http.ResponseWriter, r *http.Request) {
	id, ok := a.id(w, r, "movie")
	if !ok {
		return
	}
	m, err := readmovies.Movie(r.Context(), a.s.Pool(), id)
	if err == nil && m.MergedInto != uuid.Nil {
		m, err = readmovies.Movie(r.Context(), a.s.Pool(), m.MergedInto)
	}
	if err != nil {
		a.s.APIError(w, r, err)
		return
	}
	a.s.WriteJSON(w, toAPIMovie(m))
}

// person is GET /api/v1/movies/people/{id}; a merged person is answered
// with the person they were merged into (whose id differs).
func (a api) person(w http.ResponseWriter, r *http.Request) {
	id, ok := a.id(w, r, "person")
	if !ok {
		return
	}
	ctx := r.Context()
	p, err := readmovies.Person(ctx, a.s.Pool(), id)
	if err == nil && p.MergedInto != uuid.Nil {
		p, err = readmovies.Person(ctx, a.s.Pool(), p.MergedInto)
	}
	if err != nil {
		a.s.APIError(w, r, err)
		return
	}
	groups, err := readmovies.Filmography(ctx, a.s.Pool(), p.ID)
	if err != nil {
		a.s.APIError(w, r, err)
		return
	}
	out := apiPersonPage{apiPerson: apiPerson{p.ID, p.Name}, Aliases: orEmpty(p.Aliases), BirthYear: p.BirthYear, Biography: p.Biography,
		Filmography: []apiCredits{}}
	for _, g := range groups {
		c := apiCredits{Kind: g.Kind.String(), Movies: []apiFilm{}}
		for _, m := range g.Movies {
			c.Movies = append(c.Movies, apiFilm{ID: m.ID, Title: m.Title, Year: m.Year, Roles: m.Roles})
		}
		out.Filmography = append(out.Filmography, c)
	}
	a.s.WriteJSON(w, out)
}
