package main

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/internal/loadgen"
)

// benchConfig is what `djembe bench` is told.
type benchConfig struct {
	trackerURL, webURL   string
	users, torrents      int
	peers, peersOnly     int
	conns                int
	duration             time.Duration
	requests             int64
	mode                 string
	rate                 string
	baseline             bool
	skew                 float64
	numwant              int
	seed                 uint64
	peerMetric           string
	settle, readyTimeout time.Duration
	quietTimeout         time.Duration
	keepPeers            bool
	rounds               int
}

const benchUsage = `[--tracker URL] [--web URL] [--users N] [--torrents M] [--peers P] [--conns C]
       [--duration D | --requests R] [--mode keepalive|close|both] [--rate R|half] [--baseline]
       [--rounds N] [--peers-only N] [--keep-peers]`

func parseBench(e *env, args []string) (*flags, *benchConfig, error) {
	f := newFlags(e, "bench")
	c := &benchConfig{}
	f.StringVar(&c.trackerURL, "tracker", "", "tracker base URL (default: the running serve's, from DATA/runtime.json)")
	f.StringVar(&c.webURL, "web", "", "web base URL whose /metrics is read (default: the running serve's)")
	f.IntVar(&c.users, "users", 2000, "simulated users, created as events (bench-u-000001, ...)")
	f.IntVar(&c.torrents, "torrents", 20000, "simulated torrents, created as events (bench-t-000001, ...)")
	f.IntVar(&c.peers, "peers", 200000, "distinct simulated peers (user, peer_id, port)")
	f.IntVar(&c.peersOnly, "peers-only", 0, "only fill the tracker with N peers (one started announce each) and report memory per peer")
	f.IntVar(&c.conns, "conns", 64, "concurrent connections")
	f.DurationVar(&c.duration, "duration", 10*time.Second, "length of each measured run")
	f.Int64Var(&c.requests, "requests", 0, "requests per measured run (instead of --duration)")
	f.StringVar(&c.mode, "mode", "both", "keepalive, close or both")
	f.StringVar(&c.rate, "rate", "", "open loop: total requests/s per run; or \"half\": also run keep-alive at half the measured maximum")
	f.BoolVar(&c.baseline, "baseline", false, "also measure a trivial net/http handler with the same load, and print tracker/baseline ratios")
	f.Float64Var(&c.skew, "skew", 1, "Zipf exponent of peers over torrents")
	f.IntVar(&c.numwant, "numwant", 50, "numwant of every announce")
	f.Uint64Var(&c.seed, "seed", 1, "seed of the simulated population")
	f.StringVar(&c.peerMetric, "peers-metric", "", "the tracker's active-peer gauge (default: found in /metrics)")
	f.DurationVar(&c.settle, "settle", 0, "longest wait for the tracker's heap to settle after the fill, before reading memory (default 30s, 5m with --peers-only)")
	f.DurationVar(&c.readyTimeout, "ready-timeout", 60*time.Second, "longest wait for the tracker to know the created users and torrents")
	f.IntVar(&c.rounds, "rounds", 1, "measure the tracker (and the baseline right after it) this many times in turn; ratios are the median")
	f.BoolVar(&c.keepPeers, "keep-peers", false, "leave the simulated peers on the tracker (by default they all announce stopped at the end)")
	f.DurationVar(&c.quietTimeout, "quiet-timeout", 2*time.Minute, "longest wait before each run for the serve's projectors and publisher to catch up")
	if _, err := f.parse(args, 0, 0, benchUsage); err != nil {
		return nil, nil, err
	}
	return f, c, c.check()
}

func (c *benchConfig) check() error {
	switch {
	case c.users < 1 || c.torrents < 1:
		return refuse("bench: --users and --torrents must be at least 1")
	case c.peers < 1 || c.peersOnly < 0:
		return refuse("bench: --peers must be at least 1")
	case c.conns < 1 || c.conns > 10000:
		return refuse("bench: --conns must be 1 to 10000")
	case c.duration <= 0 && c.requests <= 0:
		return refuse("bench: give a positive --duration or --requests")
	case c.mode != "keepalive" && c.mode != "close" && c.mode != "both":
		return refuse("bench: --mode must be keepalive, close or both")
	case c.rounds < 1 || c.rounds > 100:
		return refuse("bench: --rounds must be 1 to 100")
	case c.skew < 0 || c.numwant < 0:
		return refuse("bench: --skew and --numwant must not be negative")
	}
	if c.rate != "" && c.rate != "half" {
		if r, err := strconv.ParseFloat(c.rate, 64); err != nil || r <= 0 {
			return refuse("bench: --rate must be a positive number of requests/s or \"half\"")
		}
	}
	if c.peersOnly > 0 {
		c.peers = c.peersOnly
	}
	if c.settle <= 0 {
		c.settle = 30 * time.Second
		if c.peersOnly > 0 {
			c.settle = 5 * time.Minute
		}
	}
	return nil
}

// modes are the connection modes to measure, in order.
func (c *benchConfig) modes() []loadgen.Mode {
	switch c.mode {
	case "keepalive":
		return []loadgen.Mode{loadgen.KeepAlive}
	case "close":
		return []loadgen.Mode{loadgen.Close}
	}
	return []loadgen.Mode{loadgen.KeepAlive, loadgen.Close}
}

// openRate is the fixed open-loop rate, 0 for closed loop.
func (c *benchConfig) openRate() float64 {
	r, _ := strconv.ParseFloat(c.rate, 64)
	return r
}

// runBench creates simulated users and torrents as events in the running
// serve's log, waits until its tracker knows them, drives announces at it
// and reports speed and memory: a table on stderr, JSON on stdout. Every
// phase is bounded and all traffic goes to loopback addresses.
func runBench(ctx context.Context, e *env, args []string) error {
	f, c, err := parseBench(e, args)
	if err != nil {
		return err
	}
	noServe := refuse("bench: no djembe serve is running on %s; start `djembe serve --data %s` first", *f.data, *f.data)
	if !instance.Held(*f.data) {
		return noServe
	}
	inst, err := f.open(ctx)
	if err != nil {
		return err
	}
	if inst.Owner { // the serve stopped meanwhile
		inst.Close()
		return noServe
	}
	if c.trackerURL == "" {
		c.trackerURL = inst.Runtime.TrackerURL
	}
	if c.webURL == "" && inst.Runtime.WebAddr != "" {
		c.webURL = "http://" + inst.Runtime.WebAddr
	}
	target, err := trackerTarget(c.trackerURL)
	if err != nil {
		inst.Close()
		return err
	}
	fmt.Fprintf(e.stderr, "bench: tracker %s, metrics %s\n", c.trackerURL, orNone(c.webURL))
	users, torrents, setup, err := benchSetup(ctx, e, inst, c)
	inst.Close()
	if err != nil {
		return err
	}
	b := &bench{e: e, c: c, target: target, summary: benchSummary{Setup: setup}}
	if err := b.run(ctx, users, torrents); err != nil {
		return err
	}
	return printJSON(e.stdout, b.summary)
}

// trackerTarget turns the tracker's base URL into a dial address and path
// prefix. Only plain HTTP to a loopback address is driven.
func trackerTarget(base string) (loadgen.Target, error) {
	if base == "" {
		return loadgen.Target{}, refuse("bench: the running serve published no tracker URL; pass --tracker URL")
	}
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return loadgen.Target{}, refuse("bench: --tracker %q: want http://HOST:PORT[/PATH]", base)
	}
	addr := u.Host
	if u.Port() == "" {
		addr += ":80"
	}
	return loadgen.Target{Addr: addr, Host: u.Host, PathPrefix: strings.TrimRight(u.Path, "/"), Name: "tracker"}, nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
