package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/djembe/djembe/projections"
)

// staffCheatsView is the cheat signals of the last cheatsDays days.
type staffCheatsView struct {
	Report projections.CheatReport
	Days   int
}

// cheatsDays is how many UTC days, today included, the cheat signals cover
// (as `djembe cheats` does by default).
const cheatsDays = 7

// staffCheatsShow is the cheat signals as `djembe cheats` reports them.
func (s *site) staffCheatsShow(w http.ResponseWriter, r *http.Request) {
	since := time.Now().UTC().AddDate(0, 0, -cheatsDays)
	rep, err := projections.Cheats(r.Context(), s.Pool, since, projections.DefaultCheatThresholds)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	s.renderStaff(w, r, http.StatusOK, "staff_cheats", "Staff: cheat signals", staffPage{Tab: "cheats", View: staffCheatsView{Report: rep, Days: cheatsDays}})
}

// staffProjectionsView is where each read model stands against the log.
type staffProjectionsView struct {
	Statuses []projections.Status
	LastSeq  uint64
}

// staffProjectionsShow is the projections' lag (the operator listener's
// /ops/projections keeps its own copy).
func (s *site) staffProjectionsShow(w http.ResponseWriter, r *http.Request) {
	var st []projections.Status
	if s.Statuses != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		var err error
		if st, err = s.Statuses(ctx); err != nil {
			s.internalError(w, r, err)
			return
		}
	}
	v := staffProjectionsView{Statuses: st}
	if len(st) > 0 {
		v.LastSeq = st[0].LastSeq
	}
	s.renderStaff(w, r, http.StatusOK, "staff_projections", "Staff: projections", staffPage{Tab: "projections", View: v})
}

// staffQuarantineShow is the quarantine, read-only: the operator decides
// on each record with `djembe quarantine`.
func (s *site) staffQuarantineShow(w http.ResponseWriter, r *http.Request) {
	q, err := projections.Quarantine(r.Context(), s.Pool)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	s.renderStaff(w, r, http.StatusOK, "staff_quarantine", "Staff: quarantine", staffPage{Tab: "quarantine", View: q})
}

// Pct is a share as a whole percent: 0.5 is "50%".
func (staffCheatsView) Pct(share float64) string {
	return strconv.FormatFloat(share*100, 'f', 0, 64) + "%"
}
