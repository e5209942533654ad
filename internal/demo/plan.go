package demo

import (
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
)

// Draw is the demo of seed: the plan (people, about n torrents over categories)
// for the weeks from start to end, and its simulated history.
func Draw(seed uint64, categories []string, n int, start, end time.Time) (Plan, Result) {
	p := NewPlan(rand.New(rand.NewPCG(seed, streamCatalog)), People(), categories, n, start, end)
	return p, Simulate(rand.New(rand.NewPCG(seed, streamHistory)), p)
}

// NewPlan draws the catalog, an uploader for each torrent among people
// (by their Uploads weight) and its factors, for the weeks from start to
// end, all from rng. The catalog is about n torrents: a torrent for each
// format of the plugins' catalogues (PluginItems), and the rest generic
// ones over the other categories (at least minGeneric for each of them,
// spread as Catalog spreads them), in a random order, except that each
// plugin's formats come in the order of its catalogue (editions as
// listed, the formats of each as listed), as they are uploaded.
func NewPlan(rng *rand.Rand, people []Person, categories []string, n int, start, end time.Time) Plan {
	items := PluginItems(rng)
	generic := genericCategories(categories)
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
	return p
}

// inCatalogueOrder sorts the music formats among the places music formats
// hold in items, and the movie formats among theirs, into the order of
// their catalogues; the generic torrents stay where they are.
func inCatalogueOrder(items []Item) {
	var musicAt, movieAt []int
	for i, it := range items {
		switch {
		case it.Music != nil:
			musicAt = append(musicAt, i)
		case it.Movie != nil:
			movieAt = append(movieAt, i)
		}
	}
	place := func(at []int, key func(Item) [3]int) {
		sorted := make([]Item, len(at))
		for k, i := range at {
			sorted[k] = items[i]
		}
		slices.SortFunc(sorted, func(a, b Item) int {
			ka, kb := key(a), key(b)
			return slices.Compare(ka[:], kb[:])
		})
		for k, i := range at {
			items[i] = sorted[k]
		}
	}
	place(musicAt, func(it Item) [3]int { return [3]int{it.Music.Album, it.Music.Edition, it.Music.Format} })
	place(movieAt, func(it Item) [3]int { return [3]int{it.Movie.Movie, it.Movie.Edition, it.Movie.Format} })
}
