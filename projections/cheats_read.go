package projections

import (
	"context"
	"fmt"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// CheatThresholds decide who and what Cheats lists. Amounts are bytes.
// Besides them, a user with at least one claim capped as faster than the
// maximum rate (domain.CapUpRate) is always listed: no client does that.
type CheatThresholds struct {
	// UserMinExcess and UserExcessShare list a user whose excess over the
	// period (upload claimed on each torrent beyond what the other users of
	// its swarm claimed to download, summed over torrents) is at least
	// UserMinExcess and at least UserExcessShare of the upload they claimed.
	UserMinExcess   uint64  `json:"user_min_excess"`
	UserExcessShare float64 `json:"user_excess_share"`
	// TorrentMinSurplus and TorrentFactor list a torrent whose swarm
	// claimed to upload at least TorrentFactor times what it claimed to
	// download, and at least TorrentMinSurplus more.
	TorrentMinSurplus uint64  `json:"torrent_min_surplus"`
	TorrentFactor     float64 `json:"torrent_factor"`
}

// DefaultCheatThresholds list a forger and not an honest seeder:
//
//   - An upload claim faster than the maximum rate (2 GiB/s by default, more
//     than a 10 Gbit/s line carries) is impossible for any client: one is
//     enough.
//   - An honest seeder's upload is someone else's download: over a period,
//     what a user claims to upload on a torrent is matched by what the other
//     users of its swarm claim to download, except for what a leecher did
//     not report before it was reaped or before the period began. That
//     leaves honest seeders a small unmatched remainder, a small part of
//     what they upload; a forger's claims go to nobody. A user is listed
//     when at least half of what they claimed to upload, and at least
//     1 GiB, was downloaded by nobody else.
//   - A torrent is listed when its swarm claimed to upload at least twice
//     what it claimed to download, and 1 GiB more: honest swarms upload
//     what they download. The test is on claims, not credit: the caps keep
//     most of a forgery out of the credit, and factors make honest credit
//     lopsided (freeleech credits no download, double upload twice the
//     upload). Credited figures are shown beside the claims.
//
// Own transfers between one user's clients (a seedbox feeding a home
// client) count as excess: nobody else downloaded them; staff see the
// user's own claimed download beside it.
var DefaultCheatThresholds = CheatThresholds{
	UserMinExcess:     1 << 30,
	UserExcessShare:   0.5,
	TorrentMinSurplus: 1 << 30,
	TorrentFactor:     2,
}

// CheatReport is what Cheats finds in the whole UTC days from Since on.
type CheatReport struct {
	Since      time.Time       `json:"since"` // midnight UTC of the first day covered
	Thresholds CheatThresholds `json:"thresholds"`
	Users      []CheatUser     `json:"users"`    // most suspicious first
	Torrents   []CheatTorrent  `json:"torrents"` // most suspicious first
}

// Reasons a user is listed.
const (
	ReasonUpRate = "up_rate" // a claim capped as faster than the maximum rate
	ReasonExcess = "excess"  // excess above the thresholds
)

// CheatUser is a listed user's figures over the report's period. Claimed
// amounts are the raw claims, credited ones what was credited; totals
// saturate at the largest bigint.
type CheatUser struct {
	UserID         uuid.UUID      `json:"user_id"`
	Name           string         `json:"name"` // "" if the users read model does not know them
	Reasons        []string       `json:"reasons"`
	ClaimedUp      uint64         `json:"claimed_up"`
	ClaimedDown    uint64         `json:"claimed_down"`
	CreditedUp     uint64         `json:"credited_up"`
	CreditedDown   uint64         `json:"credited_down"`
	Excess         uint64         `json:"excess"`          // claimed upload nobody else downloaded
	ExcessShare    float64        `json:"excess_share"`    // Excess ÷ ClaimedUp
	ExcessTorrents int            `json:"excess_torrents"` // torrents with an excess
	CappedClaims   int            `json:"capped_claims"`
	Caps           map[string]int `json:"caps"` // capped claims by cap name (a claim may have several)
}

// CheatTorrent is a listed torrent's swarm totals over the report's period.
type CheatTorrent struct {
	InfoHash     domain.InfoHash `json:"info_hash"`
	Name         string          `json:"name"` // the catalog's title (the swarm's name for a torrent it lacks)
	ClaimedUp    uint64          `json:"claimed_up"`
	ClaimedDown  uint64          `json:"claimed_down"`
	CreditedUp   uint64          `json:"credited_up"`
	CreditedDown uint64          `json:"credited_down"`
	Surplus      uint64          `json:"surplus"` // ClaimedUp − ClaimedDown
	CappedClaims int             `json:"capped_claims"`
}

// Cheats reads the suspicious users and torrents of the whole UTC days
// from since's on, from the live cheats tables (names from the users and
// swarm read models), ordered by the amount claimed from nowhere: a user's
// excess, a torrent's surplus. Users with impossible-rate claims come first
// among equal excesses.
func Cheats(ctx context.Context, q RowQuerier, since time.Time, th CheatThresholds) (CheatReport, error) {
	day := since.UTC().Truncate(24 * time.Hour)
	rep := CheatReport{Since: day, Thresholds: th, Users: []CheatUser{}, Torrents: []CheatTorrent{}}
	var err error
	if rep.Users, err = cheatUsers(ctx, q, day, th); err != nil {
		return rep, fmt.Errorf("read cheat signals: %w", err)
	}
	if err = cheatCaps(ctx, q, day, rep.Users); err != nil {
		return rep, fmt.Errorf("read cheat signals: %w", err)
	}
	if rep.Torrents, err = cheatTorrents(ctx, q, day, th); err != nil {
		return rep, fmt.Errorf("read cheat signals: %w", err)
	}
	return rep, nil
}

// bigintSum caps a numeric sum to a bigint.
func bigintSum(expr string) string { return "LEAST(" + expr + ", 9223372036854775807)::int8" }

// cheatUsersSQL: $1 first day, $2 its midnight, $3 the rate cap's name,
// $4 UserMinExcess, $5 UserExcessShare.
var cheatUsersSQL = `WITH ut AS (
		SELECT user_id, info_hash, sum(raw_uploaded) AS up, sum(raw_downloaded) AS down,
			sum(uploaded) AS cup, sum(downloaded) AS cdown
		FROM cheats.user_days WHERE day >= $1::date GROUP BY user_id, info_hash
	), sw AS (
		SELECT info_hash, sum(down) AS down FROM ut GROUP BY info_hash
	), u AS (
		SELECT ut.user_id, sum(ut.up) AS up, sum(ut.down) AS down, sum(ut.cup) AS cup, sum(ut.cdown) AS cdown,
			sum(GREATEST(ut.up - (sw.down - ut.down), 0)) AS excess,
			count(*) FILTER (WHERE ut.up > sw.down - ut.down) AS excess_torrents
		FROM ut JOIN sw USING (info_hash) GROUP BY ut.user_id
	), c AS (
		SELECT user_id, count(*) AS capped, count(*) FILTER (WHERE $3::text = ANY (caps)) AS up_rate
		FROM cheats.capped_claims WHERE at >= $2 GROUP BY user_id
	)
	SELECT u.user_id, COALESCE(n.name, ''), ` + bigintSum("u.up") + `, ` + bigintSum("u.down") + `, ` +
	bigintSum("u.cup") + `, ` + bigintSum("u.cdown") + `, ` + bigintSum("u.excess") + `,
		CASE WHEN u.up > 0 THEN (u.excess / u.up)::float8 ELSE 0 END, u.excess_torrents,
		COALESCE(c.capped, 0), COALESCE(c.up_rate, 0)
	FROM u LEFT JOIN c USING (user_id) LEFT JOIN users.users n ON n.id = u.user_id
	WHERE c.up_rate > 0 OR (u.excess >= $4 AND u.excess::float8 >= $5::float8 * u.up::float8)
	ORDER BY u.excess DESC, COALESCE(c.up_rate, 0) DESC, u.user_id`

func cheatUsers(ctx context.Context, q RowQuerier, day time.Time, th CheatThresholds) ([]CheatUser, error) {
	rows, err := q.Query(ctx, cheatUsersSQL, day.Format(time.DateOnly), day, domain.CapUpRate.Names()[0],
		clamp(th.UserMinExcess), th.UserExcessShare)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []CheatUser{}
	for rows.Next() {
		var u CheatUser
		var up, down, cup, cdown, excess int64
		var upRate int
		if err := rows.Scan(&u.UserID, &u.Name, &up, &down, &cup, &cdown, &excess, &u.ExcessShare,
			&u.ExcessTorrents, &u.CappedClaims, &upRate); err != nil {
			return nil, err
		}
		u.ClaimedUp, u.ClaimedDown, u.CreditedUp, u.CreditedDown = uint64(up), uint64(down), uint64(cup), uint64(cdown)
		u.Excess, u.Caps, u.Reasons = uint64(excess), map[string]int{}, []string{}
		if upRate > 0 {
			u.Reasons = append(u.Reasons, ReasonUpRate)
		}
		if u.Excess >= th.UserMinExcess && u.ExcessShare >= th.UserExcessShare {
			u.Reasons = append(u.Reasons, ReasonExcess)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// cheatCaps counts the listed users' capped claims by cap name.
func cheatCaps(ctx context.Context, q RowQuerier, day time.Time, users []CheatUser) error {
	if len(users) == 0 {
		return nil
	}
	ids, at := make([]uuid.UUID, len(users)), make(map[uuid.UUID]int, len(users))
	for i := range users {
		ids[i], at[users[i].UserID] = users[i].UserID, i
	}
	rows, err := q.Query(ctx, `SELECT user_id, cap, count(*) FROM cheats.capped_claims, unnest(caps) AS cap
		WHERE at >= $1 AND user_id = ANY ($2) GROUP BY user_id, cap`, day, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id uuid.UUID
		var name string
		var n int
		if err := rows.Scan(&id, &name, &n); err != nil {
			return err
		}
		users[at[id]].Caps[name] = n
	}
	return rows.Err()
}

// cheatTorrentsSQL: $1 first day, $2 its midnight, $3 TorrentMinSurplus,
// $4 TorrentFactor.
var cheatTorrentsSQL = `WITH t AS (
		SELECT info_hash, sum(raw_uploaded) AS up, sum(raw_downloaded) AS down,
			sum(uploaded) AS cup, sum(downloaded) AS cdown
		FROM cheats.torrent_days WHERE day >= $1::date GROUP BY info_hash
	), c AS (
		SELECT info_hash, count(*) AS capped FROM cheats.capped_claims WHERE at >= $2 GROUP BY info_hash
	)
	SELECT t.info_hash, COALESCE(k.title, s.name, ''), ` + bigintSum("t.up") + `, ` + bigintSum("t.down") + `, ` +
	bigintSum("t.cup") + `, ` + bigintSum("t.cdown") + `, ` + bigintSum("t.up - t.down") + `, COALESCE(c.capped, 0)
	FROM t LEFT JOIN c USING (info_hash) LEFT JOIN swarm.torrents s USING (info_hash) LEFT JOIN catalog.torrents k USING (info_hash)
	WHERE t.up - t.down >= $3 AND t.up::float8 >= $4::float8 * t.down::float8
	ORDER BY t.up - t.down DESC, t.info_hash`

func cheatTorrents(ctx context.Context, q RowQuerier, day time.Time, th CheatThresholds) ([]CheatTorrent, error) {
	rows, err := q.Query(ctx, cheatTorrentsSQL, day.Format(time.DateOnly), day, clamp(th.TorrentMinSurplus), th.TorrentFactor)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []CheatTorrent{}
	for rows.Next() {
		var t CheatTorrent
		var hash []byte
		var up, down, cup, cdown, surplus int64
		if err := rows.Scan(&hash, &t.Name, &up, &down, &cup, &cdown, &surplus, &t.CappedClaims); err != nil {
			return nil, err
		}
		copy(t.InfoHash[:], hash)
		t.ClaimedUp, t.ClaimedDown, t.CreditedUp, t.CreditedDown = uint64(up), uint64(down), uint64(cup), uint64(cdown)
		t.Surplus = uint64(surplus)
		out = append(out, t)
	}
	return out, rows.Err()
}
