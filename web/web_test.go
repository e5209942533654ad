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
	h := New(Deps{Pool: pool, Gatherer: reg, Waiting: func() []string { return waiting },
		Statuses: func(ctx context.Context) ([]projections.Status, error) { return projections.Statuses(ctx, pool, log) }})

	if code, body := get(t, h, "/healthz"); code != 503 || !strings.Contains(body, "tracker") {
		t.Fatalf("healthz while starting: %d %s", code, body)
	}
	waiting = nil
	if code, body := get(t, h, "/healthz"); code != 200 {
		t.Fatalf("healthz when ready: %d %s", code, body)
	}
	if _, err := pool.Exec(t.Context(), `INSERT INTO projections (name, version, seq) VALUES ('users', 1, 0)`); err != nil {
		t.Fatal(err)
	}
	if code, body := get(t, h, "/metrics"); code != 200 || !strings.Contains(body, `djembe_projection_lag_events{projection="users"} 0`) {
		t.Fatalf("metrics: %d\n%s", code, body)
	}
	if code, body := get(t, h, "/ops/projections"); code != 200 || !strings.Contains(body, "<td>users</td>") {
		t.Fatalf("operator page: %d\n%s", code, body)
	}
	code, body := get(t, h, "/no/such/page")
	var e struct {
		Error struct{ Code, Message string }
	}
	if code != 404 || json.Unmarshal([]byte(body), &e) != nil || e.Error.Code != "not_found" {
		t.Fatalf("unknown path: %d %s", code, body)
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
	page := func(text string) func(chi.Router) {
		return func(r chi.Router) {
			r.Get("/", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, text+" index") })
			r.Get("/{id}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, text+" "+chi.URLParam(r, "id")) })
		}
	}
	h := New(Deps{Gatherer: prometheus.NewRegistry(), Waiting: func() []string { return nil },
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
