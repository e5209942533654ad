package bench

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/djembe/djembe/internal/loadgen"
)

// Metric names read from the tracker process's /metrics.
const (
	metricHeapInuse = "go_memstats_heap_inuse_bytes"
	metricHeapLive  = "go_gc_heap_live_bytes" // only when the Go collector exports runtime/metrics' /gc/heap/live:bytes
	metricRSS       = "process_resident_memory_bytes"
	metricGCs       = "go_gc_duration_seconds_count"
	metricPeerBytes = "djembe_tracker_peer_bytes" // the tracker's own count of bytes held by peers and indexes
)

// MemoryReport is the tracker's memory per active peer: the growth of its
// heap (and RSS) while the fill phase added peers, divided by the growth of
// its active-peer gauge (or, without one, by the peers the fill announced).
type MemoryReport struct {
	PeerGauge        string  `json:"peer_gauge,omitempty"`
	PeersBefore      float64 `json:"peers_before"`
	PeersAfter       float64 `json:"peers_after"`
	PeersAdded       float64 `json:"peers_added"`
	HeapInuseBefore  float64 `json:"heap_inuse_bytes_before"`
	HeapInuseAfter   float64 `json:"heap_inuse_bytes_after"`
	HeapLiveBefore   float64 `json:"heap_live_bytes_before,omitempty"`
	HeapLiveAfter    float64 `json:"heap_live_bytes_after,omitempty"`
	TrackerPeerBytes float64 `json:"tracker_peer_bytes_after,omitempty"`
	TrackerPerPeer   float64 `json:"tracker_peer_bytes_per_peer,omitempty"` // the tracker's own accounting
	RSSBefore        float64 `json:"rss_bytes_before"`
	RSSAfter         float64 `json:"rss_bytes_after"`
	HeapInusePerPeer float64 `json:"heap_inuse_bytes_per_peer"`
	HeapLivePerPeer  float64 `json:"heap_live_bytes_per_peer,omitempty"`
	RSSPerPeer       float64 `json:"rss_bytes_per_peer"`
	HeapPerPeerTotal float64 `json:"heap_inuse_bytes_per_peer_whole_process"` // an upper bound: all of the heap over all peers
	Reading          string  `json:"reading"`                                 // how the after reading was taken
	ReadingBefore    string  `json:"reading_before"`                          // how the before reading was taken
	Note             string  `json:"note,omitempty"`
}

// reading scrapes the tracker's metrics for a memory figure. With settle it
// first waits for the serve to be idle (projectors caught up,
// announces stored), so the figure is not of work in flight. Then it forces
// a GC when the operator listener serves /debug/pprof; otherwise it waits, at
// most --settle, for garbage collections until two readings taken right
// after a GC agree within 2%: the heap then holds what is live, not the
// fill's garbage.
func (b *bench) reading(ctx context.Context, settle bool) (*loadgen.Metrics, string) {
	if settle {
		b.quiesce(ctx)
	}
	if b.forceGC(ctx) && b.forceGC(ctx) {
		return b.scrape(ctx), "the serve was idle, after a forced GC (/debug/pprof/heap?gc=1)"
	}
	if !settle {
		return b.scrape(ctx), "a plain scrape"
	}
	m, gcs, stable := b.settled(ctx)
	if !stable {
		return m, fmt.Sprintf("the serve was idle, after %.0f GCs in --settle %s; the heap was still changing (no /debug/pprof to force a GC; try a longer --settle)", gcs, b.c.Settle)
	}
	return m, fmt.Sprintf("the serve was idle, after %.0f GCs, heap stable (no /debug/pprof to force a GC)", gcs)
}

// settled is reading's fallback when no GC can be forced. An idle Go
// process collects at least every two minutes, so a --settle of a few
// minutes always sees two collections.
func (b *bench) settled(ctx context.Context) (m *loadgen.Metrics, gcs float64, stable bool) {
	first := b.scrape(ctx)
	if first == nil {
		return nil, 0, false
	}
	deadline := time.Now().Add(b.c.Settle)
	last, lastGC := first, (*loadgen.Metrics)(nil) // lastGC: the reading right after the previous GC seen
	for time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(time.Second)
		m := b.scrape(ctx)
		if m == nil {
			break
		}
		if m.Values[metricGCs] == last.Values[metricGCs] {
			continue
		}
		last = m
		if lastGC != nil && math.Abs(m.Values[metricHeapInuse]-lastGC.Values[metricHeapInuse]) <= 0.02*lastGC.Values[metricHeapInuse] {
			return m, m.Values[metricGCs] - first.Values[metricGCs], true
		}
		lastGC = m
	}
	return last, last.Values[metricGCs] - first.Values[metricGCs], false
}

// memory computes and prints the memory per active peer added by fill.
func (b *bench) memory(ctx context.Context, before *loadgen.Metrics, beforeHow string, fill *loadgen.Result) {
	if before == nil {
		fmt.Fprintln(b.w, "memory: not measured (no /metrics to read; pass --ops URL)")
		return
	}
	after, how := b.reading(ctx, true)
	if after == nil {
		return
	}
	rep := &MemoryReport{Reading: how, ReadingBefore: beforeHow,
		HeapInuseBefore: before.Values[metricHeapInuse], HeapInuseAfter: after.Values[metricHeapInuse],
		HeapLiveBefore: before.Values[metricHeapLive], HeapLiveAfter: after.Values[metricHeapLive],
		RSSBefore: before.Values[metricRSS], RSSAfter: after.Values[metricRSS]}
	name, pb, okB := before.PeerGauge(b.c.PeerMetric)
	_, pa, okA := after.PeerGauge(name)
	if okB && okA {
		rep.PeerGauge, rep.PeersBefore, rep.PeersAfter, rep.PeersAdded = name, pb, pa, pa-pb
	} else {
		rep.PeersAdded = float64(fill.OK)
		rep.Note = "the tracker exposes no active-peer gauge: divided by the peers the fill announced successfully"
	}
	if rep.PeersAdded > 0 {
		rep.HeapInusePerPeer = (rep.HeapInuseAfter - rep.HeapInuseBefore) / rep.PeersAdded
		rep.RSSPerPeer = (rep.RSSAfter - rep.RSSBefore) / rep.PeersAdded
		if rep.HeapLiveAfter > 0 {
			rep.HeapLivePerPeer = (rep.HeapLiveAfter - rep.HeapLiveBefore) / rep.PeersAdded
		}
	}
	if total := max(rep.PeersAfter, rep.PeersAdded); total > 0 {
		rep.HeapPerPeerTotal = rep.HeapInuseAfter / total
		if pb, ok := after.Values[metricPeerBytes]; ok && rep.PeersAfter > 0 {
			rep.TrackerPeerBytes, rep.TrackerPerPeer = pb, pb/rep.PeersAfter
		}
	}
	b.summary.Memory = rep
	b.printMemory(rep)
}

func (b *bench) printMemory(r *MemoryReport) {
	w := b.w
	if r.PeerGauge != "" {
		fmt.Fprintf(w, "memory: active peers %s %.0f -> %.0f (+%.0f)\n", r.PeerGauge, r.PeersBefore, r.PeersAfter, r.PeersAdded)
	} else {
		fmt.Fprintf(w, "memory: %s (%.0f)\n", r.Note, r.PeersAdded)
	}
	fmt.Fprintf(w, "memory: read before the fill: %s; after it: %s\n", r.ReadingBefore, r.Reading)
	fmt.Fprintf(w, "memory: heap in use %.1f -> %.1f MiB: %.0f bytes per added peer (whole heap / peers: %.0f)\n",
		r.HeapInuseBefore/(1<<20), r.HeapInuseAfter/(1<<20), r.HeapInusePerPeer, r.HeapPerPeerTotal)
	if r.HeapLiveAfter > 0 {
		fmt.Fprintf(w, "memory: live heap %.1f -> %.1f MiB: %.0f bytes per added peer\n", r.HeapLiveBefore/(1<<20), r.HeapLiveAfter/(1<<20), r.HeapLivePerPeer)
	}
	if r.TrackerPeerBytes > 0 {
		fmt.Fprintf(w, "memory: the tracker counts %.1f MiB held by peers and indexes: %.0f bytes per active peer\n", r.TrackerPeerBytes/(1<<20), r.TrackerPerPeer)
	}
	fmt.Fprintf(w, "memory: RSS %.1f -> %.1f MiB: %.0f bytes per added peer\n", r.RSSBefore/(1<<20), r.RSSAfter/(1<<20), r.RSSPerPeer)
}
