package movies

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/djembe/djembe/commands"
	cmdmovies "github.com/djembe/djembe/commands/movies"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	"github.com/djembe/djembe/projections"
	readmovies "github.com/djembe/djembe/projections/movies"
	"github.com/djembe/djembe/web"
	"github.com/google/uuid"
)

// newEdition is the edition select's value for "a new edition".
const newEdition = "new"

// uploadFields are the form's fields, which refusals are shown beside
// (the write side's field names: domain/movies' checks and
// commands/movies.Upload).
var uploadFields = []string{"file", "title", "original_title", "year", "runtime", "imdb_id", "tags", "poster", "synopsis", "credits",
	"edition_id", "edition", "edition_year", "distributor",
	"source", "codec", "container", "resolution", "hdr", "kind", "subtitles", "format", "description"}

// uploadView is the upload form: for a new movie, or (Movie set) a
// format of a movie already here.
type uploadView struct {
	Form      web.Form
	Movie     *movieView
	Duplicate string         // the page of the torrent that has the format (or the file) already
	Existing  *existingMovie // the movie that holds the IMDb id given, already here
	Credits   []creditRow
	vocab
}

// V is a field's value to show again.
func (v uploadView) V(name string) string { return v.Form.Values[name] }

// E is the message beside a field.
func (v uploadView) E(name string) string { return v.Form.Errors[name] }

// uploadField is one row of the upload form: its label, and its message
// and hint (given to the closing half of the row).
type uploadField struct {
	Name, Label, Error, Hint string
}

// Field is the row of field name: labelled label when opening it, with
// hint when closing it.
func (v uploadView) Field(name, labelOrHint string) uploadField {
	return uploadField{Name: name, Label: labelOrHint, Hint: labelOrHint, Error: v.Form.Errors[name]}
}

// uploadShow is the upload form; ?movie=ID (or ?imdb=ttNNNNNNN, when a
// movie has that IMDb id) adds a format to that movie.
func (p *pages) uploadShow(w http.ResponseWriter, r *http.Request) {
	if p.s.SignedIn(w, r) == nil {
		return
	}
	f := web.NewForm()
	q := r.URL.Query()
	f.Values["movie"] = q.Get("movie")
	if imdb := strings.TrimSpace(q.Get("imdb")); imdb != "" && f.Values["movie"] == "" {
		if id, err := readmovies.MovieByIMDb(r.Context(), p.s.Pool(), imdb); err == nil {
			f.Values["movie"] = id.String()
		} else {
			f.Values["imdb_id"] = imdb
		}
	}
	f.Values["hdr"] = movies.HDRNone
	f.Values["kind"] = movies.KindEncode
	if f.Values["movie"] == "" {
		f.Values["edition_id"], f.Values["edition"] = newEdition, movies.EditionNames[0]
	}
	p.renderUpload(w, r, http.StatusOK, f, "", nil)
}

// existingMovie is the movie an upload's IMDb id names already.
type existingMovie struct {
	ID    uuid.UUID
	Title string
	Year  int
}

// links are what the upload form shows beside the IMDb id: add the format
// to that movie, or see it.
func (e *existingMovie) links() []fieldLink {
	return []fieldLink{{Text: "Add your format to " + e.Title + " (" + itoa(e.Year) + ")", URL: "/movies/upload?movie=" + e.ID.String()},
		{Text: "see the movie", URL: movieURL(e.ID)}}
}

func (p *pages) renderUpload(w http.ResponseWriter, r *http.Request, status int, f web.Form, duplicate string, existing *existingMovie) {
	v := uploadView{Form: f, Duplicate: duplicate, Existing: existing, vocab: formatVocab}
	v.Credits = blankRows(0, blankCreditRows)
	if _, sent := f.Values[creditRow{}.Field("kind")]; sent {
		v.Credits = formCreditRows(f, blankCreditRows)
	}
	title := "Upload a movie"
	if id, err := uuid.Parse(f.Values["movie"]); err == nil {
		m, err := readmovies.Movie(r.Context(), p.s.Pool(), id)
		if err == nil && m.MergedInto != uuid.Nil { // a merged movie's formats go to the movie it was merged into
			m, err = readmovies.Movie(r.Context(), p.s.Pool(), m.MergedInto)
			f.Values["movie"] = m.ID.String()
		}
		if err != nil {
			p.s.Fail(w, r, err)
			return
		}
		v.Movie, title = &movieView{m}, "Upload a format of "+m.Title
		if f.Values["edition_id"] == "" && len(m.Editions) > 0 {
			f.Values["edition_id"] = m.Editions[0].ID.String() // most formats join an edition already here
		}
	}
	p.s.Render(w, r, status, "upload", title, v)
}

// uploadCheck registers a movie upload through commands/movies: the
// .torrent and where its format goes. Every problem is shown beside its
// field; a format the edition has already links to the torrent that has
// it, and an IMDb id a movie here holds already (an IMDb id names one
// movie) links, beside the id, to adding the format to that movie. Done,
// it waits for the read models, then sends the uploader to the movie's
// page at the new format's row.
func (p *pages) uploadCheck(w http.ResponseWriter, r *http.Request) {
	v := p.s.SignedIn(w, r)
	if v == nil {
		return
	}
	f, file, parsed := p.s.UploadForm(w, r)
	if !parsed {
		p.renderUpload(w, r, http.StatusUnprocessableEntity, f, "", nil)
		return
	}
	ctx, actor := r.Context(), p.s.Actor(v)
	in := p.readUpload(f, file)
	if existing := p.movieWithIMDb(ctx, in, f); existing != nil {
		p.renderUpload(w, r, http.StatusConflict, f, "", existing)
		return
	}
	if !f.OK() {
		p.refuseRest(w, r, actor, in, f)
		return
	}
	in.Uploader, in.Source = v.Name, p.s.Source()
	up, err := p.cmds.Upload(ctx, actor, in)
	var dup *movies.DuplicateError
	var held *movies.IMDbTakenError
	switch {
	case errors.As(err, &held):
		f.RefuseAll(err, uploadFields...)
		p.renderUpload(w, r, http.StatusConflict, f, "", &existingMovie{ID: held.Movie, Title: held.Title, Year: held.Year})
		return
	case errors.As(err, &dup):
		f.Fail("format", dup.Error())
		p.renderUpload(w, r, http.StatusConflict, f, "/torrents/"+dup.Existing.String(), nil)
		return
	case domain.KindOf(err) == domain.KindConflict && domain.FieldOf(err) == "file":
		f.Fail("file", "this torrent is already on the site")
		p.renderUpload(w, r, http.StatusConflict, f, "/torrents/"+up.InfoHash.String(), nil)
		return
	case err != nil && !domain.KindOf(err).Refused():
		p.s.Fail(w, r, err)
		return
	case err != nil:
		f.RefuseAll(err, uploadFields...)
		p.renderUpload(w, r, http.StatusUnprocessableEntity, f, "", nil)
		return
	}
	p.s.ReadYourWrite(ctx, func(ctx context.Context) bool {
		_, errT := projections.CatalogTorrent(ctx, p.s.Pool(), up.InfoHash)
		_, errF := readmovies.MovieOfFormat(ctx, p.s.Pool(), up.InfoHash)
		return errT == nil && errF == nil
	})
	http.Redirect(w, r, movieURL(up.Movie)+"#"+formatAnchor(up.InfoHash), http.StatusSeeOther)
}

// refuseRest shows a form the page itself refused (a number that is no
// number, a credit row without a name) with every other refusal of the
// write side beside its field too. It asks the write side with no file:
// Upload checks everything before it appends anything, and without a file
// it always refuses, so nothing is appended.
func (p *pages) refuseRest(w http.ResponseWriter, r *http.Request, actor commands.Actor, in cmdmovies.Upload, f web.Form) {
	in.File = nil
	_, err := p.cmds.Upload(r.Context(), actor, in)
	if err != nil && !domain.KindOf(err).Refused() {
		p.s.Fail(w, r, err)
		return
	}
	var rest []error
	for _, e := range domain.Refusals(err) {
		if domain.FieldOf(e) != "file" {
			rest = append(rest, e)
		}
	}
	f.RefuseAll(errors.Join(rest...), uploadFields...)
	p.renderUpload(w, r, http.StatusUnprocessableEntity, f, "", nil)
}

// movieWithIMDb refuses a new movie whose IMDb id a movie in the read
// model carries already, beside the IMDb id, returning that movie (nil if
// none). The write side decides the same by the id's claim; this finds
// too the ids of movies uploaded before the claims, which hold none.
func (p *pages) movieWithIMDb(ctx context.Context, in cmdmovies.Upload, f web.Form) *existingMovie {
	if in.Movie != uuid.Nil || in.MovieInfo.IMDbID == "" {
		return nil
	}
	id, err := readmovies.MovieByIMDb(ctx, p.s.Pool(), in.MovieInfo.IMDbID)
	if err != nil {
		return nil
	}
	m, err := readmovies.Movie(ctx, p.s.Pool(), id)
	if err != nil {
		return nil
	}
	held := movies.IMDbTaken("upload movie", in.MovieInfo.IMDbID, movies.Movie{ID: m.ID, Info: movies.MovieInfo{Title: m.Title, Year: m.Year}})
	f.Fail("imdb_id", domain.Message(held))
	return &existingMovie{ID: m.ID, Title: m.Title, Year: m.Year}
}

// readUpload reads the form into the write side's input; what cannot be
// read at all (a number that is no number, no file, a credit row without
// a name) is refused here, beside its field.
func (p *pages) readUpload(f web.Form, file []byte) cmdmovies.Upload {
	var in cmdmovies.Upload
	in.File = file
	if id := f.Values["movie"]; id != "" {
		var err error
		if in.Movie, err = uuid.Parse(id); err != nil {
			f.Fail("", "no such movie: start again from its page")
		}
		if ed := f.Values["edition_id"]; ed != "" && ed != newEdition {
			if in.Edition, err = uuid.Parse(ed); err != nil {
				f.Fail("edition_id", "choose an edition of the movie, or a new one")
			}
		}
	} else {
		in.MovieInfo = readMovieInfo(f)
		in.Credits = readCredits(f, blankCreditRows)
	}
	if in.Edition == uuid.Nil {
		in.EditionInfo = readEditionInfo(f)
	}
	in.Format = readFormatInfo(f)
	in.Description = f.Values["description"]
	return in
}

// number reads a form's number; an empty optional one is 0.
func number(f web.Form, field string, optional bool) int {
	s := strings.TrimSpace(f.Values[field])
	if s == "" && optional {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.Fail(field, "give a number")
	}
	return n
}

// text is a form's text as the write side keeps it: trimmed, with Unix
// line ends.
func text(f web.Form, field string) string {
	return strings.TrimSpace(strings.ReplaceAll(f.Values[field], "\r\n", "\n"))
}

// readMovieInfo reads a movie's fields (not its credits).
func readMovieInfo(f web.Form) movies.MovieInfo {
	info := movies.MovieInfo{Title: text(f, "title"), OriginalTitle: text(f, "original_title"), Year: number(f, "year", false),
		Runtime: number(f, "runtime", true), IMDbID: text(f, "imdb_id"), PosterURL: text(f, "poster"), Synopsis: text(f, "synopsis")}
	tags, err := movies.NormalizeTags("upload movie", "tags", movies.SplitList(f.Values["tags"]))
	if err != nil {
		f.Fail("tags", domain.Message(err))
	}
	info.Tags = tags
	return info
}

// readEditionInfo reads an edition's fields.
func readEditionInfo(f web.Form) movies.EditionInfo {
	return movies.EditionInfo{Name: text(f, "edition"), Year: number(f, "edition_year", true), Distributor: text(f, "distributor")}
}

// readFormatInfo reads a format's fields; subtitles are normalized here
// (a bad code refused beside them).
func readFormatInfo(f web.Form) movies.FormatInfo {
	info := movies.FormatInfo{Source: f.Values["source"], Codec: f.Values["codec"], Container: f.Values["container"],
		Resolution: f.Values["resolution"], HDR: f.Values["hdr"], Kind: f.Values["kind"]}
	if info.HDR == "" {
		info.HDR = movies.HDRNone
	}
	subs, err := movies.NormalizeSubtitles("upload movie", "subtitles", movies.SplitList(f.Values["subtitles"]))
	if err != nil {
		f.Fail("subtitles", domain.Message(err))
	}
	info.Subtitles = subs
	return info
}

// CreditsView is the upload form's credit rows.
func (v uploadView) CreditsView() creditsView {
	return creditsView{Fields: v.Fields(), Rows: v.Credits}
}
