package music

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	readmusic "github.com/djembe/djembe/projections/music"
	"github.com/djembe/djembe/web"
)

// formatEditFields are the format edit form's fields (domain/music's
// FormatInfo.Check and Album.CheckNewFormat name them so).
var formatEditFields = []string{"format", "encoding", "has_log", "log_score", "has_cue", "scene"}

// formatEditView is the format edit form (what.cd's format fields of
// torrents.php?action=edit).
type formatEditView struct {
	formView
	Album     albumView
	Edition   editionView
	Format    readmusic.FormatRow
	Formats   []string
	Encodings []string
}

// editedFormat is the format of the torrent in the URL with its album and
// edition; a malformed info hash, or a torrent that is no format on the
// site, is a 404 (false).
func (p *pages) editedFormat(w http.ResponseWriter, r *http.Request) (v formatEditView, ok bool) {
	h, ok := p.s.InfoHashParam(w, r)
	if !ok {
		return v, false
	}
	id, err := readmusic.AlbumOfFormat(r.Context(), p.s.Pool(), h)
	if err != nil {
		p.s.Fail(w, r, err)
		return v, false
	}
	a, err := readmusic.Album(r.Context(), p.s.Pool(), id)
	if err != nil {
		p.s.Fail(w, r, err)
		return v, false
	}
	v.Album = albumView{AlbumRow: a}
	for _, e := range v.Album.Editions() {
		for _, f := range e.Formats {
			if f.InfoHash == h {
				v.Edition, v.Format = e, f
				return v, true
			}
		}
	}
	p.s.NotFound(w, r) // its torrent was deleted
	return v, false
}

// formatEditShow is /music/torrents/{infohash}/edit: the format's form,
// filled with what it says now (staff).
func (p *pages) formatEditShow(w http.ResponseWriter, r *http.Request) {
	if p.staff(w, r, "edit format") == nil {
		return
	}
	v, ok := p.editedFormat(w, r)
	if !ok {
		return
	}
	f, fi := web.NewForm(), v.Format.FormatInfo
	f.Values["format"], f.Values["encoding"] = fi.Format, fi.Encoding
	f.Values["has_log"], f.Values["has_cue"], f.Values["scene"] = checkbox(fi.HasLog), checkbox(fi.HasCue), checkbox(fi.Scene)
	if fi.HasLog {
		f.Values["log_score"] = strconv.Itoa(fi.LogScore)
	}
	p.renderFormatEdit(w, r, http.StatusOK, v, f)
}

// checkbox is a ticked ("1") or empty checkbox's value.
func checkbox(on bool) string {
	if on {
		return "1"
	}
	return ""
}

func (p *pages) renderFormatEdit(w http.ResponseWriter, r *http.Request, status int, v formatEditView, f web.Form) {
	v.formView, v.Formats, v.Encodings = formView{f}, music.Formats, music.Encodings
	p.s.Render(w, r, status, "format_edit", "Edit "+v.Format.Label(), v)
}

// formatEditCheck replaces the format's format, encoding, log, log score,
// cue and scene marks through commands/music's EditFormat (staff):
// refused (a format its edition has in another torrent, a log on a
// lossy rip, ...), the form again with each message beside its field;
// done, the album page at the format's row once the read model shows it.
func (p *pages) formatEditCheck(w http.ResponseWriter, r *http.Request) {
	u := p.staff(w, r, "edit format")
	if u == nil {
		return
	}
	v, ok := p.editedFormat(w, r)
	if !ok {
		return
	}
	f := web.NewForm()
	for _, k := range formatEditFields {
		f.Values[k] = r.PostFormValue(k)
	}
	info := music.FormatInfo{Format: f.Values["format"], Encoding: f.Values["encoding"],
		HasLog: f.Values["has_log"] == "1", HasCue: f.Values["has_cue"] == "1", Scene: f.Values["scene"] == "1"}
	if s := strings.TrimSpace(f.Values["log_score"]); s != "" && info.HasLog {
		var err error
		if info.LogScore, err = strconv.Atoi(s); err != nil {
			f.Fail("log_score", "give the log's score as a number from 0 to 100")
		}
	}
	var err error
	if f.OK() {
		err = p.cmds.EditFormat(r.Context(), p.s.Actor(u), v.Album.ID, v.Format.InfoHash, info)
	}
	switch {
	case f.OK() && err == nil:
		p.s.ReadYourWrite(r.Context(), func(ctx context.Context) bool { return p.formatShows(ctx, v, info) })
		http.Redirect(w, r, albumURL(v.Album.ID)+"#t"+v.Format.InfoHash.String(), http.StatusSeeOther)
	case err != nil && !domain.KindOf(err).Refused():
		p.s.Fail(w, r, err)
	default:
		f.RefuseAll(err, formatEditFields...)
		p.renderFormatEdit(w, r, refusedStatus(err), v, f)
	}
}

// formatShows reports whether the read model shows v's format as info.
func (p *pages) formatShows(ctx context.Context, v formatEditView, info music.FormatInfo) bool {
	a, err := readmusic.Album(ctx, p.s.Pool(), v.Album.ID)
	if err != nil {
		return false
	}
	for _, f := range a.Formats() {
		if f.InfoHash == v.Format.InfoHash {
			return f.FormatInfo == info
		}
	}
	return false
}
