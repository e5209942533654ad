package demo_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/djembe/djembe/internal/demo"
)

// TestDatesComeBeforeWhatTheyDate checks, over several seeds, that
// everyone joins before they first announce or upload, that an item is
// uploaded before its first announce and within the hour before it, that
// a series' items are dated in their order, and
// that the users join over the weeks rather than on one day.
func TestDatesComeBeforeWhatTheyDate(t *testing.T) {
	for _, seed := range []uint64{demo.DefaultSeed, 1, 2, 3} {
		p, res := simulate(t, seed)
		d := demo.NewDates(rand.New(rand.NewPCG(seed, 9)), p, res.Announces)
		if len(d.Joined) != len(p.People) || len(d.Added) != len(p.Items) {
			t.Fatalf("seed %d: %d joined, %d added", seed, len(d.Joined), len(d.Added))
		}
		firstItem, firstUser := map[int]time.Time{}, map[int]time.Time{}
		for _, a := range res.Announces {
			at := time.UnixMilli(a.TimeMillis)
			if _, ok := firstItem[a.Item]; !ok {
				firstItem[a.Item] = at
			}
			if _, ok := firstUser[a.User]; !ok {
				firstUser[a.User] = at
			}
		}
		for i, it := range p.Items {
			added := d.Added[i]
			if f, ok := firstItem[i]; ok && (!added.Before(f) || f.Sub(added) > time.Hour) {
				t.Errorf("seed %d: %s added %v, first announced %v", seed, it.Name, added, f)
			}
			if added.Before(p.Start.Add(-time.Hour)) || added.After(p.End) {
				t.Errorf("seed %d: %s added %v, outside the weeks %v–%v", seed, it.Name, added, p.Start, p.End)
			}
			if up := p.Uploader[i]; !d.Joined[up].Before(added) {
				t.Errorf("seed %d: %s uploaded %v by %s, who joined %v", seed, it.Name, added, p.People[up].Name, d.Joined[up])
			}
		}
		lastOfSeries := map[string]time.Time{}
		for i, it := range p.Items {
			if it.Series == "" {
				continue
			}
			if last, ok := lastOfSeries[it.Series]; ok && !d.Added[i].After(last) {
				t.Errorf("seed %d: %s of series %s added %v, not after the one before (%v)", seed, it.Name, it.Series, d.Added[i], last)
			}
			lastOfSeries[it.Series] = d.Added[i]
		}
		if len(lastOfSeries) == 0 {
			t.Errorf("seed %d: no item is one of a series", seed)
		}
		days := map[string]bool{}
		for u, pe := range p.People {
			if f, ok := firstUser[u]; ok && !d.Joined[u].Before(f) {
				t.Errorf("seed %d: %s joined %v, first announced %v", seed, pe.Name, d.Joined[u], f)
			}
			days[d.Joined[u].Format(time.DateOnly)] = true
		}
		if len(days) < len(p.People)/2 {
			t.Errorf("seed %d: %d people joined on only %d days", seed, len(p.People), len(days))
		}
	}
}
