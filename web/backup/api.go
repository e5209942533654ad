package backup

import (
	"net/http"
	"strconv"
	"time"

	"github.com/djembe/djembe/domain"
	readbackup "github.com/djembe/djembe/projections/backup"
	"github.com/djembe/djembe/web"
	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
)

// apiRoutes is the plugin's JSON API, under /api/v1/backup (token and
// rate limit checked by the site before these run):
//
//	GET /api/v1/backup/queue?limit=&offset=  what to back up next, in the queue's order
//	GET /api/v1/backup/me                    the token user's standing
//
// A bad parameter is a 400 "invalid" in the API's error shape.
func apiRoutes(r chi.Router, s *web.Site) {
	a := api{s}
	r.Get("/queue", a.queue)
	r.Get("/me", a.me)
}

type api struct{ s *web.Site }

// apiUser names a user.
type apiUser struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

// apiBackup names a backup.
type apiBackup struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

// apiVersion is a version waiting in the queue.
type apiVersion struct {
	InfoHash    string    `json:"info_hash"` // hex
	Backup      apiBackup `json:"backup"`
	Owner       apiUser   `json:"owner"`
	Number      int       `json:"number"`
	Size        uint64    `json:"size"`
	Copies      int       `json:"copies"`     // other users seeding a complete copy now
	Redundancy  int       `json:"redundancy"` // the copies its backup wants (N)
	Deficit     int       `json:"deficit"`    // redundancy − copies
	State       string    `json:"state"`      // healthy, under-replicated, at risk or lost
	Points      float64   `json:"points"`     // its backup's points
	Added       time.Time `json:"added"`
	DownloadURL string    `json:"download_url"` // the .torrent, by the same bearer token
}

// apiQueue is a page of the queue.
type apiQueue struct {
	Versions []apiVersion `json:"versions"`
	Total    int          `json:"total"` // versions waiting, over every page
	Limit    int          `json:"limit"`
	Offset   int          `json:"offset"`
}

// apiMaxLimit bounds ?limit=.
const apiMaxLimit = 200

// intParam reads ?name= as an integer in [0, hi], def when missing.
func intParam(r *http.Request, name string, def, hi int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > hi {
		return 0, domain.FieldE("backup queue", name, domain.KindInvalid, "%s is a whole number from 0 to %d", name, hi)
	}
	return n, nil
}

// queue is GET /api/v1/backup/queue?limit=&offset= (limit 50 by default,
// at most 200).
func (a api) queue(w http.ResponseWriter, r *http.Request) {
	limit, err := intParam(r, "limit", readbackup.PageSize, apiMaxLimit)
	if err != nil {
		a.s.APIError(w, r, err)
		return
	}
	offset, err := intParam(r, "offset", 0, 1<<30)
	if err != nil {
		a.s.APIError(w, r, err)
		return
	}
	p := pages{s: a.s}
	rows, total, err := p.queueRows(r.Context(), limit, offset)
	if err != nil {
		a.s.APIError(w, r, err)
		return
	}
	out := apiQueue{Versions: []apiVersion{}, Total: total, Limit: limit, Offset: offset}
	base := a.s.BaseURL(r)
	for _, v := range rows {
		out.Versions = append(out.Versions, apiVersion{InfoHash: v.InfoHash.String(), Backup: apiBackup{ID: v.Backup, Name: v.BackupName},
			Owner: apiUser{ID: v.Owner, Name: v.OwnerName}, Number: v.Number, Size: v.Size, Copies: v.VersionRow.Copies,
			Redundancy: v.Redundancy, Deficit: v.Deficit, State: v.StateName(), Points: float64(v.PointsMilli) / 1000,
			Added: v.AddedAt.UTC(), DownloadURL: base + v.Download()})
	}
	a.s.WriteJSON(w, out)
}

// apiStanding is a user's standing in the backup economy.
type apiStanding struct {
	User           apiUser `json:"user"`
	Credit         uint64  `json:"credit"`     // bytes credited for downloading other users' versions
	Obligation     uint64  `json:"obligation"` // Σ live versions' size × N
	Allowance      uint64  `json:"allowance"`  // the starter allowance
	Room           uint64  `json:"room"`       // obligation still allowed: credit + allowance − obligation
	PointsBalance  float64 `json:"points_balance"`
	PointsEarned   float64 `json:"points_earned"`
	PointsAssigned float64 `json:"points_assigned"`
	Backups        int     `json:"backups"`
}

// me is GET /api/v1/backup/me: the token user's standing.
func (a api) me(w http.ResponseWriter, r *http.Request) {
	u := a.s.APIUser(r)
	e, err := readbackup.Economy(r.Context(), a.s.Pool(), u.ID, allowance)
	if err != nil {
		a.s.APIError(w, r, err)
		return
	}
	bs, err := readbackup.BackupsOf(r.Context(), a.s.Pool(), u.ID)
	if err != nil {
		a.s.APIError(w, r, err)
		return
	}
	a.s.WriteJSON(w, apiStanding{User: apiUser{ID: u.ID, Name: u.Name}, Credit: e.Credit, Obligation: e.Obligation,
		Allowance: e.Allowance, Room: e.Room, PointsBalance: float64(e.BalanceMilli) / 1000,
		PointsEarned: float64(e.EarnedMilli) / 1000, PointsAssigned: float64(e.AssignedMilli) / 1000, Backups: len(bs)})
}
