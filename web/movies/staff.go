package movies

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	cmdmovies "github.com/djembe/djembe/commands/movies"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	readmovies "github.com/djembe/djembe/projections/movies"
	"github.com/djembe/djembe/web"
	"github.com/google/uuid"
)

// staffEdit is one staff change of a movie or a person: which form it is
// (staffForm.Which), its fields, the change through the write side, and
// shown, whether the read model shows it yet.
type staffEdit struct {
	which  string
	fields []string
	change func(ctx context.Context, v *web.Viewer, id uuid.UUID, f web.Form) error
	shown  func(ctx context.Context, id uuid.UUID, f web.Form) bool
}

// staffChange runs e on the movie or person in the URL (page, render and
// back say which), then shows its page: once the read model shows the
// change, or with the refusals beside their fields. Only staff may.
func (p *pages) staffChange(w http.ResponseWriter, r *http.Request, e staffEdit, back func(uuid.UUID) string,
	render func(w http.ResponseWriter, r *http.Request, id uuid.UUID, staff bool, status int, refused staffForm)) {
	v := p.s.SignedIn(w, r)
	if v == nil {
		return
	}
	id, ok := p.idParam(w, r)
	if !ok {
		return
	}
	if !v.Staff {
		p.s.Fail(w, r, domain.E("change the movie catalogue", domain.KindForbidden, "only staff may change the catalogue"))
		return
	}
	f := web.NewForm()
	for _, k := range e.fields {
		f.Values[k] = r.PostFormValue(k)
	}
	err := e.change(r.Context(), v, id, f)
	if err == nil && !f.OK() {
		err = domain.E("change the movie catalogue", domain.KindInvalid, "mend the fields marked")
	}
	switch {
	case err == nil:
		p.s.ReadYourWrite(r.Context(), func(ctx context.Context) bool { return e.shown(ctx, id, f) })
		http.Redirect(w, r, back(id), http.StatusSeeOther)
	case !domain.KindOf(err).Refused():
		p.s.Fail(w, r, err)
	default:
		f.RefuseAll(err, e.fields...)
		refused := staffForm{Which: e.which, Form: f}
		if held := (*movies.IMDbTakenError)(nil); errors.As(err, &held) {
			refused.Holder = &existingMovie{ID: held.Movie, Title: held.Title, Year: held.Year}
		}
		render(w, r, id, true, http.StatusUnprocessableEntity, refused)
	}
}

func (p *pages) movieChange(w http.ResponseWriter, r *http.Request, e staffEdit) {
	p.staffChange(w, r, e, movieURL, p.renderMovie)
}

func (p *pages) personChange(w http.ResponseWriter, r *http.Request, e staffEdit) {
	p.staffChange(w, r, e, personURL, p.renderPerson)
}

// movieInfoFields are the movie edit form's fields but its credits.
var movieInfoFields = []string{"title", "original_title", "year", "runtime", "imdb_id", "tags", "poster", "synopsis", "credits", "credit_rows"}

// maxCreditRows bounds the credit rows an edit form may send.
const maxCreditRows = movies.MaxCredits + blankCreditRows

// editRows is how many credit rows the movie edit form sent.
func editRows(r *http.Request) int {
	n, err := strconv.Atoi(r.PostFormValue("credit_rows"))
	if err != nil || n < 0 {
		return 0
	}
	return min(n, maxCreditRows)
}

// movieEdit replaces the movie's information and credits (staff): the
// credits by name, people not here yet created.
func (p *pages) movieEdit(w http.ResponseWriter, r *http.Request) {
	n := editRows(r)
	fields := append(append([]string{}, movieInfoFields...), creditFields(n)...)
	for i := range n {
		fields = append(fields, rowField(i))
	}
	p.movieChange(w, r, staffEdit{which: "movie", fields: fields,
		change: func(ctx context.Context, v *web.Viewer, id uuid.UUID, f web.Form) error {
			info, credits := readMovieInfo(f), readCredits(f, n)
			if !f.OK() {
				return nil
			}
			return p.cmds.EditMovie(ctx, p.s.Actor(v), id, credits, info)
		},
		shown: func(ctx context.Context, id uuid.UUID, f web.Form) bool {
			m, err := readmovies.Movie(ctx, p.s.Pool(), id)
			want := readMovieInfo(fresh(f))
			return err == nil && m.Title == want.Title && m.Year == want.Year && m.Synopsis == want.Synopsis &&
				m.PosterURL == want.PosterURL && m.Runtime == want.Runtime && slices.Equal(m.Tags, want.Tags) &&
				sameCredits(m, readCredits(fresh(f), n))
		}})
}

// sameCredits reports whether the movie is credited as credits say (by
// name; a name that is an alias never matches, and the wait gives up).
func sameCredits(m readmovies.MovieRow, credits []cmdmovies.PersonCredit) bool {
	if len(m.Credits) != len(credits) {
		return false
	}
	for _, c := range credits {
		if !slices.ContainsFunc(m.Credits, func(have readmovies.CreditRow) bool {
			return have.Kind == c.Kind && movies.NameKey(have.Name) == movies.NameKey(c.Name) && movies.NameKey(have.Role) == movies.NameKey(c.Role)
		}) {
			return false
		}
	}
	return true
}

// editionEdit replaces what describes one of the movie's editions (staff).
func (p *pages) editionEdit(w http.ResponseWriter, r *http.Request) {
	edition, ok := p.s.UUIDParam(w, r, "edition")
	if !ok {
		return
	}
	p.movieChange(w, r, staffEdit{which: "edition-" + edition.String(), fields: []string{"edition", "edition_year", "distributor"},
		change: func(ctx context.Context, v *web.Viewer, id uuid.UUID, f web.Form) error {
			info := readEditionInfo(f)
			if !f.OK() {
				return nil
			}
			return p.cmds.EditEdition(ctx, p.s.Actor(v), id, edition, info)
		},
		shown: func(ctx context.Context, id uuid.UUID, f web.Form) bool {
			m, err := readmovies.Movie(ctx, p.s.Pool(), id)
			want := readEditionInfo(fresh(f))
			return err == nil && slices.ContainsFunc(m.Editions, func(e readmovies.EditionRow) bool {
				return e.ID == edition && e.EditionInfo == want
			})
		}})
}

// formatFields are the format edit form's fields.
var formatFields = []string{"source", "codec", "container", "resolution", "hdr", "kind", "subtitles", "format"}

// formatEdit replaces what describes one of the movie's formats (staff).
func (p *pages) formatEdit(w http.ResponseWriter, r *http.Request) {
	h, ok := p.s.InfoHashParam(w, r)
	if !ok {
		return
	}
	p.movieChange(w, r, staffEdit{which: "format-" + h.String(), fields: formatFields,
		change: func(ctx context.Context, v *web.Viewer, id uuid.UUID, f web.Form) error {
			info := readFormatInfo(f)
			if !f.OK() {
				return nil
			}
			return p.cmds.EditFormat(ctx, p.s.Actor(v), id, h, info)
		},
		shown: func(ctx context.Context, id uuid.UUID, f web.Form) bool {
			m, err := readmovies.Movie(ctx, p.s.Pool(), id)
			want := readFormatInfo(fresh(f))
			return err == nil && slices.ContainsFunc(m.Formats(), func(have readmovies.FormatRow) bool {
				return have.InfoHash == h && have.Label() == want.Label() && slices.Equal(have.Subtitles, want.Subtitles)
			})
		}})
}

// personEdit replaces the person's birth year and biography (staff).
func (p *pages) personEdit(w http.ResponseWriter, r *http.Request) {
	p.personChange(w, r, staffEdit{which: "person", fields: []string{"birth_year", "biography"},
		change: func(ctx context.Context, v *web.Viewer, id uuid.UUID, f web.Form) error {
			info := movies.PersonInfo{BirthYear: number(f, "birth_year", true), Biography: text(f, "biography")}
			if !f.OK() {
				return nil
			}
			return p.cmds.EditPerson(ctx, p.s.Actor(v), id, info)
		},
		shown: func(ctx context.Context, id uuid.UUID, f web.Form) bool {
			person, err := readmovies.Person(ctx, p.s.Pool(), id)
			return err == nil && strconv.Itoa(person.BirthYear) == orZero(f.Values["birth_year"]) && person.Biography == text(f, "biography")
		}})
}

// fresh is f's values without its messages, to read again what the
// change read (a wait must not mark the form).
func fresh(f web.Form) web.Form { return web.Form{Values: f.Values, Errors: map[string]string{}} }

// orZero is a number field's text, "0" when empty.
func orZero(s string) string {
	if n, err := strconv.Atoi(s); err == nil {
		return strconv.Itoa(n)
	}
	return "0"
}

// personAlias gives the person another name (staff).
func (p *pages) personAlias(w http.ResponseWriter, r *http.Request) {
	p.personChange(w, r, staffEdit{which: "alias", fields: []string{"alias"},
		change: func(ctx context.Context, v *web.Viewer, id uuid.UUID, f web.Form) error {
			return p.cmds.AddAlias(ctx, p.s.Actor(v), id, f.Values["alias"])
		},
		shown: func(ctx context.Context, id uuid.UUID, f web.Form) bool {
			got, err := readmovies.PersonByName(ctx, p.s.Pool(), f.Values["alias"])
			return err == nil && got == id
		}})
}

// personMerge folds the person into the one named (staff); their page
// then redirects there.
func (p *pages) personMerge(w http.ResponseWriter, r *http.Request) {
	p.personChange(w, r, staffEdit{which: "merge", fields: []string{"into"},
		change: func(ctx context.Context, v *web.Viewer, id uuid.UUID, f web.Form) error {
			into, err := p.cmds.PersonByName(ctx, f.Values["into"])
			if domain.KindOf(err) == domain.KindNotFound {
				return domain.FieldE("merge people", "into", domain.KindNotFound, "nobody here is named %q", f.Values["into"])
			}
			if err != nil {
				return err
			}
			return p.cmds.MergePeople(ctx, p.s.Actor(v), id, into.ID)
		},
		shown: func(ctx context.Context, id uuid.UUID, _ web.Form) bool {
			person, err := readmovies.Person(ctx, p.s.Pool(), id)
			return err == nil && person.MergedInto != uuid.Nil
		}})
}

// movieMerge folds the movie into the one the form names, by its id or
// its page's address (staff): its editions and formats move there, and
// its page redirects there.
func (p *pages) movieMerge(w http.ResponseWriter, r *http.Request) {
	p.movieChange(w, r, staffEdit{which: "merge", fields: []string{"into"},
		change: func(ctx context.Context, v *web.Viewer, id uuid.UUID, f web.Form) error {
			into, err := p.mergeTarget(ctx, f.Values["into"])
			if err != nil {
				return err
			}
			return p.cmds.MergeMovies(ctx, p.s.Actor(v), id, into)
		},
		shown: func(ctx context.Context, id uuid.UUID, _ web.Form) bool {
			m, err := readmovies.Movie(ctx, p.s.Pool(), id)
			return err == nil && m.MergedInto != uuid.Nil && len(m.Editions) == 0
		}})
}

// mergeTarget reads the merge form's movie: its id, its page's address
// (/movies/ID, with or without the site, a format's #anchor or a query)
// or an IMDb id a movie holds.
func (p *pages) mergeTarget(ctx context.Context, s string) (uuid.UUID, error) {
	const op = "merge movies"
	s = strings.TrimSpace(s)
	if s == "" {
		return uuid.Nil, domain.FieldE(op, "into", domain.KindInvalid, "give the id or the page address of the movie to merge this one into")
	}
	if strings.HasPrefix(s, "tt") {
		m, err := p.cmds.MovieByIMDb(ctx, s)
		if domain.KindOf(err).Refused() {
			return uuid.Nil, domain.FieldE(op, "into", domain.KindOf(err), "%s", domain.Message(err))
		}
		return m.ID, err
	}
	if u, err := url.Parse(s); err == nil {
		s = strings.TrimSuffix(u.Path, "/")
	}
	s = s[strings.LastIndex(s, "/")+1:]
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, domain.FieldE(op, "into", domain.KindInvalid, "that is no movie's id or page: give an address as /movies/ID, or the id")
	}
	return id, nil
}

// editVocab is what the movie page's staff forms offer: the lists'
// choices, and the credit rows of the movie edit form (the movie's
// credits, or a refused edit's rows).
type editVocab struct {
	vocab
	Credits []creditRow
}

// newEditVocab is the staff forms' choices for movie m, its credit rows
// those of refused when that was the movie edit.
func newEditVocab(m readmovies.MovieRow, refused staffForm) *editVocab {
	e := &editVocab{vocab: formatVocab, Credits: movieCreditRows(m)}
	if refused.Is("movie") {
		n, _ := strconv.Atoi(refused.Form.Values["credit_rows"])
		e.Credits = formCreditRows(refused.Form, min(max(n, 0), maxCreditRows))
	}
	return e
}

// CreditsView is the movie edit form's credit rows.
func (pg moviePage) CreditsView() creditsView {
	return creditsView{Fields: pg.MovieFields(), Rows: pg.Edit.Credits}
}
