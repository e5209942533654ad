package chart

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func TestNiceStep(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{
		{0, 1}, {-3, 1}, {math.NaN(), 1}, {math.Inf(1), 1},
		{1, 1}, {1.2, 2}, {2, 2}, {2.1, 5}, {5, 5}, {5.5, 10}, {7.5, 10}, {10, 10},
		{0.3, 0.5}, {0.25, 0.5}, {0.1, 0.1}, {0.11, 0.2}, {72.5, 100}, {150, 200}, {2500, 5000},
		{0.30000000000000004, 0.5}, {0.2 * 3, 1},
	} {
		if got := NiceStep(c.in); math.Abs(got-c.want) > 1e-9*c.want {
			t.Errorf("NiceStep(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func labels(a Axis) string {
	var ls []string
	for _, v := range a.Values() {
		ls = append(ls, a.Label(v))
	}
	return strings.Join(ls, ",")
}

// Each axis reaches at least its largest value, in about four round
// steps, labelled in its unit.
func TestAxes(t *testing.T) {
	for _, c := range []struct {
		name string
		axis Axis
		want string
	}{
		{"no count", Counts(0), "0,1"},
		{"one", Counts(1), "0,1"},
		{"three", Counts(3), "0,1,2,3"},
		{"five", Counts(5), "0,2,4,6"},
		{"eight", Counts(8), "0,2,4,6,8"},
		{"290", Counts(290), "0,100,200,300"},
		{"1234", Counts(1234), "0,500,1000,1500"},
		{"ratio 1", Numbers(1), "0,0.5,1"},
		{"ratio 3", Numbers(3), "0,1,2,3"},
		{"ratio 0.6", Numbers(0.6), "0,0.2,0.4,0.6"},
		{"ratio 20", Numbers(20), "0,5,10,15,20"},
		{"no ratio", Numbers(0), "0,0.5,1"},
		{"no bytes", Bytes(0), "0 B,1 B"},
		{"bytes", Bytes(700), "0 B,200 B,400 B,600 B,800 B"},
		{"KiB", Bytes(3 << 10), "0 KiB,1 KiB,2 KiB,3 KiB"},
		{"9 GiB", Bytes(9 << 30), "0 GiB,5 GiB,10 GiB"},
		{"1.5 GiB", Bytes(3 << 29), "0 GiB,0.5 GiB,1 GiB,1.5 GiB"},
		{"150 GiB", Bytes(150 << 30), "0 GiB,50 GiB,100 GiB,150 GiB"},
		{"2 TiB", Bytes(2 << 40), "0 TiB,0.5 TiB,1 TiB,1.5 TiB,2 TiB"},
	} {
		if got := labels(c.axis); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

var t0 = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func format(ts []time.Time, layout string) string {
	var ls []string
	for _, t := range ts {
		ls = append(ls, t.Format(layout))
	}
	return strings.Join(ls, ",")
}

// Day ticks start with the first day and skip days evenly to stay at most
// the count asked for.
func TestDayTicks(t *testing.T) {
	for _, c := range []struct {
		days, most int
		want       string
	}{
		{1, 8, "Nov 1"},
		{3, 8, "Nov 1,Nov 2,Nov 3"},
		{8, 8, "Nov 1,Nov 2,Nov 3,Nov 4,Nov 5,Nov 6,Nov 7,Nov 8"},
		{9, 8, "Nov 1,Nov 3,Nov 5,Nov 7,Nov 9"},
		{30, 10, "Nov 1,Nov 4,Nov 7,Nov 10,Nov 13,Nov 16,Nov 19,Nov 22,Nov 25,Nov 28"},
		{30, 8, "Nov 1,Nov 5,Nov 9,Nov 13,Nov 17,Nov 21,Nov 25,Nov 29"},
		{5, 0, "Nov 1"}, // at least one
	} {
		if got := format(DayTicks(t0, t0.AddDate(0, 0, c.days-1), c.most), "Jan 2"); got != c.want {
			t.Errorf("%d days, at most %d: %s, want %s", c.days, c.most, got, c.want)
		}
	}
	if got := DayTicks(t0, t0.AddDate(0, 0, -1), 8); got != nil {
		t.Errorf("no days: %v", got)
	}
}

// Time ticks are round instants inside the span, at most the count asked
// for, labelled by what tells them apart.
func TestTimeTicks(t *testing.T) {
	at := func(h, m int) time.Time { return t0.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	for _, c := range []struct {
		from, to time.Time
		most     int
		want     string
	}{
		{at(10, 2), at(10, 4), 8, "10:02,10:04"},                          // too short for a round one: both ends
		{at(10, 2), at(10, 2), 8, "10:02"},                                // no span
		{at(10, 2), at(10, 31), 8, "10:05,10:10,10:15,10:20,10:25,10:30"}, // five minutes
		{at(10, 0), at(14, 0), 8, "10:00,11:00,12:00,13:00,14:00"},        // half hours would make nine
		{at(10, 0), at(14, 0), 9, "10:00,10:30,11:00,11:30,12:00,12:30,13:00,13:30,14:00"},
		{at(10, 0), at(34, 0), 8, "Nov 1 12:00,Nov 1 15:00,Nov 1 18:00,Nov 1 21:00,Nov 2 00:00,Nov 2 03:00,Nov 2 06:00,Nov 2 09:00"},
		{at(10, 0), at(58, 0), 8, "Nov 1 12:00,Nov 1 18:00,Nov 2 00:00,Nov 2 06:00,Nov 2 12:00,Nov 2 18:00,Nov 3 00:00,Nov 3 06:00"},
		{at(12, 0), at(12+30*24, 0), 8, "Nov 2,Nov 6,Nov 10,Nov 14,Nov 18,Nov 22,Nov 26,Nov 30"},
		{at(0, 0), at(17*24, 0), 6, "Nov 1,Nov 4,Nov 7,Nov 10,Nov 13,Nov 16"},
	} {
		ts, layout := TimeTicks(c.from, c.to, c.most)
		got := format(ts, layout)
		if got != c.want || len(ts) > max(c.most, 2) {
			t.Errorf("%v to %v, at most %d: %s, want %s", c.from, c.to, c.most, got, c.want)
		}
	}
}

// A time scale clips what is outside its span and puts a span of no
// length in the middle; slots divide the plot evenly.
func TestScales(t *testing.T) {
	s := TimeScale{From: t0, To: t0.Add(10 * time.Hour), Left: 100, Right: 200}
	for _, c := range []struct {
		at   time.Time
		want float64
	}{
		{t0, 100}, {t0.Add(5 * time.Hour), 150}, {t0.Add(10 * time.Hour), 200}, {t0.Add(-time.Hour), 100}, {t0.Add(11 * time.Hour), 200},
		{t0.Add(time.Hour / 3), 103.3},
	} {
		if got := s.X(c.at); got != c.want {
			t.Errorf("X(%v) = %v, want %v", c.at, got, c.want)
		}
	}
	if got := (TimeScale{From: t0, To: t0, Left: 100, Right: 200}).X(t0.Add(time.Hour)); got != 150 {
		t.Errorf("a lone day at %v", got)
	}
	sl := Slots{First: t0, N: 4, Left: 100, Right: 300}
	if sl.Width() != 50 || sl.X(0) != 100 || sl.X(3) != 250 {
		t.Errorf("slots: %v wide, at %v and %v", sl.Width(), sl.X(0), sl.X(3))
	}
	c := New(Spec{W: 500, H: 200, Y: Counts(4)})
	for v, want := range map[float64]float64{0: c.Bot, 4: c.Top, 2: (c.Bot + c.Top) / 2, -1: c.Bot, 9: c.Top} {
		if got := c.Y(v); math.Abs(got-want) > 0.05 {
			t.Errorf("Y(%v) = %v, want %v", v, got, want)
		}
	}
}

// A step line holds each value until the next point's x.
func TestSteps(t *testing.T) {
	got := fmt.Sprint(Steps(0, 10, []Point{{2, 5}, {4, 7}}, 9))
	if want := "[{0 10} {2 10} {2 5} {4 5} {4 7} {9 7}]"; got != want {
		t.Errorf("%s, want %s", got, want)
	}
	if got := fmt.Sprint(Steps(0, 10, nil, 9)); got != "[{0 10} {9 10}]" {
		t.Errorf("no points: %s", got)
	}
}

// The plot leaves room for the widest label of each axis and the legend's
// row, keys follow each other without overlapping, labels at the edges
// stay inside, and the lines are points in the viewBox.
func TestLayout(t *testing.T) {
	r := Numbers(20)
	c := New(Spec{ID: "c", Title: "T", W: 800, H: 200, Y: Bytes(150 << 30), YTitle: "bytes", R: &r, RTitle: "ratio",
		Legend: []Key{{Label: "Uploaded (credited)"}, {Label: "Downloaded (credited)"}}})
	if c.LabelX()-textWidth("150 GiB") < 0 || c.RLabelX()+textWidth("ratio") > c.W || c.Top < c.TitleY() || c.XLabelY()+4 > c.H {
		t.Errorf("the plot [%v %v] x [%v %v] leaves no room for the labels", c.Left, c.Right, c.Top, c.Bot)
	}
	if k := c.Legend; k[0].X <= c.Left || k[1].X < k[0].TextX()+textWidth(k[0].Label) {
		t.Errorf("the legend overlaps: %+v", k)
	}
	c.Days(t0, t0.AddDate(0, 0, 59), 30)
	if n := len(c.XTicks); n < 5 || float64(n)*(textWidth("Jan 22")+16) > c.PlotW() {
		t.Errorf("%d date labels under %v", n, c.PlotW())
	}
	c.XTicks = nil
	for _, x := range []float64{1, 400, 700, 799} {
		c.xTick(x, "Nov 30 12:00")
	}
	if a := c.XTicks; len(a) != 3 || a[0].Anchor != "start" || a[1].Anchor != "middle" || a[2].At != 700 {
		t.Errorf("anchors %+v: the first kept inside, the last left out for running into the one before", a)
	}
	c.AddLine(Style{Color: Green, Width: 2}, []Point{{1.04, 2}, {3.25, 4.96}})
	c.AddLine(Style{}, nil)
	if len(c.Lines) != 1 || c.Lines[0].Points != "1,2 3.3,5" {
		t.Errorf("lines %+v", c.Lines)
	}
	if c.Labelled() != "c-title" {
		t.Errorf("labelled by %q", c.Labelled())
	}
}
