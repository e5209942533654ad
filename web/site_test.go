package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
)

// fakeViewers is a Viewers with the users it is given; others are not found.
type fakeViewers map[domain.UserID]Viewer

func (f fakeViewers) Viewer(_ context.Context, id domain.UserID) (Viewer, error) {
	v, ok := f[id]
	if !ok {
		return v, domain.E("find viewer", domain.KindNotFound, "no such user")
	}
	return v, nil
}

// testSite is a site on in-memory sessions with the viewers given.
func testSite(t *testing.T, d Deps) (*site, http.Handler) {
	t.Helper()
	if d.Waiting == nil {
		d.Waiting = func() []string { return nil }
	}
	h, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	s, err := newSite(d)
	if err != nil {
		t.Fatal(err)
	}
	return s, h
}

// do serves one request to h with the headers given ("Name: value").
func do(h http.Handler, method, path string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for _, hv := range headers {
		name, value, _ := strings.Cut(hv, ": ")
		req.Header.Set(name, value)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func jsonErrorCode(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string }
	}
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Message == "" {
		t.Fatalf("want a JSON error, got %s %q", rec.Header().Get("Content-Type"), rec.Body)
	}
	return e.Error.Code
}

// A browser gets error pages in the site's look; /api/ and clients that
// ask for JSON get {"error":{"code","message"}}.
func TestErrorsArePagesOrJSON(t *testing.T) {
	_, h := testSite(t, Deps{})
	for _, tc := range []struct {
		method, path, accept string
		status               int
		json                 bool
		code                 string // the JSON code, or text the page shows
	}{
		{"GET", "/no/such/page", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 404, false, "404 Not Found"},
		{"GET", "/no/such/page", "", 404, false, "There is no page at this address"},
		{"GET", "/no/such/page", "*/*", 404, false, "404 Not Found"},
		{"GET", "/no/such/page", "application/json", 404, true, "not_found"},
		{"GET", "/api/v1/nope", "text/html", 404, true, "not_found"},
		{"GET", "/api", "", 404, true, "not_found"},
		{"GET", "/static/nope.css", "text/html", 404, false, "404 Not Found"},
		{"POST", "/healthz", "text/html", 405, false, "405 Method Not Allowed"},
		{"DELETE", "/", "application/json", 405, true, "method_not_allowed"},
	} {
		rec := do(h, tc.method, tc.path, "Accept: "+tc.accept)
		if rec.Code != tc.status {
			t.Errorf("%s %s (Accept %q): %d, want %d", tc.method, tc.path, tc.accept, rec.Code, tc.status)
			continue
		}
		if tc.json {
			if code := jsonErrorCode(t, rec); code != tc.code {
				t.Errorf("%s %s: code %q, want %q", tc.method, tc.path, code, tc.code)
			}
			continue
		}
		body := rec.Body.String()
		if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" || !strings.Contains(body, tc.code) ||
			!strings.Contains(body, `<link rel="stylesheet" href="/static/style.`) || !strings.Contains(body, `href="/login"`) {
			t.Errorf("%s %s (Accept %q): %s, want the site's error page showing %q:\n%s", tc.method, tc.path, tc.accept, ct, tc.code, body)
		}
	}
}

// Every response of the site carries the security headers: pages, error
// pages, JSON errors, static files, the health check, plugins' pages.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	s, h := testSite(t, Deps{Plugins: []Plugin{{Name: "music", Routes: func(r chi.Router, _ *Site) {
		r.Get("/", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("music")) })
	}}}})
	css, _ := s.assets.url("style.css")
	for _, path := range []string{"/", "/no/such/page", "/api/v1/nope", "/healthz", css, "/static/style.css", "/static/nope", "/music/"} {
		for _, method := range []string{"GET", "HEAD", "POST"} {
			rec := do(h, method, path)
			for name, want := range map[string]string{
				"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
				"Referrer-Policy":         "no-referrer",
				"X-Content-Type-Options":  "nosniff",
			} {
				if got := rec.Header().Get(name); got != want {
					t.Errorf("%s %s (%d): %s is %q, want %q", method, path, rec.Code, name, got, want)
				}
			}
		}
	}
}

// A state-changing request a browser sends from another origin is refused
// with 403 (a page, or JSON under /api/); from the site itself, from the
// configured site URL's origin, or by a non-browser client it goes through.
func TestCrossOriginRequestsAreRefused(t *testing.T) {
	_, h := testSite(t, Deps{SiteURL: "https://djembe.example"})
	for _, tc := range []struct {
		method, path string
		headers      []string
		refused      bool
	}{
		{"POST", "/", []string{"Sec-Fetch-Site: cross-site"}, true},
		{"POST", "/", []string{"Sec-Fetch-Site: same-site"}, true},
		{"PUT", "/anything", []string{"Origin: https://evil.example"}, true},
		{"DELETE", "/api/v1/tokens/1", []string{"Sec-Fetch-Site: cross-site", "Accept: application/json"}, true},
		{"POST", "/", []string{"Sec-Fetch-Site: same-origin"}, false},
		{"POST", "/", []string{"Origin: https://djembe.example"}, false}, // behind a proxy that rewrites Host
		{"POST", "/", nil, false}, // no browser headers: a client such as curl
		{"GET", "/", []string{"Sec-Fetch-Site: cross-site"}, false},
	} {
		rec := do(h, tc.method, tc.path, tc.headers...)
		if refused := rec.Code == http.StatusForbidden; refused != tc.refused {
			t.Errorf("%s %s %v: %d, refused %v, want %v", tc.method, tc.path, tc.headers, rec.Code, refused, tc.refused)
			continue
		}
		if !tc.refused {
			continue
		}
		if strings.HasPrefix(tc.path, "/api/") {
			if code := jsonErrorCode(t, rec); code != "cross_origin" {
				t.Errorf("%s %s: code %q", tc.method, tc.path, code)
			}
		} else if !strings.Contains(rec.Body.String(), "sent from another site") {
			t.Errorf("%s %s: the refusal page does not say why:\n%s", tc.method, tc.path, rec.Body)
		}
	}
	if _, err := New(Deps{SiteURL: "djembe.example/path"}); err == nil {
		t.Error("New took a site URL without a scheme")
	}
}

// A static file is served under its versioned name with a year's cache,
// and under its own name revalidated; a changed file is another URL.
func TestStaticFilesAreServedWithCacheHeaders(t *testing.T) {
	s, h := testSite(t, Deps{})
	page := do(h, "GET", "/").Body.String()
	href := regexp.MustCompile(`<link rel="stylesheet" href="(/static/style\.[0-9a-f]{10}\.css)">`).FindStringSubmatch(page)
	if href == nil {
		t.Fatalf("the page links no versioned stylesheet:\n%s", page)
	}
	want, _ := staticFS.ReadFile("static/style.css")
	rec := do(h, "GET", href[1])
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), want) || rec.Header().Get("Content-Type") != "text/css; charset=utf-8" ||
		rec.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" || rec.Header().Get("ETag") == "" {
		t.Fatalf("GET %s: %d %v", href[1], rec.Code, rec.Header())
	}
	if again := do(h, "GET", href[1], "If-None-Match: "+rec.Header().Get("ETag")); again.Code != http.StatusNotModified {
		t.Errorf("revalidation with the ETag: %d", again.Code)
	}
	if head := do(h, "HEAD", href[1]); head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Length") != rec.Header().Get("Content-Length") {
		t.Errorf("HEAD: %d, %d bytes, %v", head.Code, head.Body.Len(), head.Header())
	}
	if plain := do(h, "GET", "/static/style.css"); plain.Code != 200 || plain.Header().Get("Cache-Control") != "no-cache" {
		t.Errorf("GET /static/style.css: %d %q", plain.Code, plain.Header().Get("Cache-Control"))
	}
	if stale := do(h, "GET", "/static/style.0123456789.css"); stale.Code != 404 {
		t.Errorf("a version that is not the file's: %d", stale.Code)
	}
	if icon, _ := s.assets.url("favicon.svg"); do(h, "GET", icon).Header().Get("Content-Type") != "image/svg+xml" {
		t.Errorf("the icon %s is not served as SVG", icon)
	}
	if _, err := s.assets.url("nope.css"); err == nil {
		t.Error("a static file that does not exist has a URL")
	}
}

// viewerSamples are viewers to render every view with: nobody, a user,
// staff with a ratio below the requirement.
var viewerSamples = []*Viewer{
	nil,
	{ID: uuid.New(), Name: "alice", Uploaded: 1288490189, Downloaded: 300 << 20, Ratio: domain.RatioOf(1288490189, 300<<20)},
	{ID: uuid.New(), Name: "staffer", Staff: true, Uploaded: 1 << 30, Downloaded: 40 << 30, Ratio: domain.RatioOf(1<<30, 40<<30), Required: 0.5},
}

// viewSamples is the data each view is rendered with in the tests. A new
// view needs a sample here: TestEveryViewRenders fails without one.
var viewSamples = map[string]any{
	"home":  nil,
	"error": errorPage{Status: 404, Heading: "Not Found", Message: "There is no page at this address.", Path: "/nope"},
}

// Every view renders with its sample data, for every kind of viewer, as
// a whole page in the layout; none holds inline script, style or event
// handlers (the CSP would block them).
func TestEveryViewRenders(t *testing.T) {
	s, _ := testSite(t, Deps{})
	if len(s.views) < 2 {
		t.Fatalf("only %d views parsed", len(s.views))
	}
	for name := range s.views {
		data, ok := viewSamples[name]
		if !ok {
			t.Errorf("view %s has no sample data in viewSamples", name)
			continue
		}
		for _, v := range viewerSamples {
			rec := httptest.NewRecorder()
			s.render(rec, httptest.NewRequest("GET", "/", nil), 200, name, page{Title: "T", Viewer: v, Data: data})
			body := rec.Body.String()
			if rec.Code != 200 || !strings.HasPrefix(body, "<!doctype html>") || !strings.Contains(body, "<title>T · Djembe</title>") ||
				!strings.Contains(body, `id="footer"`) || strings.Contains(body, "ZgotmplZ") || strings.Contains(body, "<no value>") {
				t.Errorf("view %s for %v: %d\n%s", name, v, rec.Code, body)
			}
		}
	}
	inline := regexp.MustCompile(`(?i)<style|<script>|<script [^>]*>[^<]|\sstyle=|\son[a-z]+=|javascript:`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	for _, f := range files {
		b, _ := templateFS.ReadFile(f)
		if m := inline.Find(b); m != nil {
			t.Errorf("%s holds inline script or style (%q), which the CSP refuses", f, m)
		}
	}
}

// The header shows the signed-in user's box and the navigation (Staff
// only to staff); nobody signed in, or a session naming an unknown user,
// gets Log in and Register instead.
func TestHeaderShowsTheUserBox(t *testing.T) {
	alice, boss, gone := viewerSamples[1], viewerSamples[2], uuid.New()
	sm := newSessionManager(false)
	_, h := testSite(t, Deps{Sessions: sm, Viewers: fakeViewers{alice.ID: *alice, boss.ID: *boss}})
	session := func(id string) string { // a session whose user id is id, which may not be one
		ctx, err := sm.Load(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		sm.Put(ctx, sessionUserKey, id)
		token, _, err := sm.Commit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return "Cookie: " + SessionCookieName + "=" + token
	}
	nav := regexp.MustCompile(`<nav id="menu"[\s\S]*?</nav>`)
	text := func(html string) string { // the text of the header, spaces collapsed
		head := html[strings.Index(html, `<header`):strings.Index(html, `</header>`)]
		return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(head, " ")), " ")
	}

	// (The front page reads the read models, which this site has not: the
	// browser tests look at it with data.)
	body := do(h, "GET", "/no/such/page", session(alice.ID.String())).Body.String()
	if got := text(body); !strings.Contains(got, "Up: 1.20 GiB Down: 300 MiB Ratio: 4.09 Required: 0.00") ||
		!strings.Contains(got, "Torrents Upload Stats Invites alice Log out") || strings.Contains(got, "Staff") || strings.Contains(got, "Log in") {
		t.Errorf("alice's header reads %q", got)
	}
	body = do(h, "GET", "/no/such/page", session(boss.ID.String())).Body.String()
	if got := text(body); !strings.Contains(got, "Torrents Upload Stats Invites Staff staffer") ||
		!strings.Contains(got, "Up: 1.00 GiB Down: 40.0 GiB Ratio: 0.02 Required: 0.50") || !strings.Contains(body, `class="stat ratio r-bad"`) {
		t.Errorf("staff's header on a 404 reads %q", got)
	}
	for what, headers := range map[string][]string{
		"nobody": nil, "an unknown user": {session(gone.String())}, "a malformed id": {session("not-a-uuid")},
		"an unknown session": {"Cookie: " + SessionCookieName + "=forged"},
	} {
		body := do(h, "GET", "/", headers...).Body.String()
		if got := text(body); got != "Djembe Log in Register" || nav.MatchString(body) {
			t.Errorf("%s: the header reads %q", what, got)
		}
	}
}

func TestSessionCookie(t *testing.T) {
	for _, tc := range []struct {
		siteURL string
		secure  bool
	}{{"http://127.0.0.1:8080", false}, {"https://djembe.example", true}, {"HTTPS://djembe.example", true}} {
		s, err := newSite(Deps{SiteURL: tc.siteURL})
		if err != nil {
			t.Fatal(err)
		}
		id := uuid.New()
		h := s.sessions.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := s.signIn(r.WithContext(context.WithValue(r.Context(), sessionLoaded{}, true)), id); err != nil {
				t.Fatal(err)
			}
		}))
		rec := do(h, "POST", "/login")
		c := rec.Result().Cookies()
		if len(c) != 1 || c[0].Name != SessionCookieName || !c[0].HttpOnly || c[0].SameSite != http.SameSiteLaxMode ||
			c[0].Secure != tc.secure || c[0].Path != "/" || c[0].MaxAge < int(SessionLifetime.Seconds())-60 {
			t.Errorf("site %s: cookie %+v", tc.siteURL, c)
			continue
		}
		req := httptest.NewRequest("GET", "/", nil)
		req.AddCookie(c[0])
		var got domain.UserID
		var signedIn bool
		s.loadSession(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got, signedIn = s.currentUser(r) })).ServeHTTP(httptest.NewRecorder(), req)
		if !signedIn || got != id {
			t.Errorf("currentUser after signIn: %v %v, want %v", got, signedIn, id)
		}
	}
}

// Sessions live in PostgreSQL's sessions table (the pgx store's schema,
// migrations/sql/00004_sessions.sql), and CleanSessions deletes the expired.
func TestSessionsAreKeptInPostgres(t *testing.T) {
	pool := testenv.DB(t)
	sm := NewSessions(pool, true)
	if !sm.Cookie.Secure || !sm.Cookie.HttpOnly || sm.Cookie.SameSite != http.SameSiteLaxMode {
		t.Errorf("cookie settings: %+v", sm.Cookie)
	}
	id := uuid.New()
	token, err := SessionFor(t.Context(), sm, id)
	if err != nil {
		t.Fatal(err)
	}
	again, err := sm.Load(t.Context(), token)
	if err != nil || sm.GetString(again, sessionUserKey) != id.String() {
		t.Fatalf("the session read back: %v %q", err, sm.GetString(again, sessionUserKey))
	}
	if _, err := pool.Exec(t.Context(), `INSERT INTO sessions (token, data, expiry) VALUES ('old', '\x00', now() - interval '1 hour')`); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { CleanSessions(cctx, pool, 10*time.Millisecond, slog.Default()); close(done) }()
	testenv.Eventually(t, "the expired session deleted", func() bool {
		var n int
		pool.QueryRow(t.Context(), `SELECT count(*) FROM sessions WHERE token = 'old'`).Scan(&n)
		return n == 0
	})
	cancel()
	<-done
	var n int
	if err := pool.QueryRow(t.Context(), `SELECT count(*) FROM sessions WHERE token = $1`, token).Scan(&n); err != nil || n != 1 {
		t.Errorf("the live session: %d rows, %v", n, err)
	}
}

// A handler that panics gets the 500 page; the log names the route, never
// the URL (which may hold a passkey).
func TestPanicIsA500PageAndLogsNoURL(t *testing.T) {
	var logs bytes.Buffer
	_, h := testSite(t, Deps{Logger: slog.New(slog.NewJSONHandler(&logs, nil)), Plugins: []Plugin{{Name: "feeds", Routes: func(r chi.Router, _ *Site) {
		r.Get("/{key}/torrents.xml", func(http.ResponseWriter, *http.Request) { panic("boom") })
	}}}})
	rec := do(h, "GET", "/feeds/0123456789abcdef0123456789abcdef/torrents.xml?passkey=fedcba9876543210")
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "500 Internal Server Error") || !strings.Contains(rec.Body.String(), "something went wrong") {
		t.Errorf("a panic answered %d:\n%s", rec.Code, rec.Body)
	}
	if l := logs.String(); !strings.Contains(l, "boom") || !strings.Contains(l, `/feeds/{key}/torrents.xml`) ||
		strings.Contains(l, "0123456789abcdef") || strings.Contains(l, "fedcba9876543210") {
		t.Errorf("the log line: %s", l)
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[uint64]string{
		0: "0 B", 512: "512 B", 1023: "1023 B", 1024: "1.00 KiB", 1536: "1.50 KiB", 10 << 10: "10.0 KiB",
		300 << 20: "300 MiB", 999 << 10: "999 KiB", 1000 << 10: "0.98 MiB", 1288490189: "1.20 GiB",
		5 << 40: "5.00 TiB", 1 << 62: "4.00 EiB", ^uint64(0): "16.0 EiB",
	} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// brokenStore is a session store whose database is down.
type brokenStore struct{}

func (brokenStore) Find(string) ([]byte, bool, error) {
	return nil, false, errors.New("connection refused")
}
func (brokenStore) Commit(string, []byte, time.Time) error { return errors.New("connection refused") }
func (brokenStore) Delete(string) error                    { return errors.New("connection refused") }

// A session that cannot be read is a 503 page shown as to someone signed
// out, and logged; pages are never kept by a shared cache.
func TestSessionStoreDown(t *testing.T) {
	var logs bytes.Buffer
	sm := newSessionManager(false)
	sm.Store = brokenStore{}
	_, h := testSite(t, Deps{Sessions: sm, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	rec := do(h, "GET", "/", "Cookie: "+SessionCookieName+"=sometoken")
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "Your session cannot be read") || !strings.Contains(rec.Body.String(), `href="/login"`) {
		t.Errorf("with the store down: %d\n%s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), "connection refused") {
		t.Errorf("not logged: %s", logs.String())
	}
	if rec := do(h, "GET", "/"); rec.Code != 200 || rec.Header().Get("Cache-Control") != "private, no-cache" {
		t.Errorf("without a session cookie: %d, Cache-Control %q", rec.Code, rec.Header().Get("Cache-Control"))
	}
}
