package domain

import "math/bits"

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

// Ratio is uploaded/downloaded; with nothing downloaded it is 0 if nothing
// was uploaded either, else +Inf is avoided by returning -1 ("infinite").
func Ratio(uploaded, downloaded uint64) float64 {
	if downloaded == 0 {
		if uploaded == 0 {
			return 0
		}
		return -1
	}
	return float64(uploaded) / float64(downloaded)
}
