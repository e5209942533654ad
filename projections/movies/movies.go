// Package movies is the Movies plugin's read model: people and the names
// that lead to them, movies with their credits, editions and formats
// (schema movies, tables in sql/movies.sql), and the queries its pages
// read.
package movies

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/djembe/djembe/domain/movies"
	"github.com/djembe/djembe/projections"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Projection is the Movies read model.
type Projection struct{}

//go:embed sql/movies.sql
var schema string

func (Projection) Name() string       { return "movies" }
func (Projection) Version() int       { return 2 }
func (Projection) Schema() string     { return schema }
func (Projection) Consumes() []string { return movies.Types }

// Apply writes each event in order. Creations are idempotent (ON
// CONFLICT DO NOTHING); a merge points the merged person's names and
// credits at the person they were merged into (a credit the other person
// has already is dropped), and anyone merged into them earlier straight
// there too, so one hop always reaches the person as they are now. A
// movie merge does the same with the merged movie (its credits dropped:
// its page redirects), and the absorb that follows moves its editions
// (or joins them to the movie's) and formats. IMDb claims are the write
// side's: the read model keeps each movie's id on the movie.
func (Projection) Apply(ctx context.Context, tx pgx.Tx, evs []projections.Event) error {
	b := &pgx.Batch{}
	for _, ev := range evs {
		queue(b, ev)
	}
	if b.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("movies: %w", err)
	}
	return nil
}

func queue(b *pgx.Batch, ev projections.Event) {
	at := ev.Meta.Time
	switch e := ev.Event.(type) {
	case movies.PersonNameClaimed:
		b.Queue(`INSERT INTO person_names (name_key, name, person)
			VALUES ($1, $2, COALESCE((SELECT merged_into FROM people WHERE id = $3), $3)) ON CONFLICT DO NOTHING`,
			movies.NameKey(e.Name), e.Name, e.Person)
	case movies.PersonCreated:
		b.Queue(`INSERT INTO people (id, name, birth_year, biography, created_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT DO NOTHING`, e.Person, e.Name, e.BirthYear, e.Biography, at)
	case movies.PersonEdited:
		b.Queue(`UPDATE people SET birth_year = $2, biography = $3 WHERE id = $1`, e.Person, e.BirthYear, e.Biography)
	case movies.PersonAliasAdded:
		// The alias's claim holds its row already; nothing more to keep.
	case movies.PersonMerged:
		b.Queue(`UPDATE people SET merged_into = $2 WHERE id = $1 OR merged_into = $1`, e.Person, e.Into)
		b.Queue(`UPDATE person_names SET person = $2 WHERE person = $1`, e.Person, e.Into)
		b.Queue(`DELETE FROM credits c WHERE c.person = $1 AND EXISTS (SELECT 1 FROM credits d
			WHERE d.movie = c.movie AND d.kind = c.kind AND lower(d.role) = lower(c.role) AND d.person = $2)`, e.Person, e.Into)
		b.Queue(`UPDATE credits SET person = $2 WHERE person = $1`, e.Person, e.Into)
	case movies.MovieCreated:
		b.Queue(`INSERT INTO movies (id, title, original_title, year, synopsis, imdb_id, runtime, tags, poster_url, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) ON CONFLICT DO NOTHING`,
			e.Movie, e.Title, e.OriginalTitle, e.Year, e.Synopsis, e.IMDbID, e.Runtime, list(e.Tags), e.PosterURL, at)
		queueCredits(b, e.Movie, e.Credits)
	case movies.MovieEdited:
		b.Queue(`UPDATE movies SET title = $2, original_title = $3, year = $4, synopsis = $5, imdb_id = $6, runtime = $7,
			tags = $8, poster_url = $9, updated_at = $10 WHERE id = $1`,
			e.Movie, e.Title, e.OriginalTitle, e.Year, e.Synopsis, e.IMDbID, e.Runtime, list(e.Tags), e.PosterURL, at)
		queueCredits(b, e.Movie, e.Credits)
	case movies.EditionAdded:
		b.Queue(`INSERT INTO editions (id, movie, name, year, distributor, seq) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT DO NOTHING`, e.Edition, e.Movie, e.Name, e.Year, e.Distributor, int64(ev.Seq))
	case movies.EditionEdited:
		b.Queue(`UPDATE editions SET name = $3, year = $4, distributor = $5 WHERE id = $1 AND movie = $2`,
			e.Edition, e.Movie, e.Name, e.Year, e.Distributor)
	case movies.FormatAdded:
		b.Queue(`INSERT INTO formats (info_hash, movie, edition, source, codec, container, resolution, hdr, kind, subtitles, added_at, seq)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
			e.InfoHash[:], e.Movie, e.Edition, e.Source, e.Codec, e.Container, e.Resolution, e.HDR, e.Kind, list(e.Subtitles), at, int64(ev.Seq))
	case movies.MovieMerged:
		b.Queue(`UPDATE movies SET merged_into = $2 WHERE id = $1 OR merged_into = $1`, e.Movie, e.Into)
		b.Queue(`DELETE FROM credits WHERE movie = $1`, e.Movie)
	case movies.MovieAbsorbed:
		queueAbsorb(b, e, at)
	case movies.FormatEdited:
		b.Queue(`UPDATE formats SET source = $3, codec = $4, container = $5, resolution = $6, hdr = $7, kind = $8, subtitles = $9
			WHERE info_hash = $1 AND movie = $2`,
			e.InfoHash[:], e.Movie, e.Source, e.Codec, e.Container, e.Resolution, e.HDR, e.Kind, list(e.Subtitles))
	}
}

// queueAbsorb moves a merged movie's editions and formats into the movie
// it was merged into: an edition that joins one of the movie's is dropped,
// the others move as they are, every format to the edition it joins.
func queueAbsorb(b *pgx.Batch, e movies.MovieAbsorbed, at time.Time) {
	for _, ed := range e.Editions {
		if ed.Into == ed.Edition {
			b.Queue(`UPDATE editions SET movie = $2 WHERE id = $1 AND movie = $3`, ed.Edition, e.Movie, e.From)
		} else {
			b.Queue(`DELETE FROM editions WHERE id = $1 AND movie = $2`, ed.Edition, e.From)
		}
	}
	for _, f := range e.Formats {
		b.Queue(`UPDATE formats SET movie = $2, edition = $3 WHERE info_hash = $1 AND movie = $4`, f.InfoHash[:], e.Movie, f.Edition, e.From)
	}
	if e.IMDbID != "" {
		b.Queue(`UPDATE movies SET imdb_id = $2, updated_at = $3 WHERE id = $1 AND imdb_id = ''`, e.Movie, e.IMDbID, at)
	}
}

// queueCredits replaces a movie's credits, in order, each merged person
// as the person they became.
func queueCredits(b *pgx.Batch, movie uuid.UUID, credits []movies.Credit) {
	b.Queue(`DELETE FROM credits WHERE movie = $1`, movie)
	if len(credits) == 0 {
		return
	}
	ids, kinds, roles, billing := make([]uuid.UUID, len(credits)), make([]int32, len(credits)), make([]string, len(credits)), make([]int32, len(credits))
	for i, c := range credits {
		ids[i], kinds[i], roles[i], billing[i] = c.Person, int32(c.Kind), c.Role, int32(c.Billing)
	}
	b.Queue(`INSERT INTO credits (movie, person, kind, role, billing, ord)
		SELECT $1, COALESCE(p.merged_into, c.id), c.kind, c.role, c.billing, c.ord
		FROM unnest($2::uuid[], $3::int4[], $4::text[], $5::int4[]) WITH ORDINALITY AS c(id, kind, role, billing, ord)
		LEFT JOIN people p ON p.id = c.id ORDER BY c.ord ON CONFLICT DO NOTHING`, movie, ids, kinds, roles, billing)
}

// list is a text array for a NOT NULL column: nil as empty.
func list(t []string) []string {
	if t == nil {
		return []string{}
	}
	return t
}
