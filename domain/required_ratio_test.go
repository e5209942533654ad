package domain

import (
	"math"
	"testing"
)

func TestGazelleRatioTableBands(t *testing.T) {
	if err := GazelleRatioTable.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		downloaded uint64
		max, min   Ratio
	}{
		{0, 0, 0},
		{1, 0, 0},
		{5*GiB - 1, 0, 0},
		{5 * GiB, 0.15, 0}, // an edge belongs to the band above it
		{10*GiB - 1, 0.15, 0},
		{10 * GiB, 0.20, 0},
		{20*GiB - 1, 0.20, 0},
		{20 * GiB, 0.30, 0.05},
		{30 * GiB, 0.40, 0.10},
		{40*GiB - 1, 0.40, 0.10},
		{40 * GiB, 0.50, 0.20},
		{50 * GiB, 0.60, 0.30},
		{60 * GiB, 0.60, 0.40},
		{79 * GiB, 0.60, 0.40},
		{80 * GiB, 0.60, 0.50},
		{100*GiB - 1, 0.60, 0.50},
		{100 * GiB, 0.60, 0.60},
		{math.MaxUint64, 0.60, 0.60},
	}
	for _, tt := range tests {
		b := GazelleRatioTable.Band(tt.downloaded)
		if b.Max != tt.max || b.Min != tt.min {
			t.Errorf("band at %d bytes (%.3f GiB): %v/%v, want %v/%v", tt.downloaded, float64(tt.downloaded)/GiB,
				float64(b.Max), float64(b.Min), float64(tt.max), float64(tt.min))
		}
		if got := GazelleRatioTable.Required(tt.downloaded, 0); got != tt.max {
			t.Errorf("required at %d bytes seeding nothing: %v, want %v", tt.downloaded, float64(got), float64(tt.max))
		}
		if got := GazelleRatioTable.Required(tt.downloaded, 1); got != tt.min {
			t.Errorf("required at %d bytes seeding everything: %v, want %v", tt.downloaded, float64(got), float64(tt.min))
		}
	}
}

func TestRequiredRatioByShareSeeded(t *testing.T) {
	tests := []struct {
		name       string
		downloaded uint64
		seeded     float64
		want       Ratio
	}{
		{"under 5 GiB nothing is required", 4 * GiB, 0, 0},
		{"5-10 half seeded", 6 * GiB, 0.5, 0.075},
		{"10-20 a quarter seeded", 15 * GiB, 0.25, 0.15},
		{"20-30 half seeded: half way", 25 * GiB, 0.5, 0.175},
		{"20-30 nearly all seeded: near min", 25 * GiB, 0.9, 0.075},
		{"50-60 a third seeded rounds to 0.5", 55 * GiB, 1.0 / 3, 0.5},
		{"50-60 two thirds seeded", 55 * GiB, 2.0 / 3, 0.4},
		{"80-100 a tenth seeded", 90 * GiB, 0.1, 0.59},
		{"over 100 seeding changes nothing", 200 * GiB, 0.8, 0.60},
		{"a share above 1 counts as 1", 25 * GiB, 3, 0.05},
		{"a negative share counts as 0", 25 * GiB, -1, 0.30},
		{"NaN counts as 0", 25 * GiB, math.NaN(), 0.30},
	}
	for _, tt := range tests {
		if got := GazelleRatioTable.Required(tt.downloaded, tt.seeded); got != tt.want {
			t.Errorf("%s: Required(%d, %v) = %v, want %v", tt.name, tt.downloaded, tt.seeded, float64(got), float64(tt.want))
		}
	}
	if got := (RatioTable{}).Required(100*GiB, 0); got != 0 {
		t.Errorf("an empty table requires %v", float64(got))
	}
}

func TestShareSeeded(t *testing.T) {
	tests := []struct {
		seeding, snatched int
		want              float64
	}{
		{0, 0, 0},
		{0, 10, 0},
		{5, 10, 0.5},
		{10, 10, 1},
		{15, 10, 1}, // own uploads count too, at most everything
		{3, 0, 1},   // seeding with nothing snatched: nothing unseeded
		{-1, 4, 0},
	}
	for _, tt := range tests {
		if got := ShareSeeded(tt.seeding, tt.snatched); got != tt.want {
			t.Errorf("ShareSeeded(%d, %d) = %v, want %v", tt.seeding, tt.snatched, got, tt.want)
		}
	}
}

func TestRatioTableValidate(t *testing.T) {
	tests := []struct {
		name  string
		table RatioTable
		ok    bool
	}{
		{"gazelle", GazelleRatioTable, true},
		{"one band", RatioTable{{From: 0, Max: 0.5, Min: 0.5}}, true},
		{"empty", RatioTable{}, false},
		{"first not from 0", RatioTable{{From: 1}}, false},
		{"out of order", RatioTable{{From: 0}, {From: 10, Max: 0.2}, {From: 5, Max: 0.1}}, false},
		{"a repeated edge", RatioTable{{From: 0}, {From: 5}, {From: 5}}, false},
		{"min above max", RatioTable{{From: 0, Max: 0.1, Min: 0.2}}, false},
		{"negative", RatioTable{{From: 0, Max: 0.1, Min: -0.1}}, false},
		{"infinite", RatioTable{{From: 0, Max: InfiniteRatio}}, false},
		{"NaN", RatioTable{{From: 0, Max: Ratio(math.NaN())}}, false},
	}
	for _, tt := range tests {
		if err := tt.table.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestBuffer(t *testing.T) {
	tests := []struct {
		up, down uint64
		required Ratio
		want     int64
	}{
		{0, 0, 0, 0},
		{3 * GiB, 10 * GiB, 0, 3 * GiB}, // nothing required: Gazelle shows the upload
		{3 * GiB, 10 * GiB, 0.5, -4 * GiB},
		{6 * GiB, 10 * GiB, 0.5, 2 * GiB},
		{1 * GiB, 6 * GiB, 0.25, -2 * GiB},
		{math.MaxUint64, 0, 0.1, math.MaxInt64},
		{0, math.MaxUint64, 0.1, math.MinInt64},
		{math.MaxUint64, 0, 0, math.MaxInt64},
	}
	for _, tt := range tests {
		if got := Buffer(tt.up, tt.down, tt.required); got != tt.want {
			t.Errorf("Buffer(%d, %d, %v) = %d, want %d", tt.up, tt.down, float64(tt.required), got, tt.want)
		}
	}
}
