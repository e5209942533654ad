package music

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	cmdmusic "github.com/djembe/djembe/commands/music"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	readmusic "github.com/djembe/djembe/projections/music"
	"github.com/djembe/djembe/web"
	"github.com/google/uuid"
)

// albumEditFields are the album edit form's fields, which the write
// side's refusals are shown beside (domain/music's AlbumInfo.Check names
// them so).
var albumEditFields = []string{"title", "year", "release_type", "tags", "description", "cover", "artists"}

// blankCredits is how many empty credit rows the album edit form offers
// below the album's credits (no JavaScript adds more; a second save adds
// more again).
const blankCredits = 3

// maxCreditRows bounds the credit rows a submitted form is read for.
const maxCreditRows = music.MaxCredits + blankCredits

// albumEditView is the album edit form (what.cd's
// torrents.php?action=editgroup with its artist box).
type albumEditView struct {
	formView
	Album        albumView
	CreditRows   []int
	Roles        []music.Role
	ReleaseTypes []music.ReleaseType
}

// staff is r's signed-in user when they are staff; anyone else gets the
// 403 page (the catalogue's edits are staff's, as commands/music decides)
// and nil.
func (p *pages) staff(w http.ResponseWriter, r *http.Request, op string) *web.Viewer {
	v := p.s.SignedIn(w, r)
	if v != nil && !v.Staff {
		p.s.Fail(w, r, domain.E(op, domain.KindForbidden, "only staff may edit the catalogue"))
		return nil
	}
	return v
}

// albumEditShow is /music/albums/{id}/edit: the album's form, filled
// with what it says now (staff).
func (p *pages) albumEditShow(w http.ResponseWriter, r *http.Request) {
	if p.staff(w, r, "edit album") == nil {
		return
	}
	id, ok := p.idParam(w, r)
	if !ok {
		return
	}
	a, err := readmusic.Album(r.Context(), p.s.Pool(), id)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	p.renderAlbumEdit(w, r, http.StatusOK, a, albumForm(a))
}

// albumForm is album a as its edit form's values: credit i as artistI and
// roleI.
func albumForm(a readmusic.AlbumRow) web.Form {
	f := web.NewForm()
	f.Values["title"], f.Values["year"] = a.Title, strconv.Itoa(a.Year)
	f.Values["release_type"] = strconv.Itoa(int(a.ReleaseType))
	f.Values["tags"] = strings.Join(a.Tags, ", ")
	f.Values["description"], f.Values["cover"] = a.Description, a.CoverURL
	for i, c := range a.Credits {
		f.Values["artist"+strconv.Itoa(i)] = c.Name
		f.Values["role"+strconv.Itoa(i)] = strconv.Itoa(int(c.Role))
	}
	return f
}

// creditRows is how many credit rows the form shows: every row up to the
// last one filled in, and blankCredits empty ones.
func creditRows(f web.Form) []int {
	n := 0
	for i := range maxCreditRows {
		if strings.TrimSpace(f.Values["artist"+strconv.Itoa(i)]) != "" {
			n = i + 1
		}
	}
	rows := make([]int, min(n+blankCredits, maxCreditRows))
	for i := range rows {
		rows[i] = i
	}
	return rows
}

func (p *pages) renderAlbumEdit(w http.ResponseWriter, r *http.Request, status int, a readmusic.AlbumRow, f web.Form) {
	v := albumEditView{formView: formView{f}, Album: albumView{AlbumRow: a}, CreditRows: creditRows(f),
		Roles: music.Roles, ReleaseTypes: music.ReleaseTypes}
	p.s.Render(w, r, status, "album_edit", "Edit "+a.Title, v)
}

// albumEditCheck replaces the album's title, year, release type, tags,
// description, cover and credits through commands/music's EditAlbum
// (staff). Refused, the form comes back with each message beside its
// field and nothing changed; done, the album page once the read model
// shows the change.
func (p *pages) albumEditCheck(w http.ResponseWriter, r *http.Request) {
	v := p.staff(w, r, "edit album")
	if v == nil {
		return
	}
	id, ok := p.idParam(w, r)
	if !ok {
		return
	}
	f := web.NewForm()
	for _, k := range albumEditFields {
		f.Values[k] = r.PostFormValue(k)
	}
	for i := range maxCreditRows {
		for _, k := range []string{"artist" + strconv.Itoa(i), "role" + strconv.Itoa(i)} {
			if s := r.PostFormValue(k); s != "" {
				f.Values[k] = s
			}
		}
	}
	credits, info := readAlbumForm(f)
	var err error
	if f.OK() {
		err = p.cmds.EditAlbum(r.Context(), p.s.Actor(v), id, credits, info)
	}
	if f.OK() && err == nil {
		p.s.ReadYourWrite(r.Context(), func(ctx context.Context) bool { return p.albumShows(ctx, id, credits, info) })
		http.Redirect(w, r, albumURL(id), http.StatusSeeOther)
		return
	}
	if err != nil && !domain.KindOf(err).Refused() {
		p.s.Fail(w, r, err)
		return
	}
	f.RefuseAll(err, albumEditFields...)
	a, rerr := readmusic.Album(r.Context(), p.s.Pool(), id)
	if rerr != nil {
		p.s.Fail(w, r, rerr)
		return
	}
	p.renderAlbumEdit(w, r, refusedStatus(err), a, f)
}

// readAlbumForm reads the album edit form into EditAlbum's input; what
// cannot be read at all (a year that is no number, a tag with other
// characters, a role that is none) is refused beside its field here. An
// unknown release type is left as 0 for the write side to refuse.
func readAlbumForm(f web.Form) ([]cmdmusic.ArtistCredit, music.AlbumInfo) {
	info := music.AlbumInfo{Title: strings.TrimSpace(f.Values["title"]), Description: description(f),
		CoverURL: strings.TrimSpace(f.Values["cover"])}
	if y, err := strconv.Atoi(strings.TrimSpace(f.Values["year"])); err == nil {
		info.Year = y
	} else {
		f.Fail("year", "give the year as a number, such as 1998")
	}
	if rt, err := music.ParseReleaseType(f.Values["release_type"]); err == nil {
		info.ReleaseType = rt
	}
	if tags, err := music.NormalizeTags("edit album", "tags", music.SplitTags(f.Values["tags"])); err != nil {
		f.Fail("tags", domain.Message(err))
	} else {
		info.Tags = tags
	}
	var credits []cmdmusic.ArtistCredit
	for i := range maxCreditRows {
		name := strings.TrimSpace(f.Values["artist"+strconv.Itoa(i)])
		if name == "" {
			continue
		}
		role, err := music.ParseRole(f.Values["role"+strconv.Itoa(i)])
		if err != nil {
			f.Fail("artists", "choose a role for "+name)
			continue
		}
		credits = append(credits, cmdmusic.ArtistCredit{Name: name, Role: role})
	}
	return credits, info
}

// albumShows reports whether the read model shows album id as info with
// credits (each name as the artist it leads to).
func (p *pages) albumShows(ctx context.Context, id uuid.UUID, credits []cmdmusic.ArtistCredit, info music.AlbumInfo) bool {
	a, err := readmusic.Album(ctx, p.s.Pool(), id)
	if err != nil || a.Title != info.Title || a.Year != info.Year || a.ReleaseType != info.ReleaseType ||
		!slices.Equal(a.Tags, info.Tags) || a.Description != info.Description || a.CoverURL != info.CoverURL {
		return false
	}
	type credit struct {
		artist uuid.UUID
		role   music.Role
	}
	want, have := map[credit]bool{}, map[credit]bool{}
	for _, c := range credits {
		artist, err := readmusic.ArtistByName(ctx, p.s.Pool(), c.Name)
		if err != nil {
			return false
		}
		want[credit{artist, c.Role}] = true
	}
	for _, c := range a.Credits {
		have[credit{c.ID, c.Role}] = true
	}
	return maps.Equal(want, have)
}

// refusedStatus is the status of a refused form: 409 when it conflicts
// with what is there, else 422.
func refusedStatus(err error) int {
	if domain.KindOf(err) == domain.KindConflict {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}
