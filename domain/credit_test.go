package domain

import (
	"encoding/json"
	"math"
	"testing"
	"time"
)

func TestCreditAnnounce(t *testing.T) {
	prev := Counters{Uploaded: 1000, Downloaded: 500}
	double := Factors{UploadPercent: 200, DownloadPercent: 100}
	free := Factors{UploadPercent: 100, DownloadPercent: 0}
	neutral := Factors{}
	tests := []struct {
		name    string
		hasPrev bool
		started bool
		cur     Counters
		f       Factors
		want    Credit
	}{
		{"first announce credits nothing", false, false, Counters{5000, 5000}, NormalFactors, Credit{NewSession: true}},
		{"started begins a session", true, true, Counters{2000, 600}, NormalFactors, Credit{NewSession: true}},
		{"upload went down: new session", true, false, Counters{999, 600}, NormalFactors, Credit{NewSession: true}},
		{"download went down: new session", true, false, Counters{2000, 499}, NormalFactors, Credit{NewSession: true}},
		{"no change", true, false, prev, NormalFactors, Credit{}},
		{"delta credited", true, false, Counters{1500, 700}, NormalFactors, Credit{RawUp: 500, RawDown: 200, CreditedUp: 500, CreditedDown: 200}},
		{"double upload", true, false, Counters{1500, 700}, double, Credit{RawUp: 500, RawDown: 200, CreditedUp: 1000, CreditedDown: 200}},
		{"freeleech", true, false, Counters{1500, 700}, free, Credit{RawUp: 500, RawDown: 200, CreditedUp: 500, CreditedDown: 0}},
		{"neutral", true, false, Counters{1500, 700}, neutral, Credit{RawUp: 500, RawDown: 200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CreditAnnounce(prev, tt.hasPrev, tt.started, tt.cur, tt.f, roomy)
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// roomy bounds cap nothing: a leecher was there, time enough, size enough.
var roomy = Bounds{Elapsed: time.Hour, Size: 1 << 40, Leecher: true}

func TestCreditBounds(t *testing.T) {
	const gib = 1 << 30
	prev := Counters{Uploaded: 1000, Downloaded: 500}
	double := Factors{UploadPercent: 200, DownloadPercent: 100}
	free := Factors{UploadPercent: 100, DownloadPercent: 0}
	for _, tt := range []struct {
		name string
		cur  Counters
		f    Factors
		b    Bounds
		want Credit
	}{
		{"8 EiB claimed in a minute: the rate caps both ways",
			Counters{1000 + 1<<63, 500 + 1<<63}, NormalFactors, Bounds{Elapsed: time.Minute, Leecher: true},
			Credit{RawUp: 1 << 63, RawDown: 1 << 63, CreditedUp: 61 * DefaultMaxRate, CreditedDown: 61 * DefaultMaxRate, Caps: CapUpRate | CapDownRate}},
		{"a configured rate over 10 s (and the slack)",
			Counters{1000 + 5000, 500 + 5000}, NormalFactors, Bounds{MaxRate: 100, Elapsed: 10 * time.Second, Leecher: true},
			Credit{RawUp: 5000, RawDown: 5000, CreditedUp: 1100, CreditedDown: 1100, Caps: CapUpRate | CapDownRate}},
		{"just at the rate: nothing capped",
			Counters{1000 + 1100, 500 + 1100}, NormalFactors, Bounds{MaxRate: 100, Elapsed: 10 * time.Second, Leecher: true},
			Credit{RawUp: 1100, RawDown: 1100, CreditedUp: 1100, CreditedDown: 1100}},
		{"a zero interval still has the slack",
			Counters{1000 + 2*gib, 500}, NormalFactors, Bounds{Leecher: true},
			Credit{RawUp: 2 * gib, CreditedUp: DefaultMaxRate}},
		{"download beyond the size: only the rest of the size",
			Counters{1000, 500 + 10*gib}, NormalFactors, Bounds{Elapsed: time.Hour, Size: 1000, Leecher: true},
			Credit{RawDown: 10 * gib, CreditedDown: 500, Caps: CapDownSize}},
		{"a session that claimed the size already gets no more",
			Counters{1000, 500 + 10}, NormalFactors, Bounds{Elapsed: time.Hour, Size: 400, Leecher: true},
			Credit{RawDown: 10, Caps: CapDownSize}},
		{"size unknown: no size bound",
			Counters{1000, 500 + 10*gib}, NormalFactors, Bounds{Elapsed: time.Hour, Leecher: true},
			Credit{RawDown: 10 * gib, CreditedDown: 10 * gib}},
		{"upload into an empty swarm credits nothing",
			Counters{1000 + 700, 500 + 50}, NormalFactors, Bounds{Elapsed: time.Hour, Size: 1 << 20},
			Credit{RawUp: 700, RawDown: 50, CreditedDown: 50, Caps: CapUpEmpty}},
		{"no upload claimed into an empty swarm: nothing capped",
			Counters{1000, 500 + 50}, NormalFactors, Bounds{Elapsed: time.Hour, Size: 1 << 20},
			Credit{RawDown: 50, CreditedDown: 50}},
		{"a leecher who came and left between two announces: full credit",
			Counters{1000 + 700, 500}, NormalFactors, Bounds{Elapsed: time.Hour, Size: 1 << 20, Leecher: true},
			Credit{RawUp: 700, CreditedUp: 700}},
		{"factors apply after the caps: double upload of the capped amount",
			Counters{1000 + 5000, 500}, double, Bounds{MaxRate: 100, Elapsed: 10 * time.Second, Leecher: true},
			Credit{RawUp: 5000, CreditedUp: 2200, Caps: CapUpRate}},
		{"freeleech of a download capped at the size",
			Counters{1000, 500 + 5000}, free, Bounds{Elapsed: time.Hour, Size: 1000, Leecher: true},
			Credit{RawDown: 5000, Caps: CapDownSize}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := CreditAnnounce(prev, true, false, tt.cur, tt.f, tt.b); got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	if got := (CapUpRate | CapUpEmpty).Names(); len(got) != 2 || got[0] != "up_rate" || got[1] != "up_empty" {
		t.Fatalf("Names = %v", got)
	}
}

func TestApplyPercent(t *testing.T) {
	tests := []struct {
		n       uint64
		percent uint16
		want    uint64
	}{
		{0, 100, 0},
		{1000, 100, 1000},
		{1000, 0, 0},
		{1000, 150, 1500},
		{3, 50, 1}, // rounds down
		{math.MaxUint64, 100, math.MaxUint64},
		{math.MaxUint64, 1000, math.MaxUint64}, // saturates
		{math.MaxUint64 / 10, 1000, math.MaxUint64 / 10 * 10},
	}
	for _, tt := range tests {
		if got := ApplyPercent(tt.n, tt.percent); got != tt.want {
			t.Errorf("ApplyPercent(%d, %d) = %d, want %d", tt.n, tt.percent, got, tt.want)
		}
	}
}

func TestRatio(t *testing.T) {
	for _, tt := range []struct {
		up, down   uint64
		want       Ratio
		text, json string
	}{
		{0, 0, 0, "0.00", "0"},
		{10, 0, InfiniteRatio, "∞", `"inf"`},
		{10, 20, 0.5, "0.50", "0.5"},
		{30, 10, 3, "3.00", "3"},
		{999, 1000, 0.999, "0.99", "0.999"},
		{29, 100, 0.29, "0.29", "0.29"},
		{57, 100, 0.57, "0.57", "0.57"},
	} {
		got := RatioOf(tt.up, tt.down)
		if got != tt.want || got.String() != tt.text {
			t.Errorf("RatioOf(%d, %d) = %v (%s), want %v (%s)", tt.up, tt.down, float64(got), got, float64(tt.want), tt.text)
		}
		b, err := json.Marshal(got)
		if err != nil || string(b) != tt.json {
			t.Errorf("RatioOf(%d, %d) in JSON is %s (%v), want %s", tt.up, tt.down, b, err, tt.json)
		}
		var back Ratio
		if err := json.Unmarshal(b, &back); err != nil || back != got {
			t.Errorf("%s read back as %v (%v)", b, back, err)
		}
	}
	if RatioOf(1, 0).Infinite() != true || RatioOf(0, 0).Infinite() {
		t.Error("Infinite is wrong")
	}
}

func TestSeedTime(t *testing.T) {
	const m = time.Minute
	for _, c := range []struct {
		name       string
		prev       PeerState
		newSession bool
		ev         AnnounceEvent
		since      time.Duration
		want       time.Duration
	}{
		{"seeder re-announces", PeerSeeder, false, EventNone, 30 * m, 30 * m},
		{"seeder stops", PeerSeeder, false, EventStopped, 5 * m, 5 * m},
		{"leecher completes: that interval is leeching", PeerLeecher, false, EventCompleted, 30 * m, 0},
		{"new peer", PeerAbsent, true, EventStarted, 30 * m, 0},
		{"seeder restarts its counters", PeerSeeder, true, EventNone, 30 * m, 0},
		{"reap", PeerSeeder, false, EventReaped, 60 * m, 0},
		{"longest interval counts", PeerSeeder, false, EventNone, MaxSeedInterval, MaxSeedInterval},
		{"longer silence does not", PeerSeeder, false, EventNone, MaxSeedInterval + time.Millisecond, 0},
		{"clock went back", PeerSeeder, false, EventNone, -m, 0},
	} {
		if got := SeedTime(c.prev, c.newSession, c.ev, c.since); got != c.want {
			t.Errorf("%s: SeedTime = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestStateAfter(t *testing.T) {
	for _, c := range []struct {
		ev   AnnounceEvent
		left uint64
		want PeerState
	}{
		{EventStarted, 10, PeerLeecher}, {EventNone, 0, PeerSeeder}, {EventCompleted, 0, PeerSeeder},
		{EventPaused, 5, PeerLeecher}, {EventStopped, 0, PeerAbsent}, {EventReaped, 7, PeerAbsent},
	} {
		a := Announce{Event: c.ev, Left: c.left}
		if got := a.StateAfter(); got != c.want {
			t.Errorf("%v with left %d: %v, want %v", c.ev, c.left, got, c.want)
		}
	}
}
