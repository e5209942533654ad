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
	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
)

// releaseEditFields are the edition edit form's fields (domain/music's
// ReleaseInfo.Check names them so).
var releaseEditFields = []string{"release_year", "record_label", "catalogue_number", "edition_title", "media"}

// releaseEditView is the edition edit form (what.cd's edition fields of
// torrents.php?action=edit).
type releaseEditView struct {
	formView
	Album   albumView
	Edition editionView
	Media   []string
}

// editedRelease is the album in the URL and its edition {rid}; a
// malformed id or one the album does not have is a 404 (false).
func (p *pages) editedRelease(w http.ResponseWriter, r *http.Request) (readmusic.AlbumRow, editionView, bool) {
	id, ok := p.idParam(w, r)
	if !ok {
		return readmusic.AlbumRow{}, editionView{}, false
	}
	a, err := readmusic.Album(r.Context(), p.s.Pool(), id)
	if err != nil {
		p.s.Fail(w, r, err)
		return a, editionView{}, false
	}
	if rid, err := uuid.Parse(chi.URLParam(r, "rid")); err == nil {
		for _, e := range (albumView{AlbumRow: a}).Editions() {
			if e.ID == rid {
				return a, e, true
			}
		}
	}
	p.s.NotFound(w, r)
	return a, editionView{}, false
}

// releaseEditShow is /music/albums/{id}/releases/{rid}/edit: the
// edition's form, filled with what it says now (staff).
func (p *pages) releaseEditShow(w http.ResponseWriter, r *http.Request) {
	if p.staff(w, r, "edit edition") == nil {
		return
	}
	a, e, ok := p.editedRelease(w, r)
	if !ok {
		return
	}
	f := web.NewForm()
	if e.Year != 0 {
		f.Values["release_year"] = strconv.Itoa(e.Year)
	}
	f.Values["record_label"], f.Values["catalogue_number"] = e.RecordLabel, e.CatalogueNumber
	f.Values["edition_title"], f.Values["media"] = e.EditionTitle, e.Media
	p.renderReleaseEdit(w, r, http.StatusOK, a, e, f)
}

func (p *pages) renderReleaseEdit(w http.ResponseWriter, r *http.Request, status int, a readmusic.AlbumRow, e editionView, f web.Form) {
	v := releaseEditView{formView: formView{f}, Album: albumView{AlbumRow: a}, Edition: e, Media: music.Media}
	p.s.Render(w, r, status, "release_edit", "Edit an edition of "+a.Title, v)
}

// releaseEditCheck replaces the edition's year, record label, catalogue
// number, edition title and media through commands/music's EditRelease
// (staff): refused, the form again with each message beside its field;
// done, the album page once the read model shows the change.
func (p *pages) releaseEditCheck(w http.ResponseWriter, r *http.Request) {
	v := p.staff(w, r, "edit edition")
	if v == nil {
		return
	}
	a, e, ok := p.editedRelease(w, r)
	if !ok {
		return
	}
	f := web.NewForm()
	for _, k := range releaseEditFields {
		f.Values[k] = r.PostFormValue(k)
	}
	info := music.ReleaseInfo{RecordLabel: strings.TrimSpace(f.Values["record_label"]),
		CatalogueNumber: strings.TrimSpace(f.Values["catalogue_number"]), EditionTitle: strings.TrimSpace(f.Values["edition_title"]),
		Media: f.Values["media"]}
	if s := strings.TrimSpace(f.Values["release_year"]); s != "" {
		var err error
		if info.Year, err = strconv.Atoi(s); err != nil {
			f.Fail("release_year", "give the year as a number, or nothing for the album's year")
		}
	}
	var err error
	if f.OK() {
		err = p.cmds.EditRelease(r.Context(), p.s.Actor(v), a.ID, e.ID, info)
	}
	switch {
	case f.OK() && err == nil:
		p.s.ReadYourWrite(r.Context(), func(ctx context.Context) bool { return p.releaseShows(ctx, a.ID, e.ID, info) })
		http.Redirect(w, r, albumURL(a.ID), http.StatusSeeOther)
	case err != nil && !domain.KindOf(err).Refused():
		p.s.Fail(w, r, err)
	default:
		f.RefuseAll(err, releaseEditFields...)
		p.renderReleaseEdit(w, r, refusedStatus(err), a, e, f)
	}
}

// releaseShows reports whether the read model shows edition rid of album
// id as info.
func (p *pages) releaseShows(ctx context.Context, id, rid uuid.UUID, info music.ReleaseInfo) bool {
	a, err := readmusic.Album(ctx, p.s.Pool(), id)
	if err != nil {
		return false
	}
	for _, rel := range a.Releases {
		if rel.ID == rid {
			return rel.ReleaseInfo == info
		}
	}
	return false
}
