package web

import (
	"strconv"
	"time"

	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/web/chart"
)

// trafficChart is the site's credited traffic per UTC day as a bar chart
// (templates/stats.html): for each day of the period a green bar of upload
// and a red one of download, side by side, on one byte axis.
type trafficChart = chart.Chart

// growthChart is the users registered and the live torrents at the end of
// each day, as two lines on one count axis (templates/stats.html).
type growthChart = chart.Chart

// peersChart is the site's peers per day: the most at once, and the
// seeders and leechers each day ended with (templates/stats.html).
type peersChart = chart.Chart

// The stats page's charts are as wide as the page's content.
const (
	statsChartW                        = 1122
	trafficChartH, growthChH, peersChH = 260, 200, 200
)

// newTrafficChart lays out days (oldest first, days without traffic
// missing) over the days from first to last.
func newTrafficChart(days []projections.TrafficDay, first, last time.Time) trafficChart {
	first, last = first.UTC().Truncate(24*time.Hour), last.UTC().Truncate(24*time.Hour)
	var maxBytes uint64
	byDay := map[time.Time]projections.TrafficDay{}
	for _, d := range days {
		byDay[d.Day] = d
		maxBytes = max(maxBytes, d.Uploaded, d.Downloaded)
	}
	up, down := chart.Style{Color: chart.Green}, chart.Style{Color: chart.Red}
	c := chart.New(chart.Spec{ID: "traffic-chart", Title: "Credited upload and download per day", W: statsChartW, H: trafficChartH,
		Y: chart.Bytes(maxBytes), YTitle: "bytes",
		Legend: []chart.Key{{Style: up, Label: "Uploaded (credited)", Shape: "box"}, {Style: down, Label: "Downloaded (credited)", Shape: "box"}}})
	n := int(last.Sub(first)/(24*time.Hour)) + 1
	slots := c.DaySlots(first, n, 10)
	barW := max(1, slots.Width()*0.4)
	for i := range max(n, 0) {
		day := first.AddDate(0, 0, i)
		d, ok := byDay[day]
		if !ok {
			continue
		}
		x := slots.X(i) + slots.Width()*0.1
		c.Marks = append(c.Marks, chart.Mark{Rects: []chart.Rect{c.Bar(x, barW, c.Y(float64(d.Uploaded)), up.Color), c.Bar(x+barW, barW, c.Y(float64(d.Downloaded)), down.Color)},
			Title: day.Format("2006-01-02") + ": " + formatBytes(d.Uploaded) + " up, " + formatBytes(d.Downloaded) + " down credited (" +
				formatBytes(d.RawUp) + " / " + formatBytes(d.RawDown) + " transferred)"})
	}
	if len(c.Marks) == 0 {
		c.Note = "No traffic in this period yet."
	}
	return c
}

// newGrowthChart lays out days (oldest first, one per day).
func newGrowthChart(days []projections.GrowthDay) growthChart {
	top := 1
	for _, d := range days {
		top = max(top, d.Users, d.Torrents)
	}
	users, torrents := chart.Style{Color: chart.Blue, Width: 2}, chart.Style{Color: chart.Amber, Width: 2}
	c := chart.New(chart.Spec{ID: "growth-chart", Title: "Registered users and live torrents per day", W: statsChartW, H: growthChH,
		Y: chart.Counts(float64(top)), YTitle: "count",
		Legend: []chart.Key{{Style: users, Label: "Users"}, {Style: torrents, Label: "Torrents"}}})
	if len(days) == 0 {
		c.YTicks = nil
		return c
	}
	x := c.Days(days[0].Day, days[len(days)-1].Day, 10)
	var us, ts []chart.Point
	for _, d := range days {
		dx := x.X(d.Day)
		us = append(us, chart.Point{X: dx, Y: c.Y(float64(d.Users))})
		ts = append(ts, chart.Point{X: dx, Y: c.Y(float64(d.Torrents))})
		c.Marks = append(c.Marks, chart.Mark{Dots: []chart.Dot{{X: dx, Y: c.Y(float64(d.Users)), Fill: users.Color}, {X: dx, Y: c.Y(float64(d.Torrents)), Fill: torrents.Color}},
			Title: d.Day.Format("2006-01-02") + ": " + strconv.Itoa(d.Users) + " users, " + strconv.Itoa(d.Torrents) + " torrents"})
	}
	c.AddLine(torrents, ts)
	c.AddLine(users, us)
	return c
}

// newPeersChart lays out days (oldest first, one per day).
func newPeersChart(days []projections.PeersDay) peersChart {
	top := 1
	for _, d := range days {
		top = max(top, d.Peak, d.Seeders, d.Leechers)
	}
	peak := chart.Style{Color: chart.Blue, Width: 1, Dash: "4 3"}
	seeders, leechers := chart.Style{Color: chart.Green, Width: 2}, chart.Style{Color: chart.Red, Width: 2}
	c := chart.New(chart.Spec{ID: "peers-chart", Title: "Peers per day", W: statsChartW, H: peersChH,
		Y: chart.Counts(float64(top)), YTitle: "peers",
		Legend: []chart.Key{{Style: seeders, Label: "Seeders at the day's end"}, {Style: leechers, Label: "Leechers at the day's end"},
			{Style: peak, Label: "Most peers at once"}}})
	if len(days) == 0 {
		c.YTicks = nil
		return c
	}
	x := c.Days(days[0].Day, days[len(days)-1].Day, 10)
	var ps, ss, ls []chart.Point
	for _, d := range days {
		dx := x.X(d.Day)
		ps = append(ps, chart.Point{X: dx, Y: c.Y(float64(d.Peak))})
		ss = append(ss, chart.Point{X: dx, Y: c.Y(float64(d.Seeders))})
		ls = append(ls, chart.Point{X: dx, Y: c.Y(float64(d.Leechers))})
		c.Marks = append(c.Marks, chart.Mark{Dots: []chart.Dot{{X: dx, Y: c.Y(float64(d.Seeders)), Fill: seeders.Color}, {X: dx, Y: c.Y(float64(d.Leechers)), Fill: leechers.Color}},
			Title: d.Day.Format("2006-01-02") + ": seeders " + strconv.Itoa(d.Seeders) + ", leechers " + strconv.Itoa(d.Leechers) +
				" at the end; at most " + strconv.Itoa(d.Peak) + " peers at once"})
	}
	c.AddLine(peak, ps)
	c.AddLine(leechers, ls)
	c.AddLine(seeders, ss)
	return c
}
