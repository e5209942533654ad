package main

import (
	"context"
	"time"

	"github.com/djembe/djembe/internal/bench"
)

const benchUsage = `[--tracker URL] [--ops URL] [--ops-token-file F] [--users N] [--torrents M] [--peers P] [--conns C]
       [--duration D | --requests R] [--mode keepalive|close|both] [--rate R|half] [--baseline]
       [--rounds N] [--peers-only N] [--keep-peers]`

// parseBench reads bench's flags into a checked bench.Config.
func parseBench(e *env, args []string) (*flags, *bench.Config, error) {
	f := newFlags(e, "bench")
	c := &bench.Config{}
	f.StringVar(&c.TrackerURL, "tracker", "", "tracker base URL (default: the running serve's, from DATA/runtime.json)")
	f.StringVar(&c.OpsURL, "ops", "", "operator listener base URL whose /metrics is read (default: the running serve's)")
	f.StringVar(&c.OpsTokenFile, "ops-token-file", e.getenv("DJEMBE_OPS_TOKEN_FILE"), "file holding the operator listener's bearer token, as serve's --ops-token-file")
	f.IntVar(&c.Users, "users", 10000, "simulated users, created as events (bench-u-000001, ...); enough that the biggest swarm holds at most 3 peers of each, as the tracker allows")
	f.IntVar(&c.Torrents, "torrents", 20000, "simulated torrents, created as events (bench-t-000001, ...)")
	f.IntVar(&c.Peers, "peers", 200000, "distinct simulated peers (user, peer_id, port)")
	f.IntVar(&c.PeersOnly, "peers-only", 0, "only fill the tracker with N peers (one started announce each) and report memory per peer")
	f.IntVar(&c.Conns, "conns", 64, "concurrent connections")
	f.DurationVar(&c.Duration, "duration", 10*time.Second, "length of each measured run")
	f.Int64Var(&c.Requests, "requests", 0, "requests per measured run (instead of --duration)")
	f.StringVar(&c.Mode, "mode", "both", "keepalive, close or both")
	f.StringVar(&c.Rate, "rate", "", "open loop: total requests/s per run; or \"half\": also run keep-alive at half the measured maximum")
	f.BoolVar(&c.Baseline, "baseline", false, "also measure a trivial net/http handler with the same load, and print tracker/baseline ratios")
	f.Float64Var(&c.Skew, "skew", 1, "Zipf exponent of peers over torrents")
	f.IntVar(&c.Numwant, "numwant", 50, "numwant of every announce")
	f.Uint64Var(&c.Seed, "seed", 1, "seed of the simulated population")
	f.StringVar(&c.PeerMetric, "peers-metric", "", "the tracker's active-peer gauge (default: found in /metrics)")
	f.DurationVar(&c.Settle, "settle", 0, "longest wait for the tracker's heap to settle after the fill, before reading memory (default 30s, 5m with --peers-only)")
	f.DurationVar(&c.ReadyTimeout, "ready-timeout", 60*time.Second, "longest wait for the tracker to know the created users and torrents")
	f.IntVar(&c.Rounds, "rounds", 1, "measure the tracker (and the baseline right after it) this many times in turn; ratios are the median")
	f.BoolVar(&c.KeepPeers, "keep-peers", false, "leave the simulated peers on the tracker (by default they all announce stopped at the end)")
	f.DurationVar(&c.QuietTimeout, "quiet-timeout", 2*time.Minute, "longest wait before each run for the serve's projectors and publisher to catch up")
	if _, err := f.parse(args, 0, 0, benchUsage); err != nil {
		return nil, nil, err
	}
	return f, c, c.Check()
}

// runBench loads the running serve's tracker (see bench.Run): the table on
// stderr, the summary as JSON on stdout.
func runBench(ctx context.Context, e *env, args []string) error {
	f, c, err := parseBench(e, args)
	if err != nil {
		return err
	}
	summary, err := bench.Run(ctx, f.config(), c, e.stderr)
	if err != nil {
		return err
	}
	return printJSON(e.stdout, summary)
}
