package projections

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/djembe/djembe/domain"
	"github.com/jackc/pgx/v5"
)

// Catalog is the catalog read model (schema catalog, tables in
// sql/catalog.sql): per registered torrent its name and the uploader's
// title, category and description, uploader, time added, size, files,
// factors and whether it is deleted. The swarm read model keeps the live
// counts; the two join on info_hash.
type Catalog struct{}

//go:embed sql/catalog.sql
var catalogSchema string

func (Catalog) Name() string   { return "catalog" }
func (Catalog) Version() int   { return 2 }
func (Catalog) Schema() string { return catalogSchema }

func (Catalog) Consumes() []string {
	return []string{domain.TypeTorrentRegistered, domain.TypeTorrentDeleted, domain.TypeTorrentFactorsSet}
}

// Apply writes each event in order: a registration inserts the torrent and
// its files (an info hash registers once, so a second is ignored), a
// factors change or a deletion updates it.
func (Catalog) Apply(ctx context.Context, tx pgx.Tx, evs []Event) error {
	b := &pgx.Batch{}
	for _, ev := range evs {
		switch e := ev.Event.(type) {
		case domain.TorrentRegistered:
			b.Queue(`INSERT INTO torrents (info_hash, name, title, category, description, uploader, added_at, size,
				file_count, upload_percent, download_percent)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (info_hash) DO NOTHING`,
				e.InfoHash[:], e.Name, e.DisplayName(), e.Category, e.Description, e.Uploader, ev.Meta.Time, e.Size,
				len(e.Files), int16(e.Factors.UploadPercent), int16(e.Factors.DownloadPercent))
			paths, lengths := make([]string, len(e.Files)), make([]int64, len(e.Files))
			for i, f := range e.Files {
				paths[i], lengths[i] = f.Path, f.Length
			}
			b.Queue(`INSERT INTO files (info_hash, idx, path, length)
				SELECT $1, f.ord - 1, f.path, f.length FROM unnest($2::text[], $3::int8[]) WITH ORDINALITY AS f(path, length, ord)
				ON CONFLICT DO NOTHING`, e.InfoHash[:], paths, lengths)
		case domain.TorrentFactorsSet:
			b.Queue(`UPDATE torrents SET upload_percent = $2, download_percent = $3 WHERE info_hash = $1`,
				e.InfoHash[:], int16(e.Factors.UploadPercent), int16(e.Factors.DownloadPercent))
		case domain.TorrentDeleted:
			b.Queue(`UPDATE torrents SET deleted = true, deleted_at = $2, delete_reason = $3 WHERE info_hash = $1`,
				e.InfoHash[:], ev.Meta.Time, e.Reason)
		}
	}
	if b.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	return nil
}
