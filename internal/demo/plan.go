package demo

import (
	"math/rand/v2"
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

// Draw is the demo of seed: the plan (people, n torrents over categories)
// for the weeks from start to end, and its simulated history.
func Draw(seed uint64, categories []string, n int, start, end time.Time) (Plan, Result) {
	p := NewPlan(rand.New(rand.NewPCG(seed, streamCatalog)), People(), categories, n, start, end)
	return p, Simulate(rand.New(rand.NewPCG(seed, streamHistory)), p)
}

// NewPlan draws the catalog (n torrents over categories), an uploader for
// each torrent among people (by their Uploads weight) and its factors,
// for the weeks from start to end, all from rng.
func NewPlan(rng *rand.Rand, people []Person, categories []string, n int, start, end time.Time) Plan {
	p := Plan{People: people, Items: Catalog(rng, categories, n), Start: start, End: end}
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
