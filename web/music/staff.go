package music

import (
	"context"
	"net/http"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	readmusic "github.com/djembe/djembe/projections/music"
	"github.com/djembe/djembe/web"
	"github.com/google/uuid"
)

// staffChange runs a staff change of the artist in the URL from a form's
// fields, then shows the artist page: once the read model shows the change
// (shown), or with the refusal beside its field.
func (p *pages) staffChange(w http.ResponseWriter, r *http.Request, fields []string, change func(v *web.Viewer, id uuid.UUID, f web.Form) error,
	shown func(ctx context.Context, id uuid.UUID, f web.Form) bool) {
	v := p.s.SignedIn(w, r)
	if v == nil {
		return
	}
	id, ok := p.idParam(w, r)
	if !ok {
		return
	}
	if !v.Staff {
		p.s.Fail(w, r, domain.E("change artist", domain.KindForbidden, "only staff may change artists"))
		return
	}
	f := web.NewForm()
	for _, k := range fields {
		f.Values[k] = r.PostFormValue(k)
	}
	err := change(v, id, f)
	switch {
	case err == nil:
		p.s.ReadYourWrite(r.Context(), func(ctx context.Context) bool { return shown(ctx, id, f) })
		http.Redirect(w, r, artistURL(id), http.StatusSeeOther)
	case !domain.KindOf(err).Refused():
		p.s.Fail(w, r, err)
	default:
		f.RefuseAll(err, fields...)
		p.renderArtist(w, r, id, true, http.StatusUnprocessableEntity, f)
	}
}

// artistEdit replaces the artist's image and description (staff).
func (p *pages) artistEdit(w http.ResponseWriter, r *http.Request) {
	p.staffChange(w, r, []string{"image", "description"}, func(v *web.Viewer, id uuid.UUID, f web.Form) error {
		a, err := readmusic.Artist(r.Context(), p.s.Pool(), id)
		if err != nil {
			return err
		}
		similar := make([]uuid.UUID, len(a.Similar))
		for i, s := range a.Similar {
			similar[i] = s.ID
		}
		return p.cmds.EditArtist(r.Context(), p.s.Actor(v), id, music.ArtistInfo{ImageURL: strings.TrimSpace(f.Values["image"]),
			Description: description(f), Similar: similar})
	}, func(ctx context.Context, id uuid.UUID, f web.Form) bool {
		a, err := readmusic.Artist(ctx, p.s.Pool(), id)
		return err == nil && a.ImageURL == strings.TrimSpace(f.Values["image"]) && a.Description == description(f)
	})
}

// artistAlias gives the artist another name (staff).
func (p *pages) artistAlias(w http.ResponseWriter, r *http.Request) {
	p.staffChange(w, r, []string{"alias"}, func(v *web.Viewer, id uuid.UUID, f web.Form) error {
		return p.cmds.AddAlias(r.Context(), p.s.Actor(v), id, f.Values["alias"])
	}, func(ctx context.Context, id uuid.UUID, f web.Form) bool {
		got, err := readmusic.ArtistByName(ctx, p.s.Pool(), f.Values["alias"])
		return err == nil && got == id
	})
}

// artistMerge folds the artist into the one named (staff); the page then
// redirects there.
func (p *pages) artistMerge(w http.ResponseWriter, r *http.Request) {
	p.staffChange(w, r, []string{"into"}, func(v *web.Viewer, id uuid.UUID, f web.Form) error {
		into, err := p.cmds.ArtistByName(r.Context(), f.Values["into"])
		if err != nil {
			return domain.FieldE("merge artists", "into", domain.KindNotFound, "no artist is named %q", strings.TrimSpace(f.Values["into"]))
		}
		return p.cmds.MergeArtists(r.Context(), p.s.Actor(v), id, into.ID)
	}, func(ctx context.Context, id uuid.UUID, _ web.Form) bool {
		a, err := readmusic.Artist(ctx, p.s.Pool(), id)
		return err == nil && a.MergedInto != uuid.Nil
	})
}

// description is the form's description as the write side keeps it.
func description(f web.Form) string {
	return strings.TrimSpace(strings.ReplaceAll(f.Values["description"], "\r\n", "\n"))
}
