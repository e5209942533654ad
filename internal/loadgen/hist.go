package loadgen

import (
	"math"
	"math/bits"
	"time"
)

// Histogram precision: each power of two is split into 1<<subBits linear
// sub-buckets, so a recorded value is known to within 1/128 (< 0.8%).
const (
	subBits    = 7
	subCount   = 1 << subBits
	histMaxExp = 64 - subBits - 1
	histLen    = subCount + (histMaxExp+1)*subCount
)

// Histogram is an HDR-like log-linear histogram of non-negative durations in
// nanoseconds. Its zero value is ready to use; it is not safe for concurrent
// use (keep one per goroutine and Merge them). Count, Min, Max and Sum are
// exact; quantiles are exact to within the bucket precision.
type Histogram struct {
	counts   []uint64 // allocated on first Record; len histLen
	count    uint64
	min, max int64
	sum      float64
}

// bucketOf maps v >= 0 to its bucket index. Values below subCount have their
// own bucket; above, the index is the exponent and the top subBits+1 bits.
func bucketOf(v int64) int {
	if v < subCount {
		return int(v)
	}
	e := bits.Len64(uint64(v)) - subBits - 1 // v>>e is in [subCount, 2*subCount)
	return subCount + e*subCount + int(uint64(v)>>e) - subCount
}

// bucketRange is the smallest and largest value that map to bucket i.
func bucketRange(i int) (lo, hi int64) {
	if i < subCount {
		return int64(i), int64(i)
	}
	e := (i - subCount) / subCount
	m := int64((i-subCount)%subCount + subCount)
	return m << e, (m+1)<<e - 1
}

// Record adds one value; a negative value is recorded as 0.
func (h *Histogram) Record(d time.Duration) {
	v := max(int64(d), 0)
	if h.counts == nil {
		h.counts = make([]uint64, histLen)
		h.min = math.MaxInt64
	}
	h.counts[bucketOf(v)]++
	h.count++
	h.sum += float64(v)
	h.min = min(h.min, v)
	h.max = max(h.max, v)
}

// Merge adds every value recorded in o.
func (h *Histogram) Merge(o *Histogram) {
	if o.count == 0 {
		return
	}
	if h.counts == nil {
		h.counts = make([]uint64, histLen)
		h.min = math.MaxInt64
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.count += o.count
	h.sum += o.sum
	h.min = min(h.min, o.min)
	h.max = max(h.max, o.max)
}

// Count is the number of values recorded.
func (h *Histogram) Count() uint64 { return h.count }

// Max is the largest value recorded (0 when empty).
func (h *Histogram) Max() time.Duration { return time.Duration(h.max) }

// Min is the smallest value recorded (0 when empty).
func (h *Histogram) Min() time.Duration {
	if h.count == 0 {
		return 0
	}
	return time.Duration(h.min)
}

// Mean is the exact mean (0 when empty).
func (h *Histogram) Mean() time.Duration {
	if h.count == 0 {
		return 0
	}
	return time.Duration(h.sum / float64(h.count))
}

// Quantile returns the value at or below which a fraction q of the values
// lie: the upper end of the bucket holding the ceil(q*count)-th value,
// clamped to [Min, Max]. It returns 0 when empty.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.count == 0 {
		return 0
	}
	q = min(max(q, 0), 1)
	rank := uint64(math.Ceil(q * float64(h.count)))
	rank = max(rank, 1)
	var seen uint64
	for i, c := range h.counts {
		if seen += c; seen >= rank {
			_, hi := bucketRange(i)
			return time.Duration(min(max(hi, h.min), h.max))
		}
	}
	return time.Duration(h.max)
}
