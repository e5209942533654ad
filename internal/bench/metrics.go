package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/djembe/djembe/internal/loadgen"
)

// Metrics of the serve's background work.
const (
	metricProjectionLag = "djembe_projection_lag_events"
)

// Tracker metrics reported per run.
const (
	metricAnnounces = "djembe_tracker_announces_total"
	metricStored    = "djembe_tracker_announces_stored_total"
	metricPending   = "djembe_tracker_pending_announces"
	metricPeers     = "djembe_tracker_peers"
)

// scrape reads the tracker's metrics, or returns nil (and says why) when
// there is no operator listener to read them from.
func (b *bench) scrape(ctx context.Context) *loadgen.Metrics {
	if b.c.OpsURL == "" {
		return nil
	}
	m, err := loadgen.ScrapeMetrics(ctx, b.c.OpsURL+"/metrics", b.c.opsToken)
	if err != nil {
		fmt.Fprintf(b.w, "memory: %v\n", err)
		return nil
	}
	return &m
}

// forceGC asks the tracker process for a heap profile with gc=1, which runs
// a garbage collection first; it reports whether the operator listener serves
// net/http/pprof.
func (b *bench) forceGC(ctx context.Context) bool {
	if b.c.OpsURL == "" {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.c.OpsURL+"/debug/pprof/heap?gc=1", nil)
	if err != nil {
		return false
	}
	if b.c.opsToken != "" {
		req.Header.Set("Authorization", "Bearer "+b.c.opsToken)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode == http.StatusOK
}

// quiesce waits, at most --quiet-timeout, until the serve has caught up with
// the previous run: its projectors have applied the whole log and its
// tracker has stored every accepted announce. Each run, the baseline's too,
// then starts on an otherwise idle machine; the work a run causes still
// counts against it while it runs. It returns the last reading of the
// serve's metrics, nil if there was none.
func (b *bench) quiesce(ctx context.Context) *loadgen.Metrics {
	start := time.Now()
	for {
		m := b.scrape(ctx)
		if m == nil {
			return nil
		}
		lag, pending := m.Values[metricProjectionLag], m.Values[metricPending]
		if lag == 0 && pending == 0 {
			if d := time.Since(start); d > 500*time.Millisecond {
				fmt.Fprintf(b.w, "    (waited %.1fs for the serve's projectors and publisher to catch up)\n", d.Seconds())
			}
			return m
		}
		if time.Since(start) > b.c.QuietTimeout || ctx.Err() != nil {
			fmt.Fprintf(b.w, "    (still busy after %s: projection lag %.0f events, %.0f announces pending; measuring anyway)\n", b.c.QuietTimeout, lag, pending)
			return m
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// serverMetrics records how many announces the tracker counted and stored
// in the log during the run, and its backlog and peers right after it.
func (b *bench) serverMetrics(ctx context.Context, r *loadgen.Result, before *loadgen.Metrics) {
	after := b.scrape(ctx)
	if after == nil {
		return
	}
	if _, ok := after.Values[metricAnnounces]; !ok {
		return
	}
	r.Server = map[string]float64{
		"announces_counted":       after.Values[metricAnnounces] - before.Values[metricAnnounces],
		"announces_stored_in_log": after.Values[metricStored] - before.Values[metricStored],
		"pending_announces_after": after.Values[metricPending],
		"active_peers_after":      after.Values[metricPeers],
	}
	fmt.Fprintf(b.w, "    tracker: %.0f announces counted, %.0f stored in the log during the run, %.0f pending after it, %.0f active peers\n",
		r.Server["announces_counted"], r.Server["announces_stored_in_log"], r.Server["pending_announces_after"], r.Server["active_peers_after"])
}
