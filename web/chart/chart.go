// Package chart lays out the site's charts: SVG drawn on the server, by
// one template (web/templates/_chart.html, "chart") from the coordinates a
// Chart holds. It computes the axes (round ticks for counts, ratios and
// bytes; dates and times), places values on them and builds the lines,
// step lines, bars, bands and legend, so a page's chart code is only the
// mapping of its data. Everything drawn is a presentation attribute; no
// style attribute or script (the site's CSP forbids both).
//
// A chart is laid out as wide as the column it is shown in (Spec.W), and
// the stylesheet draws it at the column's width, so a unit of its viewBox
// is a CSS pixel at the site's full width and its text (FontSize) reads at
// the same size on every page.
package chart

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// FontSize is the size of a chart's text, in its viewBox's units.
const FontSize = 12

// The colours the charts share (the stylesheet's --good, --bad, --link,
// --low).
const (
	Green = "#1f7a3a"
	Red   = "#b3261e"
	Blue  = "#24598c"
	Amber = "#b86e00"
)

// Chart is one chart as the "chart" template draws it.
type Chart struct {
	ID, Title, Desc       string // the title's and the description's ids start with ID
	W, H                  float64
	Left, Right, Top, Bot float64 // the plot's edges
	FontSize              int
	YTitle, RTitle        string // the value axes' names, drawn above their labels
	RColor                string // the right axis's labels' colour (its line's)
	YTicks, RTicks        []Tick // At is a y
	XTicks                []Tick // At is an x
	Bands                 []Rect // under the plot
	Rules                 []Rule
	Lines                 []Line
	Marks                 []Mark
	Legend                []Key
	Note                  string // said inside the plot when there is nothing to draw
	Empty                 bool   // nothing to draw: the page says so instead of drawing
	y, r                  Axis
	band                  bool
}

// Tick is a labelled grid line or tick mark.
type Tick struct {
	At     float64
	Label  string
	Anchor string // an x tick's text-anchor: the labels at the edges stay inside
}

// Style is how a line is stroked (or a box filled: Color).
type Style struct {
	Color string
	Width float64
	Dash  string // stroke-dasharray, "" for solid
}

// Point is a point of a line, in the viewBox.
type Point struct{ X, Y float64 }

// Line is a polyline.
type Line struct {
	Style
	Points string
}

// Rule is a horizontal line across the plot at Y (a target).
type Rule struct {
	Style
	Y float64
}

// Rect is a filled rectangle: a bar, or a band under the plot.
type Rect struct {
	X, Y, W, H float64
	Fill       string
}

// Dot is a point marked with a small circle.
type Dot struct {
	X, Y float64
	Fill string
}

// Mark is what one datum draws (its bars or dots) with the tooltip (an
// SVG title) that tells it.
type Mark struct {
	Title string
	Rects []Rect
	Dots  []Dot
}

// Key is one entry of the legend: a swatch of the line's, the bar's or the
// band's Style, and its label. New places it.
type Key struct {
	Style
	Label string
	Shape string // "line", "box" or "band"
	X     float64
}

// Spec is what a chart is laid out from: its size, its value axes and
// their names, and its legend.
type Spec struct {
	ID, Title, Desc string
	W, H            float64
	Y               Axis
	YTitle          string
	R               *Axis // a right axis, nil for none
	RTitle, RColor  string
	Legend          []Key
	Band            bool // leave room for bands under the plot
}

const (
	gap      = 6.0  // between an axis's labels and the plot
	bandRoom = 10.0 // under the plot for a band
)

// New lays out a chart: the plot as wide as the axes' labels leave it,
// under the legend's row, the value axes' ticks and the legend's entries.
func New(s Spec) Chart {
	c := Chart{ID: s.ID, Title: s.Title, Desc: s.Desc, W: s.W, H: s.H, FontSize: FontSize, YTitle: s.YTitle, RTitle: s.RTitle,
		RColor: s.RColor, y: s.Y, band: s.Band}
	if c.RColor == "" {
		c.RColor = Blue
	}
	left := max(textWidth(s.YTitle), 12.0)
	for _, v := range s.Y.Values() {
		left = max(left, textWidth(s.Y.Label(v)))
	}
	c.Left = round1(left + gap + 4)
	c.Right = c.W - 12
	if s.R != nil {
		c.r = *s.R
		right := textWidth(s.RTitle)
		for _, v := range s.R.Values() {
			right = max(right, textWidth(s.R.Label(v)))
		}
		c.Right = round1(c.W - right - gap - 4)
	}
	c.Top = 8
	if len(s.Legend) > 0 || s.YTitle != "" || s.RTitle != "" {
		c.Top = 28
	}
	c.Bot = c.H - 26 // the dates' row, and a little room under it
	if s.Band {
		c.Bot -= bandRoom
	}
	for _, v := range s.Y.Values() {
		c.YTicks = append(c.YTicks, Tick{At: c.Y(v), Label: s.Y.Label(v)})
	}
	if s.R != nil {
		for _, v := range s.R.Values() {
			c.RTicks = append(c.RTicks, Tick{At: c.R(v), Label: s.R.Label(v)})
		}
	}
	x := c.Left + 8
	for _, k := range s.Legend {
		k.X = round1(x)
		c.Legend = append(c.Legend, k)
		x += 26 + textWidth(k.Label) + 22
	}
	return c
}

// Y is where v falls on the left axis (clipped to the plot).
func (c *Chart) Y(v float64) float64 { return round1(c.Bot - (c.Bot-c.Top)*c.y.frac(v)) }

// R is where v falls on the right axis (clipped to the plot).
func (c *Chart) R(v float64) float64 { return round1(c.Bot - (c.Bot-c.Top)*c.r.frac(v)) }

// Days lays the days from first to last (UTC midnights) across the plot,
// a lone day in its middle, and labels at most most of them, the first
// one included.
func (c *Chart) Days(first, last time.Time, most int) TimeScale {
	s := TimeScale{From: first, To: last, Left: c.Left, Right: c.Right}
	most = c.fitting(most, "Jan 22")
	c.XTicks = nil
	for _, d := range DayTicks(first, last, most) {
		c.xTick(s.X(d), d.Format("Jan 2"))
	}
	return s
}

// Times lays the instants from from to to across the plot and labels at
// most most round ones.
func (c *Chart) Times(from, to time.Time, most int) TimeScale {
	s := TimeScale{From: from, To: to, Left: c.Left, Right: c.Right}
	ts, layout := TimeTicks(from, to, most)
	for most > 1 && len(ts) > c.fitting(len(ts), layout) {
		most--
		ts, layout = TimeTicks(from, to, most)
	}
	c.XTicks = nil
	for _, t := range ts {
		c.xTick(s.X(t), t.Format(layout))
	}
	return s
}

// DaySlots divides the plot into a slot a day for the n days from first
// (a bar chart's) and labels at most most of them under their middles,
// the first one included.
func (c *Chart) DaySlots(first time.Time, n, most int) Slots {
	s := Slots{First: first, N: n, Left: c.Left, Right: c.Right}
	if n < 1 {
		return s
	}
	c.XTicks = nil
	for _, d := range DayTicks(first, first.AddDate(0, 0, n-1), c.fitting(most, "Jan 22")) {
		c.xTick(round1(s.X(int(d.Sub(first)/day))+s.Width()/2), d.Format("Jan 2"))
	}
	return s
}

// fitting is the most labels as wide as sample that fit under the plot
// side by side, at most most.
func (c *Chart) fitting(most int, sample string) int {
	return max(1, min(most, int((c.Right-c.Left)/(textWidth(sample)+16))))
}

// xTick adds a tick at x, its label kept inside the chart; a tick whose
// label would run into the one before it (at an edge, where the label is
// pushed aside) is left out.
func (c *Chart) xTick(x float64, label string) {
	anchor, w := "middle", textWidth(label)
	from := x - w/2
	switch {
	case x-w/2 < 2:
		anchor, from = "start", x
	case x+w/2 > c.W-2:
		anchor, from = "end", x-w
	}
	if n := len(c.XTicks); n > 0 {
		p := c.XTicks[n-1]
		end := p.At + textWidth(p.Label)/2
		switch p.Anchor {
		case "start":
			end = p.At + textWidth(p.Label)
		case "end":
			end = p.At
		}
		if from < end+8 {
			return
		}
	}
	c.XTicks = append(c.XTicks, Tick{At: x, Label: label, Anchor: anchor})
}

// AddLine draws points as a line (no points: nothing).
func (c *Chart) AddLine(st Style, pts []Point) {
	if len(pts) == 0 {
		return
	}
	var b strings.Builder
	for i, p := range pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(num(p.X) + "," + num(p.Y))
	}
	c.Lines = append(c.Lines, Line{Style: st, Points: b.String()})
}

// Across is a flat line across the plot at y: a lone day's, so it shows
// as more than a dot.
func (c *Chart) Across(y float64) []Point { return []Point{{c.Left, y}, {c.Right, y}} }

// AddRule draws a horizontal line across the plot at y.
func (c *Chart) AddRule(st Style, y float64) { c.Rules = append(c.Rules, Rule{Style: st, Y: y}) }

// AddBand draws a band under the plot from x0 to x1 (at least a pixel).
func (c *Chart) AddBand(x0, x1 float64, fill string) {
	c.Bands = append(c.Bands, Rect{X: x0, Y: c.Bot + 4, W: round1(max(x1-x0, 1)), H: 6, Fill: fill})
}

// Bar is a bar from the plot's floor up to y, from x and w wide.
func (c *Chart) Bar(x, w, y float64, fill string) Rect {
	return Rect{X: round1(x), Y: y, W: round1(w), H: round1(c.Bot - y), Fill: fill}
}

// Steps is a step line: from (x0, y0), each point's y held until the
// next point's x, then the last held to x1. A count holds until it
// changes, so this is how a count over time is drawn.
func Steps(x0, y0 float64, pts []Point, x1 float64) []Point {
	out := []Point{{x0, y0}}
	prev := y0
	for _, p := range pts {
		out = append(out, Point{p.X, prev}, p)
		prev = p.Y
	}
	return append(out, Point{x1, prev})
}

// Template helpers: where the template puts things (html/template does no
// arithmetic).

func (c Chart) PlotW() float64   { return round1(c.Right - c.Left) }
func (c Chart) PlotH() float64   { return round1(c.Bot - c.Top) }
func (c Chart) LabelX() float64  { return round1(c.Left - gap) }
func (c Chart) RLabelX() float64 { return round1(c.Right + gap) }
func (c Chart) TickBot() float64 { return c.Bot + 4 }
func (c Chart) XLabelY() float64 {
	if c.band {
		return c.Bot + 17 + bandRoom
	}
	return c.Bot + 17
}
func (c Chart) TitleY() float64   { return 17 } // the legend's and the axes' names' baseline
func (c Chart) KeyLineY() float64 { return 12.5 }
func (c Chart) KeyBoxY() float64  { return 7 }
func (c Chart) KeyBandY() float64 { return 9.5 }
func (c Chart) NoteX() float64    { return c.Left + 10 }
func (c Chart) NoteY() float64    { return c.Top + 24 }

// Labelled is the ids the chart's aria-labelledby names.
func (c Chart) Labelled() string {
	if c.Desc != "" {
		return c.ID + "-title " + c.ID + "-desc"
	}
	return c.ID + "-title"
}

// X2 is where a line key's swatch ends.
func (k Key) X2() float64 { return k.X + 20 }

// TextX is where a key's label starts, after its swatch.
func (k Key) TextX() float64 {
	if k.Shape == "box" {
		return k.X + 19
	}
	return k.X + 26
}

// textWidth is about how wide s is drawn at FontSize in Verdana (a wide
// face: about 0.62 of the size a character).
func textWidth(s string) float64 { return float64(utf8.RuneCountInString(s)) * 0.62 * FontSize }

func num(v float64) string { return strconv.FormatFloat(round1(v), 'f', -1, 64) }
