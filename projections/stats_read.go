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

// GrowthDay is how many users were registered (and not forgotten since)
// and how many torrents were live at the end of one UTC day.
type GrowthDay struct {
	Day             time.Time
	Users, Torrents int
}

// Growth reads the site's users and live torrents at the end of each UTC
// day from since's to until's, both included: registrations less
// deletions, from the users and catalog read models, each counted once
// by day.
func Growth(ctx context.Context, q RowQuerier, since, until time.Time) ([]GrowthDay, error) {
	first, last := since.UTC().Truncate(24*time.Hour), until.UTC().Truncate(24*time.Hour)
	rows, err := q.Query(ctx, `
		SELECT 'u', (registered_at AT TIME ZONE 'UTC')::date, count(*) FROM users.users WHERE NOT forgotten GROUP BY 2
		UNION ALL SELECT 't', (added_at AT TIME ZONE 'UTC')::date, count(*) FROM catalog.torrents GROUP BY 2
		UNION ALL SELECT 'd', (deleted_at AT TIME ZONE 'UTC')::date, count(*) FROM catalog.torrents WHERE deleted GROUP BY 2`)
	if err != nil {
		return nil, fmt.Errorf("read the site's growth: %w", err)
	}
	defer rows.Close()
	n := int(last.Sub(first)/(24*time.Hour)) + 1
	if n < 1 {
		return []GrowthDay{}, nil
	}
	users, torrents := make([]int, n), make([]int, n)
	for rows.Next() {
		var kind string
		var day *time.Time
		var count int
		if err := rows.Scan(&kind, &day, &count); err != nil {
			return nil, fmt.Errorf("read the site's growth: %w", err)
		}
		if day == nil {
			continue
		}
		i := max(0, int(day.UTC().Sub(first)/(24*time.Hour))) // before the period: in its first day's total
		if i >= n {
			continue
		}
		switch kind {
		case "u":
			users[i] += count
		case "t":
			torrents[i] += count
		case "d":
			torrents[i] -= count
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the site's growth: %w", err)
	}
	out := make([]GrowthDay, n)
	for i := range n {
		out[i] = GrowthDay{Day: first.AddDate(0, 0, i), Users: users[i], Torrents: torrents[i]}
		if i > 0 {
			out[i].Users += out[i-1].Users
			out[i].Torrents += out[i-1].Torrents
		}
	}
	return out, nil
}

// PeersDay is the site's peers on one UTC day: the most at once (seeders
// and leechers of every torrent), and the seeders and leechers it ended
// with.
type PeersDay struct {
	Day               time.Time
	Peak              int
	Seeders, Leechers int
}

// PeersOverTime reads the site's peers on each UTC day from since's to
// until's, both included, from swarm.site_history: a day in which no
// count changed held the counts the day before ended with, all day.
func PeersOverTime(ctx context.Context, q RowQuerier, since, until time.Time) ([]PeersDay, error) {
	first, last := since.UTC().Truncate(24*time.Hour), until.UTC().Truncate(24*time.Hour)
	n := int(last.Sub(first)/(24*time.Hour)) + 1
	if n < 1 {
		return []PeersDay{}, nil
	}
	rows, err := q.Query(ctx, `
		(SELECT bucket, peers_max, seeders, leechers FROM swarm.site_history WHERE bucket < $1 ORDER BY bucket DESC LIMIT 1)
		UNION ALL
		(SELECT bucket, peers_max, seeders, leechers FROM swarm.site_history WHERE bucket >= $1 AND bucket < $2 ORDER BY bucket)`,
		first, first.AddDate(0, 0, n))
	if err != nil {
		return nil, fmt.Errorf("read the site's peers: %w", err)
	}
	defer rows.Close()
	out := make([]PeersDay, n)
	for i := range out {
		out[i].Day = first.AddDate(0, 0, i)
	}
	var seeders, leechers int // the counts at the start of the day being read
	day := -1
	carry := func(to int) { // days day+1..to begin with the counts so far
		for ; day < to; day++ {
			if day >= 0 {
				out[day].Seeders, out[day].Leechers = seeders, leechers
			}
			if day+1 < n {
				out[day+1].Peak = seeders + leechers
			}
		}
	}
	for rows.Next() {
		var at time.Time
		var peak, s, l int
		if err := rows.Scan(&at, &peak, &s, &l); err != nil {
			return nil, fmt.Errorf("read the site's peers: %w", err)
		}
		if i := int(at.UTC().Sub(first) / (24 * time.Hour)); at.Before(first) {
			seeders, leechers = s, l
		} else {
			carry(i)
			out[i].Peak = max(out[i].Peak, peak)
			seeders, leechers = s, l
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the site's peers: %w", err)
	}
	carry(n)
	return out, nil
}
