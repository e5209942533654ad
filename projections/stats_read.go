package projections

import (
	"context"
	"fmt"
	"time"
)

// SiteTotals are the site's figures now, from the users, swarm and ratio
// read models. Byte totals are credited (after the torrents' factors) and
// raw (as claimed within the tracker's bounds), saturating at the largest
// bigint.
type SiteTotals struct {
	Users, Enabled, Staff int // registered (not forgotten); of them not disabled; staff
	Torrents              int // registered and not deleted
	Seeders, Leechers     int // active peers on live torrents
	Snatches              int
	Uploaded, Downloaded  uint64 // credited, all time
	RawUp, RawDown        uint64
}

// Totals reads the site's figures now.
func Totals(ctx context.Context, q RowQuerier) (SiteTotals, error) {
	var s SiteTotals
	var up, down, rawUp, rawDown int64
	err := q.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM users.users WHERE NOT forgotten),
			(SELECT count(*) FROM users.users WHERE NOT forgotten AND NOT disabled),
			(SELECT count(*) FROM users.users WHERE NOT forgotten AND admin),
			(SELECT count(*) FROM swarm.torrents WHERE registered_at IS NOT NULL AND NOT deleted),
			(SELECT COALESCE(sum(seeders), 0) FROM swarm.torrents WHERE NOT deleted),
			(SELECT COALESCE(sum(leechers), 0) FROM swarm.torrents WHERE NOT deleted),
			(SELECT COALESCE(sum(snatches), 0) FROM swarm.torrents),
			(SELECT `+bigintSum("COALESCE(sum(uploaded), 0)")+` FROM ratio.users),
			(SELECT `+bigintSum("COALESCE(sum(downloaded), 0)")+` FROM ratio.users),
			(SELECT `+bigintSum("COALESCE(sum(raw_uploaded), 0)")+` FROM ratio.users),
			(SELECT `+bigintSum("COALESCE(sum(raw_downloaded), 0)")+` FROM ratio.users)`).
		Scan(&s.Users, &s.Enabled, &s.Staff, &s.Torrents, &s.Seeders, &s.Leechers, &s.Snatches, &up, &down, &rawUp, &rawDown)
	if err != nil {
		return s, fmt.Errorf("read site totals: %w", err)
	}
	s.Uploaded, s.Downloaded, s.RawUp, s.RawDown = uint64(up), uint64(down), uint64(rawUp), uint64(rawDown)
	return s, nil
}

// TrafficDay is the site's credited and raw traffic on one UTC day.
type TrafficDay struct {
	Day                  time.Time
	Uploaded, Downloaded uint64 // credited
	RawUp, RawDown       uint64
}

// Traffic reads the site's traffic per UTC day from since's day on, oldest
// first; days without any traffic have no entry.
func Traffic(ctx context.Context, q RowQuerier, since time.Time) ([]TrafficDay, error) {
	rows, err := q.Query(ctx, `SELECT day, `+bigintSum("sum(uploaded)")+`, `+bigintSum("sum(downloaded)")+`,
			`+bigintSum("sum(raw_uploaded)")+`, `+bigintSum("sum(raw_downloaded)")+`
		FROM cheats.torrent_days WHERE day >= $1::date GROUP BY day ORDER BY day`, since.UTC().Truncate(24*time.Hour))
	if err != nil {
		return nil, fmt.Errorf("read site traffic: %w", err)
	}
	defer rows.Close()
	out := []TrafficDay{}
	for rows.Next() {
		var d TrafficDay
		var up, down, rawUp, rawDown int64
		if err := rows.Scan(&d.Day, &up, &down, &rawUp, &rawDown); err != nil {
			return nil, fmt.Errorf("read site traffic: %w", err)
		}
		d.Day = d.Day.UTC()
		d.Uploaded, d.Downloaded, d.RawUp, d.RawDown = uint64(up), uint64(down), uint64(rawUp), uint64(rawDown)
		out = append(out, d)
	}
	return out, rows.Err()
}
