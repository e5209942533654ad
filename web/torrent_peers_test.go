package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/internal/browser"
	"github.com/go-chi/chi/v5"
)

// samplePeers is a peers box of a seeder and a leecher, with addresses
// when staff look.
func samplePeers(staff bool) peersBox {
	at := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	box := peersBox{More: 3, Addresses: staff, Peers: []peerView{
		{Name: "erin", Client: "qBittorrent 4.6.3", Seeder: true, Progress: 1, Percent: "100.0%", UpRate: formatRate(3 << 20), DownRate: formatRate(0),
			Uploaded: 5 << 30, Downloaded: 3 << 30, ConnectedFor: formatConnected(26 * time.Hour), LastAnnounce: at},
		{Name: "frank", Client: "Transmission 4.0.6", Progress: 0.425, Percent: "42.5%", UpRate: formatRate(0), DownRate: formatRate(1500),
			Downloaded: 1 << 20, ConnectedFor: formatConnected(42 * time.Second), LastAnnounce: at.Add(-time.Minute)},
	}}
	if staff {
		box.Peers[0].Addr, box.Peers[1].Addr = "192.0.2.7:51413", "expired"
	}
	return box
}

// With nobody in the swarm the peers box says so.
func TestTorrentPageRendersWithoutPeers(t *testing.T) {
	s, _ := testSite(t, Deps{})
	rec := httptest.NewRecorder()
	s.render(rec, httptest.NewRequest("GET", "/torrents/x", nil), 200, "torrent", page{Title: "x", Viewer: viewerSamples[1], Data: sampleTorrent()})
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, "No peers right now") || strings.Contains(body, "peers-table") {
		t.Fatalf("%d:\n%s", rec.Code, body)
	}
}

// The peers box lists each peer's figures; the address column is there
// for staff only.
func TestTorrentPageRendersPeers(t *testing.T) {
	s, _ := testSite(t, Deps{})
	for _, staff := range []bool{false, true} {
		tv := sampleTorrent()
		tv.Peers = samplePeers(staff)
		rec := httptest.NewRecorder()
		s.render(rec, httptest.NewRequest("GET", "/torrents/x", nil), 200, "torrent", page{Title: "x", Viewer: viewerSamples[1], Data: tv})
		body := rec.Body.String()
		for _, want := range []string{`<a href="/users/erin">erin</a>`, "qBittorrent 4.6.3", `<progress max="1" value="0.425">42.5%</progress>`,
			"3.00 MiB/s", "1.46 KiB/s", "5.00 GiB", "1d 2h", "42s", "2026-11-30 05:59 UTC", "and 3 more"} {
			if !strings.Contains(body, want) {
				t.Errorf("staff %v: the page lacks %q", staff, want)
			}
		}
		if got := strings.Contains(body, "<th>Address</th>") && strings.Contains(body, "192.0.2.7:51413") && strings.Contains(body, "<code>expired</code>"); got != staff {
			t.Errorf("staff %v: the address column shown: %v", staff, got)
		}
	}
}

func TestFormatConnected(t *testing.T) {
	for d, want := range map[time.Duration]string{-time.Second: "0s", 59 * time.Second: "59s", 90 * time.Second: "1m", 3*time.Hour + 5*time.Minute: "3h 5m", 50 * time.Hour: "2d 2h"} {
		if got := formatConnected(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}

// The peers box in Chromium, as staff see it: a bar per peer, drawn
// without inline style (the CSP allows none), and the page loads clean.
func TestTorrentPeersInABrowser(t *testing.T) {
	b := browser.Start(t)
	s, _ := testSite(t, Deps{})
	mux := chi.NewRouter()
	mux.Use(securityHeaders)
	mux.Get("/static/*", s.assets.serve(s.notFound))
	mux.Get("/torrents/x", func(w http.ResponseWriter, r *http.Request) {
		tv := monthTorrent()
		tv.Peers = samplePeers(true)
		s.render(w, r, 200, "torrent", page{Title: "Artist <Album>", Viewer: viewerSamples[2], Data: tv})
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	p := b.NewPage(t)
	p.Open(srv.URL + "/torrents/x")
	if n := browser.Eval[int](p, `document.querySelectorAll("#peers tbody tr progress").length`); n != 2 {
		t.Errorf("%d progress bars", n)
	}
	for _, pr := range p.Problems() {
		t.Errorf("the page reported %s", pr)
	}
	p.Screenshot("torrent-peers")
}
