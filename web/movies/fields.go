package movies

import (
	"strconv"
	"strings"

	readmovies "github.com/djembe/djembe/projections/movies"
	"github.com/djembe/djembe/web"
)

// fieldsView draws one form's fields in a .form-grid: each input's id is
// ID+name (ID unique on the page, "f-" for the page's main form), its
// message's "e"+that id without its "f", so a page with several forms
// keeps every id unique. Values and Errors are the form's.
type fieldsView struct {
	ID     string
	Values map[string]string
	Errors map[string]string
	Links  map[string][]fieldLink // shown beside a field's message (the movie that holds an IMDb id)
	vocab
}

// fieldLink is a link shown beside a field.
type fieldLink struct{ Text, URL string }

// fieldView is one field of a form.
type fieldView struct {
	ID, Name, Label, Type, Value, Error, Hint string
	Options                                   []string
	Blank                                     string // the first option's text for "" ("" for none)
	Links                                     []fieldLink
}

// ErrID is the id of the field's message.
func (f fieldView) ErrID() string { return "e" + strings.TrimPrefix(f.ID, "f") }

// Input is a text input of type typ ("text", "number", "url") labelled
// label, with hint under it.
func (v fieldsView) Input(name, label, typ, hint string) fieldView {
	return fieldView{ID: v.ID + name, Name: name, Label: label, Type: typ, Value: v.Values[name], Error: v.Errors[name], Hint: hint,
		Links: v.Links[name]}
}

// Select is a list of options labelled label; blank is the text of the
// empty first option ("" for none).
func (v fieldsView) Select(name, label string, options []string, blank string) fieldView {
	f := v.Input(name, label, "select", "")
	f.Options, f.Blank = options, blank
	return f
}

// Error is the message beside a field that has no input of its own
// (credits, format).
func (v fieldsView) Error(name string) fieldView { return v.Input(name, "", "", "") }

// formFields are a submitted form's fields with ids prefixed id.
func formFields(id string, f web.Form) fieldsView {
	return fieldsView{ID: id, Values: f.Values, Errors: f.Errors, vocab: formatVocab}
}

// Fields are the upload form's fields; beside a refused IMDb id, the
// links to the movie that holds it.
func (v uploadView) Fields() fieldsView {
	f := formFields("f-", v.Form)
	if v.Existing != nil {
		f.Links = map[string][]fieldLink{"imdb_id": v.Existing.links()}
	}
	return f
}

// staffFields are the fields of staff form which: a refused edit's when
// which was refused, else current.
func (s staffForm) fields(which, id string, current map[string]string) fieldsView {
	if s.Which == which {
		return formFields(id, s.Form)
	}
	return fieldsView{ID: id, Values: current, Errors: map[string]string{}, vocab: formatVocab}
}

// yearText is a year as a field shows it, "" for unknown.
func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// MovieFields are the movie edit form's fields.
func (pg moviePage) MovieFields() fieldsView {
	m := pg.MovieRow
	runtime := ""
	if m.Runtime > 0 {
		runtime = strconv.Itoa(m.Runtime)
	}
	f := pg.Refused.fields("movie", "f-movie-", map[string]string{"title": m.Title, "original_title": m.OriginalTitle,
		"year": strconv.Itoa(m.Year), "runtime": runtime, "imdb_id": m.IMDbID, "tags": strings.Join(m.Tags, ", "),
		"poster": m.PosterURL, "synopsis": m.Synopsis})
	if pg.Refused.Is("movie") && pg.Refused.Holder != nil {
		f.Links = map[string][]fieldLink{"imdb_id": {{Text: "See " + pg.Refused.Holder.Title + " (" + itoa(pg.Refused.Holder.Year) + ")",
			URL: movieURL(pg.Refused.Holder.ID)}, {Text: "the merge form below", URL: "#f-merge-into"}}}
	}
	return f
}

// MergeFields are the movie merge form's fields: after an edit refused
// an IMDb id another movie holds, that movie (this one is likely its
// duplicate).
func (pg moviePage) MergeFields() fieldsView {
	into := map[string]string{}
	if h := pg.Refused.Holder; h != nil {
		into["into"] = movieURL(h.ID)
	}
	return pg.Refused.fields("merge", "f-merge-", into)
}

// EditionFields are the edit form's fields of edition e.
func (pg moviePage) EditionFields(e editionView) fieldsView {
	which := e.Which()
	return pg.Refused.fields(which, "f-"+which+"-", map[string]string{"edition": e.Name, "edition_year": yearText(e.Year),
		"distributor": e.Distributor})
}

// FormatFields are the edit form's fields of format f.
func (pg moviePage) FormatFields(f formatView) fieldsView {
	which := f.Which()
	return pg.Refused.fields(which, "f-"+which+"-", formatValues(f.FormatRow))
}

// Opened reports whether the staff form which was refused (its box then
// opens).
func (pg moviePage) Opened(which string) bool { return pg.Refused.Is(which) }

// Which names the edition's staff form.
func (e editionView) Which() string { return "edition-" + e.ID.String() }

// Which names the format's staff form.
func (f formatView) Which() string { return "format-" + f.InfoHash.String() }

func formatValues(f readmovies.FormatRow) map[string]string {
	return map[string]string{"source": f.Source, "codec": f.Codec, "container": f.Container, "resolution": f.Resolution,
		"hdr": f.HDR, "kind": f.Kind, "subtitles": strings.Join(f.Subtitles, ", ")}
}

// PersonFields, AliasFields and MergeFields are the person page's staff
// forms' fields.
func (pg personPage) PersonFields() fieldsView {
	return pg.Refused.fields("person", "f-", map[string]string{"birth_year": yearText(pg.Person.BirthYear), "biography": pg.Person.Biography})
}
func (pg personPage) AliasFields() fieldsView {
	return pg.Refused.fields("alias", "f-", map[string]string{})
}
func (pg personPage) MergeFields() fieldsView {
	return pg.Refused.fields("merge", "f-", map[string]string{})
}

// FormError is the message of a staff form that is about no one field.
func (s staffForm) FormError(which string) string { return s.E(which, "") }
