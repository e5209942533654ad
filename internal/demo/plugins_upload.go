package demo

import (
	"context"
	"fmt"

	"github.com/djembe/djembe/commands"
	cmdmovies "github.com/djembe/djembe/commands/movies"
	cmdmusic "github.com/djembe/djembe/commands/music"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	"github.com/google/uuid"
)

// Counts are how much of each catalogue the demo filled.
type Counts struct {
	Torrents     int `json:"torrents"`
	Artists      int `json:"artists"`
	Albums       int `json:"albums"`
	MusicFormats int `json:"music_formats"`
	Movies       int `json:"movies"`
	MovieFormats int `json:"movie_formats"`
}

// counts counts the plan's torrents and the plugins' catalogues.
func (p Plan) counts() Counts {
	c := Counts{Torrents: len(p.Items), Artists: len(MusicArtists), Albums: len(MusicAlbums), Movies: len(Movies)}
	for _, it := range p.Items {
		switch {
		case it.Music != nil:
			c.MusicFormats++
		case it.Movie != nil:
			c.MovieFormats++
		}
	}
	return c
}

// plugins is the plugins' write side and what the demo has created
// through it so far.
type plugins struct {
	music  *cmdmusic.Commands
	movies *cmdmovies.Commands
	albums map[int]uuid.UUID // MusicAlbums index: the album's id, once uploaded
	films  map[int]uuid.UUID // Movies index: the movie's id
}

func newPlugins(c *commands.Commands) *plugins {
	return &plugins{music: cmdmusic.New(c), movies: cmdmovies.New(c), albums: map[int]uuid.UUID{}, films: map[int]uuid.UUID{}}
}

// uploadMusic uploads item i, a format of the Music catalogue, as its
// uploader: the first format of an album creates it (and its artists),
// the others join it, in their edition (created by the first of its
// formats).
func (r *demoRun) uploadMusic(ctx context.Context, i int, ref MusicFormat) (domain.InfoHash, error) {
	it, al := r.plan.Items[i], MusicAlbums[ref.Album]
	ed := al.Editions[ref.Edition]
	in := cmdmusic.Upload{File: r.files[i], Uploader: r.plan.People[r.plan.Uploader[i]].Name, Description: it.Description,
		Album: r.plug.albums[ref.Album], ReleaseInfo: ed.ReleaseInfo, Format: ed.Formats[ref.Format]}
	if in.Album == uuid.Nil {
		for _, c := range al.Artists {
			in.Artists = append(in.Artists, cmdmusic.ArtistCredit{Name: c.Name, Role: c.Role})
		}
		in.AlbumInfo = music.AlbumInfo{Title: al.Title, Year: al.Year, ReleaseType: al.Type, Tags: al.Tags, Description: al.Description}
	}
	up, err := r.plug.music.Upload(ctx, commands.Operator, in)
	if err != nil {
		return up.InfoHash, fmt.Errorf("%s: %w", it.Name, err)
	}
	r.plug.albums[ref.Album] = up.Album
	return up.InfoHash, nil
}

// uploadMovie uploads item i, a format of the Movies catalogue, as its
// uploader: the first format of a movie creates it (and its people), the
// others join it, in their edition.
func (r *demoRun) uploadMovie(ctx context.Context, i int, ref MovieFormat) (domain.InfoHash, error) {
	it, mv := r.plan.Items[i], Movies[ref.Movie]
	ed := mv.Editions[ref.Edition]
	in := cmdmovies.Upload{File: r.files[i], Uploader: r.plan.People[r.plan.Uploader[i]].Name, Description: it.Description,
		Movie: r.plug.films[ref.Movie], EditionInfo: ed.EditionInfo, Format: ed.Formats[ref.Format]}
	if in.Movie == uuid.Nil {
		in.Credits, in.MovieInfo = mv.Credits, mv.MovieInfo
	}
	up, err := r.plug.movies.Upload(ctx, commands.Operator, in)
	if err != nil {
		return up.InfoHash, fmt.Errorf("%s: %w", it.Name, err)
	}
	r.plug.films[ref.Movie] = up.Movie
	return up.InfoHash, nil
}

// describe does what staff do once the catalogues are up: the artists'
// descriptions, aliases and similar artists, and the people's birth
// years and biographies.
func (r *demoRun) describe(ctx context.Context) error {
	ids := map[string]uuid.UUID{}
	for _, a := range MusicArtists {
		art, err := r.plug.music.ArtistByName(ctx, a.Name)
		if err != nil {
			return fmt.Errorf("artist %s: %w", a.Name, err)
		}
		ids[a.Name] = art.ID
	}
	for _, a := range MusicArtists {
		info := music.ArtistInfo{Description: a.Description}
		for _, s := range a.Similar {
			info.Similar = append(info.Similar, ids[s])
		}
		if err := r.plug.music.EditArtist(ctx, commands.Operator, ids[a.Name], info); err != nil {
			return fmt.Errorf("artist %s: %w", a.Name, err)
		}
		if a.Alias != "" {
			if err := r.plug.music.AddAlias(ctx, commands.Operator, ids[a.Name], a.Alias); err != nil {
				return fmt.Errorf("artist %s: %w", a.Name, err)
			}
		}
	}
	for _, p := range MoviePeople {
		person, err := r.plug.movies.PersonByName(ctx, p.Name)
		if err == nil {
			err = r.plug.movies.EditPerson(ctx, commands.Operator, person.ID, p.PersonInfo)
		}
		if err != nil {
			return fmt.Errorf("person %s: %w", p.Name, err)
		}
	}
	fmt.Fprintf(r.stderr, "demo: %d artists and %d people described\n", len(MusicArtists), len(MoviePeople))
	return nil
}
