package chart

import (
	"math"
	"time"
)

const day = 24 * time.Hour

// TimeScale places instants from From to To across a plot from Left to
// Right; an instant outside is clipped to the nearer edge, and a scale of
// no length (a lone day) puts everything in the middle.
type TimeScale struct {
	From, To    time.Time
	Left, Right float64
}

// X is where t falls.
func (s TimeScale) X(t time.Time) float64 {
	span := s.To.Sub(s.From)
	if span <= 0 {
		return round1((s.Left + s.Right) / 2)
	}
	f := min(max(float64(t.Sub(s.From))/float64(span), 0), 1)
	return round1(s.Left + f*(s.Right-s.Left))
}

// Slots divides a plot from Left to Right into N equal slots, one a day
// from First: a bar chart's days.
type Slots struct {
	First       time.Time
	N           int
	Left, Right float64
}

// Width is one slot's width.
func (s Slots) Width() float64 { return (s.Right - s.Left) / float64(max(s.N, 1)) }

// X is where slot i starts.
func (s Slots) X(i int) float64 { return s.Left + s.Width()*float64(i) }

// DayTicks are the days from first to last (UTC midnights) to label: the
// first, then every n-th day after it, n the least that keeps them at most
// most.
func DayTicks(first, last time.Time, most int) []time.Time {
	n := int(last.Sub(first)/day) + 1
	if n < 1 {
		return nil
	}
	most = max(most, 1)
	every := (n + most - 1) / most
	var ts []time.Time
	for i := 0; i < n; i += every {
		ts = append(ts, first.AddDate(0, 0, i))
	}
	return ts
}

// timeUnits are the round steps TimeTicks chooses from below a day.
var timeUnits = []time.Duration{5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour}

// TimeTicks are at most most round instants in [from, to] (in UTC: every
// 5 minutes up to every n days, midnights for days), as many as fit, and
// the layout to label them with: the date for days, the time within one
// day, both across days. A span too short for one round instant is
// labelled at both its ends.
func TimeTicks(from, to time.Time, most int) ([]time.Time, string) {
	from, to = from.UTC(), to.UTC()
	most = max(most, 1)
	layout := "Jan 2 15:04"
	if from.Truncate(day).Equal(to.Truncate(day)) {
		layout = "15:04"
	}
	for _, u := range timeUnits {
		if ts := every(from, to, u); len(ts) <= most {
			if len(ts) == 0 {
				ts = []time.Time{from, to}
				if !to.After(from) {
					ts = ts[:1]
				}
			}
			return ts, layout
		}
	}
	for n := max(1, int(to.Sub(from)/day)/most); ; n++ {
		if ts := every(from, to, time.Duration(n)*day); len(ts) <= most {
			return ts, "Jan 2"
		}
	}
}

// every is the multiples of u (of whole days from midnight for a day or
// more) in [from, to].
func every(from, to time.Time, u time.Duration) []time.Time {
	t := from.Truncate(min(u, day))
	if t.Before(from) {
		t = t.Add(min(u, day))
	}
	var ts []time.Time
	for ; !t.After(to); t = t.Add(u) {
		ts = append(ts, t)
	}
	return ts
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
