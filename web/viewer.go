package web

import (
	"context"
	"errors"
	"fmt"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Viewer is the signed-in user as every page's header shows them: the name,
// whether they are staff, and the user box's figures (credited upload and
// download, ratio, required ratio), as Gazelle shows them.
type Viewer struct {
	ID         domain.UserID
	Name       string
	Staff      bool         // a Moderator or Administrator
	Class      domain.Class // what the staff pages may change follows it (commands.SetClass)
	Uploaded   uint64       // credited, after the torrents' factors
	Downloaded uint64       // credited
	Ratio      domain.Ratio // of Uploaded to Downloaded
	Required   domain.Ratio // the ratio the user must keep
}

// RatioText is the ratio as the user box shows it: "--" with nothing
// transferred, "∞" with upload and no download, else two decimals rounded
// down (Gazelle's get_ratio).
func (v Viewer) RatioText() string {
	if v.Uploaded == 0 && v.Downloaded == 0 {
		return "--"
	}
	return v.Ratio.String()
}

// RatioClass is the style class that colours a ratio against the required
// one: bad below it, low below 1, good otherwise.
func (v Viewer) RatioClass() string {
	switch {
	case v.Uploaded == 0 && v.Downloaded == 0:
		return "ratio"
	case v.Required > 0 && v.Ratio < v.Required:
		return "ratio r-bad"
	case v.Ratio < 1:
		return "ratio r-low"
	}
	return "ratio r-good"
}

// Viewers finds the user a session names. A user who does not exist, has
// been disabled or forgotten reads as a KindNotFound error: the page is
// then shown as to someone signed out.
type Viewers interface {
	Viewer(ctx context.Context, id domain.UserID) (Viewer, error)
}

// readModelViewers reads viewers from the users and ratio read models;
// the required ratio is table's (domain.RatioTable.Required) for the
// user's credited download and the share of their snatches they seed.
type readModelViewers struct {
	pool  *pgxpool.Pool
	table domain.RatioTable
}

func (v readModelViewers) Viewer(ctx context.Context, id domain.UserID) (Viewer, error) {
	u := Viewer{ID: id}
	var disabled, forgotten bool
	var class string
	err := v.pool.QueryRow(ctx, `SELECT name, admin, class, disabled, forgotten FROM users.users WHERE id = $1`, id).
		Scan(&u.Name, &u.Staff, &class, &disabled, &forgotten)
	u.Class = projections.ClassOf(class)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && (disabled || forgotten) {
		return u, domain.E("find viewer", domain.KindNotFound, "no such user")
	}
	if err != nil {
		return u, fmt.Errorf("read user %s: %w", id, err)
	}
	r, err := projections.UserRatio(ctx, v.pool, id)
	if err != nil {
		return u, err
	}
	u.Uploaded, u.Downloaded, u.Ratio = r.Uploaded, r.Downloaded, r.Ratio
	u.Required = v.table.Required(r.Downloaded, domain.ShareSeeded(r.Seeding, r.Snatches))
	return u, nil
}
