package projections

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/jackc/pgx/v5"
)

// SwarmRow is a torrent's health in the swarm read model.
type SwarmRow struct {
	InfoHash     domain.InfoHash `json:"info_hash"`
	Name         string          `json:"name"`
	Size         int64           `json:"size"`
	Registered   bool            `json:"registered"` // a TorrentRegistered was seen
	RegisteredAt *time.Time      `json:"registered_at,omitempty"`
	Deleted      bool            `json:"deleted"`
	DeletedAt    *time.Time      `json:"deleted_at,omitempty"`
	Seeders      int             `json:"seeders"`
	Leechers     int             `json:"leechers"`
	Snatches     int             `json:"snatches"`
}

const swarmCols = `info_hash, name, size, registered_at, deleted, deleted_at, seeders, leechers, snatches`

func scanSwarm(row pgx.Row) (SwarmRow, error) {
	var r SwarmRow
	var hash []byte
	if err := row.Scan(&hash, &r.Name, &r.Size, &r.RegisteredAt, &r.Deleted, &r.DeletedAt, &r.Seeders, &r.Leechers, &r.Snatches); err != nil {
		return r, err
	}
	copy(r.InfoHash[:], hash)
	r.Registered = r.RegisteredAt != nil
	return r, nil
}

// TorrentSwarm reads a torrent's swarm from the live swarm tables. A torrent
// the read model has not seen reads as zeros (Registered false).
func TorrentSwarm(ctx context.Context, q RowQuerier, h domain.InfoHash) (SwarmRow, error) {
	r, err := scanSwarm(q.QueryRow(ctx, `SELECT `+swarmCols+` FROM swarm.torrents WHERE info_hash = $1`, h[:]))
	if errors.Is(err, pgx.ErrNoRows) {
		return SwarmRow{InfoHash: h}, nil
	}
	if err != nil {
		return r, fmt.Errorf("read swarm of %s: %w", h, err)
	}
	return r, nil
}

// TorrentSwarms reads several torrents' swarms at once (for listings);
// torrents not seen are missing from the map.
func TorrentSwarms(ctx context.Context, q RowQuerier, hashes []domain.InfoHash) (map[domain.InfoHash]SwarmRow, error) {
	hs := make([][]byte, len(hashes))
	for i := range hashes {
		hs[i] = hashes[i][:]
	}
	rows, err := q.Query(ctx, `SELECT `+swarmCols+` FROM swarm.torrents WHERE info_hash = ANY($1::bytea[])`, hs)
	if err != nil {
		return nil, fmt.Errorf("read swarms: %w", err)
	}
	defer rows.Close()
	out := make(map[domain.InfoHash]SwarmRow, len(hashes))
	for rows.Next() {
		r, err := scanSwarm(rows)
		if err != nil {
			return nil, fmt.Errorf("read swarms: %w", err)
		}
		out[r.InfoHash] = r
	}
	return out, rows.Err()
}

// SwarmPoint is one bucket of a torrent's time series (see swarm.history).
type SwarmPoint struct {
	Bucket      time.Time `json:"bucket"` // start of the HistoryBucket
	SeedersMax  int       `json:"seeders_max"`
	LeechersMax int       `json:"leechers_max"`
	Seeders     int       `json:"seeders"`  // at the end of the bucket
	Leechers    int       `json:"leechers"` // at the end of the bucket
	Snatches    int       `json:"snatches"` // in the bucket
}

// SwarmHistory reads a torrent's time series for buckets starting in
// [from, to), oldest first. Buckets in which nothing changed have no point:
// a chart carries the previous point's Seeders and Leechers forward. The
// point before from, if any, is included first so the chart has a start.
func SwarmHistory(ctx context.Context, q RowQuerier, h domain.InfoHash, from, to time.Time) ([]SwarmPoint, error) {
	rows, err := q.Query(ctx, `(SELECT bucket, seeders_max, leechers_max, seeders, leechers, snatches FROM swarm.history
			WHERE info_hash = $1 AND bucket < $2 ORDER BY bucket DESC LIMIT 1)
		UNION ALL
		(SELECT bucket, seeders_max, leechers_max, seeders, leechers, snatches FROM swarm.history
			WHERE info_hash = $1 AND bucket >= $2 AND bucket < $3 ORDER BY bucket)
		ORDER BY bucket`, h[:], from, to)
	if err != nil {
		return nil, fmt.Errorf("read history of %s: %w", h, err)
	}
	defer rows.Close()
	var out []SwarmPoint
	for rows.Next() {
		var p SwarmPoint
		if err := rows.Scan(&p.Bucket, &p.SeedersMax, &p.LeechersMax, &p.Seeders, &p.Leechers, &p.Snatches); err != nil {
			return nil, fmt.Errorf("read history of %s: %w", h, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
