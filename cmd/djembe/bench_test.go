package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/djembe/djembe/domain"

	"github.com/djembe/djembe/internal/loadgen"
)

func benchEnv() *env {
	return &env{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
}

func TestParseBenchRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--users", "0"}, {"--peers", "0"}, {"--conns", "0"}, {"--mode", "pipelined"},
		{"--duration", "0s"}, {"--rate", "fast"}, {"--rate", "-5"}, {"--skew", "-1"}, {"extra"},
		{"--rounds", "0"},
	} {
		_, _, err := parseBench(benchEnv(), args)
		if domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("%v: got %v, want a refusal", args, err)
		}
	}
	_, c, err := parseBench(benchEnv(), []string{"--peers-only", "1000000", "--mode", "close", "--rate", "half"})
	if err != nil || c.peers != 1000000 || len(c.modes()) != 1 || c.modes()[0] != loadgen.Close || c.openRate() != 0 {
		t.Fatalf("%+v, %v", c, err)
	}
	if _, c, _ := parseBench(benchEnv(), []string{"--rate", "5000"}); c.openRate() != 5000 || len(c.modes()) != 2 {
		t.Fatalf("rate %v modes %v", c.openRate(), c.modes())
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{[]float64{0.8}, 0.8}, {[]float64{0.7, 0.9}, 0.8}, {[]float64{0.1, 0.85, 0.9}, 0.85}} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestTrackerTarget(t *testing.T) {
	tg, err := trackerTarget("http://127.0.0.1:6969/t/")
	if err != nil || tg.Addr != "127.0.0.1:6969" || tg.PathPrefix != "/t" || tg.Host != "127.0.0.1:6969" {
		t.Fatalf("%+v %v", tg, err)
	}
	if tg, err := trackerTarget("http://localhost"); err != nil || tg.Addr != "localhost:80" {
		t.Fatalf("%+v %v", tg, err)
	}
	for _, bad := range []string{"", "https://127.0.0.1:6969", "127.0.0.1:6969", "http://"} {
		if _, err := trackerTarget(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestUnknownRefusal(t *testing.T) {
	for reason, want := range map[string]bool{
		"unknown passkey: check your .torrent":        true,
		"Unregistered torrent":                        true,
		"this torrent is not registered here":         true,
		"client not allowed: -XX0000-":                false,
		"announcing too often: wait for min interval": false,
		"": false,
	} {
		if got := unknownRefusal(reason); got != want {
			t.Errorf("%q: %v", reason, got)
		}
	}
}

func TestBenchRefusesWithoutRunningServe(t *testing.T) {
	if testing.Short() {
		t.Skip("starts embedded servers")
	}
	e := benchEnv()
	err := runBench(context.Background(), e, []string{"--data", t.TempDir(), "--requests", "1"})
	if domain.KindOf(err) != domain.KindInvalid || !strings.Contains(err.Error(), "djembe serve") {
		t.Fatalf("got %v, want a refusal naming djembe serve", err)
	}
}
