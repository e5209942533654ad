package browsertest

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/app"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/web"
)

// upload posts the upload form as c, with file (nil: no file part) and the
// other fields; it returns the status, headers and body.
func (c client) upload(file []byte, fields map[string]string) (int, http.Header, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != nil {
		fw, _ := mw.CreateFormFile("file", "up.torrent")
		fw.Write(file)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.site+"/upload", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: web.SessionCookieName, Value: c.cookie})
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

// The upload form through the whole system: every bad input is refused
// with its message beside its field and registers nothing; a good upload
// lands on the torrent's page with the seeding box; a duplicate links to
// the torrent already registered.
func TestUploadRefusalsAndSuccess(t *testing.T) {
	m := startDjembe(t)
	ctx, pool := context.Background(), m.Instance().Pool
	bob := registered(t, m, "bob")
	good := testenv.TorrentFile(t, "Some Album [FLAC]", false)
	ok := map[string]string{"category": "Music", "title": "Artist - Album (2001)", "description": "Line one <b>\n\nSecond paragraph"}
	with := func(k, v string) map[string]string {
		f := map[string]string{}
		for a, b := range ok {
			f[a] = b
		}
		f[k] = v
		return f
	}
	for _, tc := range []struct {
		name, field string
		file        []byte
		fields      map[string]string
	}{
		{"no file", "file", nil, ok},
		{"an empty file", "file", []byte{}, ok},
		{"not a torrent", "file", []byte("hello, I am a text file"), ok},
		{"no info dictionary", "file", []byte("d8:announce3:urle"), ok},
		{"an info dictionary without pieces", "file", []byte("d4:infod6:lengthi5e4:name1:aee"), ok},
		{"a path with ..", "file", []byte("d4:infod5:filesld6:lengthi5e4:pathl2:..eee4:name1:a12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee"), ok},
		{"no category", "category", good, with("category", "")},
		{"an unknown category", "category", good, with("category", "Warez")},
		{"an overlong name", "title", good, with("title", strings.Repeat("n", commands.MaxTitleRunes+1))},
		{"a name with a line break", "title", good, with("title", "two\nlines")},
		{"an overlong description", "description", good, with("description", strings.Repeat("d", commands.MaxDescriptionRunes+1))},
	} {
		code, _, body := bob.upload(tc.file, tc.fields)
		if code != 422 || errorBeside(body, tc.field) == "" {
			t.Errorf("%s: %d, error beside %s %q\n%s", tc.name, code, tc.field, errorBeside(body, tc.field), body)
		}
		if n := countTorrents(t, m); n != 0 {
			t.Fatalf("%s registered a torrent", tc.name)
		}
	}
	if code, h, _ := (client{t: t, site: m.WebURL()}).upload(good, ok); code != 303 || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Errorf("upload by a visitor: %d to %q", code, h.Get("Location"))
	}

	code, h, _ := bob.upload(good, ok)
	if code != 303 || !strings.HasPrefix(h.Get("Location"), "/torrents/") || !strings.HasSuffix(h.Get("Location"), "?uploaded=1") {
		t.Fatalf("upload: %d to %q", code, h.Get("Location"))
	}
	page := strings.TrimSuffix(h.Get("Location"), "?uploaded=1")
	code, _, body := bob.do("GET", h.Get("Location"), nil)
	for _, want := range []string{"<h1>Artist - Album (2001)</h1>", "Download your .torrent", "Line one &lt;b&gt;", "<p>Second paragraph</p>",
		"Music", `<a href="/users/bob">bob</a>`, "Some Album [FLAC]", "Nobody has completed this torrent yet.", "No peer has announced yet"} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("the new torrent's page lacks %q (%d)", want, code)
		}
	}
	if _, _, again := bob.do("GET", page, nil); strings.Contains(again, "seed-box") {
		t.Error("the seeding box shows without ?uploaded=1")
	}
	h1, _ := domain.ParseInfoHash(strings.TrimPrefix(page, "/torrents/"))
	row, err := projections.CatalogTorrent(ctx, pool, h1)
	if err != nil || row.Title != "Artist - Album (2001)" || row.Name != "Some Album [FLAC]" || row.Category != "Music" {
		t.Errorf("catalog row %+v, %v", row, err)
	}

	// The same file again is a duplicate, linked.
	code, _, body = bob.upload(good, with("title", "again"))
	if code != 409 || !strings.Contains(errorBeside(body, "file"), "already on the site") || !strings.Contains(body, `<a href="`+page+`">`) {
		t.Errorf("duplicate: %d %q\n%s", code, errorBeside(body, "file"), body)
	}
	// An empty name is the .torrent's own.
	code, h, _ = bob.upload(testenv.TorrentFile(t, "Plain Name", false), with("title", "  "))
	if code != 303 {
		t.Fatalf("upload with an empty name: %d", code)
	}
	if _, _, body = bob.do("GET", h.Get("Location"), nil); !strings.Contains(body, "<h1>Plain Name</h1>") {
		t.Errorf("an empty name does not default to the torrent's:\n%s", body)
	}
	// Unknown, malformed and deleted torrents are 404s.
	for _, p := range []string{"/torrents/" + strings.Repeat("ab", 20), "/torrents/xyz", "/torrents/" + strings.Repeat("ab", 20) + "/download"} {
		if code, _, _ := bob.do("GET", p, nil); code != 404 {
			t.Errorf("%s: %d, want 404", p, code)
		}
	}
	if _, err := m.Commands().DeleteTorrent(ctx, commands.Operator, h1, "test"); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, "the deletion in the catalog", func() bool {
		r, err := projections.CatalogTorrent(ctx, pool, h1)
		return err == nil && r.Deleted
	})
	if code, _, _ := bob.do("GET", page, nil); code != 404 {
		t.Errorf("a deleted torrent's page: %d", code)
	}
}

// errorBeside is the error shown beside the form field named name in body
// (the span with id e-NAME), or "".
func errorBeside(body, name string) string {
	m := regexp.MustCompile(`(?s)<span class="field-error" id="e-` + regexp.QuoteMeta(name) + `">(.*?)</span>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// registered registers name and returns a client signed in as them.
func registered(t *testing.T, m *app.Main, name string) client {
	t.Helper()
	reg, err := m.Commands().RegisterUser(context.Background(), commands.Operator, commands.RegisterUser{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, name+" in the users read model", func() bool {
		_, err := projections.UserIDByName(context.Background(), m.Instance().Pool, name)
		return err == nil
	})
	return client{t: t, site: m.WebURL(), cookie: sessionFor(t, m, reg.User.ID)}
}

func countTorrents(t *testing.T, m *app.Main) int {
	var n int
	if err := m.Instance().Pool.QueryRow(context.Background(), `SELECT count(*) FROM catalog.torrents`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The personal .torrent: refused without a session, token or key (and
// with a bad or revoked token, or a bad key); with each, the user's own
// file, announcing to the tracker with their passkey, private, with the
// site's source and the page as comment, and no announce-list.
func TestDownloadAuthorizationAndContent(t *testing.T) {
	m := startDjembe(t)
	ctx, pool, secret, cmds := context.Background(), m.Instance().Pool, m.Instance().Secret, m.Commands()
	bob := registered(t, m, "bob")
	code, h, _ := bob.upload(testenv.TorrentFile(t, "tool.bin", false), map[string]string{"category": "Software", "title": `Tool: v1/2 "beta"`})
	if code != 303 {
		t.Fatalf("upload: %d", code)
	}
	page := strings.TrimSuffix(h.Get("Location"), "?uploaded=1")
	dl := page + "/download"
	nobody := client{t: t, site: m.WebURL()}
	tok, err := cmds.CreateToken(ctx, commands.Operator, "bob", "autodl")
	if err != nil {
		t.Fatal(err)
	}
	old, err := cmds.CreateToken(ctx, commands.Operator, "bob", "old")
	if err != nil {
		t.Fatal(err)
	}
	if err := cmds.RevokeToken(ctx, commands.Operator, "bob", old.ID); err != nil {
		t.Fatal(err)
	}
	bobID, _ := projections.UserIDByName(ctx, pool, "bob")
	acc, err := projections.Account(ctx, pool, secret, bobID)
	if err != nil {
		t.Fatal(err)
	}
	user, err := projections.ShowUser(ctx, pool, secret, "bob")
	if err != nil {
		t.Fatal(err)
	}

	if code, h, _ := nobody.do("GET", dl, nil); code != 303 || !strings.HasPrefix(h.Get("Location"), "/login?next=") {
		t.Errorf("a visitor: %d to %q", code, h.Get("Location"))
	}
	for name, tc := range map[string]struct {
		path    string
		headers []string
	}{
		"a bad token":     {dl, []string{"Authorization: Bearer nonsense"}},
		"a revoked token": {dl, []string{"Authorization: Bearer " + old.Token}},
		"basic auth":      {dl, []string{"Authorization: Basic Ym9iOmJvYg=="}},
		"a bad key":       {dl + "?key=nonsense", nil},
		"JSON, nobody":    {dl, []string{"Accept: application/json"}},
	} {
		if code, _, body := nobody.do("GET", tc.path, nil, tc.headers...); code != 401 || strings.Contains(body, "d8:announce") {
			t.Errorf("%s: %d, want 401", name, code)
		}
	}
	for name, tc := range map[string]struct {
		c       client
		path    string
		headers []string
	}{
		"the session":  {bob, dl, nil},
		"an API token": {nobody, dl, []string{"Authorization: Bearer " + tok.Token}},
		"the RSS key":  {nobody, dl + "?key=" + url.QueryEscape(string(acc.RSSKey)), nil},
	} {
		code, hd, body := tc.c.do("GET", tc.path, nil, tc.headers...)
		if code != 200 {
			t.Errorf("%s: %d", name, code)
			continue
		}
		if hd.Get("Cache-Control") != "no-store" || hd.Get("Content-Type") != "application/x-bittorrent" ||
			hd.Get("Content-Disposition") != `attachment; filename="Tool_ v1_2 _beta.torrent"` {
			t.Errorf("%s: headers %v", name, hd)
		}
		mi, err := metainfo.Load(strings.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var info map[string]any
		if err := bencode.Unmarshal(mi.InfoBytes, &info); err != nil {
			t.Fatal(err)
		}
		if mi.Announce != strings.TrimRight(m.TrackerURL(), "/")+"/announce/"+user.Passkey || len(mi.AnnounceList) != 0 ||
			mi.Comment != m.WebURL()+page || info["private"] != int64(1) || info["source"] != "djembe" {
			t.Errorf("%s: announce %q list %v comment %q private %v source %v", name, mi.Announce, mi.AnnounceList, mi.Comment, info["private"], info["source"])
		}
		if "/torrents/"+mi.HashInfoBytes().HexString() != page {
			t.Errorf("%s: the file's info hash %s is not the page's %s", name, mi.HashInfoBytes().HexString(), page)
		}
	}
}
