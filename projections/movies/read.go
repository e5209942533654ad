package movies

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	"github.com/djembe/djembe/projections"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// PersonRef names a person.
type PersonRef struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

// PersonRow is a person as their page shows them.
type PersonRow struct {
	PersonRef
	BirthYear  int       `json:"birth_year"` // 0: unknown
	Biography  string    `json:"biography"`
	MergedInto uuid.UUID `json:"merged_into"` // uuid.Nil unless the person was merged (their page redirects)
	Aliases    []string  `json:"aliases"`
	CreatedAt  time.Time `json:"created_at"`
}

// CreditRow is a person credited on a movie.
type CreditRow struct {
	PersonRef
	Kind    movies.CreditKind `json:"kind"`
	Role    string            `json:"role,omitempty"`    // an actor's character
	Billing int               `json:"billing,omitempty"` // an actor's place in the billing
}

// FormatRow is a format with its torrent's size and live counts.
type FormatRow struct {
	InfoHash domain.InfoHash `json:"info_hash"`
	Edition  uuid.UUID       `json:"edition"`
	movies.FormatInfo
	Size      int64     `json:"size"`
	Seeders   int       `json:"seeders"`
	Leechers  int       `json:"leechers"`
	Snatches  int       `json:"snatches"`
	Freeleech bool      `json:"freeleech"`
	AddedAt   time.Time `json:"added_at"`
}

// EditionRow is an edition with its formats (deleted torrents left out).
type EditionRow struct {
	ID uuid.UUID `json:"id"`
	movies.EditionInfo
	Formats []FormatRow `json:"formats"`
}

// MovieRow is a movie with its credits, editions and formats.
type MovieRow struct {
	ID            uuid.UUID    `json:"id"`
	Title         string       `json:"title"`
	OriginalTitle string       `json:"original_title"`
	Year          int          `json:"year"`
	Synopsis      string       `json:"synopsis"`
	IMDbID        string       `json:"imdb_id"`
	Runtime       int          `json:"runtime"` // minutes; 0: unknown
	Tags          []string     `json:"tags"`
	PosterURL     string       `json:"poster_url"`
	Credits       []CreditRow  `json:"credits"` // in the order given
	Editions      []EditionRow `json:"editions"`
	// MergedInto is the movie this one was merged into (its page
	// redirects there); uuid.Nil if none.
	MergedInto uuid.UUID `json:"merged_into"`
}

// People are the movie's credits of kind k; actors in billing order.
func (m MovieRow) People(k movies.CreditKind) []CreditRow {
	var out []CreditRow
	for _, c := range m.Credits {
		if c.Kind == k {
			out = append(out, c)
		}
	}
	if k == movies.CreditActor {
		slices.SortStableFunc(out, func(a, b CreditRow) int { return a.Billing - b.Billing })
	}
	return out
}

// Cast is the movie's actors in billing order.
func (m MovieRow) Cast() []CreditRow { return m.People(movies.CreditActor) }

// Formats are every format of the movie, edition by edition.
func (m MovieRow) Formats() []FormatRow {
	var out []FormatRow
	for _, e := range m.Editions {
		out = append(out, e.Formats...)
	}
	return out
}

// FilmRow is a movie on a person's page: the movie, and under an actor's
// credits the characters they played (in billing order) and their best
// billing.
type FilmRow struct {
	MovieRow
	Roles   []string `json:"roles,omitempty"`
	Billing int      `json:"billing,omitempty"`
}

// FilmographyGroup is a person's movies in one kind of credit, newest
// first (then by title).
type FilmographyGroup struct {
	Kind   movies.CreditKind `json:"kind"`
	Movies []FilmRow         `json:"movies"`
}

var errNotFound = errors.New("not found")

// notFound is a KindNotFound error for what was looked for.
func notFound(what string) error {
	return &domain.Error{Op: "read movies", Kind: domain.KindNotFound, Err: fmt.Errorf("no such %s: %w", what, errNotFound)}
}

// Person reads a person with their aliases; a merged person is returned
// with MergedInto set.
func Person(ctx context.Context, q projections.RowQuerier, id uuid.UUID) (PersonRow, error) {
	var p PersonRow
	var merged *uuid.UUID
	err := q.QueryRow(ctx, `SELECT id, name, birth_year, biography, merged_into, created_at FROM movies.people WHERE id = $1`, id).
		Scan(&p.ID, &p.Name, &p.BirthYear, &p.Biography, &merged, &p.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, notFound("person")
	}
	if err != nil {
		return p, fmt.Errorf("read person %s: %w", id, err)
	}
	if merged != nil {
		p.MergedInto = *merged
		return p, nil
	}
	p.Aliases, err = collect(ctx, q, `SELECT name FROM movies.person_names WHERE person = $1 AND name_key <> $2 ORDER BY name`,
		func(r pgx.Rows) (string, error) { var s string; return s, r.Scan(&s) }, id, movies.NameKey(p.Name))
	return p, err
}

// PersonByName is the person a name or alias leads to.
func PersonByName(ctx context.Context, q projections.RowQuerier, name string) (uuid.UUID, error) {
	var id uuid.UUID
	err := q.QueryRow(ctx, `SELECT person FROM movies.person_names WHERE name_key = $1`, movies.NameKey(name)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return id, notFound("person")
	}
	return id, err
}

// Filmography is a person's movies grouped by kind of credit (directed,
// written, produced, acted in, in that order; empty groups left out),
// each movie with its editions and formats and, for an actor, the
// characters played.
func Filmography(ctx context.Context, q projections.RowQuerier, person uuid.UUID) ([]FilmographyGroup, error) {
	type credit struct {
		movie   uuid.UUID
		kind    movies.CreditKind
		role    string
		billing int
	}
	credits, err := collect(ctx, q, `SELECT movie, kind, role, billing FROM movies.credits WHERE person = $1 ORDER BY movie, kind, billing, ord`,
		func(r pgx.Rows) (credit, error) {
			var c credit
			var kind int
			err := r.Scan(&c.movie, &kind, &c.role, &c.billing)
			c.kind = movies.CreditKind(kind)
			return c, err
		}, person)
	if err != nil {
		return nil, err
	}
	var ids []uuid.UUID
	for _, c := range credits {
		if !slices.Contains(ids, c.movie) {
			ids = append(ids, c.movie)
		}
	}
	rows, err := loadMovies(ctx, q, ids, nil)
	if err != nil {
		return nil, err
	}
	byID := map[uuid.UUID]MovieRow{}
	for _, m := range rows {
		byID[m.ID] = m
	}
	var groups []FilmographyGroup
	for _, k := range movies.CreditKinds {
		g := FilmographyGroup{Kind: k}
		for _, c := range credits {
			if c.kind != k {
				continue
			}
			i := slices.IndexFunc(g.Movies, func(f FilmRow) bool { return f.ID == c.movie })
			if i < 0 {
				m, ok := byID[c.movie]
				if !ok {
					continue
				}
				g.Movies = append(g.Movies, FilmRow{MovieRow: m, Billing: c.billing})
				i = len(g.Movies) - 1
			}
			if c.role != "" {
				g.Movies[i].Roles = append(g.Movies[i].Roles, c.role)
			}
		}
		if len(g.Movies) == 0 {
			continue
		}
		slices.SortStableFunc(g.Movies, func(a, b FilmRow) int {
			if a.Year != b.Year {
				return b.Year - a.Year
			}
			return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
		})
		groups = append(groups, g)
	}
	return groups, nil
}

// Movie reads one movie with its credits, editions and formats; a merged
// movie is returned with MergedInto set.
func Movie(ctx context.Context, q projections.RowQuerier, id uuid.UUID) (MovieRow, error) {
	rows, err := loadMovies(ctx, q, []uuid.UUID{id}, nil)
	if err != nil {
		return MovieRow{}, err
	}
	if len(rows) == 0 {
		return MovieRow{}, notFound("movie")
	}
	return rows[0], nil
}

// MovieOfFormat is the movie whose format torrent h is.
func MovieOfFormat(ctx context.Context, q projections.RowQuerier, h domain.InfoHash) (uuid.UUID, error) {
	var id uuid.UUID
	err := q.QueryRow(ctx, `SELECT movie FROM movies.formats WHERE info_hash = $1`, h[:]).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return id, notFound("format")
	}
	return id, err
}

// MovieByIMDb is the movie with IMDb id imdb, merged movies left out (the
// first added, should two carry it in a log from before the write side
// made the id unique), for an upload form that looks a movie up before
// creating it.
func MovieByIMDb(ctx context.Context, q projections.RowQuerier, imdb string) (uuid.UUID, error) {
	var id uuid.UUID
	err := q.QueryRow(ctx, `SELECT id FROM movies.movies WHERE imdb_id = $1 AND imdb_id <> '' AND merged_into IS NULL
		ORDER BY created_at, id LIMIT 1`, imdb).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return id, notFound("movie")
	}
	return id, err
}

// loadMovies reads movies by id, in the order given, with their credits,
// editions and formats; with only set, only those formats (browse's
// matches). Deleted torrents are left out, and so are editions left
// without formats when only is set.
func loadMovies(ctx context.Context, q projections.RowQuerier, ids []uuid.UUID, only []domain.InfoHash) (out []MovieRow, err error) {
	if len(ids) == 0 {
		return nil, nil
	}
	err = projections.Snapshot(ctx, q, func(q projections.RowQuerier) error {
		out, err = readMovies(ctx, q, ids, only)
		return err
	})
	return out, err
}

// readMovies makes loadMovies's reads on q, which must be one snapshot:
// credits and editions are those of the movies it read.
func readMovies(ctx context.Context, q projections.RowQuerier, ids []uuid.UUID, only []domain.InfoHash) ([]MovieRow, error) {
	rows, err := collect(ctx, q, `SELECT id, title, original_title, year, synopsis, imdb_id, runtime, tags, poster_url, merged_into
		FROM movies.movies WHERE id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], id)`, func(r pgx.Rows) (MovieRow, error) {
		var m MovieRow
		var merged *uuid.UUID
		err := r.Scan(&m.ID, &m.Title, &m.OriginalTitle, &m.Year, &m.Synopsis, &m.IMDbID, &m.Runtime, &m.Tags, &m.PosterURL, &merged)
		if merged != nil {
			m.MergedInto = *merged
		}
		return m, err
	}, ids)
	if err != nil {
		return nil, err
	}
	index := map[uuid.UUID]*MovieRow{}
	for i := range rows {
		index[rows[i].ID] = &rows[i]
	}
	type credit struct {
		movie uuid.UUID
		CreditRow
	}
	credits, err := collect(ctx, q, `SELECT c.movie, p.id, p.name, c.kind, c.role, c.billing FROM movies.credits c
		JOIN movies.people p ON p.id = c.person WHERE c.movie = ANY($1::uuid[]) ORDER BY c.movie, c.ord`, func(r pgx.Rows) (credit, error) {
		var c credit
		var kind int
		err := r.Scan(&c.movie, &c.ID, &c.Name, &kind, &c.Role, &c.Billing)
		c.Kind = movies.CreditKind(kind)
		return c, err
	}, ids)
	if err != nil {
		return nil, err
	}
	for _, c := range credits {
		index[c.movie].Credits = append(index[c.movie].Credits, c.CreditRow)
	}
	type edition struct {
		movie uuid.UUID
		EditionRow
	}
	editions, err := collect(ctx, q, `SELECT movie, id, name, year, distributor FROM movies.editions
		WHERE movie = ANY($1::uuid[]) ORDER BY movie, seq`, func(r pgx.Rows) (edition, error) {
		var e edition
		return e, r.Scan(&e.movie, &e.ID, &e.Name, &e.Year, &e.Distributor)
	}, ids)
	if err != nil {
		return nil, err
	}
	formats, err := loadFormats(ctx, q, ids, only)
	if err != nil {
		return nil, err
	}
	for _, e := range editions {
		er := e.EditionRow
		for _, f := range formats {
			if f.Edition == er.ID {
				er.Formats = append(er.Formats, f)
			}
		}
		if len(er.Formats) > 0 || only == nil {
			index[e.movie].Editions = append(index[e.movie].Editions, er)
		}
	}
	return rows, nil
}

// formatColumns are a FormatRow's columns, on formats f joined with the
// catalog (c) and swarm (s) rows of their torrents.
const formatColumns = `f.info_hash, f.edition, f.source, f.codec, f.container, f.resolution, f.hdr, f.kind, f.subtitles,
	c.size, COALESCE(s.seeders, 0), COALESCE(s.leechers, 0), COALESCE(s.snatches, 0), c.download_percent = 0, c.added_at`

const formatJoins = `movies.formats f JOIN catalog.torrents c ON c.info_hash = f.info_hash AND NOT c.deleted
	LEFT JOIN swarm.torrents s ON s.info_hash = f.info_hash`

func loadFormats(ctx context.Context, q projections.RowQuerier, ids []uuid.UUID, only []domain.InfoHash) ([]FormatRow, error) {
	sql := `SELECT ` + formatColumns + ` FROM ` + formatJoins + ` WHERE f.movie = ANY($1::uuid[])`
	args := []any{ids}
	if only != nil {
		hashes := make([][]byte, len(only))
		for i := range only {
			hashes[i] = only[i][:]
		}
		sql += ` AND f.info_hash = ANY($2::bytea[])`
		args = append(args, hashes)
	}
	return collect(ctx, q, sql+` ORDER BY f.seq`, scanFormat, args...)
}

func scanFormat(r pgx.Rows) (FormatRow, error) {
	var f FormatRow
	var hash []byte
	err := r.Scan(&hash, &f.Edition, &f.Source, &f.Codec, &f.Container, &f.Resolution, &f.HDR, &f.Kind, &f.Subtitles,
		&f.Size, &f.Seeders, &f.Leechers, &f.Snatches, &f.Freeleech, &f.AddedAt)
	copy(f.InfoHash[:], hash)
	if len(f.Subtitles) == 0 {
		f.Subtitles = nil
	}
	return f, err
}

// collect is projections.Collect for this read model.
func collect[T any](ctx context.Context, q projections.RowQuerier, sql string, scan func(pgx.Rows) (T, error), args ...any) ([]T, error) {
	return projections.Collect(ctx, q, "read movies", sql, scan, args...)
}
