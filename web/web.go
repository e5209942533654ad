// Package web is Djembe's web front (pages, forms, the JSON API, RSS: New)
// and the operator listener (health, metrics, operator pages, profiles:
// NewOps). It reads the PostgreSQL read models and changes state only
// through the write side (commands); it holds no event log.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"

	"github.com/alexedwards/scs/v2"
	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// Deps is what the web front and the operator listener need.
type Deps struct {
	Pool     *pgxpool.Pool      // the read models (queries only)
	Commands *commands.Commands // the write side: every change goes through it
	Statuses func(context.Context) ([]projections.Status, error)
	Gatherer prometheus.Gatherer
	// Waiting names the roles that are not ready yet; empty means ready.
	Waiting func() []string
	// Profiling mounts net/http/pprof at /debug/pprof/ on the operator listener.
	Profiling bool
	// OpsToken, when set, is the bearer token every operator request must carry.
	OpsToken string
	// Plugins mount their pages under /NAME.
	Plugins []Plugin
	// Sessions keeps the site's sessions (NewSessions); nil keeps them in
	// memory, for tests.
	Sessions *scs.SessionManager
	// SiteURL is the site's public base URL; its origin is trusted for
	// state-changing requests, and https makes cookies Secure.
	SiteURL string
	// Viewers finds the signed-in user for every page's header; nil reads
	// the users and ratio read models in Pool.
	Viewers Viewers
	// Logger receives the site's errors; nil is slog.Default().
	Logger *slog.Logger
	// Secret derives the passkeys and RSS keys the profile shows their owner.
	Secret domain.ServerSecret
	// TrackerURL is the tracker's public base URL, which personal .torrent
	// files announce to; empty is SiteURL.
	TrackerURL string
	// Source is the "source" written into every uploaded .torrent's info
	// dictionary (so its info hash is the site's own); empty is the site's
	// name in lower case.
	Source string
	// TrustedProxies are the proxies whose X-Forwarded-For the site
	// believes, for the address failed logins are throttled by
	// (clientAddress); the tracker's --trusted-proxies.
	TrustedProxies []netip.Prefix
	// APILimit is how many requests an API token may make a minute; 0 is
	// DefaultAPILimit.
	APILimit int
	// PeerAddrs opens the addresses of the peers refs name (the announces
	// whose batches in the log hold them, sealed), for staff only: each
	// "ip:port", or "expired" once the key that sealed it is destroyed.
	// nil: the torrent page shows no address column, to anyone.
	PeerAddrs func(ctx context.Context, refs []projections.PeerRef) (map[projections.PeerRef]string, error)
}

// New returns the site's handler: the pages the public and load balancers
// reach. Its /healthz says only ok or starting; metrics, operator pages and
// profiles are on the operator listener (NewOps) alone. Every template is
// parsed here: one that does not parse is New's error.
//
// Every response carries the security headers (securityHeaders); every
// state-changing request from another origin is refused (crossOrigin);
// every page but the static files and /healthz has its session loaded.
// Errors are pages in the site's look, and JSON under /api/ (wantsJSON).
func New(d Deps) (http.Handler, error) {
	s, err := newSite(d)
	if err != nil {
		return nil, err
	}
	cop, err := s.crossOrigin(d.SiteURL)
	if err != nil {
		return nil, err
	}
	r := chi.NewRouter()
	r.Use(securityHeaders, s.recoverer, cop, middleware.GetHead, s.loadSession)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)
	r.Get("/healthz", d.siteHealthz)
	r.Get("/static/*", s.assets.serve(s.notFound))
	r.Get("/", s.homeShow)
	s.profileRoutes(r)
	s.accountRoutes(r)
	s.torrentRoutes(r)
	s.statsRoutes(r)
	s.staffRoutes(r)
	s.torrentPageRoutes(r)
	for _, p := range d.Plugins {
		if p.Name == "" {
			return nil, errNoPluginName
		}
		ps := &Site{s: s, plugin: p.Name}
		if p.Routes != nil {
			r.Route("/"+p.Name, func(r chi.Router) { p.Routes(r, ps) })
		}
		if p.Root != nil {
			p.Root(r, ps)
		}
	}
	return r, nil
}

// site is the site's handlers and what they share.
type site struct {
	Deps
	views    views
	assets   *assets
	sessions *scs.SessionManager
	viewers  Viewers
	log      *slog.Logger
}

func newSite(d Deps) (*site, error) {
	s := &site{Deps: d, sessions: d.Sessions, viewers: d.Viewers, log: d.Logger}
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.views, err = parseViews(s.assets, d.Plugins); err != nil {
		return nil, err
	}
	if s.sessions == nil {
		s.sessions = newSessionManager(SecureCookies(d.SiteURL))
	}
	s.sessions.ErrorFunc = s.sessionFailed
	if s.viewers == nil && d.Pool != nil {
		s.viewers = readModelViewers{d.Pool, domain.GazelleRatioTable}
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s, nil
}

// viewer is the signed-in user r's session names, or nil.
func (s *site) viewer(r *http.Request) (*Viewer, error) {
	id, ok := s.currentUser(r)
	if !ok || s.viewers == nil {
		return nil, nil
	}
	v, err := s.viewers.Viewer(r.Context(), id)
	if domain.KindOf(err) == domain.KindNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// page starts the page data of a view: its title, the navigation item it
// belongs to, and the viewer. A viewer that cannot be read (the database
// is down) is logged, and the page is shown as to someone signed out.
func (s *site) page(r *http.Request, title, section string) page {
	v, err := s.viewer(r)
	if err != nil {
		s.log.Error("read the signed-in user", "route", routeOf(r), "err", err)
	}
	return page{Title: title, Section: section, Viewer: v}
}

// siteHealthz is 200 {"status":"ok"} once every role is ready, and
// 503 {"status":"starting"} before, naming nothing.
func (d Deps) siteHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if len(d.Waiting()) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"status":"starting"}` + "\n"))
		return
	}
	w.Write([]byte(`{"status":"ok"}` + "\n"))
}
