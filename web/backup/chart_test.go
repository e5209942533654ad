package backup

import (
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
	var xs []string
	for _, p := range strings.Fields(c.Copies) {
		x, _, _ := strings.Cut(p, ",")
		xs = append(xs, x)
	}
	want := "40 40 40 464 464 888 888 888" // the middle of [40, 888]
	if got := strings.Join(xs, " "); got != want {
		t.Errorf("x of the step line: %s, want %s", got, want)
	}
	if len(c.Owner) != 1 || c.Owner[0].X != 464 || c.Owner[0].W != 424 {
		t.Errorf("owner bands: %+v", c.Owner)
	}
	if c.TargetY >= c.Bot || c.TargetY <= c.Top {
		t.Errorf("the N line at %v is outside the plot [%v, %v]", c.TargetY, c.Top, c.Bot)
	}
	if e := newCopiesChart(1, nil, 1, t0); !e.Empty {
		t.Error("no points is not empty")
	}
	// A point before the chart's start (cannot be, but) stays inside.
	c = newCopiesChart(1, pts[:1], 1, t0.Add(-time.Hour))
	for _, p := range strings.Fields(c.Copies) {
		x, _, _ := strings.Cut(p, ",")
		if f, err := strconv.ParseFloat(x, 64); err != nil || f < chartLeft || f > chartRight {
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
