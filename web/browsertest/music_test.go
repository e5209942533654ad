package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/djembe/djembe/internal/browser"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/web"
)

// Music in a browser: a new album uploaded through /music/upload (artist,
// album, edition and format at once) lands on its torrent's page; the
// album and its artist list it, grouped as what.cd did; a refused upload
// shows each problem beside its field; the same format again in that
// edition is refused beside the format with a link to the torrent that
// has it; a second format joins the edition from the album's page; staff
// add an alias and merge a misspelt artist, whose page then redirects.
func TestMusicInABrowser(t *testing.T) {
	b := browser.Start(t)
	m := startDjembe(t)
	registerUsers(t, m, doraAndSam...)
	site, pool := m.WebURL(), m.Instance().Pool
	dir := t.TempDir()
	file := func(name string) string {
		path := filepath.Join(dir, name+".torrent")
		os.WriteFile(path, testenv.TorrentFile(t, name, false), 0o644)
		return path
	}
	p := b.NewPage(t)
	p.SetCookie(site, web.SessionCookieName, sessionFor(t, m, userID(t, pool, "dora")))
	set := func(values map[string]string) {
		t.Helper()
		for id, v := range values {
			if _, err := chromedp.Run(p.Context(), chromedp.SetValue(chromedp.CSS("#"+id), v)); err != nil {
				t.Fatalf("set #%s: %v", id, err)
			}
		}
	}
	choose := func(path string) {
		t.Helper()
		if _, err := chromedp.Run(p.Context(), chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{path})); err != nil {
			t.Fatal(err)
		}
	}
	check := func(sel string) {
		t.Helper()
		if _, err := chromedp.Run(p.Context(), chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatal(err)
		}
	}
	newAlbum := map[string]string{"f-artists": "Boards of Canada", "f-title": "Music Has the Right to Children", "f-year": "1998",
		"f-tags": "Electronic, IDM", "f-media": "CD", "f-record_label": "Warp", "f-catalogue_number": "WARPCD55",
		"f-format": "FLAC", "f-encoding": "Lossless", "f-log_score": "100"}

	// A refused upload: each problem beside its field, the rest kept.
	p.Open(site + "/music/upload")
	choose(file("mhtrtc-flac"))
	set(map[string]string{"f-artists": "Boards of Canada", "f-year": "1066", "f-media": "Vinyl", "f-format": "FLAC", "f-encoding": "320"})
	check("#f-has_log")
	if res := submit(t, p, ".music-upload button[type=submit]"); res.Status != 422 {
		t.Errorf("a refused upload: %d", res.Status)
	}
	for _, f := range []string{"title", "year", "encoding", "has_log"} {
		if got := strings.Join(p.Texts("#e-"+f), ""); got == "" {
			t.Errorf("no message beside %s; the page says %q", f, p.Texts(".field-error"))
		}
	}
	if got := browser.Eval[string](p, `document.getElementById("f-artists").value`); got != "Boards of Canada" {
		t.Errorf("the refused form lost the artist: %q", got)
	}
	cleanBut(t, p, site+"/music/upload")
	p.Screenshot("music-upload-refused")

	// The new album.
	p.Open(site + "/music/upload")
	choose(file("mhtrtc-flac"))
	set(newAlbum)
	check("#f-has_log")
	if res := submit(t, p, ".music-upload button[type=submit]"); res.Status != 200 {
		t.Fatalf("upload: %d (%q)", res.Status, p.Texts(".field-error, .alert"))
	}
	if got := p.Title(); got != "Boards of Canada – Music Has the Right to Children (1998) [CD / FLAC / Lossless] · Djembe" {
		t.Errorf("landed on %q", got)
	}
	cleanBut(t, p, site+"/music/upload")
	p.Screenshot("music-uploaded")

	// The same format again: refused beside the format, with a link.
	p.Open(site + "/music/upload")
	choose(file("mhtrtc-flac-again"))
	set(newAlbum)
	check("#f-has_log")
	if res := submit(t, p, ".music-upload button[type=submit]"); res.Status != 409 {
		t.Errorf("a duplicate format: %d", res.Status)
	}
	if got := strings.Join(p.Texts("#e-format"), ""); !strings.Contains(got, "already has FLAC / Lossless") {
		t.Errorf("beside the format: %q", got)
	}
	cleanBut(t, p, site+"/music/upload")
	p.Screenshot("music-upload-duplicate")

	// The album page, and a second format from it.
	p.Open(site + "/music/")
	if got := strings.Join(p.Texts(".music-browse tr.group"), "|"); !strings.Contains(got, "Boards of Canada – Music Has the Right to Children [1998] [Album]") {
		t.Errorf("browse lists %q", got)
	}
	check(".music-browse tr.group a[href^='/music/albums/']")
	if got := p.Texts(".music-formats tr.edition"); len(got) != 1 || got[0] != "1998 – Warp / WARPCD55 / CD" {
		t.Errorf("the album's editions %q", got)
	}
	album := browser.Eval[string](p, `location.pathname`)
	p.Open(site + "/music/upload?album=" + strings.TrimPrefix(album, "/music/albums/"))
	choose(file("mhtrtc-v0"))
	set(map[string]string{"f-format": "MP3", "f-encoding": "V0 (VBR)"})
	if _, err := chromedp.Run(p.Context(), chromedp.SetValue(chromedp.CSS("#f-release"), browser.Eval[string](p, `document.querySelector("#f-release option").value`))); err != nil {
		t.Fatal(err)
	}
	p.Screenshot("music-upload-format")
	if res := submit(t, p, ".music-upload button[type=submit]"); res.Status != 200 {
		t.Fatalf("a second format: %d (%q)", res.Status, p.Texts(".field-error, .alert"))
	}
	p.Open(site + album)
	if got := p.Texts(".music-formats tr.format td.name"); len(got) != 2 || !strings.Contains(got[0], "FLAC / Lossless / Log (100%)") || !strings.Contains(got[1], "MP3 / V0 (VBR)") {
		t.Errorf("the album's formats %q", got)
	}
	cleanBut(t, p, site+"/music/upload")
	p.Screenshot("music-album")

	// A misspelt artist, merged by staff.
	p.Open(site + "/music/upload")
	choose(file("geogaddi"))
	set(map[string]string{"f-artists": "Boards of Kanada", "f-title": "Geogaddi", "f-year": "2002", "f-media": "WEB", "f-format": "FLAC", "f-encoding": "24bit Lossless"})
	if res := submit(t, p, ".music-upload button[type=submit]"); res.Status != 200 {
		t.Fatalf("upload: %d (%q)", res.Status, p.Texts(".field-error, .alert"))
	}
	p.SetCookie(site, web.SessionCookieName, sessionFor(t, m, userID(t, pool, "sam")))
	p.Open(site + "/music/artist?name=boards+of+kanada")
	typo := browser.Eval[string](p, `location.pathname`)
	set(map[string]string{"f-into": "Nobody"})
	if res := submit(t, p, "form[action$='/merge'] button"); res.Status != 422 {
		t.Errorf("a merge into nobody: %d", res.Status)
	}
	if got := strings.Join(p.Texts("#e-into"), ""); !strings.Contains(got, "No artist is named") {
		t.Errorf("beside the merge field: %q", got)
	}
	p.Screenshot("music-artist-staff-refused")
	set(map[string]string{"f-into": "boards of canada"})
	submit(t, p, "form[action$='/merge'] button")
	p.Open(site + typo)
	if got := p.Texts("h1"); len(got) != 1 || got[0] != "Boards of Canada" {
		t.Errorf("the merged artist's page leads to %q", got)
	}
	if got := strings.Join(p.Texts(".release-group .head"), "|"); got != "Album (2)" {
		t.Errorf("the artist's groups %q", got)
	}
	set(map[string]string{"f-alias": "BoC"})
	submit(t, p, "form[action$='/aliases'] button")
	if got := strings.Join(p.Texts("aside li"), "|"); !strings.Contains(got, "BoC") || !strings.Contains(got, "Boards of Kanada") {
		t.Errorf("the aliases box lists %q", got)
	}
	cleanBut(t, p, site+"/music/upload", site+typo+"/merge")
	p.Screenshot("music-artist")
}
