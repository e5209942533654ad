package tracker

import (
	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the tracker's Prometheus collectors. A nil *metrics (no
// registerer) records nothing. Counters are resolved once, so recording is
// an atomic add.
type metrics struct {
	announces, scrapes            *prometheus.CounterVec
	announcesOK, announcesRefused prometheus.Counter
	scrapesOK, scrapesRefused     prometheus.Counter
	stored, publishErrors, reaped prometheus.Counter
	quarantined                   prometheus.Counter
	refusals                      *prometheus.CounterVec
}

// newMetrics makes the collectors, or returns nil when reg is nil. They
// are registered by register, once the tracker they read is built.
func newMetrics(reg prometheus.Registerer) *metrics {
	if reg == nil {
		return nil
	}
	announces := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "djembe_tracker_announces_total", Help: "Announces answered, by result (ok or refused).",
	}, []string{"result"})
	scrapes := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "djembe_tracker_scrapes_total", Help: "Scrapes answered, by result (ok or refused).",
	}, []string{"result"})
	return &metrics{
		announces: announces, scrapes: scrapes,
		announcesOK: announces.WithLabelValues("ok"), announcesRefused: announces.WithLabelValues("refused"),
		scrapesOK: scrapes.WithLabelValues("ok"), scrapesRefused: scrapes.WithLabelValues("refused"),
		stored: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "djembe_tracker_announces_stored_total", Help: "Announce events stored in the log."}),
		publishErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "djembe_tracker_publish_errors_total", Help: "Failed attempts to store an announce batch (retried)."}),
		reaped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "djembe_tracker_reaped_peers_total", Help: "Peers removed after two silent intervals."}),
		quarantined: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "djembe_tracker_quarantined_events_total", Help: "Log records the tracker skipped instead of applying, counted again at each start."}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "djembe_tracker_refusals_total", Help: "Announces and scrapes refused, by reason (a stable code)."}, []string{"reason"}),
	}
}

// register adds the collectors and t's Stats gauges to reg. A second
// tracker on one registry keeps the first one's collectors.
func (m *metrics) register(reg prometheus.Registerer, t *Tracker) {
	if m == nil {
		return
	}
	for _, c := range []prometheus.Collector{m.announces, m.scrapes, m.stored, m.publishErrors, m.reaped, m.quarantined, m.refusals, statsCollector{t}} {
		_ = reg.Register(c)
	}
}

func (m *metrics) announced(err error) {
	if m == nil {
		return
	}
	if err != nil {
		m.announcesRefused.Inc()
	} else {
		m.announcesOK.Inc()
	}
}

func (m *metrics) scraped(err error) {
	if m == nil {
		return
	}
	if err != nil {
		m.scrapesRefused.Inc()
	} else {
		m.scrapesOK.Inc()
	}
}

func (m *metrics) quarantine() {
	if m != nil {
		m.quarantined.Inc()
	}
}

func (m *metrics) refusedBy(code string) {
	if m != nil {
		m.refusals.WithLabelValues(code).Inc()
	}
}

func (m *metrics) published(n int) {
	if m != nil {
		m.stored.Add(float64(n))
	}
}

func (m *metrics) publishFailed() {
	if m != nil {
		m.publishErrors.Inc()
	}
}

func (m *metrics) reapedPeers(n int) {
	if m != nil && n > 0 {
		m.reaped.Add(float64(n))
	}
}

// statsCollector exports Stats as gauges, computing them once per scrape.
type statsCollector struct{ t *Tracker }

var statDescs = struct {
	pending, peers, seeders, torrents, swarms, peerBytes *prometheus.Desc
}{
	pending:   prometheus.NewDesc("djembe_tracker_pending_announces", "Announces accepted and not yet stored in the log.", nil, nil),
	peers:     prometheus.NewDesc("djembe_tracker_peers", "Active peers.", nil, nil),
	seeders:   prometheus.NewDesc("djembe_tracker_seeders", "Active peers with nothing left to download.", nil, nil),
	torrents:  prometheus.NewDesc("djembe_tracker_torrents", "Registered torrents, not deleted.", nil, nil),
	swarms:    prometheus.NewDesc("djembe_tracker_swarms", "Torrents with at least one active peer.", nil, nil),
	peerBytes: prometheus.NewDesc("djembe_tracker_peer_bytes", "Bytes held by swarm peer slices and their indexes.", nil, nil),
}

func (statsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{statDescs.pending, statDescs.peers, statDescs.seeders, statDescs.torrents, statDescs.swarms, statDescs.peerBytes} {
		ch <- d
	}
}

func (c statsCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.t.Stats()
	for d, v := range map[*prometheus.Desc]float64{
		statDescs.pending: float64(s.PendingAnnounces), statDescs.peers: float64(s.Peers),
		statDescs.seeders: float64(s.Seeders), statDescs.torrents: float64(s.Torrents),
		statDescs.swarms: float64(s.Swarms), statDescs.peerBytes: float64(s.PeerBytes),
	} {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v)
	}
}
