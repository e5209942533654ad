package loadgen

import (
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
