package loadgen

import (
	"time"
)

// stats is one connection's tally; merged into a Result at the end of a run.
type stats struct {
	hist      Histogram
	lag       Histogram // open loop: how late each request was sent (generator and scheduler delay)
	service   Histogram // open loop: latency from the actual send, without the lag
	responses uint64    // HTTP responses of any status
	ok        uint64    // status 200 without a failure reason
	failures  uint64    // status 200 with a failure reason
	warnings  uint64
	bodyBytes uint64
	peers     uint64
	reasons   map[string]uint64 // failure reason -> count
	errors    map[string]uint64 // "op: cause" or "status N" -> count
	events    [eventCount]uint64
}

func newStats() *stats {
	return &stats{reasons: map[string]uint64{}, errors: map[string]uint64{}}
}

// maxReasonLen bounds a failure reason used as a report key, so reasons that
// embed a variable detail still group.
const maxReasonLen = 64

// response tallies one HTTP response that took latency.
func (s *stats) response(resp response, latency time.Duration) {
	s.hist.Record(latency)
	s.responses++
	s.bodyBytes += uint64(len(resp.body))
	if resp.status != 200 {
		s.errors["status "+statusText(resp.status)]++
		return
	}
	a := classify(resp.body)
	if a.failure != nil {
		s.failures++
		r := a.failure[:min(len(a.failure), maxReasonLen)]
		s.reasons[string(r)]++
		return
	}
	s.ok++
	s.peers += uint64(a.peers)
	if a.warning {
		s.warnings++
	}
}

func statusText(code int) string {
	return string([]byte{byte('0' + code/100%10), byte('0' + code/10%10), byte('0' + code%10)})
}

func (s *stats) merge(o *stats) {
	s.hist.Merge(&o.hist)
	s.lag.Merge(&o.lag)
	s.service.Merge(&o.service)
	s.responses += o.responses
	s.ok += o.ok
	s.failures += o.failures
	s.warnings += o.warnings
	s.bodyBytes += o.bodyBytes
	s.peers += o.peers
	for k, v := range o.reasons {
		s.reasons[k] += v
	}
	for k, v := range o.errors {
		s.errors[k] += v
	}
	for i, v := range o.events {
		s.events[i] += v
	}
}
