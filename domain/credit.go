package domain

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"time"
)

// Counters are the cumulative amounts a client reports for one peer session.
type Counters struct {
	Uploaded   uint64
	Downloaded uint64
}

// Credit is what one announce adds to a user's totals.
type Credit struct {
	RawUp, RawDown           uint64 // bytes the client claims it transferred since the previous announce of the session
	CreditedUp, CreditedDown uint64 // what is credited: the claims within Bounds, then the torrent's factors
	NewSession               bool   // the announce started a session and credits nothing
	Caps                     Caps   // why less than the claim was credited, if it was
}

// Caps say why an announce credited less than it claimed. Each is recorded
// in the announce event, so a capped claim is never silently dropped.
type Caps uint8

const (
	// CapUpRate: upload claimed faster than the maximum rate allows.
	CapUpRate Caps = 1 << iota
	// CapDownRate: download claimed faster than the maximum rate allows.
	CapDownRate
	// CapDownSize: download claimed beyond the torrent's size in one session.
	CapDownSize
	// CapUpEmpty: upload claimed while no leecher of another user was in
	// the swarm since the previous announce: nobody was there to receive it.
	CapUpEmpty
	capsLimit
)

var capNames = [...]string{"up_rate", "down_rate", "down_size", "up_empty"}

// Names lists the caps' stable names ("up_rate", ...), in bit order.
func (c Caps) Names() []string {
	var out []string
	for i, n := range capNames {
		if c&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// RateSlack is added to the time since the previous announce when bounding
// a claim by the maximum rate: a client reads its counters a moment before
// its announce arrives.
const RateSlack = time.Second

// DefaultMaxRate bounds what one peer may claim per second each way:
// 2 GiB/s, about 17 Gbit/s, which a seedbox on a 10 Gbit/s line never
// reaches. Above it a claim cannot be true.
const DefaultMaxRate = 2 << 30

// Bounds are what was physically possible for one announce of a session.
type Bounds struct {
	MaxRate uint64        // bytes per second, each way; 0: DefaultMaxRate
	Elapsed time.Duration // since the peer's previous announce
	Size    uint64        // the torrent's size: the most a session may download (0: unknown, no bound)
	// Leecher: since the previous announce the swarm held, at some moment,
	// a leecher of another user (one that came and left counts).
	Leecher bool
}

// CreditAnnounce decides an announce's credit. The credit is the difference
// to the previous announce of the same peer session. A first announce
// (hasPrev false), a "started" event, or any counter that went down begins a
// new session and credits nothing: a counter reset is never negative credit,
// and bytes are never counted twice.
//
// What is credited is bounded by what was possible (b): each way at most
// MaxRate × (Elapsed + RateSlack); download at most what is left of the
// torrent's size after what the session claimed before (so a session's
// credited download never exceeds the size); upload nothing when no leecher
// of another user was there to receive it. The factors apply after the
// bounds. RawUp and RawDown keep the whole claim, and Caps says why less was
// credited.
func CreditAnnounce(prev Counters, hasPrev, started bool, cur Counters, f Factors, b Bounds) Credit {
	if !hasPrev || started || cur.Uploaded < prev.Uploaded || cur.Downloaded < prev.Downloaded {
		return Credit{NewSession: true}
	}
	c := Credit{RawUp: cur.Uploaded - prev.Uploaded, RawDown: cur.Downloaded - prev.Downloaded}
	up, down := c.RawUp, c.RawDown
	rateCap := b.rateCap()
	if up > rateCap {
		up, c.Caps = rateCap, c.Caps|CapUpRate
	}
	if down > rateCap {
		down, c.Caps = rateCap, c.Caps|CapDownRate
	}
	if room := b.Size - min(prev.Downloaded, b.Size); b.Size > 0 && down > room {
		down, c.Caps = room, c.Caps|CapDownSize
	}
	if up > 0 && !b.Leecher {
		up, c.Caps = 0, c.Caps|CapUpEmpty
	}
	c.CreditedUp, c.CreditedDown = ApplyPercent(up, f.UploadPercent), ApplyPercent(down, f.DownloadPercent)
	return c
}

// rateCap is the most one announce may credit each way: MaxRate bytes per
// second over the time since the previous announce and the slack, without
// overflow.
func (b Bounds) rateCap() uint64 {
	rate := b.MaxRate
	if rate == 0 {
		rate = DefaultMaxRate
	}
	ms := uint64(max(b.Elapsed, 0)+RateSlack) / uint64(time.Millisecond)
	hi, lo := bits.Mul64(rate, ms)
	if hi >= 1000 {
		return math.MaxUint64
	}
	q, _ := bits.Div64(hi, lo, 1000)
	return q
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
	// Truncated, as Gazelle shows ratios, after a nudge of a billionth of a
	// hundredth: 29/100 is 0.28999999999999998 as a float, and shows 0.29.
	return strconv.FormatFloat(math.Floor(float64(r)*100+1e-9)/100, 'f', 2, 64)
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
