package loadgen

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

func TestBucketRangeContainsValue(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 100000; i++ {
		v := int64(r.Uint64() >> 1 >> uint(r.IntN(63)))
		lo, hi := bucketRange(bucketOf(v))
		if v < lo || v > hi {
			t.Fatalf("value %d in bucket %d [%d,%d]", v, bucketOf(v), lo, hi)
		}
		if float64(hi-lo) > float64(lo)/subCount+1 {
			t.Fatalf("bucket [%d,%d] wider than 1/%d", lo, hi, subCount)
		}
	}
	if bucketOf(math.MaxInt64) >= histLen {
		t.Fatalf("max value bucket %d beyond %d", bucketOf(math.MaxInt64), histLen)
	}
}

func TestHistogramQuantilesMatchSortedSample(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var h Histogram
	var sample []int64
	for i := 0; i < 200000; i++ {
		v := int64(r.ExpFloat64() * 1e6) // exponential, mean 1 ms
		sample = append(sample, v)
		h.Record(time.Duration(v))
	}
	sort.Slice(sample, func(i, j int) bool { return sample[i] < sample[j] })
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999, 1} {
		want := sample[int(math.Ceil(q*float64(len(sample))))-1]
		got := int64(h.Quantile(q))
		if got < want || float64(got-want) > float64(want)/subCount+1 {
			t.Errorf("q%.3f = %d, sorted sample says %d", q, got, want)
		}
	}
	if h.Max() != time.Duration(sample[len(sample)-1]) || h.Min() != time.Duration(sample[0]) {
		t.Errorf("min/max %v/%v, want %d/%d", h.Min(), h.Max(), sample[0], sample[len(sample)-1])
	}
	if h.Count() != uint64(len(sample)) {
		t.Errorf("count %d", h.Count())
	}
}

func TestHistogramMergeAndEmpty(t *testing.T) {
	var a, b, empty Histogram
	if empty.Quantile(0.99) != 0 || empty.Max() != 0 || empty.Mean() != 0 {
		t.Fatal("empty histogram must report zeros")
	}
	for i := 1; i <= 100; i++ {
		a.Record(time.Duration(i))
		b.Record(time.Duration(100 + i))
	}
	a.Merge(&b)
	a.Merge(&empty)
	if a.Count() != 200 || a.Min() != 1 || a.Max() != 200 {
		t.Fatalf("merged count/min/max %d/%v/%v", a.Count(), a.Min(), a.Max())
	}
	if got := a.Quantile(0.5); got != 100 {
		t.Errorf("median %v, want 100 (values below 128 are exact)", got)
	}
	if got := a.Mean(); got != 100 { // (1+...+200)/200 = 100.5, truncated
		t.Errorf("mean %v", got)
	}
	a.Record(-5)
	if a.Min() != 0 {
		t.Errorf("negative value must record as 0, min %v", a.Min())
	}
}
