package domain

import (
	"fmt"
	"math"
)

// GiB is 2^30 bytes, the unit of the required-ratio table.
const GiB = 1 << 30

// RatioBand is one row of a RatioTable: from From bytes downloaded
// (credited) up to the next band's From, a user must keep a ratio of
// at least Max when they seed nothing of what they snatched, and at least
// Min when they seed all of it.
type RatioBand struct {
	From     uint64
	Max, Min Ratio
}

// RatioTable says what ratio a user must keep, by how much they have
// downloaded: its bands in ascending From, the first from 0. Each band
// holds from its From (inclusive) to the next band's From (exclusive);
// the last holds for any amount above. Validate checks the shape.
type RatioTable []RatioBand

// GazelleRatioTable is what.cd's table, which Gazelle's descendants still
// use. Exactly 5 GiB is in the 5–10 GiB band (Gazelle: downloaded >= 5
// GiB), and exactly 100 GiB in the last band (Gazelle skips that one
// amount, keeping whatever was required before).
var GazelleRatioTable = RatioTable{
	{From: 0, Max: 0, Min: 0},
	{From: 5 * GiB, Max: 0.15, Min: 0},
	{From: 10 * GiB, Max: 0.20, Min: 0},
	{From: 20 * GiB, Max: 0.30, Min: 0.05},
	{From: 30 * GiB, Max: 0.40, Min: 0.10},
	{From: 40 * GiB, Max: 0.50, Min: 0.20},
	{From: 50 * GiB, Max: 0.60, Min: 0.30},
	{From: 60 * GiB, Max: 0.60, Min: 0.40},
	{From: 80 * GiB, Max: 0.60, Min: 0.50},
	{From: 100 * GiB, Max: 0.60, Min: 0.60},
}

// Validate reports what is wrong with a table: none, a first band not
// from 0, bands out of order, or a band whose Min exceeds its Max or whose
// figures are negative or not finite.
func (t RatioTable) Validate() error {
	if len(t) == 0 || t[0].From != 0 {
		return fmt.Errorf("a ratio table needs a first band from 0 bytes downloaded")
	}
	for i, b := range t {
		if i > 0 && b.From <= t[i-1].From {
			return fmt.Errorf("ratio band %d (from %d bytes) does not start after band %d (from %d bytes)", i, b.From, i-1, t[i-1].From)
		}
		if !(b.Min >= 0 && b.Min <= b.Max && !b.Max.Infinite()) {
			return fmt.Errorf("ratio band %d (from %d bytes): need 0 <= min (%v) <= max (%v), both finite", i, b.From, float64(b.Min), float64(b.Max))
		}
	}
	return nil
}

// Band is the band that holds for downloaded bytes: the last whose From is
// at most downloaded. An empty table has none (the zero band: nothing
// required).
func (t RatioTable) Band(downloaded uint64) RatioBand {
	var band RatioBand
	for _, b := range t {
		if b.From > downloaded {
			break
		}
		band = b
	}
	return band
}

// Required is the ratio a user must keep who downloaded downloaded bytes
// (credited) and seeds the share seeded (0 to 1, see ShareSeeded) of what
// they snatched: the band's Max with nothing seeded and its Min with
// everything seeded, interpolated by the share seeded, as the site's
// issue asks:
//
//	required = Max − seeded × (Max − Min)
//
// (Gazelle's own code scales Max by the share not seeded and stops at Min,
// max(Max × (1 − seeded), Min): the same at both ends, lower between them
// in the bands whose Min is above 0.) The result is rounded to four
// decimals, so that a share such as 1/3 gives 0.5 and not
// 0.49999999999999994.
func (t RatioTable) Required(downloaded uint64, seeded float64) Ratio {
	b := t.Band(downloaded)
	seeded = clampShare(seeded)
	r := float64(b.Max) - seeded*float64(b.Max-b.Min)
	return Ratio(math.Round(r*1e4) / 1e4)
}

// ShareSeeded is the share of what a user snatched that they seed: the
// number of torrents they seed now (an active peer with nothing left, on
// a torrent that is not deleted; their own uploads count too, as in
// Gazelle) over the number of torrents they snatched that are not deleted,
// at most 1. With nothing snatched it is 1 when they seed something and 0
// when they seed nothing. Gazelle averages the seeding count over the past
// week, weighting by time seeded; Djembe takes it as the tracker reports
// it now.
func ShareSeeded(seeding, snatched int) float64 {
	switch {
	case seeding <= 0:
		return 0
	case snatched <= 0 || seeding >= snatched:
		return 1
	}
	return float64(seeding) / float64(snatched)
}

func clampShare(s float64) float64 {
	if !(s > 0) { // NaN too
		return 0
	}
	return min(s, 1)
}

// Buffer is how much more a user may download before their ratio falls
// below required, as Gazelle shows it: uploaded ÷ required − downloaded,
// negative when they are below already. With nothing required Gazelle
// shows the upload itself, and so does Buffer. It saturates at the ends
// of int64.
func Buffer(uploaded, downloaded uint64, required Ratio) int64 {
	if !(required > 0) || required.Infinite() {
		return int64(min(uploaded, math.MaxInt64))
	}
	b := float64(uploaded)/float64(required) - float64(downloaded)
	switch {
	case b >= math.MaxInt64:
		return math.MaxInt64
	case b <= math.MinInt64:
		return math.MinInt64
	}
	return int64(b)
}
