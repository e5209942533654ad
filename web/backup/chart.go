package backup

import (
	"slices"
	"strconv"
	"strings"
	"time"

	readbackup "github.com/djembe/djembe/projections/backup"
)

// copiesChart is a version's copies over time as an SVG drawn on the
// server (views/_chart.html, presentation attributes only: the CSP
// forbids inline styles): a step line of the copies other users keep, a
// dashed line at the N its backup wants, and a band under the plot where
// the owner seeded. Points are oldest first; the line holds each count
// until the next change and runs to now (or the last point, should an
// announce be stamped ahead of the page's clock); points are drawn in
// time order, every x inside the plot.
type copiesChart struct {
	Number                int
	W, H                  int
	Left, Right, Top, Bot float64
	PlotW, PlotH          float64
	Copies                string // polyline points
	TargetY               float64
	Owner                 []chartBand
	YTicks, XTicks        []chartTick
	LabelX, XLabelY       float64
	BandY                 float64
	Empty                 bool
}

type chartTick struct {
	X, Y   float64
	Label  string
	Anchor string // the label's text-anchor: the first and last stay inside
}

type chartBand struct{ X, W float64 }

const (
	chartW, chartH = 900, 180
	chartLeft      = 40.0
	chartRight     = chartW - 12.0
	chartTop       = 12.0
	chartBot       = chartH - 40.0
)

// newCopiesChart lays out points up to now for a version wanting n.
func newCopiesChart(number int, points []readbackup.CopiesPoint, n int, now time.Time) copiesChart {
	c := copiesChart{Number: number, W: chartW, H: chartH, Left: chartLeft, Right: chartRight, Top: chartTop, Bot: chartBot,
		PlotW: chartRight - chartLeft, PlotH: chartBot - chartTop, LabelX: chartLeft - 6, XLabelY: chartH - 4, BandY: chartBot + 4,
		Empty: len(points) == 0}
	if c.Empty {
		return c
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
	span := float64(to.Sub(from))
	x := func(t time.Time) float64 {
		return round1(min(max(chartLeft+float64(t.Sub(from))/span*(chartRight-chartLeft), chartLeft), chartRight))
	}
	top := max(n, 1)
	for _, p := range points {
		top = max(top, p.Copies)
	}
	top++
	y := func(v int) float64 { return round1(chartBot - float64(v)/float64(top)*(chartBot-chartTop)) }
	step := max(1, top/4)
	for v := 0; v <= top; v += step {
		c.YTicks = append(c.YTicks, chartTick{Y: y(v), Label: strconv.Itoa(v)})
	}
	c.TargetY = y(n)
	var b strings.Builder
	pt := func(xv, yv float64) {
		b.WriteString(strconv.FormatFloat(xv, 'f', -1, 64) + "," + strconv.FormatFloat(yv, 'f', -1, 64) + " ")
	}
	prev := points[0].Copies
	pt(x(from), y(prev))
	var ownerFrom time.Time
	owner := false
	for _, p := range points {
		pt(x(p.At), y(prev))
		prev = p.Copies
		pt(x(p.At), y(prev))
		switch {
		case p.OwnerSeeding && !owner:
			owner, ownerFrom = true, p.At
		case !p.OwnerSeeding && owner:
			owner = false
			c.Owner = append(c.Owner, chartBand{X: x(ownerFrom), W: max(x(p.At)-x(ownerFrom), 1)})
		}
	}
	pt(x(to), y(prev))
	if owner {
		c.Owner = append(c.Owner, chartBand{X: x(ownerFrom), W: max(x(to)-x(ownerFrom), 1)})
	}
	c.Copies = strings.TrimSpace(b.String())
	layout := "Jan 2"
	if to.Sub(from) < 48*time.Hour {
		layout = "Jan 2 15:04"
	}
	for i := 0; i <= 4; i++ {
		t := from.Add(time.Duration(float64(to.Sub(from)) * float64(i) / 4))
		anchor := "middle"
		switch i {
		case 0:
			anchor = "start"
		case 4:
			anchor = "end"
		}
		c.XTicks = append(c.XTicks, chartTick{X: x(t), Label: t.UTC().Format(layout), Anchor: anchor})
	}
	return c
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }
