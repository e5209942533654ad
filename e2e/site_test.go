package e2e

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/internal/browser"
	"github.com/djembe/djembe/web"
)

// TestSiteTorrentInRealClients is the site's user story with real clients:
// alice and bob sign in to the site; alice uploads a .torrent through
// /upload; each downloads their personal .torrent from the torrent's page
// (their own passkey in announce, private, no announce-list); alice seeds
// hers with libtorrent and bob downloads his with aria2 through the
// tracker. Bob's profile, open in a headless Chromium, shows nothing
// downloaded and no ratio before; after the clients' announces it shows
// the file's size downloaded and a ratio of 0, and alice's profile page
// shows the file's size uploaded and an infinite ratio.
func TestSiteTorrentInRealClients(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end with real clients: not in -short mode")
	}
	requirePackages(t)
	br := browser.Start(t)
	b := newBudget(t, testBudget)
	w := newWorkspace(t)
	d := startServe(t, buildDjembe(t, w.root, b.cap(2*time.Minute)), w.data, w.logs, b)
	t.Cleanup(func() { w.dumpLogsOnFailure(t, d) })

	alice, bob := d.signIn(d.addUser("alice")), d.signIn(d.addUser("bob"))
	original := w.randomFile(t, filepath.Join(w.aliceDir, "field-recordings.bin"), fileSize)
	made := filepath.Join(w.root, "made.torrent")
	createTorrent(t, original, made, "")
	infoHash := alice.upload(made, "Field recordings", "Other")
	aliceTorrent := alice.download(infoHash, filepath.Join(w.root, "alice.torrent"))
	bobTorrent := bob.download(infoHash, filepath.Join(w.root, "bob.torrent"))

	p := br.NewPage(t)
	p.SetCookie(d.webURL, web.SessionCookieName, bob.session())
	p.Open(d.webURL + "/users/bob")
	before := profileFigures(t, p)
	if before.downloaded != 0 {
		t.Fatalf("bob's profile shows %d bytes downloaded before any transfer", before.downloaded)
	}
	p.Screenshot("e2e-profile-before")

	seeder := startLibtorrent(t, "alice", aliceTorrent, w.aliceDir, w.logs, true)
	w.lt = seeder
	leecher := startAria2(t, "bob", bobTorrent, w.bobDir, w.logs)
	w.aria = leecher
	waitForCopy(t, seeder, leecher, original, filepath.Join(w.bobDir, filepath.Base(original)), b.cap(120*time.Second))
	if code := leecher.stop(b.cap(20 * time.Second)); code != 0 {
		t.Errorf("aria2 exited %d after SIGINT (want 0)", code)
	}
	seeder.stop()

	alice.waitForProfile(t, "uploaded", func(f figures) bool { return near(f.uploaded, fileSize) }, b.cap(30*time.Second))
	bob.waitForProfile(t, "downloaded", func(f figures) bool { return near(f.downloaded, fileSize) }, b.cap(30*time.Second))

	p.Open(d.webURL + "/users/bob")
	after := profileFigures(t, p)
	p.Screenshot("e2e-profile-after")
	if !near(after.downloaded, fileSize) || after.ratio == before.ratio || after.ratio != "0.00" {
		t.Errorf("bob's profile in the browser: before %+v, after %+v; want %d bytes downloaded and the ratio changed to 0.00",
			before, after, fileSize)
	}
	if f := alice.profile(t); f.ratio != "∞" {
		t.Errorf("alice's profile shows ratio %q after seeding with nothing downloaded, want ∞", f.ratio)
	}
	for _, pr := range p.Problems() {
		t.Errorf("bob's profile page reported %s", pr)
	}
	if code := d.stop(b.cap(60 * time.Second)); code != 0 {
		t.Errorf("djembe serve exited %d after SIGINT, want 0:\n%s", code, tail(d.logPath, 30))
	}
}

// siteUser is a user signed in to the site over HTTP, with a cookie jar.
type siteUser struct {
	t       *testing.T
	name    string
	passkey string
	site    string
	hc      *http.Client
}

// signIn logs u in through the site's login form.
func (d *djembe) signIn(u newUser) *siteUser {
	d.t.Helper()
	jar, _ := cookiejar.New(nil)
	s := &siteUser{t: d.t, name: u.Name, passkey: u.Passkey, site: d.webURL, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	res, err := s.hc.PostForm(d.webURL+"/login", url.Values{"name": {u.Name}, "password": {u.Password}})
	if err != nil {
		d.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || s.session() == "" {
		d.t.Fatalf("login as %s: %s, session cookie %q", u.Name, res.Status, s.session())
	}
	return s
}

// session is the value of the user's session cookie.
func (s *siteUser) session() string {
	u, _ := url.Parse(s.site)
	for _, c := range s.hc.Jar.Cookies(u) {
		if c.Name == web.SessionCookieName {
			return c.Value
		}
	}
	return ""
}

// upload posts the .torrent at path through /upload and returns the info
// hash of the torrent page it lands on.
func (s *siteUser) upload(path, title, category string) string {
	s.t.Helper()
	file, err := os.ReadFile(path)
	if err != nil {
		s.t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("title", title)
	mw.WriteField("category", category)
	mw.WriteField("description", "Recorded for the end-to-end test.")
	fw, _ := mw.CreateFormFile("file", filepath.Base(path))
	fw.Write(file)
	mw.Close()
	res, err := s.hc.Post(s.site+"/upload", mw.FormDataContentType(), &buf)
	if err != nil {
		s.t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`^/torrents/([0-9a-f]{40})$`).FindStringSubmatch(res.Request.URL.Path)
	if res.StatusCode != http.StatusOK || m == nil || !strings.Contains(string(body), "Download your .torrent") {
		s.t.Fatalf("upload as %s landed on %s (%s), not a torrent page with its seeding box:\n%.2000s", s.name, res.Request.URL, res.Status, body)
	}
	return m[1]
}

// download saves the user's personal .torrent from the site to out, and
// checks it: private, announcing with the user's passkey, no
// announce-list, the torrent's page as comment.
func (s *siteUser) download(infoHash, out string) string {
	s.t.Helper()
	status, body := s.get("/torrents/" + infoHash + "/download")
	if status != http.StatusOK {
		s.t.Fatalf("download as %s: %d %.500s", s.name, status, body)
	}
	var mi metainfo.MetaInfo
	if err := bencode.Unmarshal(body, &mi); err != nil {
		s.t.Fatalf("%s's .torrent does not decode: %v", s.name, err)
	}
	info, err := mi.UnmarshalInfo()
	if err != nil {
		s.t.Fatal(err)
	}
	if !strings.Contains(mi.Announce, s.passkey) || len(mi.AnnounceList) != 0 || info.Private == nil || !*info.Private ||
		mi.Comment != s.site+"/torrents/"+infoHash || mi.HashInfoBytes().HexString() != infoHash {
		s.t.Fatalf("%s's .torrent: announce %q (passkey %s…), announce-list %v, private %v, comment %q, info hash %s",
			s.name, mi.Announce, s.passkey[:6], mi.AnnounceList, info.Private, mi.Comment, mi.HashInfoBytes().HexString())
	}
	if err := os.WriteFile(out, body, 0o644); err != nil {
		s.t.Fatal(err)
	}
	return out
}

// get fetches a page of the site as the user.
func (s *siteUser) get(path string) (int, []byte) {
	s.t.Helper()
	res, err := s.hc.Get(s.site + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, body
}

// figures are what a profile page shows of a user's standing.
type figures struct {
	uploaded, downloaded int64
	ratio                string
}

var (
	uploadedFigure   = regexp.MustCompile(`Uploaded: <strong>([^<]+)</strong>`)
	downloadedFigure = regexp.MustCompile(`Downloaded: <strong>([^<]+)</strong>`)
	ratioFigure      = regexp.MustCompile(`Ratio: <strong[^>]*>([^<]+)</strong>`)
)

// profile reads the user's own profile page.
func (s *siteUser) profile(t *testing.T) figures {
	t.Helper()
	status, body := s.get("/users/" + s.name)
	if status != http.StatusOK {
		t.Fatalf("%s's profile: %d", s.name, status)
	}
	up, down, ratio := uploadedFigure.FindSubmatch(body), downloadedFigure.FindSubmatch(body), ratioFigure.FindSubmatch(body)
	if up == nil || down == nil || ratio == nil {
		t.Fatalf("%s's profile shows no uploaded, downloaded or ratio figure:\n%.3000s", s.name, body)
	}
	return figures{uploaded: parseShownBytes(t, string(up[1])), downloaded: parseShownBytes(t, string(down[1])), ratio: string(ratio[1])}
}

// waitForProfile polls the user's profile page until ok holds of its figures.
func (s *siteUser) waitForProfile(t *testing.T, what string, ok func(figures) bool, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		f := s.profile(t)
		if ok(f) {
			t.Logf("%s's profile page: uploaded %d, downloaded %d, ratio %s", s.name, f.uploaded, f.downloaded, f.ratio)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s's profile page does not show the %s credit after %s: %+v (file %d bytes)", s.name, what, limit, f, fileSize)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// profileFigures reads the figures of the profile open in p.
func profileFigures(t *testing.T, p *browser.Page) figures {
	t.Helper()
	stats, ratio := p.Texts("#stats-box li"), p.Texts("#ratio-box li strong")
	var f figures
	for _, li := range stats {
		if v, ok := strings.CutPrefix(li, "Uploaded: "); ok {
			f.uploaded = parseShownBytes(t, v)
		}
		if v, ok := strings.CutPrefix(li, "Downloaded: "); ok {
			f.downloaded = parseShownBytes(t, v)
		}
	}
	if len(ratio) == 0 {
		t.Fatalf("the profile in the browser shows no ratio (stats %q)", stats)
	}
	f.ratio = ratio[0]
	return f
}

// parseShownBytes reads a byte count as the site shows it ("512 B",
// "8.00 MiB") back into bytes, to the precision shown.
func parseShownBytes(t *testing.T, s string) int64 {
	t.Helper()
	num, unit, ok := strings.Cut(strings.TrimSpace(s), " ")
	v, err := strconv.ParseFloat(num, 64)
	exp := strings.Index("BKMGTPE", unit[:min(1, len(unit))])
	if !ok || err != nil || exp < 0 {
		t.Fatalf("the site shows %q where a byte count belongs", s)
	}
	for ; exp > 0; exp-- {
		v *= 1024
	}
	return int64(v)
}
