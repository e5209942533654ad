package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/web/chart"
	"github.com/google/uuid"
)

func init() {
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	viewSamples["stats"] = sampleStats(day)
	users := []projections.StaffUser{
		{ID: uuid.New(), Name: "alice", Staff: true, Class: domain.ClassModerator, CanLeech: true, Uploaded: 3 << 30, RegisteredAt: day},
		{ID: uuid.New(), Name: "bob", Class: domain.ClassPowerUser, Disabled: true, DisabledReason: "forged <upload>", CanLeech: false, RatioWatch: true, InvitesLeft: 2, RegisteredAt: day},
	}
	form := newForm()
	form.fail("reason", "say why")
	form.fail("class", "a Moderator may set classes below Moderator only")
	viewSamples["staff_users"] = staffPage{Tab: "users", Form: newForm(), Notice: "Done.", View: staffUsersView{Users: users, Pager: pager{Page: 2, More: true, Query: "b&o", QueryName: "q"}}}
	viewSamples["staff_user"] = staffPage{Tab: "users", Form: form, View: staffUserView{users[1]}}
	tor := staffTorrentRow{projections.StaffTorrent{InfoHash: domain.InfoHash{0xab}, Name: "Artist <Album>", Size: 1 << 30, RegisteredAt: day, Seeders: 3, Factors: domain.Factors{DownloadPercent: 0, UploadPercent: 100}}}
	viewSamples["staff_torrents"] = staffPage{Tab: "torrents", Form: newForm(), View: staffTorrentsView{Torrents: []staffTorrentRow{tor}, Pager: pager{Page: 1}}}
	tf := newForm()
	tf.Values["up"], tf.Values["down"] = "100", "0"
	tf.fail("down", "bad percent")
	viewSamples["staff_torrent"] = staffPage{Tab: "torrents", Form: tf, View: staffTorrentView{Torrent: tor, Presets: factorPresets, Preset: "freeleech"}}
	cf := newForm()
	cf.Values["prefixes"] = "-qB -TR"
	viewSamples["staff_clients"] = staffPage{Tab: "clients", Form: cf, View: staffClientsView{Prefixes: []string{"-qB", "-TR"}, Defaults: domain.DefaultClientPrefixes}}
	viewSamples["staff_cheats"] = staffPage{Tab: "cheats", Form: newForm(), View: staffCheatsView{Days: 7, Report: projections.CheatReport{Since: day, Thresholds: projections.DefaultCheatThresholds,
		Users:    []projections.CheatUser{{UserID: uuid.New(), Name: "mallory", Reasons: []string{"excess"}, ClaimedUp: 5 << 30, Excess: 4 << 30, ExcessShare: 0.8, Caps: map[string]int{"up_rate": 2}}},
		Torrents: []projections.CheatTorrent{{InfoHash: domain.InfoHash{1}, Name: "Thing", ClaimedUp: 5 << 30, Surplus: 4 << 30}}}}}
	viewSamples["staff_projections"] = staffPage{Tab: "projections", Form: newForm(), View: staffProjectionsView{LastSeq: 9,
		Statuses: []projections.Status{{Name: "ratio", Version: 3, Seq: 7, LastSeq: 9, Lag: 2, UpdatedAt: day}, {Name: "users", Version: 1, Seq: 9, LastSeq: 9, UpdatedAt: day, RebuiltAt: &day}}}}
	viewSamples["clients"] = []clientRow{{"-qB", "qBittorrent"}, {"-XX", ""}}
	viewSamples["contact"] = nil
	viewSamples["staff_quarantine"] = staffPage{Tab: "quarantine", Form: newForm(), View: []projections.QuarantineEntry{{Seq: 4, Subject: "djembe.x", Type: "user.registered", Version: 9, Error: "unknown version", Consumers: []string{"ratio", "tracker:a"}, State: projections.QuarantineOpen, FirstSeen: day, LastSeen: day}}}
}

// sampleStats is a fortnight of traffic with gaps.
func sampleStats(today time.Time) statsView {
	var days []projections.TrafficDay
	for i := 0; i < 14; i += 1 + i%3 {
		days = append(days, projections.TrafficDay{Day: today.AddDate(0, 0, i-13), Uploaded: uint64(i+1) << 30, Downloaded: uint64(14-i) << 29, RawUp: uint64(i+1) << 30, RawDown: uint64(14-i) << 30})
	}
	since := today.AddDate(0, 0, 1-statsDays)
	v := statsView{Totals: projections.SiteTotals{Users: 14, Enabled: 13, Staff: 1, Torrents: 300, Seeders: 40, Leechers: 7, Snatches: 90, Uploaded: 40 << 30, Downloaded: 30 << 30},
		Chart: newTrafficChart(days, since, today), Since: since}
	var growth []projections.GrowthDay
	for i := range statsDays {
		growth = append(growth, projections.GrowthDay{Day: since.AddDate(0, 0, i), Users: 3 + i/3, Torrents: 10 * i})
	}
	v.Growth = newGrowthChart(growth)
	var peers []projections.PeersDay
	for i := range statsDays {
		peers = append(peers, projections.PeersDay{Day: since.AddDate(0, 0, i), Peak: 20 + i, Seeders: 15 + i/2, Leechers: 5 - i%5})
	}
	v.Peers = newPeersChart(peers)
	for i := len(days) - 1; i >= 0; i-- {
		v.Days = append(v.Days, days[i])
	}
	return v
}

// The traffic chart has a bar pair per day with traffic, none for the
// days without, ten dates at most under the axis, and the byte axis's
// top above the largest day.
func TestTrafficChart(t *testing.T) {
	today := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	v := sampleStats(today)
	c := v.Chart
	if len(c.Marks) != len(v.Days) || len(c.XTicks) > 10 || len(c.XTicks) < 5 {
		t.Fatalf("%d bars for %d days, %d dates", len(c.Marks), len(v.Days), len(c.XTicks))
	}
	for _, m := range c.Marks {
		up, down := m.Rects[0], m.Rects[1]
		for _, b := range m.Rects {
			if b.Y < c.Top-0.01 || b.Y+b.H > c.Bot+0.01 || b.X < c.Left || b.X+b.W > c.Right {
				t.Errorf("a bar outside the plot: %+v", b)
			}
		}
		if down.X <= up.X || up.Fill != chart.Green || down.Fill != chart.Red {
			t.Errorf("a day's bars: %+v", m.Rects)
		}
	}
	if last := c.YTicks[len(c.YTicks)-1]; last.At > c.Top+0.01 || !strings.HasSuffix(last.Label, "GiB") {
		t.Errorf("the axis's top %+v", last)
	}
	empty := newTrafficChart(nil, today.AddDate(0, 0, -29), today)
	if len(empty.Marks) != 0 || len(empty.YTicks) == 0 || empty.Note == "" {
		t.Errorf("an empty chart: %+v", empty)
	}
	s, _ := testSite(t, Deps{})
	rec := httptest.NewRecorder()
	s.render(rec, httptest.NewRequest("GET", "/stats", nil), 200, "stats", page{Title: "Statistics", Viewer: viewerSamples[1], Data: v})
	if g := v.Growth; len(g.Marks) != statsDays || g.YTicks[len(g.YTicks)-1].Label != "300" || len(g.XTicks) > 10 || len(g.Lines) != 2 {
		t.Errorf("the growth chart: %d points, top %q, %d dates, %d lines", len(g.Marks), g.YTicks[len(g.YTicks)-1].Label, len(g.XTicks), len(g.Lines))
	}
	if p := v.Peers; len(p.Marks) != statsDays || p.YTicks[len(p.YTicks)-1].Label != "60" || len(p.Lines) != 3 {
		t.Errorf("the peers chart: %d points, top %q, %d lines", len(p.Marks), p.YTicks[len(p.YTicks)-1].Label, len(p.Lines))
	}
	if empty := newPeersChart(nil); len(empty.Marks) != 0 || len(empty.Lines) != 0 {
		t.Errorf("an empty peers chart: %+v", empty)
	}
	for _, want := range []string{`<svg class="chart"`, "Uploaded (credited)", ">Torrents</text>", "2026-11-20: 12 users, 290 torrents", ">Oct 22<", "<strong>47</strong>", "40.0 GiB",
		"Most peers at once", "2026-11-20: seeders 29, leechers 1 at the end; at most 49 peers at once"} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("the stats page lacks %q", want)
		}
	}
}

// factorsText names the presets and spells out other factors.
func TestFactorsText(t *testing.T) {
	for f, want := range map[domain.Factors]string{
		domain.NormalFactors: "Normal", {UploadPercent: 100}: "Freeleech", {}: "Neutral",
		{UploadPercent: 200, DownloadPercent: 100}: "Double upload", {UploadPercent: 150, DownloadPercent: 50}: "up 150%, down 50%",
	} {
		if got := factorsText(f); got != want {
			t.Errorf("%+v: %q, want %q", f, got, want)
		}
	}
}
