package backup

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	readbackup "github.com/djembe/djembe/projections/backup"
)

// The chart draws its points in time order, every x inside the plot, runs
// to the last point when it is ahead of the clock, and bands the owner's
// seeding from its start to its end (or to the right edge).
func TestCopiesChart(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	pts := []readbackup.CopiesPoint{
		{At: t0, Copies: 0},
		{At: t0.Add(2 * time.Hour), Copies: 2, OwnerSeeding: true}, // recorded before the next, stamped after
		{At: t0.Add(time.Hour), Copies: 1, OwnerSeeding: true},
	}
	c := newCopiesChart(1, pts, 2, t0.Add(time.Hour)) // the clock behind the last point
	if c.Empty {
		t.Fatal("empty")
	}
	if len(c.Lines) != 1 {
		t.Fatalf("%d lines, want the copies' step line", len(c.Lines))
	}
	num := func(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
	var xs []string
	for _, p := range strings.Fields(c.Lines[0].Points) {
		x, _, _ := strings.Cut(p, ",")
		xs = append(xs, x)
	}
	l, m, r := num(c.Left), num((c.Left+c.Right)/2), num(c.Right)
	if got, want := strings.Join(xs, " "), strings.Join([]string{l, l, l, m, m, r, r, r}, " "); got != want {
		t.Errorf("x of the step line: %s, want %s", got, want)
	}
	if len(c.Bands) != 1 || num(c.Bands[0].X) != m || num(c.Bands[0].X+c.Bands[0].W) != r || c.Bands[0].Y <= c.Bot {
		t.Errorf("owner bands: %+v", c.Bands)
	}
	if len(c.Rules) != 1 || c.Rules[0].Y >= c.Bot || c.Rules[0].Y <= c.Top {
		t.Errorf("the N line %+v is outside the plot [%v, %v]", c.Rules, c.Top, c.Bot)
	}
	if len(c.Legend) != 3 || c.Legend[2].Shape != "band" {
		t.Errorf("the legend: %+v", c.Legend)
	}
	if e := newCopiesChart(1, nil, 1, t0); !e.Empty {
		t.Error("no points is not empty")
	}
	// A point before the chart's start (cannot be, but) stays inside.
	c = newCopiesChart(1, pts[:1], 1, t0.Add(-time.Hour))
	for _, p := range strings.Fields(c.Lines[0].Points) {
		x, _, _ := strings.Cut(p, ",")
		if f, err := strconv.ParseFloat(x, 64); err != nil || f < c.Left || f > c.Right {
			t.Errorf("x %s left of the plot", x)
		}
	}
}

// Points as the form writes them become thousandths; what is no number
// is refused.
func TestParsePoints(t *testing.T) {
	for in, want := range map[string]int64{"10": 10_000, " 2.5 ": 2_500, "0": 0, "-3": -3_000, "0.0004": 0} {
		if got, ok := parsePoints(in); !ok || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "ten", "NaN", "Inf", "1e20"} {
		if _, ok := parsePoints(in); ok {
			t.Errorf("%q was read as points", in)
		}
	}
}

// A pager numbers its rows and knows whether a page follows.
func TestPager(t *testing.T) {
	p := newPager("/backup/queue", 2, readbackup.PageSize*2+3, readbackup.PageSize)
	if p.First != readbackup.PageSize+1 || p.Last != 2*readbackup.PageSize || !p.More() || !p.Paged() || p.URL(3) != "/backup/queue?page=3" {
		t.Errorf("%+v", p)
	}
	if e := newPager("/backup/all", 1, 0, 0); e.First != 0 || e.More() || e.Paged() {
		t.Errorf("empty: %+v", e)
	}
}
