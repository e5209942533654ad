package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/app"
	"github.com/djembe/djembe/internal/browser"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/web"
)

// startDjembe runs the whole system in-process, every role on port 0, in
// a data directory PostgreSQL can use when it runs as user postgres;
// closed when t ends.
func startDjembe(t *testing.T) *app.Main {
	t.Helper()
	m, _ := startDjembeIn(t)
	return m
}

// startDjembeIn is startDjembe, also giving the data directory.
func startDjembeIn(t *testing.T) (*app.Main, string) {
	t.Helper()
	base, err := os.MkdirTemp("", "djembe-browser-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(base, 0o755)
	t.Cleanup(func() { os.RemoveAll(base) })
	data := filepath.Join(base, "data")
	m := app.New(app.Config{Instance: instance.Config{DataDir: data}, Web: "127.0.0.1:0", Ops: "127.0.0.1:0",
		Trackers: []string{"127.0.0.1:0"}, Roles: app.Roles{Tracker: true, Projectors: true}, Log: io.Discard})
	if err := m.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	<-m.Ready()
	return m, data
}

// headers are a response's headers, as Chromium reports them.
type headers map[string]any

// Get is a header by name, in any case.
func (h headers) Get(name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return fmt.Sprint(v)
		}
	}
	return ""
}

// clean fails t with the problems p reported, but for a failed load of
// the document itself when it is an error page (its status is the point).
func clean(t *testing.T, p *browser.Page, errorPage string) {
	t.Helper()
	for _, pr := range p.Problems() {
		if errorPage != "" && pr.Kind == "log" && pr.Source == "network" && pr.URL == errorPage {
			continue
		}
		t.Errorf("the page reported %s", pr)
	}
}

// The site in a browser: a visitor's front page and a 404 page, then the
// same as a signed-in staff member whose user box shows the ratio read
// model's figures. Each page has the site's title and navigation, carries
// the CSP, reports no console error or CSP violation, and is looked at as a
// screenshot.
func TestSiteInABrowser(t *testing.T) {
	b := browser.Start(t) // before the system: a missing browser skips or fails at once
	started := time.Now()
	m := startDjembe(t)
	t.Logf("djembe started in %v", time.Since(started).Round(time.Millisecond))
	site := m.WebURL()

	p := b.NewPage(t)
	res := p.Open(site + "/")
	h := headers(res.Headers)
	if res.Status != 200 || h.Get("Content-Security-Policy") != web.ContentSecurityPolicy || h.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("GET /: %d, headers %v", res.Status, res.Headers)
	}
	if title := p.Title(); title != "Djembe" {
		t.Errorf("front page title %q", title)
	}
	if got := p.Texts("#account a"); strings.Join(got, "|") != "Log in|Register" {
		t.Errorf("a visitor's header offers %q, want Log in and Register", got)
	}
	if got := p.Texts("h1"); len(got) != 1 || got[0] != "Welcome to Djembe" {
		t.Errorf("front page heading %q", got)
	}
	if bg := browser.Eval[string](p, `getComputedStyle(document.getElementById("topbar")).backgroundColor`); bg != "rgb(29, 53, 80)" {
		t.Errorf("the stylesheet did not apply: the top bar's background is %q", bg)
	}
	clean(t, p, "")
	p.Screenshot("home-visitor")

	missing := site + "/no/such/page"
	res = p.Open(missing)
	if res.Status != 404 || headers(res.Headers).Get("Content-Security-Policy") != web.ContentSecurityPolicy {
		t.Errorf("GET a missing page: %d, headers %v", res.Status, res.Headers)
	}
	if title, h1 := p.Title(), p.Texts("h1"); title != "Not Found · Djembe" || strings.Join(h1, "") != "404 Not Found" {
		t.Errorf("404 page: title %q, heading %q", title, h1)
	}
	if got := p.Texts("#account a"); strings.Join(got, "|") != "Log in|Register" {
		t.Errorf("the 404 page's header offers %q", got)
	}
	clean(t, p, missing)
	p.Screenshot("404-visitor")

	alice := seedAlice(t, m)
	token := sessionFor(t, m, alice)
	p = b.NewPage(t)
	p.SetCookie(site, web.SessionCookieName, token)
	p.Open(site + "/")
	if got := p.Texts("#menu a"); strings.Join(got, "|") != "Torrents|Music|Movies|Backup|Upload|Stats|Invites|Staff" {
		t.Errorf("staff's navigation %q", got)
	}
	if got := strings.Join(p.Texts("#stats li"), " | "); got != "Up: 1.20 GiB | Down: 300 MiB | Ratio: 4.09 | Required: 0.00" {
		t.Errorf("alice's user box reads %q", got)
	}
	if c := browser.Eval[string](p, `getComputedStyle(document.querySelector("#stats .ratio")).color`); c != "rgb(31, 122, 58)" {
		t.Errorf("a ratio above the requirement is not green: %q", c)
	}
	if got := p.Texts("#account .username"); strings.Join(got, "") != "alice" {
		t.Errorf("the header names %q", got)
	}
	clean(t, p, "")
	p.Screenshot("home-signed-in")
	p.Open(missing)
	if got := p.Texts("#menu a"); len(got) != 8 {
		t.Errorf("the 404 page's navigation for alice: %q", got)
	}
	clean(t, p, missing)
	p.Screenshot("404-signed-in")
}

// seedAlice registers alice as staff, and has her seed one torrent to bob
// (uploading 1.2 GiB; upload is credited only while a leecher of another
// user is in the swarm) and download 300 MiB of another through the
// tracker, so the ratio read model credits her; it returns her id once it does.
func seedAlice(t *testing.T, m *app.Main) domain.UserID {
	t.Helper()
	ctx, c := context.Background(), m.Commands()
	reg, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: "alice", Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: "bob"}); err != nil {
		t.Fatal(err)
	}
	const size = 1 << 30
	add := func(file string) domain.InfoHash {
		added, err := c.AddTorrent(ctx, commands.Operator, commands.AddTorrent{File: testenv.TorrentOfSize(t, file, size, false), Uploader: "alice"})
		if err != nil {
			t.Fatal(err)
		}
		return added.Torrent.InfoHash
	}
	// announce sends user's peer's counters on the torrent until the tracker accepts them.
	announce := func(h domain.InfoHash, user, peer, event string, up, down, left uint64) {
		body, err := c.PersonalTorrent(ctx, commands.Operator, h, user, m.TrackerURL())
		if err != nil {
			t.Fatal(err)
		}
		mi, err := metainfo.Load(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		q := url.Values{"info_hash": {string(h[:])}, "peer_id": {peer}, "port": {"51413"}, "compact": {"1"}, "event": {event},
			"uploaded": {strconv.FormatUint(up, 10)}, "downloaded": {strconv.FormatUint(down, 10)}, "left": {strconv.FormatUint(left, 10)}}
		testenv.Eventually(t, fmt.Sprintf("%s's announce accepted", user), func() bool {
			res, err := http.Get(mi.Announce + "?" + q.Encode())
			if err != nil {
				return false
			}
			defer res.Body.Close()
			var answer map[string]any
			b, _ := io.ReadAll(res.Body)
			return bencode.Unmarshal(b, &answer) == nil && answer["failure reason"] == nil
		})
	}
	seeded, leeched := add("seeded.flac"), add("leeched.flac")
	announce(seeded, "bob", "-TR3000-0000000000b1", "started", 0, 0, size)
	announce(seeded, "alice", "-TR3000-0000000000a1", "started", 0, 0, 0)
	announce(seeded, "alice", "-TR3000-0000000000a1", "", 1288490189, 0, 0)
	announce(leeched, "alice", "-TR3000-0000000000a2", "started", 0, 0, size)
	announce(leeched, "alice", "-TR3000-0000000000a2", "", 0, 300<<20, size-300<<20)
	id := reg.User.ID
	var up, down int64
	for deadline := time.Now().Add(10 * time.Second); up != 1288490189 || down != 300<<20; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the ratio read model credits alice %d up, %d down; want 1288490189 and %d", up, down, 300<<20)
		}
		m.Instance().Pool.QueryRow(ctx, `SELECT uploaded, downloaded FROM ratio.users WHERE user_id = $1`, id).Scan(&up, &down)
	}
	return id
}

// doraAndSam are a plain user and a staff user, as most plugin tests need.
var doraAndSam = []commands.RegisterUser{{Name: "dora", Password: "dora's password"}, {Name: "sam", Password: "sam's password", Admin: true}}

// registerUsers registers users through the operator's door and waits
// until the users read model has them all (the pages and sessions read
// it).
func registerUsers(t *testing.T, m *app.Main, users ...commands.RegisterUser) {
	t.Helper()
	ctx, names := t.Context(), make([]string, len(users))
	for i, u := range users {
		if _, err := m.Commands().RegisterUser(ctx, commands.Operator, u); err != nil {
			t.Fatal(err)
		}
		names[i] = u.Name
	}
	testenv.Eventually(t, "the users in the read model", func() bool {
		var n int
		_ = m.Instance().Pool.QueryRow(ctx, `SELECT count(*) FROM users.users WHERE name = ANY($1)`, names).Scan(&n)
		return n == len(names)
	})
}

// sessionFor stores a session signed in as id, as the login page will,
// and returns its cookie's value.
func sessionFor(t *testing.T, m *app.Main, id domain.UserID) string {
	t.Helper()
	token, err := web.SessionFor(t.Context(), web.NewSessions(m.Instance().Pool, false), id)
	if err != nil {
		t.Fatal(err)
	}
	return token
}
