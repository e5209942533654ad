package loadgen

import (
	"fmt"
	"io"
	"sort"
	"time"
)

// Result is one run's measurement. RPS counts HTTP responses with status
// 200 (answers, including refusals with a failure reason) per second of wall
// time; latencies are of every HTTP response, measured from the moment the
// request was due (open loop) or written (closed loop) to the end of its body.
type Result struct {
	Name           string             `json:"name"`
	Target         string             `json:"target"`
	Mode           string             `json:"mode"`
	Conns          int                `json:"conns"`
	RateTarget     float64            `json:"rate_target,omitempty"`
	Seconds        float64            `json:"seconds"`
	Responses      uint64             `json:"responses"`
	OK             uint64             `json:"ok"`
	Failures       uint64             `json:"failures"`
	FailureReasons map[string]uint64  `json:"failure_reasons,omitempty"`
	Warnings       uint64             `json:"warnings"`
	Errors         uint64             `json:"errors"`
	ErrorKinds     map[string]uint64  `json:"error_kinds,omitempty"`
	Events         map[string]uint64  `json:"events"`
	RPS            float64            `json:"requests_per_second"`
	Latency        Latency            `json:"latency_ms"`
	SendLag        *Latency           `json:"send_lag_ms,omitempty"`        // open loop: how late requests left the generator
	Service        *Latency           `json:"service_latency_ms,omitempty"` // open loop: latency from the actual send
	AvgBodyBytes   float64            `json:"avg_body_bytes"`
	AvgPeers       float64            `json:"avg_peers_returned"`
	Server         map[string]float64 `json:"server_metrics,omitempty"` // filled in by the caller from the server's /metrics
	Hist           *Histogram         `json:"-"`
}

// Latency is a latency summary in milliseconds.
type Latency struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p99_9"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// Summarize reads the percentiles out of h.
func Summarize(h *Histogram) Latency {
	return Latency{P50: ms(h.Quantile(0.5)), P90: ms(h.Quantile(0.9)), P99: ms(h.Quantile(0.99)),
		P999: ms(h.Quantile(0.999)), Max: ms(h.Max()), Mean: ms(h.Mean())}
}

func newResult(cfg Config, s *stats, elapsed time.Duration) *Result {
	r := &Result{Name: cfg.Name, Target: cfg.Target.Name, Mode: cfg.Mode.String(), Conns: cfg.Conns, RateTarget: cfg.Rate,
		Seconds: elapsed.Seconds(), Responses: s.responses, OK: s.ok, Failures: s.failures, Warnings: s.warnings,
		FailureReasons: s.reasons, ErrorKinds: s.errors, Events: map[string]uint64{}, Hist: &s.hist}
	for _, v := range s.errors {
		r.Errors += v
	}
	for i, v := range s.events {
		if v > 0 {
			r.Events[Event(i).String()] = v
		}
	}
	if elapsed > 0 {
		r.RPS = float64(s.ok+s.failures) / elapsed.Seconds()
	}
	r.Latency = Summarize(&s.hist)
	if s.lag.Count() > 0 {
		lag, service := Summarize(&s.lag), Summarize(&s.service)
		r.SendLag, r.Service = &lag, &service
	}
	if s.responses > 0 {
		r.AvgBodyBytes = float64(s.bodyBytes) / float64(s.responses)
	}
	if s.ok > 0 {
		r.AvgPeers = float64(s.peers) / float64(s.ok)
	}
	return r
}

// WriteTableHeader writes the column names WriteRow fills.
func WriteTableHeader(w io.Writer) {
	fmt.Fprintf(w, "%-22s %-9s %5s %10s %9s %8s %8s %8s %8s %8s %9s %9s %7s\n",
		"run", "mode", "conns", "req/s", "responses", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "failures", "errors", "peers")
}

// WriteRow writes r as one table line, then its failure reasons and errors.
func (r *Result) WriteRow(w io.Writer) {
	fmt.Fprintf(w, "%-22s %-9s %5d %10.0f %9d %8.3f %8.3f %8.3f %8.3f %8.3f %9d %9d %7.1f\n",
		r.Name, r.Mode, r.Conns, r.RPS, r.Responses, r.Latency.P50, r.Latency.P90, r.Latency.P99, r.Latency.P999, r.Latency.Max,
		r.Failures, r.Errors, r.AvgPeers)
	if r.SendLag != nil {
		fmt.Fprintf(w, "    open loop at %.0f req/s: latency above is from when each request was due; sent late by p50 %.3f p99 %.3f max %.3f ms; from the actual send p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f ms\n",
			r.RateTarget, r.SendLag.P50, r.SendLag.P99, r.SendLag.Max, r.Service.P50, r.Service.P90, r.Service.P99, r.Service.P999, r.Service.Max)
	}
	writeCounts(w, "failure reason", r.FailureReasons)
	writeCounts(w, "error", r.ErrorKinds)
}

func writeCounts(w io.Writer, what string, m map[string]uint64) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
	for _, k := range keys {
		fmt.Fprintf(w, "    %s %q: %d\n", what, k, m[k])
	}
}
