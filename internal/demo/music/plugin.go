// Package musicdemo is the Music plugin's sample catalogue for `djembe
// demo`: invented artists, their albums, editions and formats (one
// torrent each), uploaded through the plugin's write side as a
// demo.Plugin, then described as staff would (descriptions, aliases,
// similar artists).
package musicdemo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/djembe/djembe/commands"
	cmdmusic "github.com/djembe/djembe/commands/music"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/internal/demo"
	"github.com/google/uuid"
)

// Plugin is the Music catalogue as a demo.Plugin.
type Plugin struct{}

// New is the Music catalogue for demo.Config.Plugins.
func New() Plugin { return Plugin{} }

// Category is the Music plugin's category.
func (Plugin) Category() string { return cmdmusic.Category }

// Items are a torrent for each format of Albums, in their order (albums,
// editions and formats as listed), each with its Format as Ref.
func (Plugin) Items(rng *rand.Rand) []demo.Item { return items(rng) }

// Session begins the uploads of one fill through c.
func (Plugin) Session(c *commands.Commands) demo.Session {
	return &session{music: cmdmusic.New(c), albums: map[int]uuid.UUID{}}
}

// session is one fill's uploads: the albums created so far.
type session struct {
	music   *cmdmusic.Commands
	albums  map[int]uuid.UUID // Albums index: the album's id, once uploaded
	formats int               // formats uploaded
}

// Upload uploads up, a format of the catalogue, as its uploader: the
// first format of an album creates it (and its artists), the others join
// it, in their edition (created by the first of its formats).
func (s *session) Upload(ctx context.Context, up demo.Upload) (domain.InfoHash, error) {
	ref, ok := up.Item.Ref.(Format)
	if !ok {
		return domain.InfoHash{}, domain.E("demo", domain.KindInternal, "%s: not a Music format (%T)", up.Item.Name, up.Item.Ref)
	}
	al := Albums[ref.Album]
	ed := al.Editions[ref.Edition]
	in := cmdmusic.Upload{File: up.File, Uploader: up.Uploader, Description: up.Item.Description,
		Album: s.albums[ref.Album], ReleaseInfo: ed.ReleaseInfo, Format: ed.Formats[ref.Format]}
	if in.Album == uuid.Nil {
		for _, c := range al.Artists {
			in.Artists = append(in.Artists, cmdmusic.ArtistCredit{Name: c.Name, Role: c.Role})
		}
		in.AlbumInfo = music.AlbumInfo{Title: al.Title, Year: al.Year, ReleaseType: al.Type, Tags: al.Tags, Description: al.Description}
	}
	res, err := s.music.Upload(ctx, commands.Operator, in)
	if err != nil {
		return res.InfoHash, fmt.Errorf("%s: %w", up.Item.Name, err)
	}
	s.albums[ref.Album] = res.Album
	s.formats++
	return res.InfoHash, nil
}

// Describe gives the artists their descriptions, aliases and similar
// artists, as staff would once the albums are up, and counts the
// artists, albums and formats.
func (s *session) Describe(ctx context.Context) (demo.Counts, error) {
	ids := map[string]uuid.UUID{}
	for _, a := range Artists {
		art, err := s.music.ArtistByName(ctx, a.Name)
		if err != nil {
			return nil, fmt.Errorf("artist %s: %w", a.Name, err)
		}
		ids[a.Name] = art.ID
	}
	for _, a := range Artists {
		if err := s.describe(ctx, a, ids); err != nil {
			return nil, fmt.Errorf("artist %s: %w", a.Name, err)
		}
	}
	return demo.Counts{"artists": len(Artists), "albums": len(Albums), "music_formats": s.formats}, nil
}

// describe edits artist a (its description and similar artists, by ids)
// and adds its alias.
func (s *session) describe(ctx context.Context, a Artist, ids map[string]uuid.UUID) error {
	info := music.ArtistInfo{Description: a.Description}
	for _, sim := range a.Similar {
		info.Similar = append(info.Similar, ids[sim])
	}
	if err := s.music.EditArtist(ctx, commands.Operator, ids[a.Name], info); err != nil {
		return err
	}
	if a.Alias == "" {
		return nil
	}
	return s.music.AddAlias(ctx, commands.Operator, ids[a.Name], a.Alias)
}
