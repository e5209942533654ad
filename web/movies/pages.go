package movies

import (
	"net/http"
	"strings"

	"github.com/djembe/djembe/domain/movies"
	readmovies "github.com/djembe/djembe/projections/movies"
	"github.com/djembe/djembe/web"
	"github.com/google/uuid"
)

// movieView is a movie as its page, browse and the person page draw it.
type movieView struct {
	readmovies.MovieRow
}

// URL is the movie's page.
func (m movieView) URL() string { return movieURL(m.ID) }

// IMDbURL is the movie's IMDb page, "" without an IMDb id.
func (m movieView) IMDbURL() string {
	if m.IMDbID == "" {
		return ""
	}
	return "https://www.imdb.com/title/" + m.IMDbID + "/"
}

// Directors, Writers and Producers are the movie's people of that credit.
func (m movieView) Directors() []readmovies.CreditRow { return m.People(movies.CreditDirector) }
func (m movieView) Writers() []readmovies.CreditRow   { return m.People(movies.CreditWriter) }
func (m movieView) Producers() []readmovies.CreditRow { return m.People(movies.CreditProducer) }

// Editions are the movie's editions headed as its page heads them.
func (m movieView) Editions() []editionView {
	out := make([]editionView, len(m.MovieRow.Editions))
	for i, e := range m.MovieRow.Editions {
		fs := make([]formatView, len(e.Formats))
		for j, f := range e.Formats {
			fs[j] = formatView{f}
		}
		out[i] = editionView{EditionRow: e, Heading: editionHeading(m.Year, e.EditionInfo), Formats: fs}
	}
	return out
}

// FormatCount counts the movie's formats shown.
func (m movieView) FormatCount() int { return len(m.Formats()) }

// editionView is an edition with its heading and its formats.
type editionView struct {
	readmovies.EditionRow
	Heading string
	Formats []formatView
}

// formatView is a format row.
type formatView struct {
	readmovies.FormatRow
}

// Label is the format as its row names it: "Blu-ray / x264 / MKV / 1080p
// / Encode", with its HDR when it has one.
func (f formatView) Label() string {
	parts := []string{f.Source, f.Codec, f.Container, f.Resolution}
	if f.HDR != movies.HDRNone && f.HDR != "" {
		parts = append(parts, f.HDR)
	}
	return strings.Join(append(parts, f.Kind), " / ")
}

// Subs lists the format's subtitle languages ("en, fr"), "" for none.
func (f formatView) Subs() string { return strings.Join(f.Subtitles, ", ") }

// Anchor is the id of the format's row.
func (f formatView) Anchor() string { return formatAnchor(f.InfoHash) }

// staffForm is a refused staff edit: which form (Which, e.g. "movie",
// "edition-ID", "format-HASH", "person", "alias", "merge") and its form,
// so each staff form shows only its own errors and values.
type staffForm struct {
	Which  string
	Form   web.Form
	Holder *existingMovie // the movie that holds the IMDb id an edit was refused
}

// Is reports whether the refused edit was the form which.
func (s staffForm) Is(which string) bool { return s.Which == which }

// V is a value of the refused form which, else fallback.
func (s staffForm) V(which, name, fallback string) string {
	if s.Which == which {
		return s.Form.Values[name]
	}
	return fallback
}

// E is the message beside a field of form which.
func (s staffForm) E(which, name string) string {
	if s.Which != which {
		return ""
	}
	return s.Form.Errors[name]
}

// moviePage is the movie page.
type moviePage struct {
	movieView
	Staff   bool
	Refused staffForm
	Edit    *editVocab // the staff forms' choices; nil unless staff
}

// movie is /movies/{id}: the movie with its poster, facts, credits and
// cast, and its editions with their formats; staff get the edit forms
// and the merge form. A merged movie redirects to the movie it was
// merged into.
func (p *pages) movie(w http.ResponseWriter, r *http.Request) {
	v := p.s.SignedIn(w, r)
	if v == nil {
		return
	}
	id, ok := p.idParam(w, r)
	if !ok {
		return
	}
	p.renderMovie(w, r, id, v.Staff, http.StatusOK, staffForm{})
}

func (p *pages) renderMovie(w http.ResponseWriter, r *http.Request, id uuid.UUID, staff bool, status int, refused staffForm) {
	m, err := readmovies.Movie(r.Context(), p.s.Pool(), id)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	if m.MergedInto != uuid.Nil {
		http.Redirect(w, r, movieURL(m.MergedInto), http.StatusMovedPermanently)
		return
	}
	pg := moviePage{movieView: movieView{m}, Staff: staff, Refused: refused}
	if staff {
		pg.Edit = newEditVocab(m, refused)
	}
	p.s.Render(w, r, status, "movie", m.Title+" ("+itoa(m.Year)+")", pg)
}

// personPage is the person page.
type personPage struct {
	Person  readmovies.PersonRow
	Groups  []filmGroup
	Staff   bool
	Refused staffForm
}

// filmGroup is a person's movies in one kind of credit.
type filmGroup struct {
	Kind   movies.CreditKind
	Movies []filmView
}

// Heading is the group's heading: Acting, Directing, Writing, Producing.
func (g filmGroup) Heading() string {
	switch g.Kind {
	case movies.CreditActor:
		return "Acting"
	case movies.CreditDirector:
		return "Directing"
	case movies.CreditWriter:
		return "Writing"
	case movies.CreditProducer:
		return "Producing"
	}
	return g.Kind.Plural()
}

// filmView is a movie on a person's page.
type filmView struct {
	movieView
	Roles []string
}

// RolesText is the characters played, "" for none.
func (f filmView) RolesText() string { return strings.Join(f.Roles, " / ") }

// Films counts the person's movies over every group.
func (v personPage) Films() int {
	seen := map[uuid.UUID]bool{}
	for _, g := range v.Groups {
		for _, m := range g.Movies {
			seen[m.ID] = true
		}
	}
	return len(seen)
}

// person is /movies/people/{id}: the person with their aliases, birth
// year and biography, and their filmography by kind of credit (Acting
// first, with the characters played); a merged person redirects to the
// one they were merged into.
func (p *pages) person(w http.ResponseWriter, r *http.Request) {
	v := p.s.SignedIn(w, r)
	if v == nil {
		return
	}
	id, ok := p.idParam(w, r)
	if !ok {
		return
	}
	p.renderPerson(w, r, id, v.Staff, http.StatusOK, staffForm{})
}

func (p *pages) renderPerson(w http.ResponseWriter, r *http.Request, id uuid.UUID, staff bool, status int, refused staffForm) {
	ctx := r.Context()
	person, err := readmovies.Person(ctx, p.s.Pool(), id)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	if person.MergedInto != uuid.Nil {
		http.Redirect(w, r, personURL(person.MergedInto), http.StatusMovedPermanently)
		return
	}
	groups, err := readmovies.Filmography(ctx, p.s.Pool(), id)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	p.s.Render(w, r, status, "person", person.Name, personPage{Person: person, Groups: filmGroups(groups), Staff: staff, Refused: refused})
}

// filmGroups orders a filmography as the person page shows it: Acting,
// then Directing, Writing and Producing.
func filmGroups(groups []readmovies.FilmographyGroup) []filmGroup {
	order := []movies.CreditKind{movies.CreditActor, movies.CreditDirector, movies.CreditWriter, movies.CreditProducer}
	var out []filmGroup
	for _, k := range order {
		for _, g := range groups {
			if g.Kind != k {
				continue
			}
			fg := filmGroup{Kind: k}
			for _, m := range g.Movies {
				fg.Movies = append(fg.Movies, filmView{movieView: movieView{m.MovieRow}, Roles: m.Roles})
			}
			out = append(out, fg)
		}
	}
	return out
}
