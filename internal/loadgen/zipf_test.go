package loadgen

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestZipfProbabilities(t *testing.T) {
	z := NewZipf(1000, 1)
	var h float64
	for k := 1; k <= 1000; k++ {
		h += 1 / float64(k)
	}
	for _, k := range []int{0, 1, 9, 99, 999} {
		want := 1 / float64(k+1) / h
		if got := z.Prob(k); math.Abs(got-want) > 1e-12 {
			t.Errorf("P(%d) = %g, want %g", k, got, want)
		}
	}
	u := NewZipf(10, 0)
	for k := range 10 {
		if math.Abs(u.Prob(k)-0.1) > 1e-12 {
			t.Errorf("s=0 must be uniform: P(%d) = %g", k, u.Prob(k))
		}
	}
}

// The skew the bench relies on: a few big swarms, many small ones.
func TestZipfSampleSkew(t *testing.T) {
	const n, draws = 10000, 1000000
	z := NewZipf(n, 1)
	r := rand.New(rand.NewPCG(7, 7))
	counts := make([]int, n)
	for range draws {
		counts[z.Sample(r)]++
	}
	for _, k := range []int{0, 1, 10, 100} {
		want := z.Prob(k) * draws
		if got := float64(counts[k]); math.Abs(got-want) > 5*math.Sqrt(want)+1 {
			t.Errorf("rank %d drawn %v times, expected about %.0f", k, got, want)
		}
	}
	top10 := 0
	for _, c := range counts[:10] {
		top10 += c
	}
	if share := float64(top10) / draws; share < 0.25 || share > 0.35 { // H(10)/H(10000) ≈ 0.30
		t.Errorf("top 10 of %d torrents hold %.2f of peers, want about 0.30", n, share)
	}
	small := 0
	for _, c := range counts {
		if c < 200 {
			small++
		}
	}
	if small < n*9/10 {
		t.Errorf("only %d of %d swarms are small (< 200 peers)", small, n)
	}
}
