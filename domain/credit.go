package domain

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
)

// Counters are the cumulative amounts a client reports for one peer session.
type Counters struct {
	Uploaded   uint64
	Downloaded uint64
}

// Credit is what one announce adds to a user's totals.
type Credit struct {
	RawUp, RawDown           uint64 // bytes transferred since the previous announce of the session
	CreditedUp, CreditedDown uint64 // after the torrent's factors
	NewSession               bool   // the announce started a session and credits nothing
}

// CreditAnnounce decides an announce's credit. The credit is the difference
// to the previous announce of the same peer session. A first announce
// (hasPrev false), a "started" event, or any counter that went down begins a
// new session and credits nothing: a counter reset is never negative credit,
// and bytes are never counted twice.
func CreditAnnounce(prev Counters, hasPrev, started bool, cur Counters, f Factors) Credit {
	if !hasPrev || started || cur.Uploaded < prev.Uploaded || cur.Downloaded < prev.Downloaded {
		return Credit{NewSession: true}
	}
	up, down := cur.Uploaded-prev.Uploaded, cur.Downloaded-prev.Downloaded
	return Credit{
		RawUp: up, RawDown: down,
		CreditedUp:   ApplyPercent(up, f.UploadPercent),
		CreditedDown: ApplyPercent(down, f.DownloadPercent),
	}
}

// ApplyPercent returns n*percent/100 rounded down, without overflow
// (saturating at the largest uint64).
func ApplyPercent(n uint64, percent uint16) uint64 {
	hi, lo := bits.Mul64(n, uint64(percent))
	if hi >= 100 {
		return ^uint64(0)
	}
	q, _ := bits.Div64(hi, lo, 100)
	return q
}

// Ratio is uploaded ÷ downloaded, a user's standing on a private tracker.
// With nothing downloaded it is 0 when nothing was uploaded either, and
// infinite (+Inf) when something was: a user who only seeds has the best
// ratio there is, not a missing one. In JSON an infinite ratio is the string
// "inf" (JSON numbers cannot be infinite); every other ratio is a number.
type Ratio float64

// InfiniteRatio is the ratio of a user who uploaded and downloaded nothing.
var InfiniteRatio = Ratio(math.Inf(1))

// RatioOf is the ratio of uploaded to downloaded bytes.
func RatioOf(uploaded, downloaded uint64) Ratio {
	if downloaded == 0 {
		if uploaded == 0 {
			return 0
		}
		return InfiniteRatio
	}
	return Ratio(float64(uploaded) / float64(downloaded))
}

// Infinite reports whether r is the ratio of upload with no download.
func (r Ratio) Infinite() bool { return math.IsInf(float64(r), 1) }

// String is r as people read it: "∞", or two decimals rounded down as
// Gazelle shows them (a ratio of 0.999 is not yet 1.00).
func (r Ratio) String() string {
	if r.Infinite() {
		return "∞"
	}
	return strconv.FormatFloat(math.Floor(float64(r)*100)/100, 'f', 2, 64)
}

// MarshalJSON writes a number, or "inf" for an infinite ratio.
func (r Ratio) MarshalJSON() ([]byte, error) {
	if r.Infinite() {
		return []byte(`"inf"`), nil
	}
	return strconv.AppendFloat(nil, float64(r), 'g', -1, 64), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Ratio) UnmarshalJSON(b []byte) error {
	if string(b) == `"inf"` {
		*r = InfiniteRatio
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("ratio must be a number or \"inf\", got %s", b)
	}
	*r = Ratio(f)
	return nil
}
