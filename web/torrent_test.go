package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
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
