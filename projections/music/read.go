package music

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/projections"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// ArtistRef names an artist.
type ArtistRef struct {
	ID   uuid.UUID `json:"id"`
	Num  int       `json:"num"` // Gazelle's artist id (see sql/music.sql)
	Name string    `json:"name"`
}

// ArtistRow is an artist as its page shows it.
type ArtistRow struct {
	ArtistRef
	Description string      `json:"description"`
	ImageURL    string      `json:"image_url"`
	MergedInto  uuid.UUID   `json:"merged_into"` // uuid.Nil unless the artist was merged (its page redirects)
	Aliases     []string    `json:"aliases"`
	Similar     []ArtistRef `json:"similar"`
	CreatedAt   time.Time   `json:"created_at"`
}

// CreditRow is an artist credited on an album.
type CreditRow struct {
	ArtistRef
	Role music.Role `json:"role"`
}

// FormatRow is a format with its torrent's size and live counts.
type FormatRow struct {
	InfoHash domain.InfoHash `json:"info_hash"`
	Num      int             `json:"num"` // Gazelle's torrent id (see sql/music.sql)
	Release  uuid.UUID       `json:"release"`
	music.FormatInfo
	Size      int64     `json:"size"`
	Seeders   int       `json:"seeders"`
	Leechers  int       `json:"leechers"`
	Snatches  int       `json:"snatches"`
	Freeleech bool      `json:"freeleech"`
	AddedAt   time.Time `json:"added_at"`
}

// ReleaseRow is an edition with its formats (deleted torrents left out).
type ReleaseRow struct {
	ID uuid.UUID `json:"id"`
	music.ReleaseInfo
	Formats []FormatRow `json:"formats"`
}

// AlbumRow is an album with its credits, editions and formats.
type AlbumRow struct {
	ID          uuid.UUID         `json:"id"`
	Num         int               `json:"num"` // Gazelle's group id (see sql/music.sql)
	Title       string            `json:"title"`
	Year        int               `json:"year"`
	ReleaseType music.ReleaseType `json:"release_type"`
	Tags        []string          `json:"tags"`
	Description string            `json:"description"`
	CoverURL    string            `json:"cover_url"`
	Credits     []CreditRow       `json:"credits"`
	Releases    []ReleaseRow      `json:"releases"`
	// Role is, on an artist's page, how that artist is credited on the
	// album (main before the others); 0 elsewhere.
	Role music.Role `json:"role,omitempty"`
}

// Artists are the album's credits in role r.
func (a AlbumRow) Artists(r music.Role) []CreditRow {
	var out []CreditRow
	for _, c := range a.Credits {
		if c.Role == r {
			out = append(out, c)
		}
	}
	return out
}

// Formats are every format of the album, edition by edition.
func (a AlbumRow) Formats() []FormatRow {
	var out []FormatRow
	for _, r := range a.Releases {
		out = append(out, r.Formats...)
	}
	return out
}

var errNotFound = errors.New("not found")

// notFound is a KindNotFound error for what was looked for.
func notFound(what string) error {
	return &domain.Error{Op: "read music", Kind: domain.KindNotFound, Err: fmt.Errorf("no such %s: %w", what, errNotFound)}
}

// Artist reads an artist with its aliases and similar artists; a merged
// artist is returned with MergedInto set.
func Artist(ctx context.Context, q projections.RowQuerier, id uuid.UUID) (ArtistRow, error) {
	var a ArtistRow
	var merged *uuid.UUID
	err := q.QueryRow(ctx, `SELECT id, num, name, description, image_url, merged_into, created_at FROM music.artists WHERE id = $1`, id).
		Scan(&a.ID, &a.Num, &a.Name, &a.Description, &a.ImageURL, &merged, &a.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, notFound("artist")
	}
	if err != nil {
		return a, fmt.Errorf("read artist %s: %w", id, err)
	}
	if merged != nil {
		a.MergedInto = *merged
		return a, nil
	}
	if a.Aliases, err = collect(ctx, q, `SELECT name FROM music.artist_names WHERE artist = $1 AND name_key <> $2 ORDER BY name`,
		func(r pgx.Rows) (string, error) { var s string; return s, r.Scan(&s) }, id, music.NameKey(a.Name)); err != nil {
		return a, err
	}
	a.Similar, err = collect(ctx, q, `SELECT a.id, a.num, a.name FROM music.similar_artists s JOIN music.artists a ON a.id = s.other
		WHERE s.artist = $1 AND a.merged_into IS NULL ORDER BY lower(a.name)`, scanRef, id)
	return a, err
}

// ArtistByName is the artist a name or alias leads to.
func ArtistByName(ctx context.Context, q projections.RowQuerier, name string) (uuid.UUID, error) {
	var id uuid.UUID
	err := q.QueryRow(ctx, `SELECT artist FROM music.artist_names WHERE name_key = $1`, music.NameKey(name)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return id, notFound("artist")
	}
	return id, err
}

// ArtistAlbums are the albums crediting an artist, newest first (then by
// title), each with
// the artist's role on it and its editions and formats.
func ArtistAlbums(ctx context.Context, q projections.RowQuerier, id uuid.UUID) ([]AlbumRow, error) {
	type ar struct {
		id   uuid.UUID
		role music.Role
	}
	rows, err := collect(ctx, q, `SELECT album, min(CASE role WHEN 1 THEN 0 ELSE role END) FROM music.credits WHERE artist = $1 GROUP BY album`,
		func(r pgx.Rows) (ar, error) {
			var x ar
			var role int
			err := r.Scan(&x.id, &role)
			x.role = music.Role(max(role, 1))
			return x, err
		}, id)
	if err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.id
	}
	albums, err := loadAlbums(ctx, q, ids, nil)
	if err != nil {
		return nil, err
	}
	for i := range albums {
		for _, r := range rows {
			if r.id == albums[i].ID {
				albums[i].Role = r.role
			}
		}
	}
	slices.SortStableFunc(albums, func(a, b AlbumRow) int {
		if a.Year != b.Year {
			return b.Year - a.Year
		}
		return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
	})
	return albums, nil
}

// Album reads one album with its credits, editions and formats.
func Album(ctx context.Context, q projections.RowQuerier, id uuid.UUID) (AlbumRow, error) {
	albums, err := loadAlbums(ctx, q, []uuid.UUID{id}, nil)
	if err != nil {
		return AlbumRow{}, err
	}
	if len(albums) == 0 {
		return AlbumRow{}, notFound("album")
	}
	return albums[0], nil
}

// AlbumOfFormat is the album whose format torrent h is.
func AlbumOfFormat(ctx context.Context, q projections.RowQuerier, h domain.InfoHash) (uuid.UUID, error) {
	var id uuid.UUID
	err := q.QueryRow(ctx, `SELECT album FROM music.formats WHERE info_hash = $1`, h[:]).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return id, notFound("format")
	}
	return id, err
}

// byNum finds the id (uuid, or info hash bytes) of table's row numbered
// num; what names the row in the not-found error.
func byNum[T any](ctx context.Context, q projections.RowQuerier, table, column, what string, num int) (T, error) {
	var id T
	err := q.QueryRow(ctx, `SELECT `+column+` FROM music.`+table+` WHERE num = $1`, num).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return id, notFound(what)
	}
	return id, err
}

// ArtistByNum is the artist Gazelle's id num names (a merged artist's
// own: Artist tells where it went).
func ArtistByNum(ctx context.Context, q projections.RowQuerier, num int) (uuid.UUID, error) {
	return byNum[uuid.UUID](ctx, q, "artists", "id", "artist", num)
}

// AlbumByNum is the album Gazelle's group id num names.
func AlbumByNum(ctx context.Context, q projections.RowQuerier, num int) (uuid.UUID, error) {
	return byNum[uuid.UUID](ctx, q, "albums", "id", "album", num)
}

// FormatByNum is the torrent Gazelle's torrent id num names.
func FormatByNum(ctx context.Context, q projections.RowQuerier, num int) (domain.InfoHash, error) {
	var h domain.InfoHash
	b, err := byNum[[]byte](ctx, q, "formats", "info_hash", "format", num)
	copy(h[:], b)
	return h, err
}

// loadAlbums reads albums by id, in the order given, with their credits,
// editions and formats; with only set, only those formats (browse's
// matches). Deleted torrents are left out, and so are editions left
// without formats when only is set.
func loadAlbums(ctx context.Context, q projections.RowQuerier, ids []uuid.UUID, only []domain.InfoHash) (out []AlbumRow, err error) {
	if len(ids) == 0 {
		return nil, nil
	}
	err = projections.Snapshot(ctx, q, func(q projections.RowQuerier) error {
		out, err = readAlbums(ctx, q, ids, only)
		return err
	})
	return out, err
}

// readAlbums makes loadAlbums's reads on q, which must be one snapshot:
// credits and editions are those of the albums it read.
func readAlbums(ctx context.Context, q projections.RowQuerier, ids []uuid.UUID, only []domain.InfoHash) ([]AlbumRow, error) {
	albums, err := collect(ctx, q, `SELECT id, num, title, year, release_type, tags, description, cover_url FROM music.albums
		WHERE id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], id)`, func(r pgx.Rows) (AlbumRow, error) {
		var a AlbumRow
		var rt int
		err := r.Scan(&a.ID, &a.Num, &a.Title, &a.Year, &rt, &a.Tags, &a.Description, &a.CoverURL)
		a.ReleaseType = music.ReleaseType(rt)
		return a, err
	}, ids)
	if err != nil {
		return nil, err
	}
	index := map[uuid.UUID]*AlbumRow{}
	for i := range albums {
		index[albums[i].ID] = &albums[i]
	}
	type credit struct {
		album uuid.UUID
		CreditRow
	}
	credits, err := collect(ctx, q, `SELECT c.album, a.id, a.num, a.name, c.role FROM music.credits c JOIN music.artists a ON a.id = c.artist
		WHERE c.album = ANY($1::uuid[]) ORDER BY c.album, c.ord`, func(r pgx.Rows) (credit, error) {
		var c credit
		var role int
		err := r.Scan(&c.album, &c.ID, &c.Num, &c.Name, &role)
		c.Role = music.Role(role)
		return c, err
	}, ids)
	if err != nil {
		return nil, err
	}
	for _, c := range credits {
		index[c.album].Credits = append(index[c.album].Credits, c.CreditRow)
	}
	type release struct {
		album uuid.UUID
		ReleaseRow
	}
	releases, err := collect(ctx, q, `SELECT album, id, year, record_label, catalogue_number, edition_title, media FROM music.releases
		WHERE album = ANY($1::uuid[]) ORDER BY album, year, seq`, func(r pgx.Rows) (release, error) {
		var x release
		err := r.Scan(&x.album, &x.ID, &x.Year, &x.RecordLabel, &x.CatalogueNumber, &x.EditionTitle, &x.Media)
		return x, err
	}, ids)
	if err != nil {
		return nil, err
	}
	formats, err := loadFormats(ctx, q, ids, only)
	if err != nil {
		return nil, err
	}
	for _, r := range releases {
		rr := r.ReleaseRow
		for _, f := range formats {
			if f.Release == rr.ID {
				rr.Formats = append(rr.Formats, f)
			}
		}
		if len(rr.Formats) > 0 || only == nil {
			index[r.album].Releases = append(index[r.album].Releases, rr)
		}
	}
	return albums, nil
}

// formatColumns are a FormatRow's columns, on formats f joined with the
// catalog (c) and swarm (s) rows of their torrents.
const formatColumns = `f.info_hash, f.num, f.release, f.format, f.encoding, f.has_log, f.log_score, f.has_cue, f.scene,
	c.size, COALESCE(s.seeders, 0), COALESCE(s.leechers, 0), COALESCE(s.snatches, 0), c.download_percent = 0, c.added_at`

const formatJoins = `music.formats f JOIN catalog.torrents c ON c.info_hash = f.info_hash AND NOT c.deleted
	LEFT JOIN swarm.torrents s ON s.info_hash = f.info_hash`

func loadFormats(ctx context.Context, q projections.RowQuerier, albums []uuid.UUID, only []domain.InfoHash) ([]FormatRow, error) {
	sql := `SELECT ` + formatColumns + ` FROM ` + formatJoins + ` WHERE f.album = ANY($1::uuid[])`
	args := []any{albums}
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
	err := r.Scan(&hash, &f.Num, &f.Release, &f.Format, &f.Encoding, &f.HasLog, &f.LogScore, &f.HasCue, &f.Scene,
		&f.Size, &f.Seeders, &f.Leechers, &f.Snatches, &f.Freeleech, &f.AddedAt)
	copy(f.InfoHash[:], hash)
	return f, err
}

func scanRef(r pgx.Rows) (ArtistRef, error) {
	var a ArtistRef
	return a, r.Scan(&a.ID, &a.Num, &a.Name)
}

// collect is projections.Collect for this read model.
func collect[T any](ctx context.Context, q projections.RowQuerier, sql string, scan func(pgx.Rows) (T, error), args ...any) ([]T, error) {
	return projections.Collect(ctx, q, "read music", sql, scan, args...)
}
