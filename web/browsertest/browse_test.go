package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/browser"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/web"
)

// /torrents in a browser: the list newest first with its categories and a
// freeleech mark, a search typed into the form, a column header clicked
// to sort, each page clean and looked at as a screenshot.
func TestBrowseInABrowser(t *testing.T) {
	b := browser.Start(t)
	m := startDjembe(t)
	alice := seedAlice(t, m) // seeded.flac (alice seeds, bob leeches), leeched.flac
	ctx, c := context.Background(), m.Commands()
	for i, tr := range []struct{ name, category string }{
		{"Artist - Album (2004) [FLAC]", "Music"}, {"Some Film (1999) 1080p", "Movies"}, {"Distro 24.04 amd64 ISO", "Software"},
		{"Another Artist - Live at the Hall [MP3 320]", "Music"}, {"A Book About Things (EPUB)", "Books"},
	} {
		added, err := c.AddTorrent(ctx, commands.Operator, commands.AddTorrent{File: testenv.TorrentOfSize(t, tr.name, int64(700<<20)*(int64(i)+1), false),
			Uploader: "alice", Category: tr.category})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if _, err := c.SetTorrentFactors(ctx, commands.Operator, added.Torrent.InfoHash, domain.Factors{UploadPercent: 100, DownloadPercent: 0}); err != nil {
				t.Fatal(err)
			}
		}
	}
	testenv.Eventually(t, "seven torrents listed, one freeleech", func() bool {
		res, err := projections.Browse(ctx, m.Instance().Pool, projections.DefaultBrowse)
		return err == nil && len(res.Torrents) == 7 && res.Torrents[4].Factors.DownloadPercent == 0
	})
	p := b.NewPage(t)
	p.SetCookie(m.WebURL(), web.SessionCookieName, sessionFor(t, m, alice))
	if res := p.Open(m.WebURL() + "/torrents"); res.Status != 200 || p.Title() != "Torrents · Djembe" {
		t.Fatalf("/torrents: %d %q", res.Status, p.Title())
	}
	names := func() string { return strings.Join(p.Texts(".torrent-table td.name > a"), " | ") }
	if got := names(); !strings.HasPrefix(got, "A Book About Things (EPUB) | Another Artist") || !strings.HasSuffix(got, "seeded.flac") {
		t.Errorf("newest first: %q", got)
	}
	if got := strings.Join(p.Texts(".torrent-table .mark"), ","); got != "Freeleech!" {
		t.Errorf("marks %q", got)
	}
	clean(t, p, "")
	p.Screenshot("browse")

	fill(t, p, map[string]string{"f-q": "artist"})
	if res := submit(t, p, ".browse-search button"); res.Status != 200 {
		t.Fatalf("search: %d", res.Status)
	}
	if got := names(); got != "Another Artist - Live at the Hall [MP3 320] | Artist - Album (2004) [FLAC]" {
		t.Errorf("searching artist: %q", got)
	}
	if res := submit(t, p, `.torrent-table th a[href*="sort=size"]`); res.Status != 200 {
		t.Fatalf("sort by size: %d", res.Status)
	}
	if got := names(); got != "Another Artist - Live at the Hall [MP3 320] | Artist - Album (2004) [FLAC]" {
		t.Errorf("artist by size, largest first: %q", got)
	}
	if v := strings.Join(p.Texts(".torrent-table th"), ","); !strings.Contains(v, "Size ▼") {
		t.Errorf("headers %q", v)
	}
	clean(t, p, "")
	p.Screenshot("browse-search-size")

	if res := p.Open(m.WebURL() + "/torrents?q=nothing+here"); res.Status != 200 {
		t.Fatalf("empty search: %d", res.Status)
	}
	p.Screenshot("browse-empty")
	if res := p.Open(m.WebURL() + "/torrents?sort=bogus"); res.Status != 400 {
		t.Fatalf("a bad sort: %d", res.Status)
	}
	clean(t, p, m.WebURL()+"/torrents?sort=bogus")
	p.Screenshot("browse-bad-sort")
}
