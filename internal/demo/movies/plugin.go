// Package moviesdemo is the Movies plugin's sample catalogue for `djembe
// demo`: well-known films with their people, editions and formats (one
// torrent each), uploaded through the plugin's write side as a
// demo.Plugin, then described as staff would (people's birth years and
// biographies).
package moviesdemo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/djembe/djembe/commands"
	cmdmovies "github.com/djembe/djembe/commands/movies"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/demo"
	"github.com/google/uuid"
)

// Plugin is the Movies catalogue as a demo.Plugin.
type Plugin struct{}

// New is the Movies catalogue for demo.Config.Plugins.
func New() Plugin { return Plugin{} }

// Category is the Movies plugin's category.
func (Plugin) Category() string { return cmdmovies.Category }

// Items are a torrent for each format of Movies, in their order (movies,
// editions and formats as listed), each with its Format as Ref.
func (Plugin) Items(rng *rand.Rand) []demo.Item { return items(rng) }

// Session begins the uploads of one fill through c.
func (Plugin) Session(c *commands.Commands) demo.Session {
	return &session{movies: cmdmovies.New(c), films: map[int]uuid.UUID{}}
}

// session is one fill's uploads: the movies created so far.
type session struct {
	movies  *cmdmovies.Commands
	films   map[int]uuid.UUID // Movies index: the movie's id, once uploaded
	formats int               // formats uploaded
}

// Upload uploads up, a format of the catalogue, as its uploader: the
// first format of a movie creates it (and its people), the others join
// it, in their edition.
func (s *session) Upload(ctx context.Context, up demo.Upload) (domain.InfoHash, error) {
	ref, ok := up.Item.Ref.(Format)
	if !ok {
		return domain.InfoHash{}, domain.E("demo", domain.KindInternal, "%s: not a Movies format (%T)", up.Item.Name, up.Item.Ref)
	}
	mv := Movies[ref.Movie]
	ed := mv.Editions[ref.Edition]
	in := cmdmovies.Upload{File: up.File, Uploader: up.Uploader, Description: up.Item.Description,
		Movie: s.films[ref.Movie], EditionInfo: ed.EditionInfo, Format: ed.Formats[ref.Format]}
	if in.Movie == uuid.Nil {
		in.Credits, in.MovieInfo = mv.Credits, mv.MovieInfo
	}
	res, err := s.movies.Upload(ctx, commands.Operator, in)
	if err != nil {
		return res.InfoHash, fmt.Errorf("%s: %w", up.Item.Name, err)
	}
	s.films[ref.Movie] = res.Movie
	s.formats++
	return res.InfoHash, nil
}

// Describe gives People their birth years and biographies, as staff
// would once the movies are up, and counts the movies and formats.
func (s *session) Describe(ctx context.Context) (demo.Counts, error) {
	for _, p := range People {
		person, err := s.movies.PersonByName(ctx, p.Name)
		if err == nil {
			err = s.movies.EditPerson(ctx, commands.Operator, person.ID, p.PersonInfo)
		}
		if err != nil {
			return nil, fmt.Errorf("person %s: %w", p.Name, err)
		}
	}
	return demo.Counts{"movies": len(Movies), "movie_formats": s.formats}, nil
}
