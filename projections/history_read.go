package projections

import (
	"context"
	"fmt"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// HistoryDay is one UTC day of a user's ratio history: what they were
// credited that day (over every torrent) and their credited totals at its
// end, from the cheat-signals read model's user_days.
type HistoryDay struct {
	Day        time.Time    `json:"day"` // midnight UTC
	Uploaded   uint64       `json:"uploaded"`
	Downloaded uint64       `json:"downloaded"`
	TotalUp    uint64       `json:"total_uploaded"`
	TotalDown  uint64       `json:"total_downloaded"`
	Ratio      domain.Ratio `json:"ratio"` // of the totals
}

// RatioHistory reads user id's ratio history, oldest day first: one row
// per day with a credit or a claim. Days the user announced nothing are
// not there (their totals are the day before's).
func RatioHistory(ctx context.Context, q RowQuerier, id uuid.UUID) ([]HistoryDay, error) {
	rows, err := q.Query(ctx, `SELECT day, up, down,
			sum(up) OVER (ORDER BY day), sum(down) OVER (ORDER BY day)
		FROM (SELECT day, sum(uploaded)::bigint AS up, sum(downloaded)::bigint AS down
			FROM cheats.user_days WHERE user_id = $1 GROUP BY day) d
		ORDER BY day`, id)
	if err != nil {
		return nil, fmt.Errorf("read ratio history of %s: %w", id, err)
	}
	defer rows.Close()
	out := []HistoryDay{}
	for rows.Next() {
		var d HistoryDay
		var up, down, totUp, totDown int64
		if err := rows.Scan(&d.Day, &up, &down, &totUp, &totDown); err != nil {
			return nil, fmt.Errorf("read ratio history of %s: %w", id, err)
		}
		d.Day = d.Day.UTC()
		d.Uploaded, d.Downloaded, d.TotalUp, d.TotalDown = uint64(up), uint64(down), uint64(totUp), uint64(totDown)
		d.Ratio = domain.RatioOf(d.TotalUp, d.TotalDown)
		out = append(out, d)
	}
	return out, rows.Err()
}

// RatioChange is what one torrent did to a user's ratio on one UTC day:
// what their client claimed and what they were credited (the difference
// is the torrent's factors and the tracker's bounds).
type RatioChange struct {
	Day           time.Time       `json:"day"`
	InfoHash      domain.InfoHash `json:"info_hash"`
	Name          string          `json:"name"` // the catalog's title, else the info name; "" when neither read model has the torrent
	Deleted       bool            `json:"deleted"`
	RawUploaded   uint64          `json:"raw_uploaded"`
	RawDownloaded uint64          `json:"raw_downloaded"`
	Uploaded      uint64          `json:"uploaded"`
	Downloaded    uint64          `json:"downloaded"`
}

// RatioChanges reads why user id's ratio changed: their credit per torrent
// per day, newest day first (then the largest credit), at most limit rows
// from offset on.
func RatioChanges(ctx context.Context, q RowQuerier, id uuid.UUID, limit, offset int) ([]RatioChange, error) {
	rows, err := q.Query(ctx, `SELECT d.day, d.info_hash, COALESCE(c.title, t.name, ''), COALESCE(t.deleted, false),
			d.raw_uploaded, d.raw_downloaded, d.uploaded, d.downloaded
		FROM cheats.user_days d LEFT JOIN swarm.torrents t ON t.info_hash = d.info_hash
		LEFT JOIN catalog.torrents c ON c.info_hash = d.info_hash
		WHERE d.user_id = $1
		ORDER BY d.day DESC, d.uploaded + d.downloaded DESC, d.info_hash
		LIMIT $2 OFFSET $3`, id, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("read ratio changes of %s: %w", id, err)
	}
	defer rows.Close()
	out := []RatioChange{}
	for rows.Next() {
		var c RatioChange
		var hash []byte
		var rawUp, rawDown, up, down int64
		if err := rows.Scan(&c.Day, &hash, &c.Name, &c.Deleted, &rawUp, &rawDown, &up, &down); err != nil {
			return nil, fmt.Errorf("read ratio changes of %s: %w", id, err)
		}
		c.Day = c.Day.UTC()
		copy(c.InfoHash[:], hash)
		c.RawUploaded, c.RawDownloaded, c.Uploaded, c.Downloaded = uint64(rawUp), uint64(rawDown), uint64(up), uint64(down)
		out = append(out, c)
	}
	return out, rows.Err()
}

// ProfileTorrent is one torrent of a user's seeding, leeching or snatched
// list: their record on it with the torrent's name and size.
type ProfileTorrent struct {
	UserTorrentRow
	Name    string `json:"name"`
	Size    uint64 `json:"size"`
	Deleted bool   `json:"deleted"`
}

// Seeding: an active peer with nothing left. Leeching: an active peer
// with something left (or never said).
func (p ProfileTorrent) Seeding() bool  { return p.Active && p.Left != nil && *p.Left == 0 }
func (p ProfileTorrent) Leeching() bool { return p.Active && !p.Seeding() }

// ProfileTorrents reads user id's torrents for the profile's lists: every
// torrent they are active on or snatched, most recently announced first,
// leaving out deleted torrents.
func ProfileTorrents(ctx context.Context, q RowQuerier, id uuid.UUID) ([]ProfileTorrent, error) {
	rows, err := q.Query(ctx, `SELECT ut.user_id, ut.info_hash, ut.uploaded, ut.downloaded, ut.raw_uploaded, ut.raw_downloaded,
			ut.remaining, ut.seed_ms, ut.first_announce_at, ut.last_announce_at, ut.snatched_at, ut.active_peers, ut.active,
			COALESCE(c.title, t.name, ''), COALESCE(t.size, 0), COALESCE(t.deleted, false)
		FROM ratio.user_torrents ut LEFT JOIN swarm.torrents t ON t.info_hash = ut.info_hash
		LEFT JOIN catalog.torrents c ON c.info_hash = ut.info_hash
		WHERE ut.user_id = $1 AND (ut.active OR ut.snatched_at IS NOT NULL) AND NOT COALESCE(t.deleted, false)
		ORDER BY ut.last_announce_at DESC NULLS LAST, ut.info_hash`, id)
	if err != nil {
		return nil, fmt.Errorf("list profile torrents of %s: %w", id, err)
	}
	defer rows.Close()
	out := []ProfileTorrent{}
	for rows.Next() {
		var p ProfileTorrent
		var hash []byte
		var up, down, rawUp, rawDown, size int64
		var left *int64
		r := &p.UserTorrentRow
		if err := rows.Scan(&r.UserID, &hash, &up, &down, &rawUp, &rawDown, &left, &r.SeedMs,
			&r.FirstAnnounceAt, &r.LastAnnounceAt, &r.SnatchedAt, &r.ActivePeers, &r.Active, &p.Name, &size, &p.Deleted); err != nil {
			return nil, fmt.Errorf("list profile torrents of %s: %w", id, err)
		}
		copy(r.InfoHash[:], hash)
		r.Uploaded, r.Downloaded, r.RawUploaded, r.RawDownloaded = uint64(up), uint64(down), uint64(rawUp), uint64(rawDown)
		if left != nil {
			l := uint64(*left)
			r.Left = &l
		}
		p.Size = uint64(size)
		out = append(out, p)
	}
	return out, rows.Err()
}
