package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"regexp"
	"sync"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/internal/natsd"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/tracker"
	"github.com/djembe/djembe/web"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/valyala/fasthttp"
)

// Config is what a Main is told.
type Config struct {
	Instance  instance.Config
	Web       string   // web listener address (the site); port 0 picks one
	Trackers  []string // tracker listener addresses, with the tracker role
	PublicURL string   // base of announce URLs; default http://<first tracker address>
	Tracker   tracker.Config
	Limits    commands.Limits // what uploads may be (zero fields: the defaults)
	Roles     Roles
	Pprof     bool      // Go profiles at /debug/pprof/ on the operator listener
	Log       io.Writer // structured log lines (JSON); default stderr
	// Ops is the operator listener's address (health naming roles, metrics,
	// operator pages, profiles); port 0 picks one. Not loopback only with
	// OpsTokenFile.
	Ops string
	// OpsTokenFile holds the bearer token every operator request must carry
	// (none: no token asked, which only a loopback Ops may do).
	OpsTokenFile string
	// RefusalLogPeriod is how often the tracker's refusals are logged,
	// counted by reason; default a minute.
	RefusalLogPeriod time.Duration
	// RatioWatch is how the ratio watch runs (with the projectors role).
	RatioWatch RatioWatchConfig
	// TorrentSource is the "source" the site writes into every .torrent
	// uploaded through it (commands.CheckSource); empty is "djembe".
	TorrentSource string
}

// Roles are what one process runs; several processes on one log may split
// them. Every process serves the web listener (the site) and the operator
// listener (health, metrics, operator pages).
type Roles struct {
	Tracker    bool
	Projectors bool
}

// Main is one running Djembe: the log and database (embedded or external),
// the projectors, the tracker and the web. Start it with Run, wait with
// Wait, stop it with Close; tests start it in-process on port 0.
type Main struct {
	cfg    Config
	logger *slog.Logger

	inst *instance.Instance
	// trackerLog and projectorLog are the log on connections with those
	// roles' rights only (the embedded NATS enforces them).
	trackerLog, projectorLog *eventlog.Log
	commands                 *commands.Commands
	webLn                    net.Listener
	opsLn                    net.Listener
	opsToken                 string // "" without OpsTokenFile
	trackerLns               []net.Listener
	webSrv                   *http.Server
	opsSrv                   *http.Server
	trk                      *tracker.Tracker
	trkSrv                   *fasthttp.Server
	projectors               []*projections.Projector
	startSeq                 uint64 // the log's last sequence at start: changes after it are logged

	stopRoles   context.CancelFunc
	roles       sync.WaitGroup
	trackerDone chan error // nil without the tracker role
	closeOnce   sync.Once
	closeErr    error
}

// New returns a Main for cfg; nothing starts before Run.
func New(cfg Config) *Main {
	if cfg.Log == nil {
		cfg.Log = os.Stderr
	}
	if cfg.RefusalLogPeriod <= 0 {
		cfg.RefusalLogPeriod = time.Minute
	}
	return &Main{cfg: cfg, logger: slog.New(slog.NewJSONHandler(cfg.Log, nil))}
}

// Run opens the listeners first (a port in use fails before any server
// starts), then the log and the database, and starts every role. It
// returns once everything is serving; the roles catch up in the background
// (Ready). On error, what it started is stopped again.
func (m *Main) Run(ctx context.Context) (err error) {
	defer func() {
		if err != nil {
			m.Close()
		}
	}()
	if m.cfg.Roles.Tracker && len(m.cfg.Trackers) == 0 {
		return errors.New("the tracker role needs a tracker address")
	}
	if m.cfg.TorrentSource != "" {
		if err := commands.CheckSource(m.cfg.TorrentSource); err != nil {
			return fmt.Errorf("torrent source: %w", err)
		}
	}
	if err := instance.CheckWritable(m.cfg.Instance.DataDir); err != nil {
		return err
	}
	if err := instance.CheckFree(m.cfg.Instance.DataDir); err != nil {
		return err // before the listeners: a running serve holds the ports too
	}
	if err := m.listen(); err != nil {
		return err
	}
	if m.cfg.Roles.Tracker && m.cfg.Instance.TrackerNode == "" { // the node whose announces the tracker role may append
		m.cfg.Instance.TrackerNode = cmp.Or(m.cfg.Tracker.Node, tracker.DefaultNode)
	}
	if m.cfg.Instance.BackgroundConns == 0 {
		m.cfg.Instance.BackgroundConns = int32(2*len(Projections()) + 2)
	}
	if m.inst, err = instance.Open(ctx, m.cfg.Instance, instance.Serve); err != nil {
		return err
	}
	if err := m.openRoleLogs(ctx); err != nil {
		return err
	}
	m.commands = commands.New(m.inst.Log, m.inst.Keys(), commands.WithLimits(m.cfg.Limits))
	if m.startSeq, err = m.inst.Log.LastSeq(ctx); err != nil {
		return err
	}
	if err := m.publishRuntime(); err != nil {
		return err
	}
	if err := m.openPeerKeys(); err != nil {
		return err
	}
	if err := m.start(); err != nil {
		return err
	}
	m.logger.Info("djembe serving", "web", m.WebURL(), "ops", m.OpsURL(), "tracker", m.TrackerURL(), "nats", m.inst.Runtime.NATSURL, "embedded", m.inst.Owner)
	return nil
}

func (m *Main) openRoleLogs(ctx context.Context) (err error) {
	if m.cfg.Roles.Tracker {
		if m.trackerLog, err = m.inst.LogAs(ctx, natsd.Tracker, "djembe"); err != nil {
			return err
		}
	}
	if m.cfg.Roles.Projectors {
		m.projectorLog, err = m.inst.LogAs(ctx, natsd.Projector, "djembe")
	}
	return err
}

func (m *Main) listen() error {
	var err error
	if m.webLn, err = listen("web", m.cfg.Web); err != nil {
		return err
	}
	if err := m.listenOps(); err != nil {
		return err
	}
	if !m.cfg.Roles.Tracker {
		return nil
	}
	for _, addr := range m.cfg.Trackers {
		ln, err := listen("tracker", addr)
		if err != nil {
			return err
		}
		m.trackerLns = append(m.trackerLns, ln)
	}
	if m.cfg.PublicURL == "" {
		m.cfg.PublicURL = "http://" + m.trackerLns[0].Addr().String()
	}
	if m.cfg.Tracker.SiteURL == "" {
		m.cfg.Tracker.SiteURL = m.WebURL()
	}
	return nil
}

// publishRuntime writes where this serve listens into the data directory,
// for operator commands and the bench.
func (m *Main) publishRuntime() error {
	m.inst.Runtime.WebAddr, m.inst.Runtime.OpsAddr = m.webLn.Addr().String(), m.opsLn.Addr().String()
	if len(m.trackerLns) > 0 {
		m.inst.Runtime.TrackerAddr, m.inst.Runtime.TrackerURL = m.trackerLns[0].Addr().String(), m.cfg.PublicURL
	}
	return m.inst.WriteRuntime()
}

// start runs the roles and the servers. The roles' context is not the
// caller's: Close stops them in order.
func (m *Main) start() error {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(
		collectors.GoRuntimeMetricsRule{Matcher: regexp.MustCompile(`^/gc/heap/live:bytes$`)})),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		projections.NewCollector(m.inst.Pool, m.inst.Log))
	m.cfg.Tracker.Metrics, m.cfg.Tracker.Logger, m.cfg.Tracker.Secret = reg, m.logger, m.inst.Secret

	roleCtx, stop := context.WithCancel(context.Background())
	m.stopRoles = stop
	if m.cfg.Roles.Projectors {
		for _, p := range Projections() {
			pr := projections.NewProjector(p, m.inst.Background, m.projectorLog)
			m.projectors = append(m.projectors, pr)
			m.roles.Go(func() { pr.RunSupervised(roleCtx, m.logger) })
		}
		m.roles.Go(func() { m.runRatioWatch(roleCtx) })
	}
	if m.cfg.Roles.Tracker {
		m.cfg.Tracker.OnQuarantine = m.trackerQuarantine(roleCtx)
		m.trk = tracker.New(m.cfg.Tracker, m.trackerLog)
		m.trackerDone = make(chan error, 1)
		go func() { m.trackerDone <- m.trk.Run(roleCtx) }()
		m.roles.Go(func() { logRefusals(roleCtx, m.trk, m.logger, m.cfg.RefusalLogPeriod) })
		m.trkSrv = m.trk.NewServer()
		for _, ln := range m.trackerLns {
			go m.serve("tracker", func() error { return m.trkSrv.Serve(m.trk.Guard(ln)) })
		}
	}
	m.roles.Go(func() {
		if err := logChanges(roleCtx, m.inst.Log, m.startSeq+1, m.logger); err != nil && roleCtx.Err() == nil {
			m.logger.Error("logging changes stopped", "err", err)
		}
	})
	siteURL := cmp.Or(m.cfg.Tracker.SiteURL, m.WebURL())
	deps := web.Deps{
		Pool: m.inst.Pool, Commands: m.commands, Gatherer: reg, Waiting: m.Waiting,
		Profiling: m.cfg.Pprof, OpsToken: m.opsToken,
		Statuses: func(ctx context.Context) ([]projections.Status, error) {
			return projections.Statuses(ctx, m.inst.Pool, m.inst.Log)
		},
		Plugins:    webPlugins(),
		Sessions:   web.NewSessions(m.inst.Pool, web.SecureCookies(siteURL)),
		SiteURL:    siteURL,
		Logger:     m.logger,
		Secret:     m.inst.Secret,
		TrackerURL: m.TrackerURL(),
		PeerAddrs:  m.peerAddrs(),
		Source:     m.cfg.TorrentSource,
		// The site throttles failed logins by the address the tracker's
		// trusted proxies report: one setting for both.
		TrustedProxies: m.cfg.Tracker.TrustedProxies,
	}
	site, err := web.New(deps)
	if err != nil {
		return err // a template that does not parse: Run fails, and Close stops the roles
	}
	m.roles.Go(func() { web.CleanSessions(roleCtx, m.inst.Pool, 5*time.Minute, m.logger) })
	m.webSrv, m.opsSrv = m.newWebServer(site), m.newOpsServer(web.NewOps(deps))
	go m.serve("web", func() error { return m.webSrv.Serve(m.webLn) })
	go m.serve("ops", func() error { return m.opsSrv.Serve(m.opsLn) })
	return nil
}

// serve runs one listener's server. A listener that fails is logged and
// takes no other role down: the tracker's retries its accept errors itself
// (Tracker.Guard), so this is a closed or broken socket.
func (m *Main) serve(role string, run func() error) {
	if err := run(); err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
		m.logger.Error("listener stopped", "role", role, "err", err)
	}
}

// Wait returns when ctx ends (nil) or a role fails (its error).
func (m *Main) Wait(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return nil
	case err := <-m.trackerDone:
		m.trackerDone = nil // Close must not wait for it again
		return fmt.Errorf("tracker stopped: %w", err)
	}
}

// Close stops everything in order: the listeners, the tracker (flushing its
// last announces to the log), the projectors, and last the servers.
func (m *Main) Close() error {
	m.closeOnce.Do(func() { m.closeErr = m.close() })
	return m.closeErr
}

func (m *Main) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if m.trkSrv != nil {
		_ = m.trkSrv.ShutdownWithContext(ctx)
	}
	for _, srv := range []*http.Server{m.webSrv, m.opsSrv} {
		if srv != nil {
			_ = srv.Shutdown(ctx)
		}
	}
	for _, ln := range append(m.trackerLns, m.webLn, m.opsLn) {
		if ln != nil {
			ln.Close()
		}
	}
	var err error
	if m.stopRoles != nil {
		m.stopRoles()
		if m.trackerDone != nil {
			if terr := <-m.trackerDone; terr != nil && !errors.Is(terr, context.Canceled) {
				err = fmt.Errorf("tracker: %w", terr)
			}
		}
		m.roles.Wait()
	}
	if m.inst != nil {
		m.inst.Close()
		m.logger.Info("djembe stopped")
	}
	return err
}

// Ready is closed once every role has caught up with the log.
func (m *Main) Ready() <-chan struct{} {
	done := make(chan struct{})
	go func() {
		for _, pr := range m.projectors {
			<-pr.Ready()
		}
		if m.trk != nil {
			<-m.trk.Ready()
		}
		close(done)
	}()
	return done
}

// Waiting names the roles that have not caught up with the log yet.
func (m *Main) Waiting() []string {
	var w []string
	for _, pr := range m.projectors {
		if !closed(pr.Ready()) {
			w = append(w, "projection "+pr.Projection().Name())
		}
	}
	if m.trk != nil && !closed(m.trk.Ready()) {
		w = append(w, "tracker")
	}
	return w
}

func closed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// WebURL is the web listener's base URL.
func (m *Main) WebURL() string { return "http://" + m.webLn.Addr().String() }

// TrackerURL is the base of announce URLs ("" without the tracker role).
func (m *Main) TrackerURL() string { return m.cfg.PublicURL }

// Commands is the write side on this Main's log.
func (m *Main) Commands() *commands.Commands { return m.commands }

// Instance is the log and database this Main works with.
func (m *Main) Instance() *instance.Instance { return m.inst }

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
