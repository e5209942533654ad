package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/tracker"
	"github.com/djembe/djembe/web"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/valyala/fasthttp"
)

const (
	defaultWebAddr     = "127.0.0.1:8080"
	defaultTrackerAddr = "127.0.0.1:6969"
)

// serveConfig is everything `djembe serve` is told.
type serveConfig struct {
	web, trackers, publicURL string
	tracker                  tracker.Config
	trustedProxies           string
	pprof                    bool
	roles                    map[string]bool
}

// serveRoles are the roles one serve process can run; several processes on
// one log may split them (tracker nodes apart from the projectors, say).
// Every serve runs the web listener: health, metrics and operator pages.
var serveRoles = []string{"tracker", "projectors"}

func parseServe(e *env, args []string) (*flags, *serveConfig, error) {
	f := newFlags(e, "serve")
	c := &serveConfig{}
	f.StringVar(&c.web, "web", envOr(e, "DJEMBE_WEB", defaultWebAddr), "web listener address")
	f.StringVar(&c.trackers, "tracker", envOr(e, "DJEMBE_TRACKER", defaultTrackerAddr), "tracker listener address(es), comma-separated (e.g. 127.0.0.1:6969,[::1]:6969)")
	f.StringVar(&c.publicURL, "public-url", e.getenv("DJEMBE_PUBLIC_URL"), "tracker base URL put in .torrent files (default http://<first tracker address>)")
	f.StringVar(&c.tracker.Node, "node", envOr(e, "DJEMBE_NODE", "t1"), "tracker node name (unique per tracker process)")
	f.DurationVar(&c.tracker.Interval, "interval", 30*time.Minute, "announce interval sent to clients (jittered)")
	f.DurationVar(&c.tracker.MinInterval, "min-interval", 5*time.Minute, "min interval sent to clients")
	f.IntVar(&c.tracker.MaxNumwant, "max-numwant", 200, "most peers returned per announce")
	f.IntVar(&c.tracker.Burst, "burst", 5, "announces a peer may make in a row inside min interval before being refused")
	f.StringVar(&c.trustedProxies, "trusted-proxies", e.getenv("DJEMBE_TRUSTED_PROXIES"), "CIDRs whose X-Forwarded-For / X-Real-IP are believed, comma-separated")
	f.BoolVar(&c.tracker.AllowIPParam, "allow-ip-param", false, "honour the ip/ipv4/ipv6 announce parameters")
	f.BoolVar(&c.pprof, "pprof", false, "serve Go profiles at /debug/pprof/ on the web listener (keep that listener private)")
	roles := f.String("roles", "tracker,projectors", "roles this process runs, comma-separated: tracker, projectors")
	if _, err := f.parse(args, 0, 0, "[flags]"); err != nil {
		return nil, nil, err
	}
	c.roles = map[string]bool{}
	for _, r := range splitList(*roles) {
		if !slices.Contains(serveRoles, r) {
			return nil, nil, refuse("--roles: unknown role %q (roles: %s)", r, strings.Join(serveRoles, ", "))
		}
		c.roles[r] = true
	}
	if len(c.roles) == 0 {
		return nil, nil, refuse("--roles: name at least one of %s", strings.Join(serveRoles, ", "))
	}
	for _, s := range splitList(c.trustedProxies) {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, nil, refuse("--trusted-proxies: %q is not a CIDR: %v", s, err)
		}
		c.tracker.TrustedProxies = append(c.tracker.TrustedProxies, p)
	}
	if c.tracker.MinInterval > c.tracker.Interval {
		return nil, nil, refuse("--min-interval (%s) must not exceed --interval (%s)", c.tracker.MinInterval, c.tracker.Interval)
	}
	return f, c, nil
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

func runServe(ctx context.Context, e *env, args []string) error {
	f, c, err := parseServe(e, args)
	if err != nil {
		return err
	}
	if err := instance.CheckWritable(*f.data); err != nil {
		return err
	}
	// Listeners first: a port in use fails before any server is started.
	webLn, err := listen("web", c.web)
	if err != nil {
		return err
	}
	defer webLn.Close()
	var trackerLns []net.Listener
	for _, addr := range splitList(c.trackers) {
		if !c.roles["tracker"] {
			break
		}
		ln, err := listen("tracker", addr)
		if err != nil {
			return err
		}
		defer ln.Close()
		trackerLns = append(trackerLns, ln)
	}
	if c.roles["tracker"] && len(trackerLns) == 0 {
		return refuse("--tracker: no address given")
	}
	inst, err := instance.Open(ctx, f.config(), instance.Serve)
	if err != nil {
		return err
	}
	defer inst.Close()
	inst.Runtime.WebAddr = webLn.Addr().String()
	if len(trackerLns) > 0 {
		if c.publicURL == "" {
			c.publicURL = "http://" + trackerLns[0].Addr().String()
		}
		inst.Runtime.TrackerAddr, inst.Runtime.TrackerURL = trackerLns[0].Addr().String(), c.publicURL
	}
	if err := inst.WriteRuntime(); err != nil {
		return err
	}
	return serve(ctx, e, inst, c, webLn, trackerLns)
}

func listen(role, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, os.ErrPermission) {
			return nil, fmt.Errorf("cannot listen on %s for the %s: permission denied (ports below 1024 need privileges)", addr, role)
		}
		return nil, fmt.Errorf("cannot listen on %s for the %s: %w (is another server using that port? choose another with --%s)", addr, role, unwrapOp(err), role)
	}
	return ln, nil
}

func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}

// serve runs every role until ctx ends, then stops them in order: the
// listeners, the tracker (flushing its last announces to the log), the
// projectors, and last the servers.
func serve(ctx context.Context, e *env, inst *instance.Instance, c *serveConfig, webLn net.Listener, trackerLns []net.Listener) error {
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(
		collectors.GoRuntimeMetricsRule{Matcher: regexp.MustCompile(`^/gc/heap/live:bytes$`)})), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		projections.NewCollector(inst.Pool, inst.Log))
	c.tracker.Metrics = reg

	roleCtx, stopRoles := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRoles()
	var wg sync.WaitGroup
	var projectors []*projections.Projector
	for _, p := range projections.All() {
		if !c.roles["projectors"] {
			break
		}
		pr := projections.NewProjector(p, inst.Background, inst.Log)
		projectors = append(projectors, pr)
		wg.Add(1)
		go func() { defer wg.Done(); pr.RunSupervised(roleCtx, logger) }()
	}
	var trk *tracker.Tracker
	var trackerDone chan error // nil (never ready) without the tracker role
	if c.roles["tracker"] {
		trk = tracker.New(c.tracker, inst.Log)
		trackerDone = make(chan error, 1)
		go func() { trackerDone <- trk.Run(roleCtx) }()
	}

	waiting := func() []string {
		var w []string
		for _, pr := range projectors {
			select {
			case <-pr.Ready():
			default:
				w = append(w, "projection "+pr.Projection().Name())
			}
		}
		if trk != nil {
			select {
			case <-trk.Ready():
			default:
				w = append(w, "tracker")
			}
		}
		return w
	}
	webSrv := &http.Server{Handler: web.New(web.Deps{Pool: inst.Pool, Log: inst.Log, Gatherer: reg, Waiting: waiting, Profiling: c.pprof}),
		ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1+len(trackerLns))
	go func() { serveErr <- webSrv.Serve(webLn) }()
	var trkSrv *fasthttp.Server
	if trk != nil {
		trkSrv = trk.NewServer()
		for _, ln := range trackerLns {
			go func() { serveErr <- trkSrv.Serve(ln) }()
		}
	}
	logger.Info("djembe serving", "web", "http://"+webLn.Addr().String(), "tracker", c.publicURL, "nats", inst.Runtime.NATSURL, "embedded", inst.Owner)

	var runErr error
	select {
	case <-ctx.Done():
	case err := <-serveErr:
		runErr = fmt.Errorf("listener stopped: %w", err)
	case err := <-trackerDone:
		runErr = fmt.Errorf("tracker stopped: %w", err)
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if trkSrv != nil {
		_ = trkSrv.ShutdownWithContext(shutdownCtx)
	}
	_ = webSrv.Shutdown(shutdownCtx)
	stopRoles()
	if runErr == nil && trackerDone != nil {
		if err := <-trackerDone; err != nil && !errors.Is(err, context.Canceled) {
			runErr = fmt.Errorf("tracker: %w", err)
		}
	}
	wg.Wait()
	logger.Info("djembe stopped")
	return runErr
}
