package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
)

func init() { viewSamples["browse"] = sampleBrowse() }

// sampleBrowse is page 2 of a search sorted by size, with more after it.
func sampleBrowse() browseView {
	at := time.Date(2026, 11, 20, 14, 5, 0, 0, time.UTC)
	return browseView{
		Query: projections.BrowseQuery{Q: "flac", Sort: projections.SortSize, Desc: true, Page: 2},
		Torrents: []projections.BrowseTorrent{
			{InfoHash: domain.InfoHash{0xab}, Name: "Artist - Album (2004) [FLAC]", Size: 3 << 30, Seeders: 12, Leechers: 3, Snatches: 140, Added: at},
			{InfoHash: domain.InfoHash{0xcd}, Name: "Another <Album> [FLAC]", Size: 300 << 20, Added: at.Add(-time.Hour)},
		},
		More: true,
	}
}

// The browse table: rows with their links, figures and dates, headers that
// sort (the current one reversing, with its arrow), the pager keeping the
// query, and each empty state.
func TestBrowseRenders(t *testing.T) {
	s, _ := testSite(t, Deps{})
	render := func(v browseView) string {
		rec := httptest.NewRecorder()
		s.render(rec, httptest.NewRequest("GET", "/torrents", nil), 200, "browse", page{Title: "Torrents", Viewer: viewerSamples[1], Data: v})
		return rec.Body.String()
	}
	body := render(sampleBrowse())
	for _, want := range []string{
		`<a href="/torrents/ab00000000000000000000000000000000000000">Artist - Album (2004) [FLAC]</a>`,
		`href="/torrents/ab00000000000000000000000000000000000000/download"`, "Another &lt;Album&gt; [FLAC]",
		"3.00 GiB", "300 MiB", "2026-11-20 14:05", `<td class="number seeders">12</td>`, `<td class="number dead">0</td>`,
		`href="/torrents?order=asc&amp;q=flac&amp;sort=size">Size ▼`, `href="/torrents?order=asc&amp;q=flac&amp;sort=name">Name</a>`,
		`href="/torrents?order=desc&amp;q=flac&amp;sort=seeders">Seeders</a>`,
		`href="/torrents?order=desc&amp;page=3&amp;q=flac&amp;sort=size" rel="next"`, `href="/torrents?order=desc&amp;q=flac&amp;sort=size" rel="prev"`,
		"<strong>51–52</strong>", `value="flac"`, `name="sort" value="size"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	for v, want := range map[*browseView]string{
		{Query: projections.DefaultBrowse}:                                           "No torrents yet",
		{Query: projections.BrowseQuery{Q: "x", Sort: "added", Desc: true, Page: 1}}: "No torrent's name contains “x”",
		{Query: projections.BrowseQuery{Sort: "added", Desc: true, Page: 4}}:         "There are no torrents on page 4",
		{Query: projections.DefaultBrowse, Error: "sort must be one of name"}:        "sort must be one of name",
	} {
		if b := render(*v); !strings.Contains(b, want) || strings.Contains(b, "<table") {
			t.Errorf("%+v: want %q and no table", *v, want)
		}
	}
}
