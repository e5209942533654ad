// Package web is Djembe's web front (pages, forms, the JSON API, RSS: New)
// and the operator listener (health, metrics, operator pages, profiles:
// NewOps). It reads the PostgreSQL read models and changes state only
// through the write side (commands); it holds no event log.
package web

import (
	"context"
	"net/http"

	"github.com/djembe/djembe/commands"
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
}

// Plugin is a plugin's pages: Routes mounts its handlers (with the
// templates it embeds itself) on a router the site serves under /Name.
type Plugin struct {
	Name   string
	Routes func(r chi.Router)
}

// New returns the site's handler: the pages the public and load balancers
// reach. Its /healthz says only ok or starting; metrics, operator pages and
// profiles are on the operator listener (NewOps) alone.
func New(d Deps) http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer)
	r.Get("/healthz", d.siteHealthz)
	for _, p := range d.Plugins {
		r.Route("/"+p.Name, p.Routes)
	}
	r.NotFound(notFound)
	return r
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeJSONError(w, http.StatusNotFound, "not_found", "no such page: "+r.URL.Path)
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
