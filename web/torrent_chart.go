package web

import (
	"time"

	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/web/chart"
)

// swarmChartSpan is how far back the torrent page's swarm chart reaches.
const swarmChartSpan = 30 * 24 * time.Hour

// swarmChart is a torrent's seeders and leechers over time
// (templates/torrent.html): step lines, since a count holds until the next
// change, on one count axis; the leechers' dashed over the seeders' wider
// line, so both show where they are equal.
type swarmChart = chart.Chart

// The swarm chart is as wide as the torrent page's main column (beside
// its sidebar) at the site's full width.
const swarmChartW, swarmChartH = 908, 200

// newSwarmChart lays out points (oldest first; the first may be before
// from) over [from, to].
func newSwarmChart(points []projections.SwarmPoint, from, to time.Time) swarmChart {
	if !to.After(from) {
		to = from.Add(time.Hour)
	}
	maxN := 1
	for _, p := range points {
		maxN = max(maxN, p.SeedersMax, p.LeechersMax, p.Seeders, p.Leechers)
	}
	seeders, leechers := chart.Style{Color: chart.Green, Width: 3}, chart.Style{Color: chart.Red, Width: 2, Dash: "6 3"}
	c := chart.New(chart.Spec{ID: "swarm-chart", Title: "Seeders and leechers over time", W: swarmChartW, H: swarmChartH, Y: chart.Counts(float64(maxN)),
		Legend: []chart.Key{{Style: seeders, Label: "Seeders"}, {Style: leechers, Label: "Leechers"}}})
	c.Empty = len(points) == 0
	x := c.Times(from, to, 8)
	line := func(st chart.Style, n func(projections.SwarmPoint) int) {
		pts := make([]chart.Point, len(points))
		for i, p := range points {
			pts[i] = chart.Point{X: x.X(p.Bucket), Y: c.Y(float64(n(p)))}
		}
		c.AddLine(st, chart.Steps(c.Left, c.Y(0), pts, c.Right))
	}
	line(seeders, func(p projections.SwarmPoint) int { return p.Seeders })
	line(leechers, func(p projections.SwarmPoint) int { return p.Leechers })
	return c
}
