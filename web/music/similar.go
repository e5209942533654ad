package music

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	readmusic "github.com/djembe/djembe/projections/music"
	"github.com/djembe/djembe/web"
	"github.com/google/uuid"
)

// similarAdd names one more artist as similar to the artist in the URL
// (staff), by name or alias: EditArtist replaces the whole list, so the
// list the page showed is given again with the new one at its end. An
// unknown name, the artist itself, one already there and more than
// music.MaxSimilar are refused beside the field.
func (p *pages) similarAdd(w http.ResponseWriter, r *http.Request) {
	p.staffChange(w, r, []string{"similar"}, func(v *web.Viewer, id uuid.UUID, f web.Form) error {
		name := strings.TrimSpace(f.Values["similar"])
		if name == "" {
			return domain.FieldE("edit artist", "similar", domain.KindInvalid, "give the name of a similar artist")
		}
		other, err := p.cmds.ArtistByName(r.Context(), name)
		if err != nil {
			return domain.FieldE("edit artist", "similar", domain.KindNotFound, "no artist is named %q", name)
		}
		return p.setSimilar(r.Context(), v, id, func(similar []uuid.UUID) []uuid.UUID { return append(similar, other.ID) })
	}, func(ctx context.Context, id uuid.UUID, f web.Form) bool {
		other, err := readmusic.ArtistByName(ctx, p.s.Pool(), f.Values["similar"])
		return err == nil && p.hasSimilar(ctx, id, other)
	})
}

// similarRemove drops one similar artist (form field "other", its id)
// from the artist in the URL (staff).
func (p *pages) similarRemove(w http.ResponseWriter, r *http.Request) {
	p.staffChange(w, r, []string{"other"}, func(v *web.Viewer, id uuid.UUID, f web.Form) error {
		other, err := uuid.Parse(f.Values["other"])
		if err != nil {
			return domain.E("edit artist", domain.KindInvalid, "choose a similar artist to remove")
		}
		return p.setSimilar(r.Context(), v, id, func(similar []uuid.UUID) []uuid.UUID {
			return slices.DeleteFunc(similar, func(s uuid.UUID) bool { return s == other })
		})
	}, func(ctx context.Context, id uuid.UUID, f web.Form) bool {
		other, err := uuid.Parse(f.Values["other"])
		return err == nil && !p.hasSimilar(ctx, id, other)
	})
}

// setSimilar replaces artist id's similar artists by change applied to
// those its page shows, keeping its description and image.
func (p *pages) setSimilar(ctx context.Context, v *web.Viewer, id uuid.UUID, change func([]uuid.UUID) []uuid.UUID) error {
	a, err := readmusic.Artist(ctx, p.s.Pool(), id)
	if err != nil {
		return err
	}
	similar := make([]uuid.UUID, len(a.Similar))
	for i, s := range a.Similar {
		similar[i] = s.ID
	}
	return p.cmds.EditArtist(ctx, p.s.Actor(v), id, music.ArtistInfo{Description: a.Description, ImageURL: a.ImageURL,
		Similar: change(similar)})
}

// hasSimilar reports whether the read model lists other among artist
// id's similar artists.
func (p *pages) hasSimilar(ctx context.Context, id, other uuid.UUID) bool {
	a, err := readmusic.Artist(ctx, p.s.Pool(), id)
	return err == nil && slices.ContainsFunc(a.Similar, func(s readmusic.ArtistRef) bool { return s.ID == other })
}
