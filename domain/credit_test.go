package domain

import (
	"math"
	"testing"
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
			got := CreditAnnounce(prev, tt.hasPrev, tt.started, tt.cur, tt.f)
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
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
		up, down uint64
		want     float64
	}{{0, 0, 0}, {10, 0, -1}, {10, 20, 0.5}, {30, 10, 3}} {
		if got := Ratio(tt.up, tt.down); got != tt.want {
			t.Errorf("Ratio(%d, %d) = %v, want %v", tt.up, tt.down, got, tt.want)
		}
	}
}
