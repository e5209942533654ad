package tracker

import (
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/prometheus/client_golang/prometheus"
)

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	alice := newTestUser(t, "alice")
	h1 := randomHash()
	tr := offline(t, Config{Metrics: reg}, cat(userEvent(alice), torrentEvent(h1, domain.NormalFactors))...)
	p := newTestPeer(alice, "-LT2080-", "10.0.0.1:1", 1)
	p.mustAnnounce(t, tr.Handler(), h1, ann{left: 0, event: "started"})
	p.announce(t, tr.Handler(), randomHash(), ann{left: 0})
	New(Config{Metrics: reg}, nil) // a second tracker on the same registry does not panic

	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			name := f.GetName()
			for _, l := range m.GetLabel() {
				name += "/" + l.GetValue()
			}
			if c := m.GetCounter(); c != nil {
				got[name] = c.GetValue()
			} else if g := m.GetGauge(); g != nil {
				got[name] = g.GetValue()
			}
		}
	}
	for name, want := range map[string]float64{
		"djembe_tracker_announces_total/ok": 1, "djembe_tracker_announces_total/refused": 1,
		"djembe_tracker_peers": 1, "djembe_tracker_seeders": 1, "djembe_tracker_torrents": 1,
		"djembe_tracker_swarms": 1, "djembe_tracker_pending_announces": 1,
	} {
		if got[name] != want {
			t.Errorf("%s = %v, want %v", name, got[name], want)
		}
	}
}
