package web

import (
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/browser"
	"github.com/djembe/djembe/projections"
	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
)

func init() {
	f := newForm()
	f.Values["title"] = "Artist - Album"
	f.fail("file", "this is not a valid .torrent: it is not a bencoded dictionary")
	f.fail("category", "choose one of the categories listed")
	up := uploadView{Form: f, Categories: commands.Categories, Duplicate: "/torrents/" + strings.Repeat("ab", 20)}
	viewSamples["upload"] = up
	viewSamples["torrent"] = sampleTorrent()
}

// sampleTorrent is a torrent page with two days of swarm history, files,
// snatches and freeleech with double upload.
func sampleTorrent() torrentView {
	added := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	var pts []projections.SwarmPoint
	for i, n := range []int{1, 3, 2, 5, 4, 6} {
		pts = append(pts, projections.SwarmPoint{Bucket: added.Add(time.Duration(i) * 9 * time.Hour), Seeders: n, Leechers: 6 - n, SeedersMax: n, LeechersMax: 6 - n})
	}
	return torrentView{
		T: projections.CatalogRow{Name: "album", Title: "Artist <Album>", Category: "Music", Description: "One <b>\n\nTwo", Uploader: uuid.New(),
			UploaderName: "carol", AddedAt: added, Size: 3 << 30, FileCount: 2, Factors: domain.Factors{UploadPercent: 200, DownloadPercent: 0},
			Files: []domain.TorrentFile{{Path: "album/01.flac", Length: 1 << 30}, {Path: "album/02.flac", Length: 2 << 30}}},
		Swarm:    projections.SwarmRow{Seeders: 6, Leechers: 0, Snatches: 1},
		Hash:     strings.Repeat("ab", 20),
		Chart:    newSwarmChart(pts, added, added.Add(2*24*time.Hour)),
		Snatches: []projections.Snatch{{UserID: uuid.New(), Name: "dave", SnatchedAt: added.Add(time.Hour)}},
		Uploaded: true, Own: true,
	}
}

// The torrent page escapes what the uploader wrote and marks the factors;
// the chart is drawn with a line per count and dated ticks.
func TestTorrentPageRenders(t *testing.T) {
	s, _ := testSite(t, Deps{})
	rec := httptest.NewRecorder()
	s.render(rec, httptest.NewRequest("GET", "/torrents/x", nil), 200, "torrent", page{Title: "x", Viewer: viewerSamples[1], Data: sampleTorrent()})
	body := rec.Body.String()
	for _, want := range []string{"Artist &lt;Album&gt;", "<p>One &lt;b&gt;</p>", "<p>Two</p>", "Freeleech", "Double upload", "3.00 GiB",
		`<a href="/users/carol">carol</a>`, "album/02.flac", "Download your .torrent", ">Nov 21 00:00</text>", `stroke="#1f7a3a"`, "dave"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(body, "<b>") {
		t.Error("the description is not escaped")
	}
}

func TestTorrentFileName(t *testing.T) {
	for in, want := range map[string]string{`Tool: v1/2 "beta"`: "Tool_ v1_2 _beta.torrent", "..": "torrent.torrent", "a\r\nb": "a_b.torrent",
		"Ünïcode ♫": "Ünïcode ♫.torrent", strings.Repeat("x", 300): strings.Repeat("x", 150) + ".torrent"} {
		if got := commands.TorrentFileName(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// monthTorrent is a torrent page with 30 days of swarm history (a swarm
// that grows, peaks and thins out), many files and snatches.
func monthTorrent() torrentView {
	tv := sampleTorrent()
	to := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	from := to.Add(-swarmChartSpan)
	var pts []projections.SwarmPoint
	for i := 0; i < 30*8; i++ {
		at := from.Add(time.Duration(i) * 3 * time.Hour)
		d := float64(i) / 8
		seeders := int(1 + 40*d/(d+4)*(1-d/60) + float64(i%5))
		leechers := max(0, int(25*math.Exp(-d/5))+i%3)
		pts = append(pts, projections.SwarmPoint{Bucket: at, Seeders: seeders, Leechers: leechers, SeedersMax: seeders, LeechersMax: leechers})
	}
	tv.Chart = newSwarmChart(pts, from, to)
	tv.T.Files, tv.T.FileCount = nil, 14
	for i := 1; i <= 14; i++ {
		tv.T.Files = append(tv.T.Files, domain.TorrentFile{Path: fmt.Sprintf("Artist - Album (2004) [FLAC]/%02d - Track %d.flac", i, i), Length: int64(20+i) << 20})
	}
	for i := 0; i < 8; i++ {
		tv.Snatches = append(tv.Snatches, projections.Snatch{UserID: uuid.New(), Name: fmt.Sprintf("user%02d", i), SnatchedAt: to.Add(-time.Duration(i) * 30 * time.Hour)})
	}
	tv.Swarm = projections.SwarmRow{Seeders: 31, Leechers: 2, Snatches: 8}
	tv.Uploaded = false
	return tv
}

// A month of history in Chromium: the chart draws both lines with dated
// ticks, and the page loads clean.
func TestTorrentSampleInABrowser(t *testing.T) {
	b := browser.Start(t)
	s, _ := testSite(t, Deps{})
	mux := chi.NewRouter()
	mux.Use(securityHeaders)
	mux.Get("/static/*", s.assets.serve(s.notFound))
	mux.Get("/torrents/x", func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, 200, "torrent", page{Title: "Artist <Album>", Viewer: viewerSamples[1], Data: monthTorrent()})
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	p := b.NewPage(t)
	p.Open(srv.URL + "/torrents/x")
	if n := browser.Eval[int](p, `document.querySelectorAll("svg.chart polyline").length`); n != 2 {
		t.Errorf("%d lines drawn", n)
	}
	if got := strings.Join(p.Texts("svg.chart text"), " "); !strings.Contains(got, "Nov 5") {
		t.Errorf("the chart's labels: %q", got)
	}
	for _, pr := range p.Problems() {
		t.Errorf("the page reported %s", pr)
	}
	p.Screenshot("torrent-month")
}
