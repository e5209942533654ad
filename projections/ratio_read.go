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

// RatioRow is a user's totals in the ratio read model. Uploaded and
// Downloaded are credited (after the torrents' factors); Raw* are what was
// transferred.
type RatioRow struct {
	UserID         uuid.UUID    `json:"user_id,omitzero"` // zero inside UserRow, which has the id already
	Uploaded       uint64       `json:"uploaded"`
	Downloaded     uint64       `json:"downloaded"`
	RawUploaded    uint64       `json:"raw_uploaded"`
	RawDownloaded  uint64       `json:"raw_downloaded"`
	Ratio          domain.Ratio `json:"ratio"` // of Uploaded to Downloaded: 0 with nothing transferred, "inf" with upload and no download
	Seeding        int          `json:"seeding"`
	Leeching       int          `json:"leeching"`
	Snatches       int          `json:"snatches"`
	SeedMs         int64        `json:"seed_ms"` // seed time, milliseconds (see Ratio)
	LastAnnounceAt *time.Time   `json:"last_announce_at,omitempty"`
}

// SeedTime is the seed time as a duration.
func (r RatioRow) SeedTime() time.Duration { return time.Duration(r.SeedMs) * time.Millisecond }

// UserRatio reads a user's totals from the live ratio tables. A user with no
// announces yet reads as zeros.
func UserRatio(ctx context.Context, q RowQuerier, userID uuid.UUID) (RatioRow, error) {
	row := RatioRow{UserID: userID}
	var up, down, rawUp, rawDown int64
	err := q.QueryRow(ctx, `SELECT uploaded, downloaded, raw_uploaded, raw_downloaded, seeding, leeching, snatches,
			seed_ms, last_announce_at
		FROM ratio.users WHERE user_id = $1`, userID).
		Scan(&up, &down, &rawUp, &rawDown, &row.Seeding, &row.Leeching, &row.Snatches, &row.SeedMs, &row.LastAnnounceAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return row, nil
	}
	if err != nil {
		return row, fmt.Errorf("read ratio of user %s: %w", userID, err)
	}
	row.Uploaded, row.Downloaded, row.RawUploaded, row.RawDownloaded = uint64(up), uint64(down), uint64(rawUp), uint64(rawDown)
	row.Ratio = domain.RatioOf(row.Uploaded, row.Downloaded)
	return row, nil
}

// UserTorrentRow is a user's record on one torrent (Gazelle's
// xbt_files_users, summed over the user's peers on it).
type UserTorrentRow struct {
	UserID          uuid.UUID       `json:"user_id"`
	InfoHash        domain.InfoHash `json:"info_hash"`
	Uploaded        uint64          `json:"uploaded"`   // credited
	Downloaded      uint64          `json:"downloaded"` // credited
	RawUploaded     uint64          `json:"raw_uploaded"`
	RawDownloaded   uint64          `json:"raw_downloaded"`
	Left            *uint64         `json:"left"` // as last reported; nil if never
	SeedMs          int64           `json:"seed_ms"`
	FirstAnnounceAt *time.Time      `json:"first_announce_at,omitempty"`
	LastAnnounceAt  *time.Time      `json:"last_announce_at,omitempty"`
	SnatchedAt      *time.Time      `json:"snatched_at,omitempty"`
	ActivePeers     int             `json:"active_peers"`
	Active          bool            `json:"active"`
}

const userTorrentCols = `user_id, info_hash, uploaded, downloaded, raw_uploaded, raw_downloaded, remaining, seed_ms,
	first_announce_at, last_announce_at, snatched_at, active_peers, active`

func scanUserTorrent(row pgx.Row) (UserTorrentRow, error) {
	var r UserTorrentRow
	var hash []byte
	var up, down, rawUp, rawDown int64
	var left *int64
	err := row.Scan(&r.UserID, &hash, &up, &down, &rawUp, &rawDown, &left, &r.SeedMs,
		&r.FirstAnnounceAt, &r.LastAnnounceAt, &r.SnatchedAt, &r.ActivePeers, &r.Active)
	if err != nil {
		return r, err
	}
	copy(r.InfoHash[:], hash)
	r.Uploaded, r.Downloaded, r.RawUploaded, r.RawDownloaded = uint64(up), uint64(down), uint64(rawUp), uint64(rawDown)
	if left != nil {
		l := uint64(*left)
		r.Left = &l
	}
	return r, nil
}

// UserTorrent reads a user's record on one torrent; with none, a zero row.
func UserTorrent(ctx context.Context, q RowQuerier, userID uuid.UUID, h domain.InfoHash) (UserTorrentRow, error) {
	r, err := scanUserTorrent(q.QueryRow(ctx, `SELECT `+userTorrentCols+` FROM ratio.user_torrents
		WHERE user_id = $1 AND info_hash = $2`, userID, h[:]))
	if errors.Is(err, pgx.ErrNoRows) {
		return UserTorrentRow{UserID: userID, InfoHash: h}, nil
	}
	if err != nil {
		return r, fmt.Errorf("read user %s on torrent %s: %w", userID, h, err)
	}
	return r, nil
}

// UserTorrents lists a user's records on every torrent announced for, most
// recently announced first (then by info hash); activeOnly keeps the ones
// with an active peer (the user's current seeding and leeching list).
func UserTorrents(ctx context.Context, q RowQuerier, userID uuid.UUID, activeOnly bool) ([]UserTorrentRow, error) {
	rows, err := q.Query(ctx, `SELECT `+userTorrentCols+` FROM ratio.user_torrents
		WHERE user_id = $1 AND (active OR NOT $2)
		ORDER BY last_announce_at DESC NULLS LAST, info_hash`, userID, activeOnly)
	if err != nil {
		return nil, fmt.Errorf("list torrents of user %s: %w", userID, err)
	}
	defer rows.Close()
	var out []UserTorrentRow
	for rows.Next() {
		r, err := scanUserTorrent(rows)
		if err != nil {
			return nil, fmt.Errorf("list torrents of user %s: %w", userID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list torrents of user %s: %w", userID, err)
	}
	return out, nil
}

// What a user is to a torrent, as browse marks it.
const (
	MarkSeeding  = "seeding"  // an active peer with nothing left
	MarkLeeching = "leeching" // an active peer with something left
	MarkSnatched = "snatched" // completed it once, not active now
)

// UserMarks are what user is to each of hashes they take part in (see
// Mark*), from the ratio read model; a torrent they never announced for
// is not in it.
func UserMarks(ctx context.Context, q RowQuerier, user uuid.UUID, hashes []domain.InfoHash) (map[domain.InfoHash]string, error) {
	out := map[domain.InfoHash]string{}
	if len(hashes) == 0 {
		return out, nil
	}
	hb := make([][]byte, len(hashes))
	for i := range hashes {
		hb[i] = hashes[i][:]
	}
	rows, err := q.Query(ctx, `SELECT info_hash, CASE WHEN active AND remaining = 0 THEN $3 WHEN active THEN $4 ELSE $5 END
		FROM ratio.user_torrents WHERE user_id = $1 AND info_hash = ANY($2::bytea[]) AND (active OR snatched_at IS NOT NULL)`,
		user, hb, MarkSeeding, MarkLeeching, MarkSnatched)
	if err != nil {
		return nil, fmt.Errorf("read the marks of user %s: %w", user, err)
	}
	defer rows.Close()
	for rows.Next() {
		var h []byte
		var mark string
		if err := rows.Scan(&h, &mark); err != nil {
			return nil, fmt.Errorf("read the marks of user %s: %w", user, err)
		}
		out[domain.InfoHash(h)] = mark
	}
	return out, rows.Err()
}
