package web

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
)

// ratioChart is the profile's ratio history as an SVG drawn on the server
// (templates/profile.html draws it from these coordinates): cumulative
// credited upload and download per day on the left axis, in bytes, and the
// ratio of the two on the right axis. Everything is a presentation
// attribute; nothing needs script or a style attribute.
type ratioChart struct {
	W, H                   int
	Left, Right, Top, Bot  float64 // the plot area's edges
	Up, Down, Ratio        string  // polyline points
	Dots                   []chartDot
	YTicks, RTicks, XTicks []chartTick
	Days                   int // days with a credit
	RatioMax               string
	// Where the template puts the labels (html/template does no arithmetic).
	PlotW, PlotH, LabelX, RLabelX, TickBot, XLabelY, TitleY, LegendX float64
}

// chartTick is one labelled grid line: at Y (a value axis) or X (the days).
type chartTick struct {
	X, Y  float64
	Label string
}

// chartDot is one day's point on the upload line, with what a tooltip
// (an SVG title) says of it.
type chartDot struct {
	X, YUp, YDown float64
	Title         string
}

const (
	chartW, chartH = 1100, 260
	chartLeft      = 72.0
	chartRight     = chartW - 52.0
	chartTop       = 42.0
	chartBot       = chartH - 30.0
)

// newRatioChart lays out days (oldest first) on the chart.
func newRatioChart(days []projections.HistoryDay) ratioChart {
	c := ratioChart{W: chartW, H: chartH, Left: chartLeft, Right: chartRight, Top: chartTop, Bot: chartBot, Days: len(days),
		PlotW: chartRight - chartLeft, PlotH: chartBot - chartTop, LabelX: chartLeft - 6, RLabelX: chartRight + 6,
		TickBot: chartBot + 4, XLabelY: chartBot + 17, TitleY: chartTop - 14, LegendX: chartLeft + 10}
	if len(days) == 0 {
		return c
	}
	var maxBytes uint64
	maxRatio := 1.0
	for _, d := range days {
		maxBytes = max(maxBytes, d.TotalUp, d.TotalDown)
		if d.TotalDown > 0 && !d.Ratio.Infinite() {
			maxRatio = max(maxRatio, float64(d.Ratio))
		}
	}
	maxRatio = min(maxRatio, 20) // a ratio of 300 would flatten the rest; the line is clipped there
	byteStep, byteUnit, unitName := byteTickStep(maxBytes)
	byteTop := byteStep * math.Max(1, math.Ceil(float64(maxBytes)/byteStep))
	ratioStep := niceStep(maxRatio / 4)
	ratioTop := ratioStep * math.Ceil(maxRatio/ratioStep)
	c.RatioMax = strconv.FormatFloat(ratioTop, 'f', -1, 64)

	first, last := days[0].Day, days[len(days)-1].Day
	span := last.Sub(first)
	x := func(t time.Time) float64 {
		if span <= 0 {
			return (chartLeft + chartRight) / 2
		}
		return chartLeft + (chartRight-chartLeft)*float64(t.Sub(first))/float64(span)
	}
	yBytes := func(v uint64) float64 { return chartBot - (chartBot-chartTop)*float64(v)/byteTop }
	yRatio := func(r float64) float64 { return chartBot - (chartBot-chartTop)*math.Min(r, ratioTop)/ratioTop }

	for v := 0.0; v <= byteTop+byteStep/2; v += byteStep {
		c.YTicks = append(c.YTicks, chartTick{Y: yBytes(uint64(v)), Label: strconv.FormatFloat(v/byteUnit, 'f', -1, 64) + " " + unitName})
	}
	for v := 0.0; v <= ratioTop+ratioStep/2; v += ratioStep {
		c.RTicks = append(c.RTicks, chartTick{Y: yRatio(v), Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	nDays := int(span/(24*time.Hour)) + 1
	every := max(1, (nDays+7)/8) // at most eight dates under the axis
	for i := 0; i < nDays; i += every {
		d := first.AddDate(0, 0, i)
		c.XTicks = append(c.XTicks, chartTick{X: x(d), Label: d.Format("Jan 2")})
	}

	var up, down, ratio []string
	pt := func(x, y float64) string {
		return strconv.FormatFloat(x, 'f', 1, 64) + "," + strconv.FormatFloat(y, 'f', 1, 64)
	}
	for i, d := range days {
		dx := x(d.Day)
		if i > 0 && d.Day.Sub(days[i-1].Day) > 24*time.Hour { // nothing credited between: the totals stay flat until the day before
			p, flat := days[i-1], x(d.Day.AddDate(0, 0, -1))
			up = append(up, pt(flat, yBytes(p.TotalUp)))
			down = append(down, pt(flat, yBytes(p.TotalDown)))
			if p.TotalDown > 0 {
				ratio = append(ratio, pt(flat, yRatio(float64(p.Ratio))))
			}
		}
		up = append(up, pt(dx, yBytes(d.TotalUp)))
		down = append(down, pt(dx, yBytes(d.TotalDown)))
		if d.TotalDown > 0 {
			ratio = append(ratio, pt(dx, yRatio(float64(d.Ratio))))
		}
		c.Dots = append(c.Dots, chartDot{X: dx, YUp: yBytes(d.TotalUp), YDown: yBytes(d.TotalDown),
			Title: d.Day.Format("2006-01-02") + ": +" + formatBytes(d.Uploaded) + " up, +" + formatBytes(d.Downloaded) +
				" down; totals " + formatBytes(d.TotalUp) + " / " + formatBytes(d.TotalDown) + ", ratio " + ratioText(d.TotalUp, d.TotalDown, d.Ratio)})
	}
	if len(days) == 1 { // one day: a short flat line, so it shows as more than a dot
		up = []string{pt(chartLeft, yBytes(days[0].TotalUp)), pt(chartRight, yBytes(days[0].TotalUp))}
		down = []string{pt(chartLeft, yBytes(days[0].TotalDown)), pt(chartRight, yBytes(days[0].TotalDown))}
		if len(ratio) == 1 {
			ratio = []string{pt(chartLeft, yRatio(float64(days[0].Ratio))), pt(chartRight, yRatio(float64(days[0].Ratio)))}
		}
	}
	c.Up, c.Down, c.Ratio = strings.Join(up, " "), strings.Join(down, " "), strings.Join(ratio, " ")
	return c
}

// byteTickStep is the step between the byte axis's grid lines for values up
// to maxBytes (about four of them), with the binary unit it is labelled in.
func byteTickStep(maxBytes uint64) (step, unit float64, name string) {
	names := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	unit, i := 1.0, 0
	for float64(maxBytes)/unit >= 1024 && i < len(names)-1 {
		unit *= 1024
		i++
	}
	v := float64(maxBytes) / unit
	if v == 0 {
		v = 1
	}
	return niceStep(v/4) * unit, unit, names[i]
}

// niceStep is the 1, 2 or 5 times a power of ten nearest above v.
func niceStep(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// ratioText is a ratio as Gazelle shows it: "--" with nothing transferred.
func ratioText(up, down uint64, r domain.Ratio) string {
	return Viewer{Uploaded: up, Downloaded: down, Ratio: r}.RatioText()
}
