// Package music is the Music plugin's pages, after what.cd: browse and
// search grouped by album, the artist page (albums grouped by release
// type, each with its editions and formats), the album page, the upload
// form and staff's catalogue edits: the artist's in its sidebar (similar
// artists included) and the edit pages of an album, an edition and a
// format (what.cd's torrents.php?action=editgroup and action=edit). It
// reads projections/music and changes the catalogue only through
// commands/music.
package music

import (
	"embed"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	cmdmusic "github.com/djembe/djembe/commands/music"
	"github.com/djembe/djembe/domain/music"
	readmusic "github.com/djembe/djembe/projections/music"
	"github.com/djembe/djembe/web"
	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
)

//go:embed views/*.html
var viewsFS embed.FS

// Plugin is the Music plugin's pages, mounted under /music.
func Plugin() web.Plugin {
	return web.Plugin{Name: "music", Label: "Music", Views: web.ViewsDir(viewsFS), Routes: routes, Root: root}
}

// pages are the plugin's handlers.
type pages struct {
	s    *web.Site
	cmds *cmdmusic.Commands
}

func newPages(s *web.Site) *pages {
	p := &pages{s: s}
	if s.Commands() != nil {
		p.cmds = cmdmusic.New(s.Commands())
	}
	return p
}

func routes(r chi.Router, s *web.Site) {
	p := newPages(s)
	r.Get("/", p.browse)
	r.Get("/artist", p.artistByName)
	r.Get("/artists/{id}", p.artist)
	r.Get("/albums/{id}", p.album)
	r.Get("/torrents/{infohash}", p.formatAlbum)
	r.Get("/upload", p.uploadShow)
	r.Post("/upload", p.uploadCheck)
	r.Post("/artists/{id}/edit", p.artistEdit)
	r.Post("/artists/{id}/aliases", p.artistAlias)
	r.Post("/artists/{id}/merge", p.artistMerge)
	r.Post("/artists/{id}/similar", p.similarAdd)
	r.Post("/artists/{id}/similar/remove", p.similarRemove)
	r.Get("/albums/{id}/edit", p.albumEditShow)
	r.Post("/albums/{id}/edit", p.albumEditCheck)
	r.Get("/albums/{id}/releases/{rid}/edit", p.releaseEditShow)
	r.Post("/albums/{id}/releases/{rid}/edit", p.releaseEditCheck)
	r.Get("/torrents/{infohash}/edit", p.formatEditShow)
	r.Post("/torrents/{infohash}/edit", p.formatEditCheck)
}

// root mounts what the plugin serves at the site's root (Gazelle's
// /ajax.php, in ajax.go).
func root(r chi.Router, s *web.Site) {
	mountAjax(r, s)
}

// idParam is the URL's {id} as a uuid; a malformed one is a 404.
func (p *pages) idParam(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	return p.s.UUIDParam(w, r, "id")
}

// artistURL is an artist's page.
func artistURL(id uuid.UUID) string { return "/music/artists/" + id.String() }

// albumURL is an album's page.
func albumURL(id uuid.UUID) string { return "/music/albums/" + id.String() }

// artistByName sends /music/artist?name=NAME to the artist that name or
// alias leads to (what.cd's artist.php?artistname=).
func (p *pages) artistByName(w http.ResponseWriter, r *http.Request) {
	if p.s.SignedIn(w, r) == nil {
		return
	}
	id, err := readmusic.ArtistByName(r.Context(), p.s.Pool(), r.URL.Query().Get("name"))
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, artistURL(id), http.StatusSeeOther)
}

// formatAlbum sends a torrent of the plugin to its album's page, at its row.
func (p *pages) formatAlbum(w http.ResponseWriter, r *http.Request) {
	if p.s.SignedIn(w, r) == nil {
		return
	}
	h, ok := p.s.InfoHashParam(w, r)
	if !ok {
		return
	}
	album, err := readmusic.AlbumOfFormat(r.Context(), p.s.Pool(), h)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, albumURL(album)+"#t"+h.String(), http.StatusSeeOther)
}

// releaseTypeGroup is an artist's albums of one release type.
type releaseTypeGroup struct {
	Type   music.ReleaseType
	Albums []readmusic.AlbumRow
}

// editionLabel is how an edition heads its formats: "1998 – Warp / WARPCD55
// / Deluxe / CD", the album's year when the edition has none.
func editionLabel(albumYear int, r readmusic.ReleaseRow) string {
	year := r.Year
	if year == 0 {
		year = albumYear
	}
	parts := []string{}
	for _, s := range []string{r.RecordLabel, r.CatalogueNumber, r.EditionTitle, r.Media} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strconv.Itoa(year) + " – " + strings.Join(parts, " / ")
}

// searchURL is a browse of the music catalogue by one filter.
func searchURL(key, value string) string {
	return "/music/?" + url.Values{key: {value}}.Encode()
}
