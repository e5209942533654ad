// Package backup is the Backup plugin's pages, feed and JSON API: my
// backups (the Backup User profile: credit, obligation, room, points),
// a backup's page (its versions, their copies over time, assigning
// points, changing N, uploading and deleting versions), the priority
// queue (a page, an RSS feed an autodownloader follows, and
// /api/v1/backup/queue), the site's totals, and staff's list of every
// backup. It reads projections/backup and changes backups only through
// commands/backup.
//
// Backup torrents are neutral for the site's ratio: their traffic counts
// only in the backup economy, and the pages say so.
package backup

import (
	"context"
	"embed"
	"fmt"
	"net/http"
	"strconv"

	cmdbackup "github.com/djembe/djembe/commands/backup"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/backup"
	"github.com/djembe/djembe/projections"
	readbackup "github.com/djembe/djembe/projections/backup"
	"github.com/djembe/djembe/web"
	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

//go:embed views/*.html
var viewsFS embed.FS

// Plugin is the Backup plugin's pages, mounted under /backup, and its
// API, under /api/v1/backup.
func Plugin() web.Plugin {
	return web.Plugin{Name: "backup", Label: "Backup", Views: web.ViewsDir(viewsFS), Routes: routes, API: apiRoutes}
}

// pages are the plugin's handlers. cmds is nil on a site without a write
// side (a read-only site), where every change is refused.
type pages struct {
	s    *web.Site
	cmds *cmdbackup.Commands
}

// allowance is the starter allowance the pages show and the write side
// decides with.
const allowance = backup.DefaultAllowance

func newPages(s *web.Site) *pages {
	p := &pages{s: s}
	if s.Commands() != nil {
		p.cmds = cmdbackup.New(s.Commands(), func(ctx context.Context, u domain.UserID) (backup.Standing, error) {
			return readbackup.Standing(ctx, s.Pool(), u)
		}, allowance)
	}
	return p
}

func routes(r chi.Router, s *web.Site) {
	p := newPages(s)
	r.Get("/", p.mine)
	r.Post("/", p.create)
	r.Get("/queue", p.queue)
	r.Get("/queue.rss", p.queueRSS)
	r.Get("/stats", p.stats)
	r.Get("/all", p.all)
	r.Get("/{id}", p.show)
	r.Post("/{id}/edit", p.edit)
	r.Post("/{id}/points", p.points)
	r.Post("/{id}/redundancy", p.redundancy)
	r.Post("/{id}/versions", p.addVersion)
	r.Post("/{id}/versions/{number}/delete", p.deleteVersion)
}

// backupURL is a backup's page.
func backupURL(id uuid.UUID) string { return "/backup/" + id.String() }

// downloadURL is a version's personal .torrent.
func downloadURL(h domain.InfoHash) string { return "/torrents/" + h.String() + "/download" }

// neutralNote is what both the profile and a backup's page say of the
// site's ratio.
const neutralNote = "Backup torrents are neutral for the site's ratio: downloading other users' backups is how you pay for yours, not a debt, " +
	"and seeding them is not music or movie credit. Their traffic counts only here, in your backup credit and points."

// stateClass is the style class that colours a state.
func stateClass(s backup.State) string {
	switch s {
	case backup.Healthy:
		return "bk-healthy"
	case backup.UnderReplicated:
		return "bk-under"
	case backup.AtRisk:
		return "bk-risk"
	}
	return "bk-lost"
}

// names reads the names of users ids (an id with no user is left out).
func names(ctx context.Context, q projections.RowQuerier, ids []uuid.UUID) (map[uuid.UUID]string, error) {
	rows, err := projections.Collect(ctx, q, "read user names", `SELECT id, name FROM users.users WHERE id = ANY($1::uuid[])`,
		func(r pgx.Rows) (struct {
			id   uuid.UUID
			name string
		}, error) {
			var u struct {
				id   uuid.UUID
				name string
			}
			return u, r.Scan(&u.id, &u.name)
		}, ids)
	out := make(map[uuid.UUID]string, len(rows))
	for _, u := range rows {
		out[u.id] = u.name
	}
	return out, err
}

// versionView is a version as the pages show it.
type versionView struct {
	readbackup.VersionRow
	OwnerName string
	Pos       int // its place in the queue, from 1 (0 elsewhere)
}

// StateName is the version's state in words.
func (v versionView) StateName() string { return v.State.String() }

// StateClass colours the state.
func (v versionView) StateClass() string { return stateClass(v.State) }

// Download is the version's personal .torrent.
func (v versionView) Download() string { return downloadURL(v.InfoHash) }

// URL is the version's backup's page, at the version's row.
func (v versionView) URL() string { return backupURL(v.Backup) + "#v" + strconv.Itoa(v.Number) }

// Points is the version's inherited points.
func (v versionView) Points() string { return backup.FormatPoints(v.PointsMilli) }

// Age is how long ago the version was added, roughly.
func (v versionView) Age() string { return age(v.AddedAt) }

// Date is the day and time the version was added (UTC).
func (v versionView) Date() string { return v.AddedAt.UTC().Format("2006-01-02 15:04") }

// Copies is "copies/N".
func (v versionView) Copies() string { return fmt.Sprintf("%d/%d", v.VersionRow.Copies, v.Redundancy) }

// idParam is the route's {id}; a malformed one is a 404.
func (p *pages) idParam(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	return p.s.UUIDParam(w, r, "id")
}

// readOnly answers a change on a site without a write side.
func (p *pages) readOnly(w http.ResponseWriter, r *http.Request) bool {
	if p.cmds != nil {
		return false
	}
	p.s.Fail(w, r, domain.E("backup", domain.KindUnavailable, "this site is read-only"))
	return true
}

// pageParam is ?page= from 1 (1 when missing or malformed).
func pageParam(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}
