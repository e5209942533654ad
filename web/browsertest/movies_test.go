package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/djembe/djembe/internal/browser"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/web"
)

// moviesSite is a running Djembe with a browser page signed in, for the
// Movies tests.
type moviesSite struct {
	t    *testing.T
	site string
	p    *browser.Page
	dir  string
}

// set fills the inputs and selects by id.
func (s moviesSite) set(values map[string]string) {
	s.t.Helper()
	for id, v := range values {
		if _, err := chromedp.Run(s.p.Context(), chromedp.SetValue(chromedp.CSS("#"+id), v)); err != nil {
			s.t.Fatalf("set #%s: %v", id, err)
		}
	}
}

// choose picks a new .torrent named name as the upload's file.
func (s moviesSite) choose(name string) {
	s.t.Helper()
	path := filepath.Join(s.dir, name+".torrent")
	if err := os.WriteFile(path, testenv.TorrentFile(s.t, name, false), 0o644); err != nil {
		s.t.Fatal(err)
	}
	if _, err := chromedp.Run(s.p.Context(), chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{path})); err != nil {
		s.t.Fatal(err)
	}
}

// click follows the first link or button sel finds, waiting for the page.
func (s moviesSite) click(sel string) {
	s.t.Helper()
	submit(s.t, s.p, sel)
}

// scrollTo scrolls the first element sel finds to near the viewport's top.
func (s moviesSite) scrollTo(sel string) {
	s.t.Helper()
	browser.Eval[bool](s.p, `(document.querySelector(`+"`"+sel+"`"+`).scrollIntoView(), window.scrollBy(0, -120), true)`)
}

// path is the page's path.
func (s moviesSite) path() string { return browser.Eval[string](s.p, `location.pathname`) }

// Movies in a browser: a user uploads a new movie through /movies/upload
// (two actors in their roles, a director, the edition and the format at
// once) and lands on the movie page at its format, which shows the
// people, the cast in billing order and the edition's format row; each of
// the three people's pages lists the movie under the right kind of credit
// and leads back to it; browse finds it by person and format and not by
// another resolution. An upload with bad fields shows each problem beside
// its field, and a new movie with the IMDb id of one here is refused with
// a link to it; neither appends anything. Staff edit a person (a refused
// birth year beside its field first), give them an alias that then leads
// to them, rename an edition, and are refused a bad year on the movie.
// The JSON API is checked on that catalogue (checkMoviesAPI). Then a
// second format joins the edition from the movie page's link, the same
// format again is refused beside the format, /movies/torrents/HASH leads
// to the format's row, and staff credit a writer and edit a format (HDR
// in x264 refused beside the HDR first).
func TestMoviesInABrowser(t *testing.T) {
	b := browser.Start(t)
	m := startDjembe(t)
	ctx := context.Background()
	registerUsers(t, m, doraAndSam...)
	site, pool := m.WebURL(), m.Instance().Pool
	s := moviesSite{t: t, site: site, p: b.NewPage(t), dir: t.TempDir()}
	s.p.SetCookie(site, web.SessionCookieName, sessionFor(t, m, userID(t, pool, "dora")))

	s.p.Open(site + "/movies/")
	if got := strings.Join(s.p.Texts(".empty"), ""); !strings.Contains(got, "No movies yet") {
		t.Errorf("the empty browse says %q", got)
	}

	// The upload.
	s.p.Open(site + "/movies/upload")
	s.choose("matrix-1080p")
	s.set(map[string]string{"f-title": "The Matrix", "f-year": "1999", "f-runtime": "136", "f-imdb_id": "tt0133093",
		"f-tags": "Science Fiction, action", "f-poster": site + "/static/favicon.svg",
		"f-synopsis":     "A hacker learns that the world is a simulation.",
		"f-credit_name0": "Lana Wachowski",
		"f-credit_name3": "Keanu Reeves", "f-credit_role3": "Neo", "f-credit_name4": "Carrie-Anne Moss", "f-credit_role4": "Trinity",
		"f-distributor": "Warner", "f-source": "Blu-ray", "f-codec": "x264", "f-container": "MKV", "f-resolution": "1080p",
		"f-kind": "Encode", "f-subtitles": "EN, fr"})
	s.p.Screenshot("movies-upload")
	if res := submit(t, s.p, ".movies-upload button[type=submit]"); res.Status != 200 {
		t.Fatalf("upload: %d (%q)", res.Status, s.p.Texts(".field-error, .alert"))
	}
	movie := s.path()
	if got := s.p.Title(); got != "The Matrix (1999) · Djembe" || !strings.HasPrefix(movie, "/movies/") {
		t.Fatalf("landed on %q at %s", got, movie)
	}
	if hash := browser.Eval[string](s.p, `location.hash`); len(hash) != 42 || len(s.p.Texts(hash)) != 1 {
		t.Errorf("landed at %q, not at the format's row", hash)
	}
	checkMoviePage(t, s)
	cleanBut(t, s.p)
	s.p.Screenshot("movies-movie")

	// Each person's page lists the movie, and leads back to it.
	for _, tc := range []struct{ name, group, role string }{
		{"Lana Wachowski", "Directing (1)", ""}, {"Keanu Reeves", "Acting (1)", "Neo"}, {"Carrie-Anne Moss", "Acting (1)", "Trinity"},
	} {
		s.p.Open(site + movie)
		href := browser.Eval[string](s.p, `[...document.querySelectorAll(".movie-page a[href^='/movies/people/']")].find(a => a.textContent === "`+
			tc.name+`")?.getAttribute("href") ?? ""`)
		if href == "" {
			t.Fatalf("the movie page links no %s", tc.name)
		}
		s.click(".movie-page a[href='" + href + "']")
		if got := s.p.Texts("h1"); len(got) != 1 || got[0] != tc.name {
			t.Errorf("%s's page is headed %q", tc.name, got)
		}
		if got := strings.Join(s.p.Texts(".filmography .head"), "|"); got != tc.group {
			t.Errorf("%s's filmography: %q", tc.name, got)
		}
		row := strings.Join(s.p.Texts(".filmography tr.group"), "|")
		if !strings.Contains(row, "1999 – The Matrix") || (tc.role != "" && !strings.Contains(row, "as "+tc.role)) {
			t.Errorf("%s's filmography lists %q", tc.name, row)
		}
		if tc.name == "Keanu Reeves" {
			cleanBut(t, s.p)
			s.p.Screenshot("movies-person")
		}
		s.click(".filmography tr.group a[href='" + movie + "']")
		if s.path() != movie {
			t.Errorf("%s's page led to %s", tc.name, s.path())
		}
	}

	// Browse: by person and format, and not by another resolution.
	s.p.Open(site + "/movies/?person=keanu&resolution=1080p&source=blu-ray")
	if got := strings.Join(s.p.Texts(".movies-browse tr.group"), "|"); !strings.Contains(got, "The Matrix [1999] by Lana Wachowski") {
		t.Errorf("browse lists %q", got)
	}
	cleanBut(t, s.p)
	s.p.Screenshot("movies-browse")
	s.p.Open(site + "/movies/?resolution=2160p")
	if got := strings.Join(s.p.Texts(".empty"), ""); !strings.Contains(got, "Nothing matches") {
		t.Errorf("a 2160p browse says %q", got)
	}

	// A refused upload: each problem beside its field, nothing appended.
	before, err := m.Instance().Log.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.p.Open(site + "/movies/upload")
	s.choose("matrix-dvd")
	s.set(map[string]string{"f-year": "1066", "f-credit_name0": "Lana Wachowski", "f-credit_role5": "Morpheus",
		"f-source": "DVD", "f-codec": "x264", "f-container": "MKV", "f-resolution": "1080p", "f-kind": "Encode"})
	if res := submit(t, s.p, ".movies-upload button[type=submit]"); res.Status != 422 {
		t.Errorf("a refused upload: %d", res.Status)
	}
	for _, f := range []string{"title", "year", "resolution", "credit5"} {
		if got := strings.Join(s.p.Texts("#e-"+f), ""); got == "" {
			t.Errorf("no message beside %s; the page says %q", f, s.p.Texts(".field-error, .alert"))
		}
	}
	if got := browser.Eval[string](s.p, `document.getElementById("f-credit_name0").value`); got != "Lana Wachowski" {
		t.Errorf("the refused form lost the director: %q", got)
	}
	if after, _ := m.Instance().Log.LastSeq(ctx); after != before {
		t.Errorf("a refused upload appended %d events", after-before)
	}
	cleanBut(t, s.p, site+"/movies/upload")
	s.p.Screenshot("movies-upload-refused")
	s.scrollTo("#e-credit5")
	s.p.Screenshot("movies-upload-refused-credits")
	s.scrollTo("#e-resolution")
	s.p.Screenshot("movies-upload-refused-format")

	// A new movie with the IMDb id of one here is refused, with a link to
	// add the format to that one.
	s.p.Open(site + "/movies/upload")
	s.choose("matrix-again")
	s.set(map[string]string{"f-title": "Matrix", "f-year": "1999", "f-imdb_id": "tt0133093", "f-credit_name0": "Lana Wachowski",
		"f-source": "DVD", "f-codec": "XviD", "f-container": "AVI", "f-resolution": "576p", "f-kind": "Encode"})
	if res := submit(t, s.p, ".movies-upload button[type=submit]"); res.Status != 409 {
		t.Errorf("a movie here already: %d", res.Status)
	}
	if got := strings.Join(s.p.Texts("#e-imdb_id"), ""); !strings.Contains(got, "here already") ||
		len(s.p.Texts("a[href='/movies/upload?movie="+strings.TrimPrefix(movie, "/movies/")+"']")) != 1 {
		t.Errorf("beside the IMDb id: %q, and no link to the movie", got)
	}
	if after, _ := m.Instance().Log.LastSeq(ctx); after != before {
		t.Errorf("the refused uploads appended %d events", after-before)
	}

	// Staff edit a person, give them an alias, and rename an edition.
	s.p.SetCookie(site, web.SessionCookieName, sessionFor(t, m, userID(t, pool, "sam")))
	s.p.Open(site + "/movies/person?name=keanu+reeves")
	keanu := s.path()
	s.set(map[string]string{"f-birth_year": "1700"})
	if res := submit(t, s.p, ".person-edit button"); res.Status != 422 {
		t.Errorf("a birth year of 1700: %d", res.Status)
	}
	if got := strings.Join(s.p.Texts("#e-birth_year"), ""); !strings.Contains(got, "1700") {
		t.Errorf("beside the birth year: %q", got)
	}
	s.set(map[string]string{"f-birth_year": "1964", "f-biography": "Born in Beirut."})
	submit(t, s.p, ".person-edit button")
	if got := s.p.Texts("h1"); s.path() != keanu || len(got) != 1 || got[0] != "Keanu Reeves (born 1964)" {
		t.Errorf("after the edit, %s is headed %q", s.path(), got)
	}
	if got := strings.Join(s.p.Texts(".description"), ""); got != "Born in Beirut." {
		t.Errorf("the biography reads %q", got)
	}
	s.set(map[string]string{"f-alias": "Keanu Charles Reeves"})
	submit(t, s.p, ".person-alias button")
	if got := s.p.Texts(".aliases li"); !slices.Equal(got, []string{"Keanu Charles Reeves"}) {
		t.Errorf("the aliases box lists %q", got)
	}
	cleanBut(t, s.p, site+"/movies/upload", site+keanu+"/edit")
	s.p.Screenshot("movies-person-staff")
	s.p.Open(site + "/movies/person?name=KEANU+charles+reeves")
	if s.path() != keanu {
		t.Errorf("the alias leads to %s", s.path())
	}
	s.p.Open(site + movie)
	edition := browser.Eval[string](s.p, `document.querySelector("form.edition-edit").getAttribute("action")`)
	id := strings.TrimPrefix(edition, movie+"/editions/")
	s.set(map[string]string{"f-edition-" + id + "-edition": "Director's Cut", "f-edition-" + id + "-edition_year": "2001"})
	browser.Eval[bool](s.p, `document.querySelector("form.edition-edit").closest("details").open = true`)
	submit(t, s.p, "form.edition-edit button")
	if got := s.p.Texts(".movie-formats tr.edition"); len(got) != 1 || got[0] != "Director's Cut – 2001 – Warner" {
		t.Errorf("after the edition edit: %q", got)
	}
	s.set(map[string]string{"f-movie-year": "1066"})
	browser.Eval[bool](s.p, `document.querySelector("form.movie-edit").closest("details").open = true`)
	if res := submit(t, s.p, "form.movie-edit button"); res.Status != 422 {
		t.Errorf("a movie edit to 1066: %d", res.Status)
	}
	if got := strings.Join(s.p.Texts("#e-movie-year"), ""); !strings.Contains(got, "1066") {
		t.Errorf("beside the movie's year: %q", got)
	}
	cleanBut(t, s.p, site+"/movies/upload", site+keanu+"/edit", site+movie+"/edit")
	s.scrollTo(".movie-staff")
	s.p.Screenshot("movies-movie-staff")

	checkMoviesAPI(t, m, "dora", strings.TrimPrefix(movie, "/movies/"), strings.TrimPrefix(keanu, "/movies/people/"))

	// A second format from the movie page's link, into its edition; the
	// same format again is refused beside the format, with a link.
	s.p.SetCookie(site, web.SessionCookieName, sessionFor(t, m, userID(t, pool, "dora")))
	s.p.Open(site + movie)
	s.click("a[href^='/movies/upload?movie=']")
	remux := map[string]string{"f-source": "UHD Blu-ray", "f-codec": "H.265", "f-container": "MKV", "f-resolution": "2160p",
		"f-hdr": "Dolby Vision", "f-kind": "Remux"}
	s.choose("matrix-uhd")
	s.set(remux)
	s.p.Screenshot("movies-upload-format")
	if res := submit(t, s.p, ".movies-upload button[type=submit]"); res.Status != 200 || s.path() != movie {
		t.Fatalf("a second format: %d at %s (%q)", res.Status, s.path(), s.p.Texts(".field-error, .alert"))
	}
	if got := s.p.Texts(".movie-formats tr.format td.name a[href^='/torrents/']:not([href$='/download'])"); len(got) != 2 ||
		got[1] != "UHD Blu-ray / H.265 / MKV / 2160p / Dolby Vision / Remux" {
		t.Errorf("the formats after the second upload: %q", got)
	}
	uhd := browser.Eval[string](s.p, `location.hash`)[2:]
	s.p.Open(site + "/movies/upload?movie=" + strings.TrimPrefix(movie, "/movies/"))
	s.choose("matrix-uhd-again")
	s.set(remux)
	if res := submit(t, s.p, ".movies-upload button[type=submit]"); res.Status != 409 {
		t.Errorf("the same format again: %d", res.Status)
	}
	if got := strings.Join(s.p.Texts("#e-format"), ""); !strings.Contains(got, "already has UHD Blu-ray / 2160p / H.265 / Remux / Dolby Vision") {
		t.Errorf("beside the format: %q", got)
	}
	if n := len(s.p.Texts("a[href='/torrents/" + uhd + "']")); n != 1 {
		t.Errorf("%d links to the torrent that has the format", n)
	}
	s.scrollTo("#e-format")
	s.p.Screenshot("movies-upload-duplicate")
	s.p.Open(site + "/movies/torrents/" + uhd)
	if s.path() != movie || browser.Eval[string](s.p, `location.hash`) != "#t"+uhd {
		t.Errorf("the format's link leads to %s%s", s.path(), browser.Eval[string](s.p, `location.hash`))
	}

	// Staff credit a writer with the movie edit form.
	s.p.SetCookie(site, web.SessionCookieName, sessionFor(t, m, userID(t, pool, "sam")))
	s.p.Open(site + movie)
	browser.Eval[bool](s.p, `document.querySelector("form.movie-edit").closest("details").open = true`)
	s.set(map[string]string{"f-movie-credit_kind3": "2", "f-movie-credit_name3": "Lilly Wachowski"})
	submit(t, s.p, "form.movie-edit button")
	if got := strings.Join(s.p.Texts(".facts-table tr"), "|"); !strings.Contains(got, "Written byLilly Wachowski") {
		t.Errorf("after crediting a writer the facts read %q", got)
	}

	// Staff edit a format: HDR in x264 is refused beside the HDR, then
	// its subtitles change.
	form := browser.Eval[string](s.p, `document.querySelector("form.format-edit").getAttribute("action")`)
	which := "f-format-" + strings.TrimPrefix(form, movie+"/formats/") + "-"
	browser.Eval[bool](s.p, `document.querySelector("form.format-edit").closest("details").open = true`)
	s.set(map[string]string{which + "hdr": "HDR10"})
	if res := submit(t, s.p, "form.format-edit button"); res.Status != 422 {
		t.Errorf("HDR10 in x264: %d", res.Status)
	}
	if got := strings.Join(s.p.Texts("#e"+strings.TrimPrefix(which, "f")+"hdr"), ""); !strings.Contains(got, "not x264") {
		t.Errorf("beside the format's HDR: %q", got)
	}
	s.set(map[string]string{which + "hdr": "None", which + "subtitles": "en, fr, de"})
	submit(t, s.p, "form.format-edit button")
	if got := strings.Join(s.p.Texts(".movie-formats tr.format .subs"), "|"); !strings.Contains(got, "Subs: en, fr, de") {
		t.Errorf("after the format edit the subtitles read %q", got)
	}
	cleanBut(t, s.p, site+"/movies/upload", site+keanu+"/edit", site+movie+"/edit", site+form)
}

// checkMoviePage checks the movie page s shows: facts, credits, the cast
// in billing order and the format row under its edition.
func checkMoviePage(t *testing.T, s moviesSite) {
	t.Helper()
	p := s.p
	actors, roles := p.Texts(".cast-table td.actor"), p.Texts(".cast-table td.role")
	if !slices.Equal(actors, []string{"Keanu Reeves", "Carrie-Anne Moss"}) || !slices.Equal(roles, []string{"Neo", "Trinity"}) {
		t.Errorf("the cast reads %q as %q", actors, roles)
	}
	facts := strings.Join(p.Texts(".facts-table tr"), "|")
	for _, want := range []string{"Directed by", "Lana Wachowski", "136 min", "tt0133093", "science.fiction, action"} {
		if !strings.Contains(facts, want) {
			t.Errorf("the facts %q lack %q", facts, want)
		}
	}
	if got := p.Texts(".movie-formats tr.edition"); len(got) != 1 || got[0] != "Theatrical – 1999 – Warner" {
		t.Errorf("the editions %q", got)
	}
	rows := p.Texts(".movie-formats tr.format td.name")
	if len(rows) != 1 || !strings.Contains(rows[0], "Blu-ray / x264 / MKV / 1080p / Encode") || !strings.Contains(rows[0], "Subs: en, fr") {
		t.Errorf("the format rows %q", rows)
	}
	dl := browser.Eval[string](p, `document.querySelector(".movie-formats tr.format a[href$='/download']").getAttribute("href")`)
	if !strings.HasPrefix(dl, "/torrents/") || len(dl) != len("/torrents/")+40+len("/download") {
		t.Errorf("the download link is %q", dl)
	}
	if w := browser.Eval[float64](p, `document.querySelector(".poster img").naturalWidth`); w == 0 {
		t.Error("the poster did not load")
	}
}

// An IMDb id names one movie, and staff merge duplicates, in a browser: a
// user uploads The Matrix with its IMDb id; another format uploaded as a
// new movie with that id is refused beside the id, naming The Matrix, with
// a link that adds the format to it instead, which then lands there. A
// duplicate uploaded without an IMDb id is merged by staff from its page:
// an edit giving it The Matrix's id is refused beside the id, naming The
// Matrix and opening the merge form with it filled in; a merge into itself
// and an address that is no movie's are refused beside the field; the
// merge lands on The Matrix with every format (the duplicate's Theatrical
// joined, its Extended moved), the duplicate's address leads there, and a
// merge into the merged duplicate is refused.
func TestMoviesIMDbAndMergeInABrowser(t *testing.T) {
	b := browser.Start(t)
	m := startDjembe(t)
	registerUsers(t, m, doraAndSam...)
	site, pool := m.WebURL(), m.Instance().Pool
	s := moviesSite{t: t, site: site, p: b.NewPage(t), dir: t.TempDir()}
	s.p.SetCookie(site, web.SessionCookieName, sessionFor(t, m, userID(t, pool, "dora")))
	upload := func(file string, values map[string]string) string {
		t.Helper()
		s.p.Open(site + "/movies/upload")
		s.choose(file)
		s.set(values)
		if res := submit(t, s.p, ".movies-upload button[type=submit]"); res.Status != 200 {
			t.Fatalf("upload %s: %d (%q)", file, res.Status, s.p.Texts(".field-error, .alert"))
		}
		return s.path()
	}
	formatLinks := ".movie-formats tr.format td.name a[href^='/torrents/']:not([href$='/download'])"

	matrix := upload("matrix-1080p", map[string]string{"f-title": "The Matrix", "f-year": "1999", "f-imdb_id": "tt0133093",
		"f-credit_name0": "Lana Wachowski", "f-credit_name3": "Keanu Reeves", "f-credit_role3": "Neo", "f-distributor": "Warner",
		"f-source": "Blu-ray", "f-codec": "x264", "f-container": "MKV", "f-resolution": "1080p", "f-kind": "Encode"})
	matrixID := strings.TrimPrefix(matrix, "/movies/")

	// Another format as a new movie with the same IMDb id: refused beside
	// the id, naming The Matrix, with a link that adds it there instead.
	s.p.Open(site + "/movies/upload")
	s.choose("matrix-dvd")
	dvd := map[string]string{"f-source": "DVD", "f-codec": "XviD", "f-container": "AVI", "f-resolution": "576p", "f-kind": "Encode"}
	s.set(dvd)
	s.set(map[string]string{"f-title": "Matrix", "f-year": "1999", "f-imdb_id": "tt0133093", "f-credit_name0": "Lana Wachowski"})
	if res := submit(t, s.p, ".movies-upload button[type=submit]"); res.Status != 409 {
		t.Errorf("a new movie with a held IMDb id: %d", res.Status)
	}
	if got := strings.Join(s.p.Texts("#e-imdb_id"), ""); got != "IMDb id tt0133093 is The Matrix (1999), here already: add your format to that movie" {
		t.Errorf("beside the IMDb id: %q", got)
	}
	add := ".field-links a[href='/movies/upload?movie=" + matrixID + "']"
	if got := s.p.Texts(add); len(got) != 1 || got[0] != "Add your format to The Matrix (1999)" {
		t.Errorf("the link beside the IMDb id: %q", got)
	}
	cleanBut(t, s.p, site+"/movies/upload")
	s.scrollTo("#f-imdb_id")
	s.p.Screenshot("movies-upload-imdb-held")
	s.click(add)
	s.choose("matrix-dvd")
	s.set(dvd)
	if res := submit(t, s.p, ".movies-upload button[type=submit]"); res.Status != 200 || s.path() != matrix {
		t.Fatalf("the format added to The Matrix: %d at %s (%q)", res.Status, s.path(), s.p.Texts(".field-error, .alert"))
	}
	if got := s.p.Texts(formatLinks); len(got) != 2 {
		t.Errorf("The Matrix's formats: %q", got)
	}

	// A duplicate without an IMDb id, with a Theatrical and an Extended.
	dup := upload("matrix-web", map[string]string{"f-title": "Matrix", "f-year": "1999", "f-credit_name0": "Lana Wachowski",
		"f-distributor": "Warner", "f-source": "WEB", "f-codec": "H.264", "f-container": "MKV", "f-resolution": "720p", "f-kind": "Encode"})
	s.p.Open(site + "/movies/upload?movie=" + strings.TrimPrefix(dup, "/movies/"))
	s.choose("matrix-extended")
	s.set(map[string]string{"f-edition_id": "new", "f-edition": "Extended", "f-source": "Blu-ray", "f-codec": "x264", "f-container": "MKV",
		"f-resolution": "720p", "f-kind": "Encode"})
	if res := submit(t, s.p, ".movies-upload button[type=submit]"); res.Status != 200 || s.path() != dup {
		t.Fatalf("the duplicate's Extended: %d at %s (%q)", res.Status, s.path(), s.p.Texts(".field-error, .alert"))
	}
	if dup == matrix {
		t.Fatal("the duplicate is The Matrix")
	}

	// Staff: the duplicate's edit to The Matrix's id is refused, naming it,
	// and the merge form opens with it.
	s.p.SetCookie(site, web.SessionCookieName, sessionFor(t, m, userID(t, pool, "sam")))
	s.p.Open(site + dup)
	browser.Eval[bool](s.p, `document.querySelector("form.movie-edit").closest("details").open = true`)
	s.set(map[string]string{"f-movie-imdb_id": "tt0133093"})
	if res := submit(t, s.p, "form.movie-edit button"); res.Status != 409 && res.Status != 422 {
		t.Errorf("an edit to a held IMDb id: %d", res.Status)
	}
	if got := strings.Join(s.p.Texts("#e-movie-imdb_id"), ""); !strings.Contains(got, "IMDb id tt0133093 is The Matrix (1999)") {
		t.Errorf("beside the edited IMDb id: %q", got)
	}
	if got := browser.Eval[string](s.p, `document.getElementById("f-merge-into").value`); got != matrix ||
		!browser.Eval[bool](s.p, `document.querySelector("form.movie-merge").closest("details").open`) {
		t.Errorf("the merge form after the refused edit: %q", got)
	}
	if got := s.p.Texts(".movie-edit .field-links a[href='" + matrix + "']"); len(got) != 1 || got[0] != "See The Matrix (1999)" {
		t.Errorf("the link beside the edited IMDb id: %q", got)
	}
	s.scrollTo("#f-movie-imdb_id")
	s.p.Screenshot("movies-movie-imdb-held")
	for _, tc := range []struct{ into, says string }{
		{site + dup, "cannot be merged into itself"},
		{"the matrix", "no movie's id or page"},
		{"/movies/" + uuidLike, "no movie here has that id"},
	} {
		s.set(map[string]string{"f-merge-into": tc.into})
		if res := submit(t, s.p, "form.movie-merge button"); res.Status < 400 || s.path() != dup+"/merge" {
			t.Errorf("a merge into %q: %d at %s", tc.into, res.Status, s.path())
		}
		if got := strings.Join(s.p.Texts("#e-merge-into"), ""); !strings.Contains(strings.ToLower(got), tc.says) {
			t.Errorf("a merge into %q: beside the field %q", tc.into, got)
		}
	}
	cleanBut(t, s.p, site+"/movies/upload", site+dup+"/edit", site+dup+"/merge")
	s.scrollTo(".movie-staff details:last-of-type")
	s.p.Screenshot("movies-movie-merge-refused")

	s.set(map[string]string{"f-merge-into": site + matrix})
	if res := submit(t, s.p, "form.movie-merge button"); res.Status != 200 || s.path() != matrix {
		t.Fatalf("the merge: %d at %s (%q)", res.Status, s.path(), s.p.Texts(".field-error, .alert"))
	}
	checkMerged := func() {
		t.Helper()
		if got := s.p.Texts(".movie-formats tr.edition"); !slices.Equal(got, []string{"Theatrical – 1999 – Warner", "Extended – 1999"}) {
			t.Errorf("the editions after the merge: %q", got)
		}
		if got := s.p.Texts(formatLinks); len(got) != 4 || !slices.Contains(got, "WEB / H.264 / MKV / 720p / Encode") {
			t.Errorf("the formats after the merge: %q", got)
		}
	}
	checkMerged()
	cleanBut(t, s.p, site+"/movies/upload", site+dup+"/edit", site+dup+"/merge")
	s.scrollTo(".movie-formats")
	s.p.Screenshot("movies-movie-merged")
	s.p.Open(site + dup)
	if s.path() != matrix {
		t.Errorf("the duplicate's page leads to %s", s.path())
	}
	checkMerged()

	// A merge into the merged duplicate is refused, naming it.
	browser.Eval[bool](s.p, `document.querySelector("form.movie-merge").closest("details").open = true`)
	s.set(map[string]string{"f-merge-into": dup})
	if res := submit(t, s.p, "form.movie-merge button"); res.Status != 422 {
		t.Errorf("a merge into a merged movie: %d", res.Status)
	}
	if got := strings.Join(s.p.Texts("#e-merge-into"), ""); !strings.Contains(got, "was merged into another movie") {
		t.Errorf("beside a merge into a merged movie: %q", got)
	}
	cleanBut(t, s.p, site+"/movies/upload", site+dup+"/edit", site+dup+"/merge", site+matrix+"/merge")
}

// uuidLike is a movie id nobody has.
const uuidLike = "00000000-0000-4000-8000-000000000001"
