package main

import (
	"context"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/app"
	"github.com/djembe/djembe/tracker"
)

const (
	defaultWebAddr     = "127.0.0.1:8080"
	defaultOpsAddr     = "127.0.0.1:6070"
	defaultTrackerAddr = "127.0.0.1:6969"
	// defaultTorrentSource is the site's uploads' "source" tag.
	defaultTorrentSource = "djembe"
)

// serveRoles are the roles one serve process can run; several processes on
// one log may split them (tracker nodes apart from the projectors, say).
// Every serve runs the web listener (the site) and the operator listener
// (health, metrics and operator pages).
var serveRoles = []string{"tracker", "projectors"}

// parseServe turns serve's flags into the configuration of an app.Main.
func parseServe(e *env, args []string) (app.Config, error) {
	f := newFlags(e, "serve")
	var c app.Config
	var trackers, trustedProxies string
	f.StringVar(&c.Web, "web", envOr(e, "DJEMBE_WEB", defaultWebAddr), "web listener address (the site)")
	f.StringVar(&c.Ops, "ops", envOr(e, "DJEMBE_OPS", defaultOpsAddr), "operator listener address: /healthz naming roles, /metrics, /ops/*, /debug/pprof (loopback unless --ops-token-file)")
	f.StringVar(&c.OpsTokenFile, "ops-token-file", e.getenv("DJEMBE_OPS_TOKEN_FILE"), "file holding the bearer token every operator request must carry (required for a non-loopback --ops)")
	f.StringVar(&trackers, "tracker", envOr(e, "DJEMBE_TRACKER", defaultTrackerAddr), "tracker listener address(es), comma-separated (e.g. 127.0.0.1:6969,[::1]:6969)")
	f.StringVar(&c.PublicURL, "public-url", e.getenv("DJEMBE_PUBLIC_URL"), "tracker base URL put in .torrent files (default http://<first tracker address>)")
	f.StringVar(&c.Tracker.Node, "node", envOr(e, "DJEMBE_NODE", "t1"), "tracker node name (unique per tracker process)")
	f.DurationVar(&c.Tracker.Interval, "interval", 30*time.Minute, "announce interval sent to clients (jittered)")
	f.DurationVar(&c.Tracker.MinInterval, "min-interval", 5*time.Minute, "min interval sent to clients")
	f.IntVar(&c.Tracker.MaxNumwant, "max-numwant", 200, "most peers returned per announce")
	f.IntVar(&c.Tracker.Burst, "burst", 5, "announces a peer may make in a row inside min interval before being refused")
	f.StringVar(&trustedProxies, "trusted-proxies", e.getenv("DJEMBE_TRUSTED_PROXIES"), "CIDRs of reverse proxies whose X-Forwarded-For / X-Real-IP are believed, comma-separated: by the tracker for peers' addresses, by the site for the address failed logins are throttled by")
	f.BoolVar(&c.Tracker.AllowIPParam, "allow-ip-param", false, "honour the ip/ipv4/ipv6 announce parameters (public addresses only)")
	f.StringVar(&c.TorrentSource, "torrent-source", envOr(e, "DJEMBE_TORRENT_SOURCE", defaultTorrentSource), "the \"source\" written into every .torrent uploaded through the site (1-64 printable ASCII characters), so its info hash is this site's own")
	f.StringVar(&c.Tracker.SiteURL, "site-url", e.getenv("DJEMBE_SITE_URL"), "the site's public base URL, named in the tracker's failure reasons (default http://<web address>)")
	maxRate := f.String("max-rate", "2GiB/s", "most an announce may credit per second since the peer's previous one, each way (e.g. 2GiB/s, 10Gbit/s)")
	f.IntVar(&c.Tracker.Conns.Max, "max-conns", 0, "most tracker connections open at once (default: the file-descriptor limit less an eighth)")
	f.IntVar(&c.Tracker.Conns.PerAddr, "conns-per-addr", tracker.DefaultConnsPerAddr, "most tracker connections from one address (IPv6: one /64)")
	f.DurationVar(&c.Tracker.Conns.FirstByteTimeout, "first-byte-timeout", tracker.DefaultFirstByteTimeout, "how long a new tracker connection may take to send its request")
	f.DurationVar(&c.Tracker.Conns.IdleTimeout, "idle-timeout", tracker.DefaultIdleTimeout, "how long a kept-alive tracker connection may wait for its next request")
	f.IntVar(&c.Tracker.MaxPeersPerTorrent, "peers-per-torrent", tracker.DefaultMaxPeersPerTorrent, "most peers (clients) one user may have in one swarm")
	f.IntVar(&c.Tracker.NewPeerBurst, "new-peer-burst", tracker.DefaultNewPeerBurst, "new peers one user may add at once")
	f.Float64Var(&c.Tracker.NewPeerRate, "new-peer-rate", tracker.DefaultNewPeerRate, "new peers per second one user may add after the burst")
	f.BoolVar(&c.Pprof, "pprof", false, "serve Go profiles at /debug/pprof/ on the operator listener")
	f.DurationVar(&c.RatioWatch.Policy.Grace, "ratio-grace", domain.DefaultRatioGrace, "ratio watch: how long a user below their required ratio has to recover before leeching is disabled")
	roles := f.String("roles", "tracker,projectors", "roles this process runs, comma-separated: tracker, projectors")
	lf := f.limitFlags()
	if _, err := f.parse(args, 0, 0, "[flags]"); err != nil {
		return c, err
	}
	limits, err := lf.limits()
	if err != nil {
		return c, err
	}
	c.Limits = limits
	c.Instance, c.Log = f.config(), e.stderr
	for _, r := range splitList(*roles) {
		if !slices.Contains(serveRoles, r) {
			return c, refuse("--roles: unknown role %q (roles: %s)", r, strings.Join(serveRoles, ", "))
		}
		c.Roles.Tracker, c.Roles.Projectors = c.Roles.Tracker || r == "tracker", c.Roles.Projectors || r == "projectors"
	}
	if !c.Roles.Tracker && !c.Roles.Projectors {
		return c, refuse("--roles: name at least one of %s", strings.Join(serveRoles, ", "))
	}
	if c.Trackers = splitList(trackers); c.Roles.Tracker && len(c.Trackers) == 0 {
		return c, refuse("--tracker: no address given")
	}
	for _, s := range splitList(trustedProxies) {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return c, refuse("--trusted-proxies: %q is not a CIDR: %v", s, err)
		}
		c.Tracker.TrustedProxies = append(c.Tracker.TrustedProxies, p)
	}
	if err := commands.CheckSource(c.TorrentSource); err != nil {
		return c, refuse("--torrent-source (or DJEMBE_TORRENT_SOURCE): %v", err)
	}
	rate, err := parseRate(*maxRate)
	if err != nil {
		return c, refuse("--max-rate: %v", err)
	}
	c.Tracker.MaxRate = rate
	if c.RatioWatch.Policy.Grace <= 0 {
		return c, refuse("--ratio-grace must be positive, got %s", c.RatioWatch.Policy.Grace)
	}
	if c.Tracker.MinInterval > c.Tracker.Interval {
		return c, refuse("--min-interval (%s) must not exceed --interval (%s)", c.Tracker.MinInterval, c.Tracker.Interval)
	}
	return c, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// runServe runs tracker, projectors and web until ctx ends (Ctrl-C) or a
// role fails.
func runServe(ctx context.Context, e *env, args []string) error {
	cfg, err := parseServe(e, args)
	if err != nil {
		return err
	}
	// Every line the process writes is JSON, the packages' own slog lines too.
	slog.SetDefault(slog.New(slog.NewJSONHandler(e.stderr, nil)))
	m := app.New(cfg)
	if err := m.Run(ctx); err != nil {
		return err
	}
	err = m.Wait(ctx)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	return err
}
