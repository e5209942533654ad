package web

import (
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/web/chart"
)

// ratioChart is the profile's ratio history (templates/profile.html):
// cumulative credited upload and download per day on the left axis, in
// bytes, and the ratio of the two on the right axis, dashed.
type ratioChart = chart.Chart

// The ratio chart is as wide as the profile's main column (beside its
// sidebar) at the site's full width.
const ratioChartW, ratioChartH = 838, 240

// newRatioChart lays out days (oldest first) on the chart; no days is an
// empty chart, which the page does not draw.
func newRatioChart(days []projections.HistoryDay) ratioChart {
	if len(days) == 0 {
		return ratioChart{Empty: true}
	}
	var maxBytes uint64
	maxRatio := 1.0
	for _, d := range days {
		maxBytes = max(maxBytes, d.TotalUp, d.TotalDown)
		if d.TotalDown > 0 && !d.Ratio.Infinite() {
			maxRatio = max(maxRatio, float64(d.Ratio))
		}
	}
	ratioAxis := chart.Numbers(min(maxRatio, 20)) // a ratio of 300 would flatten the rest; the line is clipped there
	up, down, ratio := chart.Style{Color: chart.Green, Width: 2}, chart.Style{Color: chart.Red, Width: 2}, chart.Style{Color: chart.Blue, Width: 2, Dash: "6 3"}
	c := chart.New(chart.Spec{ID: "history-chart", Title: "Cumulative credited upload and download (left axis) and ratio (right axis) per day",
		W: ratioChartW, H: ratioChartH, Y: chart.Bytes(maxBytes), YTitle: "bytes", R: &ratioAxis, RTitle: "ratio",
		Legend: []chart.Key{{Style: up, Label: "Uploaded (credited)"}, {Style: down, Label: "Downloaded (credited)"}, {Style: ratio, Label: "Ratio (right axis)"}}})
	x := c.Days(days[0].Day, days[len(days)-1].Day, 8)

	var ups, downs, ratios []chart.Point
	for i, d := range days {
		dx := x.X(d.Day)
		if i > 0 && d.Day.Sub(days[i-1].Day) > 24*time.Hour { // nothing credited between: the totals stay flat until the day before
			p, flat := days[i-1], x.X(d.Day.AddDate(0, 0, -1))
			ups = append(ups, chart.Point{X: flat, Y: c.Y(float64(p.TotalUp))})
			downs = append(downs, chart.Point{X: flat, Y: c.Y(float64(p.TotalDown))})
			if p.TotalDown > 0 {
				ratios = append(ratios, chart.Point{X: flat, Y: c.R(float64(p.Ratio))})
			}
		}
		ups = append(ups, chart.Point{X: dx, Y: c.Y(float64(d.TotalUp))})
		downs = append(downs, chart.Point{X: dx, Y: c.Y(float64(d.TotalDown))})
		if d.TotalDown > 0 {
			ratios = append(ratios, chart.Point{X: dx, Y: c.R(float64(d.Ratio))})
		}
		c.Marks = append(c.Marks, chart.Mark{Dots: []chart.Dot{{X: dx, Y: c.Y(float64(d.TotalUp)), Fill: up.Color}, {X: dx, Y: c.Y(float64(d.TotalDown)), Fill: down.Color}},
			Title: d.Day.Format("2006-01-02") + ": +" + formatBytes(d.Uploaded) + " up, +" + formatBytes(d.Downloaded) +
				" down; totals " + formatBytes(d.TotalUp) + " / " + formatBytes(d.TotalDown) + ", ratio " + ratioText(d.TotalUp, d.TotalDown, d.Ratio)})
	}
	if len(days) == 1 { // one day: a short flat line, so it shows as more than a dot
		ups, downs = c.Across(ups[0].Y), c.Across(downs[0].Y)
		if len(ratios) == 1 {
			ratios = c.Across(ratios[0].Y)
		}
	}
	c.AddLine(down, downs)
	c.AddLine(up, ups)
	c.AddLine(ratio, ratios)
	return c
}

// ratioText is a ratio as Gazelle shows it: "--" with nothing transferred.
func ratioText(up, down uint64, r domain.Ratio) string {
	return Viewer{Uploaded: up, Downloaded: down, Ratio: r}.RatioText()
}
