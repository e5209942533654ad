package e2e

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchOutput is the part of `djembe bench`'s JSON this test reads.
type benchOutput struct {
	Runs []struct {
		Name      string            `json:"name"`
		Responses uint64            `json:"responses"`
		Errors    uint64            `json:"errors"`
		Events    map[string]uint64 `json:"events"`
		RPS       float64           `json:"requests_per_second"`
	} `json:"runs"`
	Memory struct {
		PeersAdded int `json:"peers_added"`
	} `json:"memory"`
	Ratios      map[string]float64   `json:"tracker_to_baseline_ratio"`
	RoundRatios map[string][]float64 `json:"round_ratios"`
}

// TestBenchLeavesTrackerAsFound runs a small `djembe bench` with the
// baseline, two rounds, against a real serve: every phase answers without
// transport errors, each round's ratios are reported, and at the end every simulated peer has
// announced stopped, so the tracker holds no more peers than before.
func TestBenchLeavesTrackerAsFound(t *testing.T) {
	if testing.Short() {
		t.Skip("starts djembe serve: not in -short mode")
	}
	if !havePostgres() {
		t.Skip("PostgreSQL server binaries missing: apt-get install -y postgresql")
	}
	b := newBudget(t, 240*time.Second)
	w := newWorkspace(t)
	d := startServe(t, buildDjembe(t, w.root, b.cap(90*time.Second)), w.data, w.logs, b)
	defer w.dumpLogsOnFailure(t, d)

	var out benchOutput
	// 100 users: room for 3 peers each in the biggest swarm (the tracker allows no more).
	d.runJSON(&out, "bench", "--users", "100", "--torrents", "50", "--peers", "500", "--conns", "8",
		"--duration", "1s", "--mode", "both", "--baseline", "--rounds", "2", "--settle", "1s")
	round := []string{"tracker keepalive", "tracker close", "baseline keepalive", "baseline close"}
	want := append(append(append([]string{"tracker fill"}, round...), round...), "tracker leave")
	if len(out.Runs) != len(want) {
		t.Fatalf("%d runs, want %v", len(out.Runs), want)
	}
	for i, r := range out.Runs {
		if r.Name != want[i] || r.Errors != 0 || r.Responses == 0 {
			t.Errorf("run %d: %s, %d responses, %d errors; want %s without errors", i, r.Name, r.Responses, r.Errors, want[i])
		}
	}
	if leave := out.Runs[len(out.Runs)-1]; leave.Events["stopped"] != leave.Responses || len(leave.Events) != 1 {
		t.Errorf("leave sent %v for %d responses, want only stopped", leave.Events, leave.Responses)
	}
	if out.Memory.PeersAdded != 500 {
		t.Errorf("the fill added %d peers, want 500", out.Memory.PeersAdded)
	}
	if out.Ratios["keepalive"] <= 0 || out.Ratios["close"] <= 0 ||
		len(out.RoundRatios["keepalive"]) != 2 || len(out.RoundRatios["close"]) != 2 {
		t.Errorf("ratios %v, rounds %v; want both modes, two rounds each", out.Ratios, out.RoundRatios)
	}
	if n := trackerPeers(t, d.opsURL); n != 0 {
		t.Errorf("%v peers left on the tracker after the bench, want 0", n)
	}
}

// trackerPeers reads the tracker's active peer gauge from /metrics.
func trackerPeers(t *testing.T, opsURL string) float64 {
	t.Helper()
	resp, err := http.Get(opsURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "djembe_tracker_peers "); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("djembe_tracker_peers %q: %v", v, err)
			}
			return n
		}
	}
	t.Fatal("no djembe_tracker_peers in /metrics")
	return 0
}
