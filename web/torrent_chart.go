package web

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/djembe/djembe/projections"
)

// swarmChartSpan is how far back the torrent page's swarm chart reaches.
const swarmChartSpan = 30 * 24 * time.Hour

// swarmChart is a torrent's seeders and leechers over time as an SVG drawn
// on the server (templates/torrent.html): step lines, since a count holds
// until the next change, on one count axis. Presentation attributes only.
type swarmChart struct {
	W, H                  int
	Left, Right, Top, Bot float64
	Seeders, Leechers     string // polyline points
	YTicks, XTicks        []chartTick
	Empty                 bool // no point at all: nothing announced yet
	PlotW, PlotH, LabelX  float64
	TickBot, XLabelY      float64
	LegendX               float64
}

const (
	swarmW, swarmH = 1100, 200
	swarmLeft      = 48.0
	swarmRight     = swarmW - 16.0
	swarmTop       = 30.0
	swarmBot       = swarmH - 26.0
)

// newSwarmChart lays out points (oldest first; the first may be before
// from) over [from, to].
func newSwarmChart(points []projections.SwarmPoint, from, to time.Time) swarmChart {
	c := swarmChart{W: swarmW, H: swarmH, Left: swarmLeft, Right: swarmRight, Top: swarmTop, Bot: swarmBot,
		PlotW: swarmRight - swarmLeft, PlotH: swarmBot - swarmTop, LabelX: swarmLeft - 6,
		TickBot: swarmBot + 4, XLabelY: swarmBot + 17, LegendX: swarmLeft + 10, Empty: len(points) == 0}
	span := to.Sub(from)
	if span <= 0 {
		span = time.Hour
	}
	x := func(t time.Time) float64 {
		if t.Before(from) {
			t = from
		}
		return swarmLeft + float64(t.Sub(from))/float64(span)*(swarmRight-swarmLeft)
	}
	maxN := 1
	for _, p := range points {
		maxN = max(maxN, p.SeedersMax, p.LeechersMax, p.Seeders, p.Leechers)
	}
	step := math.Max(1, niceStep(float64(maxN)/4))
	top := math.Ceil(float64(maxN)/step) * step
	y := func(n int) float64 { return swarmBot - float64(n)/top*(swarmBot-swarmTop) }
	for v := 0.0; v <= top+step/2; v += step {
		c.YTicks = append(c.YTicks, chartTick{Y: round1(y(int(v))), Label: strconv.Itoa(int(v))})
	}
	c.XTicks = timeTicks(from, to, x)
	line := func(n func(projections.SwarmPoint) int) string {
		var b strings.Builder
		prev := 0
		pt := func(xv, yv float64) {
			b.WriteString(strconv.FormatFloat(round1(xv), 'f', -1, 64) + "," + strconv.FormatFloat(round1(yv), 'f', -1, 64) + " ")
		}
		pt(swarmLeft, y(0))
		for _, p := range points {
			px := x(p.Bucket)
			pt(px, y(prev))
			prev = n(p)
			pt(px, y(prev))
		}
		pt(swarmRight, y(prev))
		return strings.TrimSpace(b.String())
	}
	c.Seeders = line(func(p projections.SwarmPoint) int { return p.Seeders })
	c.Leechers = line(func(p projections.SwarmPoint) int { return p.Leechers })
	return c
}

// timeTicks are about six ticks over [from, to] on a round unit (5
// minutes to a day): dated for days, timed below. A span too short for one
// (a torrent just added) is labelled at both ends.
func timeTicks(from, to time.Time, x func(time.Time) float64) []chartTick {
	span := to.Sub(from)
	unit, format := 24*time.Hour, "Jan 2"
	for _, u := range []time.Duration{5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour, 6 * time.Hour} {
		if span <= 8*u {
			unit, format = u, "15:04"
			if u >= 3*time.Hour {
				format = "Jan 2 15:04"
			}
			break
		}
	}
	n := max(1, int(math.Ceil(float64(span)/float64(unit)/8)))
	var ticks []chartTick
	for t := from.Truncate(unit).Add(unit); !t.After(to); t = t.Add(time.Duration(n) * unit) {
		ticks = append(ticks, chartTick{X: round1(x(t)), Label: t.Format(format)})
	}
	if len(ticks) == 0 {
		ticks = []chartTick{{X: round1(x(from)), Label: from.Format("15:04")}, {X: round1(x(to)), Label: to.Format("15:04")}}
	}
	return ticks
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
