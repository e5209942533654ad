package backup

import (
	"slices"
	"strconv"
	"time"

	readbackup "github.com/djembe/djembe/projections/backup"
	"github.com/djembe/djembe/web/chart"
)

// copiesChart is a version's copies over time (views/_parts.html): a step
// line of the copies other users keep, a dashed line at the N its backup
// wants, and a band under the plot where the owner seeded. Points are
// oldest first; the line holds each count until the next change and runs
// to now (or the last point, should an announce be stamped ahead of the
// page's clock); points are drawn in time order, every x inside the plot.
type copiesChart struct {
	Number int
	chart.Chart
}

// The copies chart is as wide as the backup page's main column's box
// (beside its sidebar) at the site's full width.
const copiesChartW, copiesChartH = 828, 180

// The chart's colours beyond the shared ones: the N line's and the owner's
// band's.
const (
	targetColor = "#b36b00"
	ownerColor  = "#8aa4bf"
)

// newCopiesChart lays out points up to now for a version wanting n.
func newCopiesChart(number int, points []readbackup.CopiesPoint, n int, now time.Time) copiesChart {
	if len(points) == 0 {
		return copiesChart{Number: number, Chart: chart.Chart{Empty: true}}
	}
	points = slices.Clone(points)
	slices.SortStableFunc(points, func(a, b readbackup.CopiesPoint) int { return a.At.Compare(b.At) })
	from, to := points[0].At, now
	if last := points[len(points)-1].At; last.After(to) {
		to = last // announces stamped ahead of this clock
	}
	if !to.After(from) {
		to = from.Add(time.Minute)
	}
	top := max(n, 1)
	for _, p := range points {
		top = max(top, p.Copies)
	}
	copies, target := chart.Style{Color: chart.Green, Width: 3}, chart.Style{Color: targetColor, Width: 2, Dash: "6 4"}
	c := copiesChart{Number: number, Chart: chart.New(chart.Spec{ID: "chart-v" + strconv.Itoa(number) + "-svg",
		Title: "Copies of version " + strconv.Itoa(number) + " over time", W: copiesChartW, H: copiesChartH, Y: chart.Counts(float64(top + 1)), Band: true,
		Legend: []chart.Key{{Style: copies, Label: "copies other users keep"}, {Style: target, Label: "N wanted"},
			{Style: chart.Style{Color: ownerColor}, Label: "owner seeding", Shape: "band"}}})}
	x := c.Times(from, to, 6)
	c.AddRule(target, c.Y(float64(n)))
	pts := make([]chart.Point, len(points))
	var ownerFrom time.Time
	owner := false
	for i, p := range points {
		pts[i] = chart.Point{X: x.X(p.At), Y: c.Y(float64(p.Copies))}
		switch {
		case p.OwnerSeeding && !owner:
			owner, ownerFrom = true, p.At
		case !p.OwnerSeeding && owner:
			owner = false
			c.AddBand(x.X(ownerFrom), x.X(p.At), ownerColor)
		}
	}
	if owner {
		c.AddBand(x.X(ownerFrom), x.X(to), ownerColor)
	}
	c.AddLine(copies, chart.Steps(x.X(from), pts[0].Y, pts, x.X(to)))
	return c
}
