package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/bench"
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
	if err != nil || c.Peers != 1000000 || len(c.Modes()) != 1 || c.Modes()[0] != loadgen.Close || c.OpenRate() != 0 {
		t.Fatalf("%+v, %v", c, err)
	}
	if _, c, _ := parseBench(benchEnv(), []string{"--rate", "5000"}); c.OpenRate() != 5000 || len(c.Modes()) != 2 {
		t.Fatalf("rate %v modes %v", c.OpenRate(), c.Modes())
	}
}

// TestBaselineSubcommandWired: bench --baseline runs this binary's
// bench.BaselineSubcommand, so the subcommand table must have it.
func TestBaselineSubcommandWired(t *testing.T) {
	for _, c := range subcommands {
		if c.name == bench.BaselineSubcommand {
			return
		}
	}
	t.Fatalf("no subcommand %q: bench --baseline cannot start its baseline", bench.BaselineSubcommand)
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
