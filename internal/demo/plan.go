package demo

import (
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/djembe/djembe/domain"
)

// Sample factors: a few freeleech torrents and a few on double upload.
var (
	Freeleech    = domain.Factors{UploadPercent: 100, DownloadPercent: 0}
	DoubleUpload = domain.Factors{UploadPercent: 200, DownloadPercent: 100}
)

// Streams of a seed: each part of the demo draws from its own, so that
// one part's draws do not change another's.
const (
	streamCatalog = iota + 1
	streamFiles
	streamHistory
	streamDates
	streamSeries
)

// Draw is the demo of seed: the plan (people, about n torrents over
// categories, the plugins' among them) for the weeks from start to end,
// and its simulated history.
func Draw(seed uint64, plugins []Plugin, categories []string, n int, start, end time.Time) (Plan, Result) {
	p := NewPlan(rand.New(rand.NewPCG(seed, streamCatalog)), People(), plugins, categories, n, start, end)
	p.Arrive = seriesArrivals(rand.New(rand.NewPCG(seed, streamSeries)), p)
	return p, Simulate(rand.New(rand.NewPCG(seed, streamHistory)), p)
}

// NewPlan draws the catalog, an uploader for each torrent among people
// (by their Uploads weight) and its factors, for the weeks from start to
// end, all from rng. The catalog is about n torrents: a torrent for each
// plugin's items (Plugin.Items, each plugin's in turn), and the rest
// generic ones over the other categories (at least minGeneric for each of
// them, spread as Catalog spreads them), in a random order, except that
// each plugin's items come in the order its Items gave them, as they are
// to be uploaded.
func NewPlan(rng *rand.Rand, people []Person, plugins []Plugin, categories []string, n int, start, end time.Time) Plan {
	items := pluginItems(rng, plugins)
	generic := genericCategories(categories, plugins)
	items = append(items, Catalog(rng, generic, max(n-len(items), minGeneric*len(generic)))...)
	rng.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	inCatalogueOrder(items)
	p := Plan{People: people, Items: items, Start: start, End: end}
	total := 0.0
	for _, pe := range people {
		total += pe.Uploads
	}
	for range p.Items {
		x, up := rng.Float64()*total, 0
		for u, pe := range people {
			if x -= pe.Uploads; pe.Uploads > 0 && x < 0 {
				up = u
				break
			}
		}
		f := domain.NormalFactors
		switch r := rng.IntN(100); {
		case r < 4:
			f = Freeleech
		case r < 7:
			f = DoubleUpload
		}
		p.Uploader, p.Factors = append(p.Uploader, up), append(p.Factors, f)
	}
	pluginsSay(&p)
	return p
}

// pluginsSay gives the items whose plugin says so their uploader and
// neutral factors, in place of those the plan drew (drawn all the same,
// so the other items' draws stay as they were).
func pluginsSay(p *Plan) {
	for i, it := range p.Items {
		if u := PersonNamed(p.People, it.Uploader); it.Uploader != "" && u >= 0 {
			p.Uploader[i] = u
		}
		if it.Neutral {
			p.Factors[i] = domain.Factors{}
		}
	}
}

// PersonNamed is the index in people of the person named name; -1 when
// nobody is.
func PersonNamed(people []Person, name string) int {
	return slices.IndexFunc(people, func(pe Person) bool { return pe.Name == name })
}

// inCatalogueOrder sorts each plugin's items among the places its items
// hold in items into the order its Items gave them; the generic torrents
// stay where they are.
func inCatalogueOrder(items []Item) {
	at := map[string][]int{} // a plugin's category: the places of its items
	for i, it := range items {
		if it.Ref != nil {
			at[it.Category] = append(at[it.Category], i)
		}
	}
	for _, places := range at {
		sorted := make([]Item, len(places))
		for k, i := range places {
			sorted[k] = items[i]
		}
		slices.SortFunc(sorted, func(a, b Item) int { return a.order - b.order })
		for k, i := range places {
			items[i] = sorted[k]
		}
	}
}

// seriesArrivals draws when each item of a series arrives: as many moments
// of the weeks as the series has items (none in the last three days, as
// the simulation draws them), sorted, in the series' order.
func seriesArrivals(rng *rand.Rand, p Plan) []time.Time {
	series := map[string][]int{} // a series: its items, in plan order
	for i, it := range p.Items {
		if it.Series != "" {
			series[it.Series] = append(series[it.Series], i)
		}
	}
	if len(series) == 0 {
		return nil
	}
	out := make([]time.Time, len(p.Items))
	window := p.End.Sub(p.Start) - 3*24*time.Hour
	for _, name := range slices.Sorted(maps.Keys(series)) {
		items := series[name]
		at := make([]time.Time, len(items))
		for k := range at {
			at[k] = p.Start.Add(time.Duration(rng.Int64N(int64(window))))
		}
		slices.SortFunc(at, time.Time.Compare)
		for k, i := range items {
			out[i] = at[k]
		}
	}
	return out
}
