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

// StaffUser is one user as the staff users list shows them.
type StaffUser struct {
	ID                   uuid.UUID
	Name                 string
	Staff                bool // a Moderator or Administrator
	Class                domain.Class
	Disabled             bool
	DisabledReason       string
	CanLeech             bool
	LeechReason          string
	RatioWatch           bool
	InvitesLeft          int
	Uploaded, Downloaded uint64 // credited
	RegisteredAt         time.Time
}

// StaffUsers lists users whose name contains search (any case; "" lists
// all), forgotten users left out, by name, at most limit from offset on.
func StaffUsers(ctx context.Context, q RowQuerier, search string, limit, offset int) ([]StaffUser, error) {
	rows, err := q.Query(ctx, staffUserSelect+`WHERE NOT u.forgotten AND strpos(u.name_key, lower($1)) > 0
		ORDER BY u.name_key LIMIT $2 OFFSET $3`, search, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("list users for staff: %w", err)
	}
	defer rows.Close()
	out := []StaffUser{}
	for rows.Next() {
		u, err := scanStaffUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users for staff: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

const staffUserSelect = `SELECT u.id, u.name, u.admin, u.class, u.disabled, u.disabled_reason, u.can_leech, u.leech_reason,
		u.ratio_watch, COALESCE(a.invites_left, 0), COALESCE(r.uploaded, 0), COALESCE(r.downloaded, 0), u.registered_at
	FROM users.users u LEFT JOIN accounts.users a ON a.user_id = u.id LEFT JOIN ratio.users r ON r.user_id = u.id
	`

func scanStaffUser(row pgx.Row) (StaffUser, error) {
	var u StaffUser
	var up, down int64
	var class string
	err := row.Scan(&u.ID, &u.Name, &u.Staff, &class, &u.Disabled, &u.DisabledReason, &u.CanLeech, &u.LeechReason,
		&u.RatioWatch, &u.InvitesLeft, &up, &down, &u.RegisteredAt)
	u.Uploaded, u.Downloaded, u.Class = uint64(up), uint64(down), ClassOf(class)
	return u, err
}

// StaffUserNamed is the user named name (in any case) as the staff pages
// show them; a KindNotFound error when there is none (or they were
// forgotten).
func StaffUserNamed(ctx context.Context, q RowQuerier, name string) (StaffUser, error) {
	u, err := scanStaffUser(q.QueryRow(ctx, staffUserSelect+`WHERE NOT u.forgotten AND u.name_key = lower($1)`, name))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, domain.FieldE("find user", "name", domain.KindNotFound, "no user is named %q", name)
	}
	if err != nil {
		return u, fmt.Errorf("read user %q for staff: %w", name, err)
	}
	return u, nil
}

// StaffTorrent is one live torrent as the staff torrents list shows it:
// the catalog's title and factors with the swarm's live counts.
type StaffTorrent struct {
	InfoHash                    domain.InfoHash
	Name                        string // the title the site shows
	Size                        uint64
	RegisteredAt                time.Time
	Factors                     domain.Factors
	Seeders, Leechers, Snatches int
}

// StaffTorrents lists live torrents whose title contains search (any
// case) or whose info hash is search (hex); "" lists all. Newest first, at
// most limit from offset on.
func StaffTorrents(ctx context.Context, q RowQuerier, search string, limit, offset int) ([]StaffTorrent, error) {
	var hash []byte
	if h, err := domain.ParseInfoHash(search); err == nil {
		hash = h[:]
	}
	rows, err := q.Query(ctx, `SELECT c.info_hash, c.title, c.size, c.added_at, c.upload_percent, c.download_percent,
			COALESCE(s.seeders, 0), COALESCE(s.leechers, 0), COALESCE(s.snatches, 0)
		FROM catalog.torrents c LEFT JOIN swarm.torrents s ON s.info_hash = c.info_hash
		WHERE NOT c.deleted AND (strpos(lower(c.title), lower($1)) > 0 OR c.info_hash = $2)
		ORDER BY c.added_at DESC, c.info_hash LIMIT $3 OFFSET $4`, search, hash, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("list torrents for staff: %w", err)
	}
	defer rows.Close()
	out := []StaffTorrent{}
	for rows.Next() {
		var t StaffTorrent
		var h []byte
		var size int64
		var up, down int16
		if err := rows.Scan(&h, &t.Name, &size, &t.RegisteredAt, &up, &down, &t.Seeders, &t.Leechers, &t.Snatches); err != nil {
			return nil, fmt.Errorf("list torrents for staff: %w", err)
		}
		copy(t.InfoHash[:], h)
		t.Size = uint64(size)
		t.Factors = domain.Factors{UploadPercent: uint16(up), DownloadPercent: uint16(down)}
		out = append(out, t)
	}
	return out, rows.Err()
}
