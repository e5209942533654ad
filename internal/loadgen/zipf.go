package loadgen

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Zipf samples ranks 0..n-1 with probability proportional to 1/(rank+1)^s:
// rank 0 is the most popular. Any s >= 0 is allowed (s = 0 is uniform, s = 1
// the classic Zipf law). It is immutable after NewZipf and safe for
// concurrent use with separate random sources.
type Zipf struct {
	cdf []float64 // cdf[i] = P(rank <= i); cdf[n-1] == 1
}

// NewZipf builds the sampler's cumulative table (n float64s).
func NewZipf(n int, s float64) *Zipf {
	n = max(n, 1)
	cdf := make([]float64, n)
	var total float64
	for i := range cdf {
		total += math.Pow(float64(i+1), -s)
		cdf[i] = total
	}
	for i := range cdf {
		cdf[i] /= total
	}
	cdf[n-1] = 1
	return &Zipf{cdf: cdf}
}

// Prob is the probability of rank i.
func (z *Zipf) Prob(i int) float64 {
	if i == 0 {
		return z.cdf[0]
	}
	return z.cdf[i] - z.cdf[i-1]
}

// Sample draws a rank using r.
func (z *Zipf) Sample(r *rand.Rand) int {
	u := r.Float64()
	return sort.SearchFloat64s(z.cdf, u) // first i with cdf[i] >= u
}
