package web

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/djembe/djembe/projections"
)

// trafficChart is the site's credited traffic per UTC day as an SVG bar
// chart drawn on the server (templates/stats.html draws it from these
// coordinates): for each day of the period a green bar of upload and a
// red one of download, side by side, on one byte axis. Presentation
// attributes only.
type trafficChart struct {
	W, H                                                    int
	Left, Right, Top, Bot                                   float64
	Bars                                                    []trafficBar
	YTicks, XTicks                                          []chartTick
	Days                                                    int // days with traffic
	PlotW, PlotH, LabelX, TickBot, XLabelY, TitleY, LegendX float64
}

// trafficBar is one day's pair of bars, with what its tooltip says.
type trafficBar struct {
	XUp, XDown, W          float64
	YUp, HUp, YDown, HDown float64
	Title                  string
}

// newTrafficChart lays out days (oldest first, days without traffic
// missing) over the days from first to last.
func newTrafficChart(days []projections.TrafficDay, first, last time.Time) trafficChart {
	c := trafficChart{W: chartW, H: chartH, Left: chartLeft, Right: chartRight, Top: chartTop, Bot: chartBot, Days: len(days),
		PlotW: chartRight - chartLeft, PlotH: chartBot - chartTop, LabelX: chartLeft - 6,
		TickBot: chartBot + 4, XLabelY: chartBot + 17, TitleY: chartTop - 14, LegendX: chartLeft + 10}
	first, last = first.UTC().Truncate(24*time.Hour), last.UTC().Truncate(24*time.Hour)
	n := int(last.Sub(first)/(24*time.Hour)) + 1
	if n < 1 {
		return c
	}
	var maxBytes uint64
	byDay := map[time.Time]projections.TrafficDay{}
	for _, d := range days {
		byDay[d.Day] = d
		maxBytes = max(maxBytes, d.Uploaded, d.Downloaded)
	}
	step, unit, unitName := byteTickStep(maxBytes)
	top := step * math.Max(1, math.Ceil(float64(maxBytes)/step))
	y := func(v uint64) float64 { return chartBot - (chartBot-chartTop)*float64(v)/top }
	for v := 0.0; v <= top+step/2; v += step {
		c.YTicks = append(c.YTicks, chartTick{Y: y(uint64(v)), Label: strconv.FormatFloat(v/unit, 'f', -1, 64) + " " + unitName})
	}
	slot := (chartRight - chartLeft) / float64(n)
	barW := math.Max(1, slot*0.4)
	every := max(1, (n+9)/10) // at most ten dates under the axis
	for i := range n {
		day := first.AddDate(0, 0, i)
		x := chartLeft + slot*float64(i) + slot*0.1
		if i%every == 0 {
			c.XTicks = append(c.XTicks, chartTick{X: x + barW, Label: day.Format("Jan 2")})
		}
		d, ok := byDay[day]
		if !ok {
			continue
		}
		c.Bars = append(c.Bars, trafficBar{XUp: x, XDown: x + barW, W: barW,
			YUp: y(d.Uploaded), HUp: chartBot - y(d.Uploaded), YDown: y(d.Downloaded), HDown: chartBot - y(d.Downloaded),
			Title: day.Format("2006-01-02") + ": " + formatBytes(d.Uploaded) + " up, " + formatBytes(d.Downloaded) + " down credited (" +
				formatBytes(d.RawUp) + " / " + formatBytes(d.RawDown) + " transferred)"})
	}
	return c
}

// growthChart is the users registered and the live torrents at the end of
// each day, as two lines on one count axis (templates/stats.html).
type growthChart struct {
	W, H                                                    int
	Left, Right, Top, Bot                                   float64
	Users, Torrents                                         string // polyline points
	Dots                                                    []chartDot
	YTicks, XTicks                                          []chartTick
	PlotW, PlotH, LabelX, TickBot, XLabelY, TitleY, LegendX float64
}

const growthH = 200

// newGrowthChart lays out days (oldest first, one per day).
func newGrowthChart(days []projections.GrowthDay) growthChart {
	bot := float64(growthH) - 30
	c := growthChart{W: chartW, H: growthH, Left: chartLeft, Right: chartRight, Top: chartTop, Bot: bot,
		PlotW: chartRight - chartLeft, PlotH: bot - chartTop, LabelX: chartLeft - 6,
		TickBot: bot + 4, XLabelY: bot + 17, TitleY: chartTop - 14, LegendX: chartLeft + 10}
	if len(days) == 0 {
		return c
	}
	top := 1
	for _, d := range days {
		top = max(top, d.Users, d.Torrents)
	}
	step := math.Max(1, niceStep(float64(top)/4))
	ceil := step * math.Ceil(float64(top)/step)
	y := func(v int) float64 { return bot - (bot-chartTop)*float64(v)/ceil }
	for v := 0.0; v <= ceil+step/2; v += step {
		c.YTicks = append(c.YTicks, chartTick{Y: y(int(v)), Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	x := func(i int) float64 {
		if len(days) == 1 {
			return (chartLeft + chartRight) / 2
		}
		return chartLeft + (chartRight-chartLeft)*float64(i)/float64(len(days)-1)
	}
	pt := func(x, y float64) string {
		return strconv.FormatFloat(x, 'f', 1, 64) + "," + strconv.FormatFloat(y, 'f', 1, 64)
	}
	every := max(1, (len(days)+9)/10)
	var users, torrents []string
	for i, d := range days {
		if i%every == 0 {
			c.XTicks = append(c.XTicks, chartTick{X: x(i), Label: d.Day.Format("Jan 2")})
		}
		users = append(users, pt(x(i), y(d.Users)))
		torrents = append(torrents, pt(x(i), y(d.Torrents)))
		c.Dots = append(c.Dots, chartDot{X: x(i), YUp: y(d.Users), YDown: y(d.Torrents),
			Title: d.Day.Format("2006-01-02") + ": " + strconv.Itoa(d.Users) + " users, " + strconv.Itoa(d.Torrents) + " torrents"})
	}
	c.Users, c.Torrents = strings.Join(users, " "), strings.Join(torrents, " ")
	return c
}
