// Package web is Djembe's web front: pages, forms, the JSON API, RSS, and
// the operator pages. It reads the PostgreSQL read models and changes state
// only through the write side (commands); it holds no event log.
package web

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Deps is what the web front needs.
type Deps struct {
	Pool     *pgxpool.Pool      // the read models (queries only)
	Commands *commands.Commands // the write side: every change goes through it
	Statuses func(context.Context) ([]projections.Status, error)
	Gatherer prometheus.Gatherer
	// Waiting names the roles that are not ready yet; empty means ready.
	Waiting func() []string
	// Profiling mounts net/http/pprof at /debug/pprof/ (operators only:
	// enable it on a web listener the public cannot reach).
	Profiling bool
	// Plugins mount their pages under /NAME.
	Plugins []Plugin
}

// Plugin is a plugin's pages: Routes mounts its handlers (with the
// templates it embeds itself) on a router the site serves under /Name.
type Plugin struct {
	Name   string
	Routes func(r chi.Router)
}

// New returns the web front's handler.
func New(d Deps) http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer)
	r.Get("/healthz", d.healthz)
	r.Handle("/metrics", promhttp.HandlerFor(d.Gatherer, promhttp.HandlerOpts{}))
	r.Get("/ops/projections", d.opsProjections)
	r.Get("/api/ops/projections", d.apiProjections)
	if d.Profiling {
		r.Mount("/debug", middleware.Profiler())
	}
	for _, p := range d.Plugins {
		r.Route("/"+p.Name, p.Routes)
	}
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, http.StatusNotFound, "not_found", "no such page: "+r.URL.Path)
	})
	return r
}

func (d Deps) healthz(w http.ResponseWriter, r *http.Request) {
	if waiting := d.Waiting(); len(waiting) > 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(w).Encode(map[string]any{"status": "starting", "waiting": waiting})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"status":"ok"}` + "\n"))
}

func (d Deps) statuses(r *http.Request) ([]projections.Status, error) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	return d.Statuses(ctx)
}

func (d Deps) apiProjections(w http.ResponseWriter, r *http.Request) {
	st, err := d.statuses(r)
	if err != nil {
		writeError(w, &domain.Error{Op: "read projections", Kind: domain.KindUnavailable, Err: err})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"projections": st})
}

var opsPage = template.Must(template.New("ops").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Projections · Djembe</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:right}th:first-child,td:first-child{text-align:left}.lag{font-weight:bold}</style>
</head><body><h1>Projections</h1>
<p>Log last sequence: {{.Last}}. Rebuild a read model with <code>djembe replay NAME</code> or <code>djembe replay --all</code>.</p>
<table><thead><tr><th>Projection</th><th>Version</th><th>Checkpoint</th><th>Lag (events)</th><th>Updated</th><th>Rebuilt</th></tr></thead><tbody>
{{range .Rows}}<tr><td>{{.Name}}</td><td>{{.Version}}</td><td>{{.Seq}}</td><td class="lag">{{.Lag}}</td><td>{{.UpdatedAt.Format "2006-01-02 15:04:05"}}</td><td>{{if .RebuiltAt}}{{.RebuiltAt.Format "2006-01-02 15:04:05"}}{{else}}never{{end}}</td></tr>
{{end}}</tbody></table></body></html>`))

func (d Deps) opsProjections(w http.ResponseWriter, r *http.Request) {
	st, err := d.statuses(r)
	if err != nil {
		http.Error(w, "projections unavailable: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	var last uint64
	if len(st) > 0 {
		last = st[0].LastSeq
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	opsPage.Execute(w, map[string]any{"Rows": st, "Last": last})
}
