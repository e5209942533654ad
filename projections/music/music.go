// Package music is the Music plugin's read model: artists and the names
// that lead to them, albums with their credits, editions and formats
// (schema music, tables in sql/music.sql), and the queries its pages and
// Gazelle's API read.
package music

import (
	"context"
	_ "embed"
	"fmt"
	"slices"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/projections"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Projection is the Music read model.
type Projection struct{}

//go:embed sql/music.sql
var schema string

func (Projection) Name() string   { return "music" }
func (Projection) Version() int   { return 4 }
func (Projection) Schema() string { return schema }

// Consumes is the plugin's events and the deletion of torrents, which
// takes a format off the album's summary.
func (Projection) Consumes() []string {
	return append(slices.Clone(music.Types), domain.TypeTorrentDeleted)
}

// Apply writes each event in order. Creations are idempotent (ON
// CONFLICT DO NOTHING); a merge points the merged artist's names, credits
// and similar-artist links at the artist it was merged into, and any
// artist merged into it earlier straight there too, so one hop always
// reaches the artist as it is now.
func (Projection) Apply(ctx context.Context, tx pgx.Tx, evs []projections.Event) error {
	b := &pgx.Batch{}
	for _, ev := range evs {
		queue(b, ev)
	}
	if b.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("music: %w", err)
	}
	return nil
}

func queue(b *pgx.Batch, ev projections.Event) {
	at := ev.Meta.Time
	switch e := ev.Event.(type) {
	case music.ArtistNameClaimed:
		b.Queue(`INSERT INTO artist_names (name_key, name, artist)
			VALUES ($1, $2, COALESCE((SELECT merged_into FROM artists WHERE id = $3), $3)) ON CONFLICT DO NOTHING`,
			music.NameKey(e.Name), e.Name, e.Artist)
	case music.ArtistCreated:
		b.Queue(`INSERT INTO artists (id, num, name, description, image_url, created_at)
			VALUES ($1, `+nextNum("artists")+`, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, e.Artist, e.Name, e.Description, e.ImageURL, at)
		queueSimilar(b, e.Artist, e.Similar)
	case music.ArtistEdited:
		b.Queue(`UPDATE artists SET description = $2, image_url = $3 WHERE id = $1`, e.Artist, e.Description, e.ImageURL)
		queueSimilar(b, e.Artist, e.Similar)
	case music.ArtistAliasAdded:
		// The alias's claim holds its row already; nothing more to keep.
	case music.ArtistMerged:
		b.Queue(`UPDATE artists SET merged_into = $2 WHERE id = $1 OR merged_into = $1`, e.Artist, e.Into)
		b.Queue(`UPDATE artist_names SET artist = $2 WHERE artist = $1`, e.Artist, e.Into)
		b.Queue(`DELETE FROM credits c WHERE c.artist = $1 AND EXISTS
			(SELECT 1 FROM credits d WHERE d.album = c.album AND d.role = c.role AND d.artist = $2)`, e.Artist, e.Into)
		b.Queue(`UPDATE credits SET artist = $2 WHERE artist = $1`, e.Artist, e.Into)
		b.Queue(`INSERT INTO similar_artists (artist, other) SELECT $2, other FROM similar_artists WHERE artist = $1 AND other <> $2
			ON CONFLICT DO NOTHING`, e.Artist, e.Into)
		b.Queue(`DELETE FROM similar_artists WHERE artist = $1`, e.Artist)
		b.Queue(`INSERT INTO similar_artists (artist, other) SELECT artist, $2 FROM similar_artists WHERE other = $1 AND artist <> $2
			ON CONFLICT DO NOTHING`, e.Artist, e.Into)
		b.Queue(`DELETE FROM similar_artists WHERE other = $1`, e.Artist)
	case music.AlbumCreated:
		b.Queue(`INSERT INTO albums (id, num, title, year, release_type, tags, description, cover_url, created_at, updated_at)
			VALUES ($1, `+nextNum("albums")+`, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT DO NOTHING`,
			e.Album, e.Title, e.Year, int(e.ReleaseType), tags(e.Tags), e.Description, e.CoverURL, at)
		queueCredits(b, e.Album, e.Credits)
	case music.AlbumEdited:
		b.Queue(`UPDATE albums SET title = $2, year = $3, release_type = $4, tags = $5, description = $6, cover_url = $7,
			updated_at = $8 WHERE id = $1`,
			e.Album, e.Title, e.Year, int(e.ReleaseType), tags(e.Tags), e.Description, e.CoverURL, at)
		queueCredits(b, e.Album, e.Credits)
	case music.ReleaseAdded:
		b.Queue(`INSERT INTO releases (id, album, year, record_label, catalogue_number, edition_title, media, seq)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
			e.Release, e.Album, e.Year, e.RecordLabel, e.CatalogueNumber, e.EditionTitle, e.Media, int64(ev.Seq))
	case music.ReleaseEdited:
		b.Queue(`UPDATE releases SET year = $2, record_label = $3, catalogue_number = $4, edition_title = $5, media = $6
			WHERE id = $1`, e.Release, e.Year, e.RecordLabel, e.CatalogueNumber, e.EditionTitle, e.Media)
	case music.FormatAdded:
		b.Queue(`WITH f AS (
				INSERT INTO formats (info_hash, num, album, release, format, encoding, has_log, log_score, has_cue, scene, added_at, seq)
				VALUES ($1, `+nextNum("formats")+`, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING album)
			UPDATE albums al SET live_formats = live_formats + 1, last_added = GREATEST(last_added, $10) FROM f WHERE al.id = f.album`,
			e.InfoHash[:], e.Album, e.Release, e.Format, e.Encoding, e.HasLog, e.LogScore, e.HasCue, e.Scene, at, int64(ev.Seq))
	case domain.TorrentDeleted:
		// The outer UPDATE sees formats as before the CTE's change: the
		// deleted format is left out of the newest by its hash.
		b.Queue(`WITH d AS (UPDATE formats SET deleted = true WHERE info_hash = $1 AND NOT deleted RETURNING album)
			UPDATE albums al SET live_formats = live_formats - 1,
				last_added = (SELECT max(added_at) FROM formats WHERE album = al.id AND NOT deleted AND info_hash <> $1)
			FROM d WHERE al.id = d.album`, e.InfoHash[:])
	case music.FormatEdited:
		b.Queue(`UPDATE formats SET format = $2, encoding = $3, has_log = $4, log_score = $5, has_cue = $6, scene = $7
			WHERE info_hash = $1`, e.InfoHash[:], e.Format, e.Encoding, e.HasLog, e.LogScore, e.HasCue, e.Scene)
	}
}

// nextNum is the SQL for a new row's num in table: one more than the
// largest (the unique index makes it a lookup), so rows are numbered in
// the order they are applied.
func nextNum(table string) string {
	return `(SELECT COALESCE(max(num), 0) + 1 FROM ` + table + `)`
}

// queueSimilar replaces an artist's similar artists (merged ones as the
// artist they became).
func queueSimilar(b *pgx.Batch, artist uuid.UUID, similar []uuid.UUID) {
	b.Queue(`DELETE FROM similar_artists WHERE artist = $1`, artist)
	if len(similar) == 0 {
		return
	}
	b.Queue(`INSERT INTO similar_artists (artist, other)
		SELECT $1, COALESCE(a.merged_into, s.id) FROM unnest($2::uuid[]) AS s(id) LEFT JOIN artists a ON a.id = s.id
		WHERE COALESCE(a.merged_into, s.id) <> $1 ON CONFLICT DO NOTHING`, artist, similar)
}

// queueCredits replaces an album's credits, in order, each merged artist
// as the artist it became.
func queueCredits(b *pgx.Batch, album uuid.UUID, credits []music.Credit) {
	b.Queue(`DELETE FROM credits WHERE album = $1`, album)
	ids, roles := make([]uuid.UUID, len(credits)), make([]int32, len(credits))
	for i, c := range credits {
		ids[i], roles[i] = c.Artist, int32(c.Role)
	}
	b.Queue(`INSERT INTO credits (album, artist, role, ord)
		SELECT $1, COALESCE(a.merged_into, c.id), c.role, c.ord FROM unnest($2::uuid[], $3::int4[]) WITH ORDINALITY AS c(id, role, ord)
		LEFT JOIN artists a ON a.id = c.id ON CONFLICT DO NOTHING`, album, ids, roles)
}

func tags(t []string) []string {
	if t == nil {
		return []string{}
	}
	return t
}
