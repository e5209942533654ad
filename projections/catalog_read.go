package projections

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// CatalogRow is a torrent as the catalog read model has it, with its
// uploader's name (users.users) and files.
type CatalogRow struct {
	InfoHash     domain.InfoHash
	Name         string // the info dictionary's
	Title        string // what the site shows
	Category     string
	Description  string
	Uploader     uuid.UUID
	UploaderName string // "" when the users read model has not seen them
	AddedAt      time.Time
	Size         int64
	FileCount    int
	Factors      domain.Factors
	Deleted      bool
	Files        []domain.TorrentFile // in the .torrent's order
}

// CatalogTorrent reads a torrent and its files. A torrent the catalog has
// not seen is a KindNotFound; a deleted one is returned with Deleted set.
func CatalogTorrent(ctx context.Context, q RowQuerier, h domain.InfoHash) (CatalogRow, error) {
	r := CatalogRow{InfoHash: h}
	var up, down int16
	var uploader *string
	err := q.QueryRow(ctx, `SELECT t.name, t.title, t.category, t.description, t.uploader, u.name, t.added_at, t.size,
			t.file_count, t.upload_percent, t.download_percent, t.deleted
		FROM catalog.torrents t LEFT JOIN users.users u ON u.id = t.uploader WHERE t.info_hash = $1`, h[:]).
		Scan(&r.Name, &r.Title, &r.Category, &r.Description, &r.Uploader, &uploader, &r.AddedAt, &r.Size,
			&r.FileCount, &up, &down, &r.Deleted)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, domain.E("read torrent", domain.KindNotFound, "no torrent %s", h)
	}
	if err != nil {
		return r, fmt.Errorf("read torrent %s: %w", h, err)
	}
	if uploader != nil {
		r.UploaderName = *uploader
	}
	r.Factors = domain.Factors{UploadPercent: uint16(up), DownloadPercent: uint16(down)}
	rows, err := q.Query(ctx, `SELECT path, length FROM catalog.files WHERE info_hash = $1 ORDER BY idx`, h[:])
	if err != nil {
		return r, fmt.Errorf("read files of %s: %w", h, err)
	}
	defer rows.Close()
	for rows.Next() {
		var f domain.TorrentFile
		if err := rows.Scan(&f.Path, &f.Length); err != nil {
			return r, fmt.Errorf("read files of %s: %w", h, err)
		}
		r.Files = append(r.Files, f)
	}
	return r, rows.Err()
}

// Snatch is one user's first completion of a torrent.
type Snatch struct {
	UserID     uuid.UUID
	Name       string // "" when the users read model has not seen them
	SnatchedAt time.Time
}

// Snatches reads up to limit snatches of a torrent, newest first, with the
// users' names.
func Snatches(ctx context.Context, q RowQuerier, h domain.InfoHash, limit int) ([]Snatch, error) {
	rows, err := q.Query(ctx, `SELECT s.user_id, coalesce(u.name, ''), s.snatched_at
		FROM swarm.snatches s LEFT JOIN users.users u ON u.id = s.user_id
		WHERE s.info_hash = $1 ORDER BY s.snatched_at DESC, s.user_id LIMIT $2`, h[:], limit)
	if err != nil {
		return nil, fmt.Errorf("read snatches of %s: %w", h, err)
	}
	defer rows.Close()
	var out []Snatch
	for rows.Next() {
		var s Snatch
		if err := rows.Scan(&s.UserID, &s.Name, &s.SnatchedAt); err != nil {
			return nil, fmt.Errorf("read snatches of %s: %w", h, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
