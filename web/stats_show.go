package web

import (
	"net/http"
	"time"

	"github.com/djembe/djembe/projections"
)

// statsDays is how many UTC days, today included, the traffic chart covers.
const statsDays = 30

// statsView is what /stats shows: the site's figures now, and its traffic
// per day over the last statsDays days with their sums.
type statsView struct {
	Totals               projections.SiteTotals
	Chart                trafficChart
	Growth               growthChart
	Peers                peersChart
	Days                 []projections.TrafficDay // newest first
	PeriodUp, PeriodDown uint64
	Since                time.Time
}

// PeersNow is the number of active peers now.
func (v statsView) PeersNow() int { return v.Totals.Seeders + v.Totals.Leechers }

// statsShow is the site's statistics, to anyone signed in.
func (s *site) statsShow(w http.ResponseWriter, r *http.Request) {
	v := s.signedIn(w, r)
	if v == nil {
		return
	}
	ctx := r.Context()
	totals, err := projections.Totals(ctx, s.Pool)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	since := today.AddDate(0, 0, 1-statsDays)
	days, err := projections.Traffic(ctx, s.Pool, since)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	growth, err := projections.Growth(ctx, s.Pool, since, today)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	peers, err := projections.PeersOverTime(ctx, s.Pool, since, today)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	d := statsView{Totals: totals, Chart: newTrafficChart(days, since, today), Growth: newGrowthChart(growth), Peers: newPeersChart(peers), Since: since}
	for i := len(days) - 1; i >= 0; i-- {
		d.Days = append(d.Days, days[i])
		d.PeriodUp += days[i].Uploaded
		d.PeriodDown += days[i].Downloaded
	}
	p := s.page(r, "Statistics", "stats")
	p.Viewer = v
	p.Data = d
	s.render(w, r, http.StatusOK, "stats", p)
}
