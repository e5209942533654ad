package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// OpsWriteTimeout is how long an operator request may take to be answered;
// a profile or trace gets its duration on top. The operator server sets no
// WriteTimeout of its own: each request sets its deadline here.
const OpsWriteTimeout = time.Minute

// NewOps returns the operator listener's handler: /healthz naming the roles
// still starting, /metrics, the operator pages and, with Profiling,
// /debug/pprof. With OpsToken set, every request without that bearer token
// is refused with 401.
func NewOps(d Deps) http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer, writeDeadline)
	if d.OpsToken != "" {
		r.Use(bearer(d.OpsToken))
	}
	r.Get("/healthz", d.opsHealthz)
	r.Handle("/metrics", promhttp.HandlerFor(d.Gatherer, promhttp.HandlerOpts{}))
	r.Get("/ops/projections", d.opsProjections)
	r.Get("/api/ops/projections", d.apiProjections)
	if d.Profiling {
		r.Mount("/debug", middleware.Profiler())
	}
	r.NotFound(notFound)
	return r
}

// writeDeadline gives each request OpsWriteTimeout to be answered, plus the
// ?seconds= a profile or trace runs for.
func writeDeadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := OpsWriteTimeout
		if strings.HasPrefix(r.URL.Path, "/debug/pprof/") {
			if s, err := strconv.Atoi(r.URL.Query().Get("seconds")); err == nil && s > 0 {
				d += time.Duration(s) * time.Second
			} else {
				d += 30 * time.Second // pprof's default duration
			}
		}
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d))
		next.ServeHTTP(w, r)
	})
}

// bearer refuses, with 401, a request whose Authorization is not
// "Bearer <token>". The comparison takes the same time whatever the guess.
func bearer(token string) func(http.Handler) http.Handler {
	want := sha256.Sum256([]byte(token))
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			given, isBearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			got := sha256.Sum256([]byte(given))
			if subtle.ConstantTimeCompare(got[:], want[:]) != 1 || !isBearer {
				w.Header().Set("WWW-Authenticate", `Bearer realm="djembe operator"`)
				writeJSONError(w, http.StatusUnauthorized, "unauthorized", "the operator listener needs Authorization: Bearer <the --ops-token-file token>")
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// opsHealthz is 200 once every role is ready, and 503 naming the roles
// still starting before.
func (d Deps) opsHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if waiting := d.Waiting(); len(waiting) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(w).Encode(map[string]any{"status": "starting", "waiting": waiting})
		return
	}
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
