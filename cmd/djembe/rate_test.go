package main

import "testing"

func TestParseRate(t *testing.T) {
	for in, want := range map[string]uint64{
		"2GiB/s": 2 << 30, "2gib": 2 << 30, "10Gbit/s": 1_250_000_000, "1500000000": 1_500_000_000,
		"100 MB/s": 100_000_000, "0.5KiB": 512, "8bit": 1,
	} {
		if got, err := parseRate(in); err != nil || got != want {
			t.Errorf("parseRate(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "fast", "-1GB", "0", "2 GiBs", "1e400GB", "1bit"} {
		if _, err := parseRate(bad); err == nil {
			t.Errorf("parseRate(%q) accepted", bad)
		}
	}
}
