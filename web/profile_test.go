package web

import (
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/browser"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/web/chart"
	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
)

func init() { viewSamples["profile"] = sampleProfile(true) }

// sampleProfile is the profile of a user with a week of history, on ratio
// watch, with every list filled; withKeys as its owner sees it.
func sampleProfile(withKeys bool) profileView {
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	var hist []projections.HistoryDay
	var up, down uint64
	for i, d := range []struct{ up, down uint64 }{{0, 2 << 30}, {300 << 20, 0}, {1 << 30, 512 << 20}, {0, 3 << 30}, {2 << 30, 0}, {700 << 20, 100 << 20}} {
		up, down = up+d.up, down+d.down
		hist = append(hist, projections.HistoryDay{Day: day.AddDate(0, 0, i+i/3), Uploaded: d.up, Downloaded: d.down,
			TotalUp: up, TotalDown: down, Ratio: domain.RatioOf(up, down)})
	}
	left0, leftSome := uint64(0), uint64(200<<20)
	at := day.Add(50 * time.Hour)
	h := domain.InfoHash{0xab, 0xcd}
	seeding := projections.ProfileTorrent{Name: "Artist - Album (2004) [FLAC]", Size: 1 << 30, UserTorrentRow: projections.UserTorrentRow{
		InfoHash: h, Uploaded: 3 << 30, Downloaded: 1 << 30, Left: &left0, SeedMs: 50 * 3600 * 1000, Active: true, SnatchedAt: &at, LastAnnounceAt: &at}}
	leeching := projections.ProfileTorrent{Name: "Another <Album>", Size: 1 << 30, UserTorrentRow: projections.UserTorrentRow{
		InfoHash: domain.InfoHash{1}, Downloaded: 800 << 20, Left: &leftSome, Active: true, LastAnnounceAt: &at}}
	deadline := day.AddDate(0, 0, 14)
	p := profileView{
		User:     projections.UserRow{ID: uuid.New(), Name: "carol", RegisteredAt: day.AddDate(-1, 0, 0)},
		Standing: projections.Standing{Uploaded: up, Downloaded: down, RawUploaded: up + 5, RawDownloaded: down * 2, Ratio: domain.RatioOf(up, down), Required: 0.3, Buffer: -(300 << 20), Seeding: 1, Snatched: 2, ShareSeeded: 0.5, CanLeech: true, Watch: projections.StandingWatch{On: true, Deadline: &deadline}},
		Chart:    newRatioChart(hist),
		Changes: []ratioChange{
			{projections.RatioChange{Day: day.AddDate(0, 0, 7), InfoHash: h, Name: "Artist - Album (2004) [FLAC]", RawUploaded: 350 << 20, Uploaded: 700 << 20}},
			{projections.RatioChange{Day: day.AddDate(0, 0, 7), InfoHash: domain.InfoHash{1}, Name: "Another <Album>", RawDownloaded: 100 << 20}},
		},
		Page:  2,
		More:  true,
		Lists: torrentLists("carol", []projections.ProfileTorrent{seeding, leeching}),
	}
	if withKeys {
		revoked := day
		p.Keys = &profileKeys{Passkey: "0123456789abcdef0123456789abcdef", RSSKey: "rsskey-rsskey-rsskey",
			Tokens:  []projections.TokenRow{{ID: uuid.New(), Label: "seedbox", CreatedAt: day}, {ID: uuid.New(), Label: "old", CreatedAt: day, RevokedAt: &revoked}},
			Created: &commands.CreatedToken{ID: uuid.New(), Label: "autodl", Token: "tok-shown-once"}, LabelError: "a token's name must be 1 to 64 bytes long",
			InvitesLeft: 3, InvitedBy: &projections.InviteUser{ID: uuid.New(), Name: "alice"}}
	}
	return p
}

// A profile with history renders its figures, the chart (axes, legend,
// one point per day), the changes with their factors, the lists and the
// watch's deadline; the keys only when the data holds them.
func TestProfileRendersWithHistory(t *testing.T) {
	s, _ := testSite(t, Deps{})
	viewer := viewerSamples[1]
	for _, withKeys := range []bool{true, false} {
		rec := httptest.NewRecorder()
		s.render(rec, httptest.NewRequest("GET", "/users/carol", nil), 200, "profile", page{Title: "carol", Viewer: viewer, Data: sampleProfile(withKeys)})
		body := rec.Body.String()
		for _, want := range []string{
			"Uploaded: <strong>3.98 GiB</strong>", "Downloaded: <strong>5.60 GiB</strong>", "Buffer: <strong class=\"r-bad\">−300 MiB</strong>",
			`Ratio: <strong class="ratio r-low">0.71</strong>`, "Required ratio: <strong>0.30</strong>", "until <strong>2026-12-04 00:00 UTC</strong>",
			`<svg class="chart"`, ">Uploaded (credited)</text>", ">Downloaded (credited)</text>", ">Ratio (right axis)</text>", ">Nov 20</text>", " GiB</text>",
			"up ×2, down –", "Artist - Album (2004) [FLAC]", "Another &lt;Album&gt;", "2d 2h", "80.5%", "?page=1#changes", "?page=3#changes",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("keys %v: the page lacks %q", withKeys, want)
			}
		}
		if n := strings.Count(body, "<circle "); n != 12 {
			t.Errorf("%d points on the chart, want two a day for 6 days", n)
		}
		secrets := []string{"0123456789abcdef0123456789abcdef", "rsskey-rsskey-rsskey", "tok-shown-once", "seedbox", "Rotate passkey", "Create token", "3 left", `Invited by <a href="/users/alice">alice</a>`}
		for _, sec := range secrets {
			if strings.Contains(body, sec) != withKeys {
				t.Errorf("keys %v: %q shown %v", withKeys, sec, !withKeys)
			}
		}
	}
}

// A profile without history says so rather than drawing an empty chart.
func TestProfileEmptyStates(t *testing.T) {
	s, _ := testSite(t, Deps{})
	p := profileView{User: projections.UserRow{Name: "dave"}, Page: 1, Lists: torrentLists("dave", nil), Chart: newRatioChart(nil)}
	rec := httptest.NewRecorder()
	s.render(rec, httptest.NewRequest("GET", "/users/dave", nil), 200, "profile", page{Title: "dave", Viewer: viewerSamples[1], Data: p})
	body := rec.Body.String()
	for _, want := range []string{"No history yet", "Nothing credited yet", "dave is not seeding anything", "dave has not completed a torrent yet", "Ratio: <strong class=\"ratio\">--</strong>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the empty profile lacks %q", want)
		}
	}
	if strings.Contains(body, "<svg class=\"chart\"") {
		t.Error("an empty history drew a chart")
	}
}

func TestRatioChartAxes(t *testing.T) {
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newRatioChart([]projections.HistoryDay{
		{Day: day, TotalUp: 0, TotalDown: 3 << 30, Ratio: 0},
		{Day: day.AddDate(0, 0, 29), TotalUp: 9 << 30, TotalDown: 3 << 30, Ratio: 3},
	})
	labels := func(ts []chart.Tick) (out []string) {
		for _, t := range ts {
			out = append(out, t.Label)
		}
		return out
	}
	if got := strings.Join(labels(c.YTicks), ","); got != "0 GiB,5 GiB,10 GiB" {
		t.Errorf("byte axis %s", got)
	}
	if got := strings.Join(labels(c.RTicks), ","); got != "0,1,2,3" {
		t.Errorf("ratio axis %s", got)
	}
	if x := c.XTicks; len(x) > 8 || x[0].Label != "Jan 1" || x[0].At != c.Left {
		t.Errorf("date axis %+v", x)
	}
	if len(c.Lines) != 3 {
		t.Fatalf("%d lines, want download, upload and ratio", len(c.Lines))
	}
	dayBefore := c.Left + (c.Right-c.Left)*28/29
	pt := func(x, y float64) string {
		return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64) + "," + strconv.FormatFloat(y, 'f', -1, 64)
	}
	// flat until the day before the credit, 9 GiB of the axis's 10, the ratio at the top of its axis
	if up, want := c.Lines[1].Points, pt(c.Left, c.Bot)+" "+pt(dayBefore, c.Bot)+" "+pt(c.Right, c.Y(9<<30)); up != want {
		t.Errorf("upload %q, want %q", up, want)
	}
	if r, want := c.Lines[2].Points, pt(c.Left, c.Bot)+" "+pt(dayBefore, c.Bot)+" "+pt(c.Right, c.Top); r != want {
		t.Errorf("ratio %q, want %q", r, want)
	}
	if y := c.Y(9 << 30); math.Abs(y-(c.Bot-(c.Bot-c.Top)*0.9)) > 0.05 {
		t.Errorf("9 GiB at %v on [%v, %v]", y, c.Top, c.Bot)
	}
	// A lone day: flat lines across the plot, its tick in the middle.
	one := newRatioChart([]projections.HistoryDay{{Day: day, TotalUp: 1 << 30, TotalDown: 1 << 30, Ratio: 1}})
	if len(one.Lines) != 3 || !strings.HasPrefix(one.Lines[1].Points, pt(one.Left, one.Y(1<<30))+" ") || len(one.XTicks) != 1 || one.XTicks[0].At != math.Round((one.Left+one.Right)/2*10)/10 {
		t.Errorf("a lone day: %+v %+v", one.Lines, one.XTicks)
	}
	if !newRatioChart(nil).Empty {
		t.Error("no history is not empty")
	}
	for d, want := range map[time.Duration]string{0: "0m", 59 * time.Second: "0m", 90 * time.Minute: "1h 30m", 50 * time.Hour: "2d 2h"} {
		if got := formatSeedTime(d); got != want {
			t.Errorf("seed time %v: %q, want %q", d, got, want)
		}
	}
}

// The sample profile (a week of history, on ratio watch, every list and
// the owner's keys) in a real browser, for a screenshot to look at: it
// loads with no console error or CSP violation, and the chart is drawn.
func TestProfileSampleInABrowser(t *testing.T) {
	b := browser.Start(t)
	s, _ := testSite(t, Deps{})
	mux := chi.NewRouter()
	mux.Use(securityHeaders)
	mux.Get("/static/*", s.assets.serve(s.notFound))
	mux.Get("/users/carol", func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, 200, "profile", page{Title: "carol", Viewer: viewerSamples[1], Data: sampleProfile(true)})
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	p := b.NewPage(t)
	p.Open(srv.URL + "/users/carol")
	if n := browser.Eval[int](p, `document.querySelectorAll("#history svg.chart circle").length`); n != 12 {
		t.Errorf("%d points drawn", n)
	}
	for _, pr := range p.Problems() {
		t.Errorf("the page reported %s", pr)
	}
	p.Screenshot("profile-sample")
}

// The lists: an active complete peer seeds, an active incomplete one
// leeches, and every snatch is in Snatched, newest first, whatever order
// the torrents came in.
func TestTorrentListsPlaceAndOrder(t *testing.T) {
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	zero, some := uint64(0), uint64(5)
	row := func(n byte, active bool, left *uint64, snatched int) projections.ProfileTorrent {
		r := projections.ProfileTorrent{Name: string('A' + rune(n)), UserTorrentRow: projections.UserTorrentRow{InfoHash: domain.InfoHash{n}, Active: active, Left: left}}
		if snatched > 0 {
			at := day.AddDate(0, 0, snatched)
			r.SnatchedAt = &at
		}
		return r
	}
	ls := torrentLists("erin", []projections.ProfileTorrent{
		row(0, true, &zero, 2),  // seeding, snatched on day 2
		row(1, true, &some, 0),  // leeching
		row(2, false, &zero, 5), // gone, snatched on day 5
		row(3, true, &zero, 3),  // seeding, snatched on day 3
	})
	names := func(l torrentList) (out string) {
		for _, r := range l.Rows {
			out += r.Name
		}
		return out
	}
	if got := [3]string{names(ls[0]), names(ls[1]), names(ls[2])}; got != [3]string{"AD", "B", "CDA"} || ls[2].Total != 3 {
		t.Errorf("seeding, leeching, snatched: %q (%d snatched), want AD, B, CDA", got, ls[2].Total)
	}
	var many []projections.ProfileTorrent
	for i := range profileListMax + 20 {
		many = append(many, row(byte(i), false, &zero, i+1))
	}
	ls = torrentLists("erin", many)
	if snatched := ls[2]; snatched.Total != profileListMax+20 || len(snatched.Rows) != profileListMax || *snatched.Rows[0].SnatchedAt != day.AddDate(0, 0, profileListMax+20) {
		t.Errorf("%d snatches: %d shown of %d, the first of %v", profileListMax+20, len(snatched.Rows), snatched.Total, snatched.Rows[0].SnatchedAt)
	}
}
