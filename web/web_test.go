package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
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
	h := New(Deps{Pool: pool, Log: log, Gatherer: reg, Waiting: func() []string { return waiting }})

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
