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

// Standing is a user's standing as the profile shows it and the ratio
// watch judges it, read from the users, ratio and swarm read models:
// their totals, the ratio they must keep (domain.RatioTable.Required, by
// their credited download and ShareSeeded), the buffer, and the watch.
type Standing struct {
	UserID        domain.UserID `json:"user_id"`
	Uploaded      uint64        `json:"uploaded"`   // credited
	Downloaded    uint64        `json:"downloaded"` // credited
	RawUploaded   uint64        `json:"raw_uploaded"`
	RawDownloaded uint64        `json:"raw_downloaded"`
	Ratio         domain.Ratio  `json:"ratio"` // of the credited amounts
	Required      domain.Ratio  `json:"required_ratio"`
	// Buffer is domain.Buffer: what the user may still download before
	// falling below Required (negative: below by that much).
	Buffer int64 `json:"buffer"`
	// Seeding is the torrents the user seeds now (an active peer with
	// nothing left, torrent not deleted), Snatched the torrents they
	// snatched (not deleted); ShareSeeded is domain.ShareSeeded of the two.
	Seeding     int     `json:"seeding"`
	Snatched    int     `json:"snatched"`
	ShareSeeded float64 `json:"share_seeded"`

	Disabled  bool `json:"disabled"`
	Forgotten bool `json:"forgotten"`
	CanLeech  bool `json:"can_leech"`
	// LeechingDisabledByWatch: CanLeech is false by the ratio watch, which
	// gives it back when the user recovers. LeechReason says why leeching
	// was last set, when the setter said.
	LeechingDisabledByWatch bool          `json:"leeching_disabled_by_watch"`
	LeechReason             string        `json:"leech_reason,omitempty"`
	Watch                   StandingWatch `json:"ratio_watch"`
}

// StandingWatch is the user's ratio watch as the users read model has it.
type StandingWatch struct {
	On         bool       `json:"on"`
	StartedAt  *time.Time `json:"started_at,omitempty"`
	Deadline   *time.Time `json:"deadline,omitempty"` // leeching goes then unless the user recovers
	Downloaded uint64     `json:"downloaded"`         // credited download when the watch began
	Times      int        `json:"times"`              // how often the user was put on watch
}

// Figures are what the ratio watch judges s by.
func (s Standing) Figures() domain.RatioFigures {
	return domain.RatioFigures{Uploaded: s.Uploaded, Downloaded: s.Downloaded, Required: s.Required}
}

// User is the part of the user aggregate the ratio watch decides on, as
// the read models have it (the write side decides again on the log's).
func (s Standing) User() domain.User {
	u := domain.User{ID: s.UserID, Disabled: s.Disabled, Forgotten: s.Forgotten, CanLeech: s.CanLeech}
	u.RatioWatch = domain.RatioWatch{On: s.Watch.On, Downloaded: s.Watch.Downloaded, LeechingDisabled: s.LeechingDisabledByWatch}
	if s.Watch.Deadline != nil {
		u.RatioWatch.Deadline = *s.Watch.Deadline
	}
	return u
}

// standingSQL reads standings; %s is the users' filter (on u, users.users).
// The seeding and snatched counts come from ratio.user_torrents, leaving
// out torrents the swarm read model has as deleted.
const standingSQL = `WITH counts AS (
	SELECT ut.user_id,
		count(*) FILTER (WHERE ut.active AND ut.remaining = 0 AND NOT COALESCE(t.deleted, false)) AS seeding,
		count(*) FILTER (WHERE ut.snatched_at IS NOT NULL AND NOT COALESCE(t.deleted, false)) AS snatched
	FROM ratio.user_torrents ut LEFT JOIN swarm.torrents t ON t.info_hash = ut.info_hash
	WHERE ut.user_id IN (SELECT u.id FROM users.users u WHERE %[1]s)
	GROUP BY ut.user_id)
SELECT u.id, COALESCE(r.uploaded, 0), COALESCE(r.downloaded, 0), COALESCE(r.raw_uploaded, 0), COALESCE(r.raw_downloaded, 0),
	COALESCE(c.seeding, 0), COALESCE(c.snatched, 0),
	u.disabled, u.forgotten, u.can_leech, u.leech_disabled_by_watch, u.leech_reason,
	u.ratio_watch, u.ratio_watch_started_at, u.ratio_watch_deadline, u.ratio_watch_downloaded, u.ratio_watch_times
FROM users.users u LEFT JOIN ratio.users r ON r.user_id = u.id LEFT JOIN counts c ON c.user_id = u.id
WHERE %[1]s
ORDER BY u.id`

func scanStanding(row pgx.Row, table domain.RatioTable) (Standing, error) {
	var s Standing
	var up, down, rawUp, rawDown, watchDown int64
	err := row.Scan(&s.UserID, &up, &down, &rawUp, &rawDown, &s.Seeding, &s.Snatched,
		&s.Disabled, &s.Forgotten, &s.CanLeech, &s.LeechingDisabledByWatch, &s.LeechReason,
		&s.Watch.On, &s.Watch.StartedAt, &s.Watch.Deadline, &watchDown, &s.Watch.Times)
	if err != nil {
		return s, err
	}
	s.Uploaded, s.Downloaded, s.RawUploaded, s.RawDownloaded = uint64(up), uint64(down), uint64(rawUp), uint64(rawDown)
	s.Watch.Downloaded = uint64(watchDown)
	s.Ratio = domain.RatioOf(s.Uploaded, s.Downloaded)
	s.ShareSeeded = domain.ShareSeeded(s.Seeding, s.Snatched)
	s.Required = table.Required(s.Downloaded, s.ShareSeeded)
	s.Buffer = domain.Buffer(s.Uploaded, s.Downloaded, s.Required)
	return s, nil
}

// UserStanding reads user id's standing, with the required ratio from
// table (nil: domain.GazelleRatioTable). A user the users read model does
// not have is KindNotFound.
func UserStanding(ctx context.Context, q RowQuerier, table domain.RatioTable, id uuid.UUID) (Standing, error) {
	if table == nil {
		table = domain.GazelleRatioTable
	}
	s, err := scanStanding(q.QueryRow(ctx, fmt.Sprintf(standingSQL, "u.id = $1"), id), table)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, domain.FieldE("read standing", "user", domain.KindNotFound, "no user with id %s", id)
	}
	if err != nil {
		return s, fmt.Errorf("read standing of user %s: %w", id, err)
	}
	return s, nil
}

// WatchStandings reads the standings the ratio watch has to look at:
// every user neither disabled nor forgotten who downloaded something, is
// on watch, or has leeching taken by the watch; in order of user id.
func WatchStandings(ctx context.Context, q RowQuerier, table domain.RatioTable) ([]Standing, error) {
	if table == nil {
		table = domain.GazelleRatioTable
	}
	filter := `NOT u.disabled AND NOT u.forgotten AND (u.ratio_watch OR u.leech_disabled_by_watch
		OR EXISTS (SELECT 1 FROM ratio.users r WHERE r.user_id = u.id AND r.downloaded > 0))`
	rows, err := q.Query(ctx, fmt.Sprintf(standingSQL, filter))
	if err != nil {
		return nil, fmt.Errorf("read standings: %w", err)
	}
	defer rows.Close()
	var out []Standing
	for rows.Next() {
		s, err := scanStanding(rows, table)
		if err != nil {
			return nil, fmt.Errorf("read standings: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read standings: %w", err)
	}
	return out, nil
}
