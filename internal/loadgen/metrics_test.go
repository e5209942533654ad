package loadgen

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const sampleMetrics = `# HELP go_memstats_heap_inuse_bytes Number of heap bytes that are in use.
# TYPE go_memstats_heap_inuse_bytes gauge
go_memstats_heap_inuse_bytes 1.2345e+07
# TYPE djembe_tracker_peers gauge
djembe_tracker_peers{kind="seeder"} 700
djembe_tracker_peers{kind="leecher"} 300
# TYPE djembe_tracker_max_peers gauge
djembe_tracker_max_peers 5
# TYPE djembe_tracker_announces_total counter
djembe_tracker_announces_total{result="ok"} 10 1700000000000
djembe_tracker_announces_total{result="failure",reason="a } b"} 2
`

func TestParseMetrics(t *testing.T) {
	m, err := ParseMetrics(strings.NewReader(sampleMetrics))
	if err != nil {
		t.Fatal(err)
	}
	if v := m.Values["go_memstats_heap_inuse_bytes"]; v != 12345000 {
		t.Errorf("heap %v", v)
	}
	if v := m.Values["djembe_tracker_announces_total"]; v != 12 {
		t.Errorf("counter sum %v", v)
	}
	name, v, ok := m.PeerGauge("")
	if !ok || name != "djembe_tracker_peers" || v != 1000 {
		t.Errorf("peer gauge %q %v %v", name, v, ok)
	}
	if _, _, ok := m.PeerGauge("absent"); ok {
		t.Error("a named gauge that is absent must not be found")
	}
	if _, _, ok := (Metrics{}).PeerGauge(""); ok {
		t.Error("no gauges, no peer gauge")
	}
}

func TestBaselineBodySize(t *testing.T) {
	for _, n := range []int{0, 50, minBaselineBody, 100, 333, 1000} {
		b := BaselineBody(n)
		if len(b) != max(n, minBaselineBody) {
			t.Errorf("BaselineBody(%d) is %d bytes", n, len(b))
		}
		if a := classify(b); a.failure != nil {
			t.Errorf("baseline body must look like an answer: %q", b)
		}
	}
}

// ScrapeMetrics sends the operator token when given one, and reports a
// listener that refuses it.
func TestScrapeMetricsSendsTheToken(t *testing.T) {
	const token = "0123456789abcdef0123"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, "token", http.StatusUnauthorized)
			return
		}
		fmt.Fprintln(w, "# TYPE djembe_peers gauge\ndjembe_peers 7")
	}))
	defer srv.Close()
	m, err := ScrapeMetrics(context.Background(), srv.URL+"/metrics", token)
	if err != nil || m.Values["djembe_peers"] != 7 {
		t.Errorf("with the token: %+v, %v", m.Values, err)
	}
	if _, err := ScrapeMetrics(context.Background(), srv.URL+"/metrics", ""); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("without the token: %v, want the 401", err)
	}
}
