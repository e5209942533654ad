package browsertest

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/djembe/djembe/commands"
	cmdmusic "github.com/djembe/djembe/commands/music"
	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/internal/browser"
	"github.com/djembe/djembe/internal/testenv"
	readmusic "github.com/djembe/djembe/projections/music"
	"github.com/djembe/djembe/web"
)

// The Music plugin's edit pages in a browser, as staff: the album's form
// (title, tags and a credit), an edition's and a format's, each reached
// from the album page, each refusing a bad value beside its field with
// nothing changed, and each change shown on the album and artist pages;
// similar artists added (an unknown name, the artist itself and one
// already there refused beside the field) and removed on the artist page.
// A user who is not staff sees no edit link, and their GET and POST of an
// edit are refused (403) with nothing changed.
func TestMusicEditInABrowser(t *testing.T) {
	b := browser.Start(t)
	m := startDjembe(t)
	ctx := context.Background()
	registerUsers(t, m, doraAndSam...)
	site, pool := m.WebURL(), m.Instance().Pool
	dora := commands.UserActor(userID(t, pool, "dora"), false)
	boc := upload(t, m.Commands(), dora, "mhtrtc", "Boards of Canada", "Music Has the Right to Children", 1998)
	amber := upload(t, m.Commands(), dora, "amber", "Autechre", "Amber", 1994)
	testenv.Eventually(t, "both albums in the music read model", func() bool {
		_, err1 := readmusic.Album(ctx, pool, boc.Album)
		_, err2 := readmusic.Album(ctx, pool, amber.Album)
		id, err3 := readmusic.AlbumOfFormat(ctx, pool, amber.InfoHash)
		return err1 == nil && err2 == nil && err3 == nil && id == amber.Album
	})
	albumPage := site + "/music/albums/" + boc.Album.String()

	p := b.NewPage(t)
	p.SetCookie(site, web.SessionCookieName, sessionFor(t, m, userID(t, pool, "sam")))
	click := func(sel string) {
		t.Helper()
		if _, err := chromedp.Run(p.Context(), chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	// follow clicks a link and waits for the page it leads to, so what
	// follows reads that page and not the one before.
	follow := func(sel string) {
		t.Helper()
		if _, err := chromedp.RunResponse(p.Context(), chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatalf("follow %s: %v", sel, err)
		}
	}
	beside := func(field string) string { return strings.Join(p.Texts("#e-"+field), "") }
	var refused []string // the pages of refused forms, whose 4xx loads the page reports
	cleanSoFar := func(url string) {
		t.Helper()
		if url != "" {
			refused = append(refused, url)
		}
		cleanBut(t, p, refused...)
	}

	// The album: a refused edit, then one that shows.
	p.Open(albumPage)
	if got := p.Texts(".music-formats .edit-link"); len(got) != 2 {
		t.Errorf("staff see the edit links %q, want the edition's and the format's", got)
	}
	follow("#edit-album")
	if got := browser.Eval[string](p, `document.getElementById("f-title").value`); got != "Music Has the Right to Children" {
		t.Fatalf("the album's form says the title is %q", got)
	}
	fill(t, p, map[string]string{"f-title": " ", "f-year": "3000"})
	browser.Eval[bool](p, `(s => (s.add(new Option("Polka", "2")), s.value = "2", true))(document.getElementById("f-release_type"))`)
	if res := submit(t, p, ".music-edit button[type=submit]"); res.Status != 422 {
		t.Errorf("a refused album edit: %d", res.Status)
	}
	for _, f := range []string{"title", "year", "release_type"} {
		if beside(f) == "" {
			t.Errorf("no message beside %s; the page says %q", f, p.Texts(".field-error, .alert"))
		}
	}
	cleanSoFar(albumPage + "/edit")
	p.Screenshot("music-album-edit-refused")
	p.Open(albumPage + "/edit")
	fill(t, p, map[string]string{"f-title": "Music Has the Right to Children (Remastered)", "f-tags": "Electronic, IDM, downtempo",
		"f-artist1": "Autechre", "f-role1": "2", "f-description": "Their first album on Warp."})
	p.Screenshot("music-album-edit")
	if res := submit(t, p, ".music-edit button[type=submit]"); res.Status != 200 || browser.Eval[string](p, `location.href`) != albumPage {
		t.Fatalf("the album's edit: %d at %s (%q)", res.Status, browser.Eval[string](p, `location.href`), p.Texts(".field-error, .alert"))
	}
	if got := strings.Join(p.Texts("h1"), ""); !strings.Contains(got, "Music Has the Right to Children (Remastered)") {
		t.Errorf("the album page's heading after the edit: %q", got)
	}
	if got := strings.Join(p.Texts("ul.credits li"), "|"); got != "Main|Boards of Canada|Guest|Autechre" {
		t.Errorf("the album's credits after the edit: %q", got)
	}
	if got := strings.Join(p.Texts("aside .tags"), ""); got != "electronic, idm, downtempo" {
		t.Errorf("the album's tags after the edit: %q", got)
	}

	// The edition, from its heading: a medium its log does not fit is
	// refused; then a new label, catalogue number, title and year.
	follow(".music-formats tr.edition .edit-link")
	release := browser.Eval[string](p, `location.href`)
	fill(t, p, map[string]string{"f-media": "Vinyl", "f-release_year": "3000"})
	if res := submit(t, p, ".music-edit button[type=submit]"); res.Status != 422 {
		t.Errorf("a refused edition edit: %d", res.Status)
	}
	if beside("media") == "" || beside("release_year") == "" {
		t.Errorf("beside media %q and year %q", beside("media"), beside("release_year"))
	}
	cleanSoFar(release)
	p.Screenshot("music-release-edit-refused")
	fill(t, p, map[string]string{"f-media": "CD", "f-release_year": "2004", "f-record_label": "Warp Records",
		"f-catalogue_number": "WARPCD55R", "f-edition_title": "Remaster"})
	if res := submit(t, p, ".music-edit button[type=submit]"); res.Status != 200 {
		t.Fatalf("the edition's edit: %d (%q)", res.Status, p.Texts(".field-error, .alert"))
	}
	if got := p.Texts(".music-formats tr.edition .edition-label"); len(got) != 1 || got[0] != "2004 – Warp Records / WARPCD55R / Remaster / CD" {
		t.Errorf("the album's editions after the edit: %q", got)
	}

	// The format, from its row: FLAC at 320 is refused; then a log of 95%
	// and the scene mark.
	follow(".music-formats tr.format .edit-link")
	format := browser.Eval[string](p, `location.href`)
	p.Screenshot("music-format-edit")
	fill(t, p, map[string]string{"f-encoding": "320"})
	if res := submit(t, p, ".music-edit button[type=submit]"); res.Status != 422 {
		t.Errorf("a refused format edit: %d", res.Status)
	}
	if !strings.Contains(beside("encoding"), "FLAC is lossless") {
		t.Errorf("beside the encoding: %q", beside("encoding"))
	}
	cleanSoFar(format)
	p.Screenshot("music-format-edit-refused")
	fill(t, p, map[string]string{"f-encoding": "Lossless", "f-log_score": "95"})
	click("#f-scene")
	if res := submit(t, p, ".music-edit button[type=submit]"); res.Status != 200 {
		t.Fatalf("the format's edit: %d (%q)", res.Status, p.Texts(".field-error, .alert"))
	}
	if got := p.Texts(".music-formats tr.format td.name a[href^='/torrents/']:not([href$=download])"); len(got) != 1 || got[0] != "FLAC / Lossless / Log (95%) / Cue / Scene" {
		t.Errorf("the album's format after the edit: %q", got)
	}
	cleanSoFar("")
	p.Screenshot("music-album-edited")

	// The guest credit shows on Autechre's page.
	p.Open(site + "/music/artist?name=autechre")
	if got := strings.Join(p.Texts(".release-group .head"), "|"); got != "Album (1)|Guest appearances (1)" {
		t.Errorf("Autechre's groups %q", got)
	}

	// Similar artists on Boards of Canada's page.
	p.Open(site + "/music/artist?name=boards+of+canada")
	artist := browser.Eval[string](p, `location.href`)
	for name, want := range map[string]string{"Nobody Here": "No artist is named", "boards of canada": "not similar to itself"} {
		fill(t, p, map[string]string{"f-similar": name})
		if res := submit(t, p, ".add-similar button"); res.Status != 422 && res.Status != 404 {
			t.Errorf("%q as a similar artist: %d", name, res.Status)
		}
		if !strings.Contains(beside("similar"), want) {
			t.Errorf("%q as a similar artist: beside the field %q, want %q", name, beside("similar"), want)
		}
	}
	p.Screenshot("music-artist-similar-refused")
	fill(t, p, map[string]string{"f-similar": "autechre"})
	submit(t, p, ".add-similar button")
	if got := p.Texts(".similar-box ul.similar li a"); !slices.Equal(got, []string{"Autechre"}) {
		t.Errorf("the similar artists after adding Autechre: %q (%q)", got, p.Texts(".field-error"))
	}
	fill(t, p, map[string]string{"f-similar": "Autechre"})
	submit(t, p, ".add-similar button")
	if !strings.Contains(beside("similar"), "already") {
		t.Errorf("Autechre again: beside the field %q", beside("similar"))
	}
	cleanSoFar(artist + "/similar")
	p.Open(artist)
	p.Screenshot("music-artist-similar")
	submit(t, p, ".remove-similar button")
	if got := p.Texts(".similar-box ul.similar li"); len(got) != 0 {
		t.Errorf("the similar artists after the removal: %q", got)
	}
	if got := p.Texts(".similar-box .pad.muted"); len(got) != 1 {
		t.Errorf("no empty state after the removal: %q", got)
	}

	// A user who is not staff: no edit link, and their edits are refused.
	p.SetCookie(site, web.SessionCookieName, sessionFor(t, m, userID(t, pool, "dora")))
	p.Open(albumPage)
	if got := p.Texts("#edit-album, .edit-link"); len(got) != 0 {
		t.Errorf("a user sees the edit links %q", got)
	}
	p.Open(artist)
	if got := p.Texts(".add-similar, .remove-similar, .staff-box"); len(got) != 0 {
		t.Errorf("a user sees staff's forms %q", got)
	}
	doraClient := client{t: t, site: site, cookie: sessionFor(t, m, userID(t, pool, "dora"))}
	albumPath := "/music/albums/" + boc.Album.String()
	for _, req := range []struct {
		method, path string
		form         url.Values
	}{
		{"GET", albumPath + "/edit", nil},
		{"POST", albumPath + "/edit", url.Values{"title": {"Dora's album"}, "year": {"1998"}, "release_type": {"1"}, "artist0": {"Dora"}, "role0": {"1"}}},
		{"GET", strings.TrimPrefix(release, site), nil},
		{"POST", strings.TrimPrefix(release, site), url.Values{"media": {"WEB"}}},
		{"GET", strings.TrimPrefix(format, site), nil},
		{"POST", strings.TrimPrefix(format, site), url.Values{"format": {"MP3"}, "encoding": {"320"}}},
		{"POST", strings.TrimPrefix(artist, site) + "/similar", url.Values{"similar": {"Autechre"}}},
	} {
		if status, _, _ := doraClient.do(req.method, req.path, req.form); status != 403 {
			t.Errorf("dora's %s %s: %d, want 403", req.method, req.path, status)
		}
	}
	a, err := readmusic.Album(ctx, pool, boc.Album)
	if err != nil || a.Title != "Music Has the Right to Children (Remastered)" || a.Releases[0].Media != "CD" || a.Formats()[0].Format != "FLAC" {
		t.Errorf("after dora's refused edits the album reads %+v (%v)", a, err)
	}
	if art, err := readmusic.Artist(ctx, pool, a.Credits[0].ID); err != nil || len(art.Similar) != 0 {
		t.Errorf("after dora's refused edit the artist's similar artists: %+v (%v)", art.Similar, err)
	}
}

// upload adds a new album by artist with one FLAC format on CD, as the
// write side's Music upload does, and returns where it went.
func upload(t *testing.T, c *commands.Commands, a commands.Actor, file, artist, title string, year int) cmdmusic.Uploaded {
	t.Helper()
	up, err := cmdmusic.New(c).Upload(t.Context(), a, cmdmusic.Upload{File: testenv.TorrentFile(t, file, false), Uploader: "dora", Source: "djembe",
		Artists:     []cmdmusic.ArtistCredit{{Name: artist, Role: music.RoleMain}},
		AlbumInfo:   music.AlbumInfo{Title: title, Year: year, ReleaseType: music.TypeAlbum, Tags: []string{"electronic"}},
		ReleaseInfo: music.ReleaseInfo{RecordLabel: "Warp", CatalogueNumber: "WARPCD55", Media: "CD"},
		Format:      music.FormatInfo{Format: "FLAC", Encoding: "Lossless", HasLog: true, LogScore: 100, HasCue: true}})
	if err != nil {
		t.Fatal(err)
	}
	return up
}
