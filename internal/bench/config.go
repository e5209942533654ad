package bench

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/loadgen"
	"github.com/djembe/djembe/internal/opstoken"
)

// Config is what `djembe bench` is told. Its zero values are not the
// defaults: the flags that fill it carry those. Check refuses what cannot
// be run and fills in what is derived.
type Config struct {
	TrackerURL, OpsURL   string // base URLs (the tracker, the operator listener); empty: the running serve's
	OpsTokenFile         string // the operator listener's bearer token (see opstoken); "": none
	opsToken             string // read from OpsTokenFile by Check
	Users, Torrents      int
	Peers, PeersOnly     int
	Conns                int
	Duration             time.Duration
	Requests             int64 // per measured run, instead of Duration when positive
	Mode                 string
	Rate                 string // "", "half" or a positive number of requests/s
	Baseline             bool
	Skew                 float64
	Numwant              int
	Seed                 uint64
	PeerMetric           string
	Settle, ReadyTimeout time.Duration
	QuietTimeout         time.Duration
	KeepPeers            bool
	Rounds               int
}

// refuse is a refusal of the configuration: nothing was done.
func refuse(format string, args ...any) error {
	return domain.E("", domain.KindInvalid, format, args...)
}

// Check refuses a configuration that cannot be run, with an error of kind
// domain.KindInvalid, and otherwise fills in what is derived: Peers is
// PeersOnly when that is set, and Settle defaults to 30s (5m with
// PeersOnly). It may be called again on a checked Config, with the same
// result.
func (c *Config) Check() error {
	switch {
	case c.Users < 1 || c.Torrents < 1:
		return refuse("bench: --users and --torrents must be at least 1")
	case c.Peers < 1 || c.PeersOnly < 0:
		return refuse("bench: --peers must be at least 1")
	case c.Conns < 1 || c.Conns > 10000:
		return refuse("bench: --conns must be 1 to 10000")
	case c.Duration <= 0 && c.Requests <= 0:
		return refuse("bench: give a positive --duration or --requests")
	case c.Mode != "keepalive" && c.Mode != "close" && c.Mode != "both":
		return refuse("bench: --mode must be keepalive, close or both")
	case c.Rounds < 1 || c.Rounds > 100:
		return refuse("bench: --rounds must be 1 to 100")
	case c.Skew < 0 || c.Numwant < 0:
		return refuse("bench: --skew and --numwant must not be negative")
	}
	if c.Rate != "" && c.Rate != "half" {
		if r, err := strconv.ParseFloat(c.Rate, 64); err != nil || r <= 0 {
			return refuse("bench: --rate must be a positive number of requests/s or \"half\"")
		}
	}
	if c.OpsTokenFile != "" {
		tok, err := opstoken.Read(c.OpsTokenFile)
		if err != nil {
			return err
		}
		c.opsToken = tok
	}
	if c.PeersOnly > 0 {
		c.Peers = c.PeersOnly
	}
	if c.Settle <= 0 {
		c.Settle = 30 * time.Second
		if c.PeersOnly > 0 {
			c.Settle = 5 * time.Minute
		}
	}
	return nil
}

// Modes are the connection modes to measure, in order.
func (c *Config) Modes() []loadgen.Mode {
	switch c.Mode {
	case "keepalive":
		return []loadgen.Mode{loadgen.KeepAlive}
	case "close":
		return []loadgen.Mode{loadgen.Close}
	}
	return []loadgen.Mode{loadgen.KeepAlive, loadgen.Close}
}

// OpenRate is the fixed open-loop rate, 0 for closed loop.
func (c *Config) OpenRate() float64 {
	r, _ := strconv.ParseFloat(c.Rate, 64)
	return r
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
