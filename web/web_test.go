package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// newSiteHandler is New(d), failing t on error.
func newSiteHandler(t *testing.T, d Deps) http.Handler {
	t.Helper()
	h, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, string(b)
}

func TestHealthMetricsAndOperatorPages(t *testing.T) {
	pool, log := testenv.DB(t), testenv.Log(t)
	reg := prometheus.NewRegistry()
	reg.MustRegister(projections.NewCollector(pool, log))
	waiting := []string{"tracker"}
	d := Deps{Pool: pool, Gatherer: reg, Waiting: func() []string { return waiting },
		Statuses: func(ctx context.Context) ([]projections.Status, error) { return projections.Statuses(ctx, pool, log) }}
	site, ops := newSiteHandler(t, d), NewOps(d)

	if code, body := get(t, site, "/healthz"); code != 503 || strings.TrimSpace(body) != `{"status":"starting"}` {
		t.Fatalf("site healthz while starting: %d %s", code, body)
	}
	if code, body := get(t, ops, "/healthz"); code != 503 || !strings.Contains(body, "tracker") {
		t.Fatalf("operator healthz while starting: %d %s", code, body)
	}
	waiting = nil
	for _, h := range []http.Handler{site, ops} {
		if code, body := get(t, h, "/healthz"); code != 200 || strings.TrimSpace(body) != `{"status":"ok"}` {
			t.Fatalf("healthz when ready: %d %s", code, body)
		}
	}
	if _, err := pool.Exec(t.Context(), `INSERT INTO projections (name, version, seq) VALUES ('users', 1, 0)`); err != nil {
		t.Fatal(err)
	}
	if code, body := get(t, ops, "/metrics"); code != 200 || !strings.Contains(body, `djembe_projection_lag_events{projection="users"} 0`) {
		t.Fatalf("metrics: %d\n%s", code, body)
	}
	if code, body := get(t, ops, "/ops/projections"); code != 200 || !strings.Contains(body, "<td>users</td>") {
		t.Fatalf("operator page: %d\n%s", code, body)
	}
	code, body := get(t, site, "/api/no/such/page")
	var e struct {
		Error struct{ Code, Message string }
	}
	if code != 404 || json.Unmarshal([]byte(body), &e) != nil || e.Error.Code != "not_found" {
		t.Fatalf("unknown path: %d %s", code, body)
	}
}

// The site answers none of the operator's paths: they are on the operator
// listener only, and profiles only when profiling is on.
func TestTheSiteServesNoOperatorPath(t *testing.T) {
	d := Deps{Gatherer: prometheus.NewRegistry(), Waiting: func() []string { return nil }, Profiling: true,
		Statuses: func(context.Context) ([]projections.Status, error) { return nil, nil }}
	site, ops := newSiteHandler(t, d), NewOps(d)
	for _, path := range []string{"/metrics", "/ops/projections", "/api/ops/projections", "/debug/pprof/"} {
		if code, _ := get(t, site, path); code != 404 {
			t.Errorf("the site answered %s with %d", path, code)
		}
		if code, _ := get(t, ops, path); code != 200 {
			t.Errorf("the operator listener answered %s with %d", path, code)
		}
	}
	d.Profiling = false
	if code, _ := get(t, NewOps(d), "/debug/pprof/"); code != 404 {
		t.Errorf("without profiling, /debug/pprof/ answered %d", code)
	}
}

// With a token, every operator path wants it as a bearer token.
func TestOperatorTokenIsRequired(t *testing.T) {
	ops := NewOps(Deps{Gatherer: prometheus.NewRegistry(), Waiting: func() []string { return nil }, OpsToken: "s3cret-token"})
	for _, auth := range []string{"", "Bearer wrong", "Bearer s3cret-token-and-more", "s3cret-token", "Basic czNjcmV0LXRva2Vu"} {
		for _, path := range []string{"/healthz", "/metrics", "/nope"} {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("GET", path, nil)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			ops.ServeHTTP(rec, req)
			var e struct{ Error struct{ Code string } }
			if rec.Code != 401 || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Code != "unauthorized" {
				t.Errorf("%s with %q: %d %s", path, auth, rec.Code, rec.Body)
			}
		}
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.Header.Set("Authorization", "Bearer s3cret-token")
	ops.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("with the token: %d %s", rec.Code, rec.Body)
	}
}

func TestErrorKindsBecomeStatusesAndCodes(t *testing.T) {
	for _, tc := range []struct {
		err          error
		status       int
		code, detail string
	}{
		{domain.E("add torrent", domain.KindInvalid, "this is not a valid .torrent"), 400, "invalid", "this is not a valid .torrent"},
		{domain.E("get torrent", domain.KindNotFound, "no torrent"), 404, "not_found", "no torrent"},
		{domain.E("register user", domain.KindConflict, "username taken"), 409, "conflict", "username taken"},
		{domain.E("set factors", domain.KindForbidden, "only staff"), 403, "forbidden", "only staff"},
		{domain.E("add torrent", domain.KindUnavailable, "the log did not answer"), 503, "unavailable", "the log did not answer"},
		{fmt.Errorf("disk on fire at /var/secret"), 500, "internal", "something went wrong"},
		{domain.Wrap("outer", errors.New("pq: password=hunter2")), 500, "internal", "something went wrong"},
	} {
		rec := httptest.NewRecorder()
		writeError(rec, tc.err)
		var e struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != tc.status || e.Error.Code != tc.code ||
			!strings.Contains(e.Error.Message, tc.detail) {
			t.Errorf("%v: %d %s; want %d %s saying %q", tc.err, rec.Code, rec.Body, tc.status, tc.code, tc.detail)
		}
		if tc.status == 500 && (strings.Contains(rec.Body.String(), "secret") || strings.Contains(rec.Body.String(), "hunter2")) {
			t.Errorf("an internal error's text reached the client: %s", rec.Body)
		}
	}
}

func TestPluginsMountTheirPages(t *testing.T) {
	page := func(text string) func(chi.Router, *Site) {
		return func(r chi.Router, _ *Site) {
			r.Get("/", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, text+" index") })
			r.Get("/{id}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, text+" "+chi.URLParam(r, "id")) })
		}
	}
	h := newSiteHandler(t, Deps{Gatherer: prometheus.NewRegistry(), Waiting: func() []string { return nil },
		Plugins: []Plugin{{Name: "music", Routes: page("artist")}, {Name: "movies", Routes: page("movie")}}})
	for path, want := range map[string]string{"/music/": "artist index", "/music/42": "artist 42", "/movies/7": "movie 7"} {
		if code, body := get(t, h, path); code != 200 || body != want {
			t.Errorf("GET %s: %d %q, want %q", path, code, body, want)
		}
	}
	if code, _ := get(t, h, "/books/1"); code != 404 {
		t.Errorf("an unmounted plugin's path answered %d", code)
	}
}
