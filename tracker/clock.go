package tracker

import (
	"math"
	"time"
)

// tickMillis is the unit of peer times: a peer's last announce fits in 32
// bits as ticks since the clock's base (13 years of 100ms ticks).
const tickMillis = 100

// clock converts times to ticks. Its base lies a year before the tracker
// was made, so that peers replayed from the recent log have positive ticks;
// anything older is clamped to 0 (and is long due for reaping).
type clock struct {
	now        func() time.Time
	baseMillis int64
}

func newClock(now func() time.Time) clock {
	return clock{now: now, baseMillis: now().Add(-365 * 24 * time.Hour).UnixMilli()}
}

// ticks converts unix milliseconds to ticks, clamped to the uint32 range.
func (c clock) ticks(unixMillis int64) uint32 {
	t := (unixMillis - c.baseMillis) / tickMillis
	return uint32(min(max(t, 0), math.MaxUint32))
}

// durationTicks converts a duration to ticks (at least 1).
func durationTicks(d time.Duration) uint32 {
	return uint32(min(max(d.Milliseconds()/tickMillis, 1), math.MaxUint32))
}
