package browsertest

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/internal/browser"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/web"
)

// Uploading in a browser: log in with the form, upload a .torrent through
// /upload and land on its page with the seeding box; a broken .torrent is
// refused beside the file field; the personal .torrent fetched with the
// browser's session cookie announces with the user's passkey and is
// private. A torrent with a swarm's history shows its chart. Each page is
// looked at as a screenshot.
func TestUploadInABrowser(t *testing.T) {
	b := browser.Start(t)
	m := startDjembe(t)
	seedAlice(t, m) // seeded.flac, with announces: a swarm history
	ctx, pool := context.Background(), m.Instance().Pool
	if _, err := m.Commands().RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: "dora", Password: "dora's password"}); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, "dora in the users read model", func() bool {
		_, err := projections.UserIDByName(ctx, pool, "dora")
		return err == nil
	})
	site := m.WebURL()
	p := b.NewPage(t)
	p.Open(site + "/login")
	fill(t, p, map[string]string{"f-name": "dora", "f-password": "dora's password"})
	submit(t, p, "form.box button[type=submit]")

	dir := t.TempDir()
	broken, good := filepath.Join(dir, "broken.torrent"), filepath.Join(dir, "good.torrent")
	os.WriteFile(broken, []byte("d4:infod6:lengthi5e4:name1:aee"), 0o644)
	os.WriteFile(good, testenv.TorrentFile(t, "Field Recordings", false), 0o644)
	choose := func(path string) {
		t.Helper()
		if _, err := chromedp.Run(p.Context(), chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{path})); err != nil {
			t.Fatal(err)
		}
	}
	selectCategory := func() {
		t.Helper()
		if _, err := chromedp.Run(p.Context(), chromedp.SetValue(chromedp.CSS("#f-category"), "Music")); err != nil {
			t.Fatal(err)
		}
	}

	// A broken .torrent: the message beside the file field.
	p.Open(site + "/upload")
	choose(broken)
	selectCategory()
	fill(t, p, map[string]string{"f-title": "Forest at dawn", "f-description": "Birds <and> wind.\n\nRecorded in May."})
	if res := submit(t, p, ".upload-form button[type=submit]"); res.Status != 422 {
		t.Errorf("a broken .torrent: %d", res.Status)
	}
	if got := strings.Join(p.Texts("#e-file"), ""); !strings.Contains(got, "not a valid .torrent") && !strings.Contains(got, "piece") {
		t.Errorf("beside the file field: %q", got)
	}
	if got := browser.Eval[string](p, `document.getElementById("f-title").value`); got != "Forest at dawn" {
		t.Errorf("the refused form lost the name: %q", got)
	}
	cleanBut(t, p, site+"/upload")
	p.Screenshot("upload-refused")

	// A good one: its page, with the seeding box.
	choose(good)
	selectCategory()
	if res := submit(t, p, ".upload-form button[type=submit]"); res.Status != 200 {
		t.Fatalf("upload: %d", res.Status)
	}
	if got := p.Title(); got != "Forest at dawn · Djembe" {
		t.Errorf("the torrent page's title %q", got)
	}
	if got := strings.Join(p.Texts(".seed-box"), ""); !strings.Contains(got, "Download your .torrent") {
		t.Errorf("the seeding box reads %q", got)
	}
	if got := strings.Join(p.Texts(".description p"), "|"); got != "Birds <and> wind.|Recorded in May." {
		t.Errorf("the description reads %q", got)
	}
	cleanBut(t, p, site+"/upload")
	p.Screenshot("torrent-uploaded")
	dl := browser.Eval[string](p, `document.querySelector(".seed-box a").href`)

	// The personal .torrent, fetched with the browser's session cookie.
	got, err := chromedp.Call(p.Context(), network.GetCookies, network.GetCookiesParams{URLs: []string{site}})
	if err != nil {
		t.Fatal(err)
	}
	cookies := got.Cookies
	req, _ := http.NewRequest("GET", dl, nil)
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	mi, err := metainfo.Load(res.Body)
	if err != nil {
		t.Fatalf("the download (%d): %v", res.StatusCode, err)
	}
	dora, err := projections.ShowUser(ctx, pool, m.Instance().Secret, "dora")
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		Private int    `bencode:"private"`
		Source  string `bencode:"source"`
	}
	bencode.Unmarshal(mi.InfoBytes, &info)
	if !strings.HasSuffix(mi.Announce, "/announce/"+dora.Passkey) || info.Private != 1 || info.Source != "djembe" {
		t.Errorf("the .torrent announces to %q, private %d, source %q", mi.Announce, info.Private, info.Source)
	}

	// A torrent with a swarm's history: the chart has both lines.
	h := torrentOf(t, m, "seeded.flac")
	p.SetCookie(site, web.SessionCookieName, sessionFor(t, m, dora.ID))
	if res := p.Open(site + "/torrents/" + h.String()); res.Status != 200 {
		t.Fatalf("seeded.flac's page: %d", res.Status)
	}
	if n := browser.Eval[int](p, `document.querySelectorAll("svg.chart polyline").length`); n != 2 {
		t.Errorf("the swarm chart has %d lines", n)
	}
	if got := strings.Join(p.Texts("#swarm-box li"), " | "); !strings.Contains(got, "Seeders: 1") {
		t.Errorf("the swarm box reads %q", got)
	}
	cleanBut(t, p, site+"/upload")
	p.Screenshot("torrent-history")
}
