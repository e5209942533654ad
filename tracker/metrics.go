package tracker

import (
	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the tracker's Prometheus collectors. A nil *metrics (no
// registerer) records nothing. Counters are resolved once, so recording is
// an atomic add.
type metrics struct {
	announcesOK, announcesRefused prometheus.Counter
	scrapesOK, scrapesRefused     prometheus.Counter
	stored, publishErrors, reaped prometheus.Counter
}

func newMetrics(reg prometheus.Registerer, t *Tracker) *metrics {
	if reg == nil {
		return nil
	}
	announces := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "djembe_tracker_announces_total", Help: "Announces answered, by result (ok or refused).",
	}, []string{"result"})
	scrapes := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "djembe_tracker_scrapes_total", Help: "Scrapes answered, by result (ok or refused).",
	}, []string{"result"})
	m := &metrics{
		announcesOK: announces.WithLabelValues("ok"), announcesRefused: announces.WithLabelValues("refused"),
		scrapesOK: scrapes.WithLabelValues("ok"), scrapesRefused: scrapes.WithLabelValues("refused"),
		stored: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "djembe_tracker_announces_stored_total", Help: "Announce events stored in the log."}),
		publishErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "djembe_tracker_publish_errors_total", Help: "Failed attempts to store an announce batch (retried)."}),
		reaped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "djembe_tracker_reaped_peers_total", Help: "Peers removed after two silent intervals."}),
	}
	stat := func(name, help string, f func(Stats) int64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help},
			func() float64 { return float64(f(t.Stats())) })
	}
	for _, c := range []prometheus.Collector{
		announces, scrapes, m.stored, m.publishErrors, m.reaped,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "djembe_tracker_pending_announces",
			Help: "Announces accepted and not yet stored in the log."},
			func() float64 { return float64(t.pub.pending.Load()) }),
		stat("djembe_tracker_peers", "Active peers.", func(s Stats) int64 { return int64(s.Peers) }),
		stat("djembe_tracker_seeders", "Active peers with nothing left.", func(s Stats) int64 { return int64(s.Seeders) }),
		stat("djembe_tracker_torrents", "Registered torrents.", func(s Stats) int64 { return int64(s.Torrents) }),
		stat("djembe_tracker_peer_bytes", "Bytes held by swarm peers and indexes.", func(s Stats) int64 { return s.PeerBytes }),
	} {
		_ = reg.Register(c) // a second tracker on one registry keeps the first one's collectors
	}
	return m
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
