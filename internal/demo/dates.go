package demo

import (
	"context"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
)

// Dates are when each person joined and each item was uploaded, so that
// the site's "joined", "added", its growth chart and the history agree:
// everyone joins before they first announce or upload, and an item is
// uploaded shortly before its uploader's client first announces it.
type Dates struct {
	Joined []time.Time // per person
	Added  []time.Time // per item
}

// staffLead is how long before the weeks the staff user opened the site.
const staffLead = 45 * 24 * time.Hour

// NewDates draws the dates of plan's people and items from rng, given the
// history's announces (in time order). An item nobody announced is
// uploaded at a random moment of the weeks, or shortly before it arrives
// if it is one of a series, whose items are dated in their order; a person with no announce and
// no upload joins at one.
func NewDates(rng *rand.Rand, p Plan, anns []SimAnnounce) Dates {
	span := p.End.Sub(p.Start)
	d := Dates{Joined: make([]time.Time, len(p.People)), Added: make([]time.Time, len(p.Items))}
	firstOfItem := firstTimes(len(p.Items), anns, func(a SimAnnounce) int { return a.Item })
	firstOfUser := firstTimes(len(p.People), anns, func(a SimAnnounce) int { return a.User })
	lastOfSeries := map[string]time.Time{}
	for i, it := range p.Items {
		lead := between(rng, 2*time.Minute, 40*time.Minute)
		switch t, ok := firstOfItem[i]; {
		case ok:
			d.Added[i] = t.Add(-lead)
		case i < len(p.Arrive) && !p.Arrive[i].IsZero():
			d.Added[i] = p.Arrive[i].Add(-lead)
		default:
			d.Added[i] = p.Start.Add(between(rng, 0, span-24*time.Hour))
		}
		if it.Series != "" {
			if last, ok := lastOfSeries[it.Series]; ok && !d.Added[i].After(last) {
				d.Added[i] = last.Add(time.Second)
			}
			lastOfSeries[it.Series] = d.Added[i]
		}
		u := p.Uploader[i]
		if t, ok := firstOfUser[u]; !ok || d.Added[i].Before(t) {
			firstOfUser[u] = d.Added[i]
		}
	}
	for u, pe := range p.People {
		switch t, ok := firstOfUser[u]; {
		case pe.Staff:
			d.Joined[u] = p.Start.Add(-staffLead)
		case ok:
			d.Joined[u] = t.Add(-between(rng, time.Hour, 5*24*time.Hour))
		default:
			d.Joined[u] = p.Start.Add(between(rng, 0, span-24*time.Hour))
		}
	}
	return d
}

// firstTimes are the time of the first announce of each key of anns (in
// time order) that has one.
func firstTimes(n int, anns []SimAnnounce, key func(SimAnnounce) int) map[int]time.Time {
	out := make(map[int]time.Time, n)
	for _, a := range anns {
		if _, ok := out[key(a)]; !ok {
			out[key(a)] = time.UnixMilli(a.TimeMillis).UTC()
		}
	}
	return out
}

// between is a duration drawn evenly from [lo, hi].
func between(rng *rand.Rand, lo, hi time.Duration) time.Duration {
	return lo + time.Duration(rng.Int64N(int64(hi-lo)+1))
}

// byDate are the indexes 0..len(ts)-1 in the order of ts (stable).
func byDate(ts []time.Time) []int {
	idx := make([]int, len(ts))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return ts[a].Compare(ts[b]) })
	return idx
}

// datedLog is the event log as the demo's write side appends to it: while
// at is set, every event carries that time (eventlog.At) instead of the
// append's, as if it had been made then.
type datedLog struct {
	commands.Log
	at time.Time // zero: the time of the append
}

func (d *datedLog) Append(ctx context.Context, subject string, e domain.Event, opts ...eventlog.AppendOption) (uint64, error) {
	if !d.at.IsZero() {
		opts = append(slices.Clip(opts), eventlog.At(d.at))
	}
	return d.Log.Append(ctx, subject, e, opts...)
}
