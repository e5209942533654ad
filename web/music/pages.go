package music

import (
	"net/http"

	"github.com/djembe/djembe/domain/music"
	readmusic "github.com/djembe/djembe/projections/music"
	"github.com/djembe/djembe/web"
	"github.com/google/uuid"
)

// albumView is an album as its page and the artist page draw it.
type albumView struct {
	readmusic.AlbumRow
}

// MainArtists are the album's main artists (else its composers, DJs or
// conductors: whoever it is listed under).
func (a albumView) MainArtists() []readmusic.CreditRow {
	for _, r := range []music.Role{music.RoleMain, music.RoleComposer, music.RoleDJ, music.RoleConductor} {
		if cs := a.Artists(r); len(cs) > 0 {
			return cs
		}
	}
	return nil
}

// CreditGroups are the album's credits by role, in what.cd's order.
func (a albumView) CreditGroups() []creditGroup {
	var out []creditGroup
	for _, r := range music.Roles {
		if cs := a.Artists(r); len(cs) > 0 {
			out = append(out, creditGroup{Role: r, Artists: cs})
		}
	}
	return out
}

// Editions are the album's editions with their labels.
func (a albumView) Editions() []editionView {
	out := make([]editionView, len(a.Releases))
	for i, r := range a.Releases {
		out[i] = editionView{ReleaseRow: r, Label: editionLabel(a.Year, r)}
	}
	return out
}

// URL is the album's page.
func (a albumView) URL() string { return albumURL(a.ID) }

// Rows are the album's editions and formats as the "formatrows"
// template draws them, without edit links.
func (a albumView) Rows() formatRows { return formatRows{albumView: a} }

// formatRows are an album's editions and formats as "formatrows" draws
// them; Editable adds each edition's and format's edit link (staff only:
// commands/music refuses anyone else's edit).
type formatRows struct {
	albumView
	Editable bool
}

// albumPage is the album page: the album, and whether the viewer may
// edit it (staff).
type albumPage struct {
	albumView
	Staff bool
}

// Rows are the album's editions and formats, with edit links for staff.
func (a albumPage) Rows() formatRows { return formatRows{albumView: a.albumView, Editable: a.Staff} }

type creditGroup struct {
	Role    music.Role
	Artists []readmusic.CreditRow
}

type editionView struct {
	readmusic.ReleaseRow
	Label string
}

// artistView is the artist page.
type artistView struct {
	Artist readmusic.ArtistRow
	Groups []releaseTypeGroup
	Staff  bool
	Form   web.Form // a refused staff edit, shown beside its field
}

// Albums counts the artist's albums.
func (v artistView) Albums() int {
	n := 0
	for _, g := range v.Groups {
		n += len(g.Albums)
	}
	return n
}

// artistStats are the artist's totals, as what.cd's statistics box.
type artistStats struct{ Torrents, Seeders, Leechers, Snatches int }

// Stats sums the formats of the artist's albums.
func (v artistView) Stats() artistStats {
	var st artistStats
	for _, g := range v.Groups {
		for _, al := range g.Albums {
			for _, f := range al.Formats() {
				st.Torrents++
				st.Seeders += f.Seeders
				st.Leechers += f.Leechers
				st.Snatches += f.Snatches
			}
		}
	}
	return st
}

// Views are the artist's albums as album views, group by group.
func (g releaseTypeGroup) Views() []albumView {
	out := make([]albumView, len(g.Albums))
	for i, a := range g.Albums {
		out[i] = albumView{a}
	}
	return out
}

// artist is /music/artists/{id}: the artist's albums grouped by release
// type (what.cd's order, the artist's guest appearances and the like after
// them), each with its editions and formats; a merged artist redirects to
// the one it was merged into.
func (p *pages) artist(w http.ResponseWriter, r *http.Request) {
	v := p.s.SignedIn(w, r)
	if v == nil {
		return
	}
	id, ok := p.idParam(w, r)
	if !ok {
		return
	}
	p.renderArtist(w, r, id, v.Staff, http.StatusOK, web.NewForm())
}

func (p *pages) renderArtist(w http.ResponseWriter, r *http.Request, id uuid.UUID, staff bool, status int, f web.Form) {
	ctx := r.Context()
	a, err := readmusic.Artist(ctx, p.s.Pool(), id)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	if a.MergedInto != uuid.Nil {
		http.Redirect(w, r, artistURL(a.MergedInto), http.StatusMovedPermanently)
		return
	}
	albums, err := readmusic.ArtistAlbums(ctx, p.s.Pool(), id)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	p.s.Render(w, r, status, "artist", a.Name, artistView{Artist: a, Groups: groupByType(albums), Staff: staff, Form: f})
}

// groupByType groups an artist's albums by release type in what.cd's
// order; albums the artist is only a guest, remixer, producer or arranger
// on come last, under "Guest appearances" (type 0).
func groupByType(albums []readmusic.AlbumRow) []releaseTypeGroup {
	byType := map[music.ReleaseType][]readmusic.AlbumRow{}
	for _, a := range albums {
		t := a.ReleaseType
		switch a.Role {
		case music.RoleGuest, music.RoleRemixer, music.RoleProducer, music.RoleArranger:
			t = 0
		}
		byType[t] = append(byType[t], a)
	}
	var out []releaseTypeGroup
	for _, t := range append(append([]music.ReleaseType{}, music.ReleaseTypes...), 0) {
		if len(byType[t]) > 0 {
			out = append(out, releaseTypeGroup{Type: t, Albums: byType[t]})
		}
	}
	return out
}

// Heading is the group's heading.
func (g releaseTypeGroup) Heading() string {
	if g.Type == 0 {
		return "Guest appearances"
	}
	return g.Type.String()
}

// album is /music/albums/{id}: the album with its artists by role, tags,
// cover and description, and its editions with their formats; staff also
// get the links to edit the album, each edition and each format.
func (p *pages) album(w http.ResponseWriter, r *http.Request) {
	v := p.s.SignedIn(w, r)
	if v == nil {
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
	av := albumView{a}
	title := a.Title
	if main := av.MainArtists(); len(main) > 0 {
		title = main[0].Name + " – " + a.Title
	}
	p.s.Render(w, r, http.StatusOK, "album", title, albumPage{albumView: av, Staff: v.Staff})
}
