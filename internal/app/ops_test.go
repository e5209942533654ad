package app

import (
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/instance"
)

// The operator listener refuses a non-loopback bind without a token, before
// anything starts.
func TestOperatorListenerRefusesNonLoopbackWithoutToken(t *testing.T) {
	data := dataDir(t)
	m := New(Config{Instance: instance.Config{DataDir: data}, Web: "127.0.0.1:0", Ops: "0.0.0.0:0",
		Trackers: []string{"127.0.0.1:0"}, Roles: Roles{Tracker: true, Projectors: true}, Log: io.Discard})
	err := m.Run(t.Context())
	if err == nil || !strings.Contains(err.Error(), "--ops-token-file") || domain.KindOf(err) != domain.KindInvalid {
		t.Fatalf("a non-loopback operator listener without a token: %v", err)
	}
	if _, err := os.Stat(filepath.Join(data, "pg")); err == nil {
		t.Fatal("the refused Main started PostgreSQL")
	}
}

// The site's listener answers /healthz revealing nothing and no longer
// answers /metrics, the operator pages or profiles; the operator listener
// (here public, so with a token) answers them to the token's bearer only.
func TestTheSiteNoLongerAnswersMetrics(t *testing.T) {
	data := dataDir(t)
	token := "0123456789abcdef0123456789abcdef"
	tokenFile := filepath.Join(filepath.Dir(data), "ops.token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := New(Config{Instance: instance.Config{DataDir: data}, Web: "127.0.0.1:0", Ops: "0.0.0.0:0", OpsTokenFile: tokenFile,
		Trackers: []string{"127.0.0.1:0"}, Roles: Roles{Tracker: true, Projectors: true}, Pprof: true, Log: io.Discard})
	if err := m.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	<-m.Ready()

	if code, body := get(t, m.WebURL()+"/healthz"); code != 200 || strings.TrimSpace(body) != `{"status":"ok"}` {
		t.Fatalf("site healthz: %d %s", code, body)
	}
	for _, path := range []string{"/metrics", "/ops/projections", "/api/ops/projections", "/debug/pprof/"} {
		if code, _ := get(t, m.WebURL()+path); code != 404 {
			t.Errorf("the site answered %s with %d", path, code)
		}
	}
	_, port, _ := net.SplitHostPort(m.opsLn.Addr().String())
	ops := "http://127.0.0.1:" + port
	if rt, err := instance.ReadRuntime(data); err != nil || rt.OpsAddr != m.opsLn.Addr().String() {
		t.Fatalf("runtime.json ops_addr %q (%v), want %s", rt.OpsAddr, err, m.opsLn.Addr())
	}
	opsGet := func(path, auth string) (int, string) {
		req, _ := http.NewRequest("GET", ops+path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for _, path := range []string{"/healthz", "/metrics", "/api/ops/projections"} {
		if code, body := opsGet(path, ""); code != 401 {
			t.Errorf("operator %s without the token: %d %s", path, code, body)
		}
		if code, body := opsGet(path, "Bearer "+token); code != 200 {
			t.Errorf("operator %s with the token: %d %s", path, code, body)
		}
	}
	if _, body := opsGet("/metrics", "Bearer "+token); !strings.Contains(body, "djembe_projection_lag_events") {
		t.Errorf("operator /metrics has no projection lag:\n%s", body)
	}
	// A CPU profile outlasts no write deadline of the operator server.
	if code, body := opsGet("/debug/pprof/profile?seconds=1", "Bearer "+token); code != 200 || len(body) == 0 {
		t.Errorf("CPU profile: %d %.200s", code, body)
	}
	for name, srv := range map[string]*http.Server{"web": m.webSrv, "ops": m.opsSrv} {
		if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.IdleTimeout <= 0 || (name == "web" && srv.WriteTimeout <= 0) {
			t.Errorf("the %s server lacks a timeout: %+v", name, srv)
		}
	}
}
