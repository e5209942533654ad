package browsertest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/app"
	"github.com/djembe/djembe/internal/browser"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/web"
)

// client sends the site requests as one signed-in user (or nobody), not
// following redirects.
type client struct {
	t      *testing.T
	site   string
	cookie string
}

func (c client) do(method, path string, form url.Values, headers ...string) (int, http.Header, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.site+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: web.SessionCookieName, Value: c.cookie})
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
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

// The profile through the whole system: anyone signed in sees a user's
// figures; only the owner and staff see (and change) the passkey, RSS key
// and API tokens; every refused request changes nothing.
func TestProfileKeysAndVisibility(t *testing.T) {
	m := startDjembe(t)
	seedAlice(t, m) // alice (staff) and bob
	ctx, cmds, pool, secret := context.Background(), m.Commands(), m.Instance().Pool, m.Instance().Secret
	carolReg, err := cmds.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: "carol"})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]domain.UserID{}
	for _, n := range []string{"alice", "bob", "carol"} {
		testenv.Eventually(t, n+" in the users read model", func() bool {
			ids[n], err = projections.UserIDByName(ctx, pool, n)
			return err == nil
		})
	}
	if ids["carol"] != carolReg.User.ID {
		t.Fatal("carol's id")
	}
	as := func(name string) client {
		if name == "" {
			return client{t: t, site: m.WebURL()}
		}
		return client{t: t, site: m.WebURL(), cookie: sessionFor(t, m, ids[name])}
	}
	alice, bob, carol, nobody := as("alice"), as("bob"), as("carol"), as("")
	bobRow, err := projections.ShowUser(ctx, pool, secret, "bob")
	if err != nil {
		t.Fatal(err)
	}
	acc, err := projections.Account(ctx, pool, secret, ids["bob"])
	if err != nil {
		t.Fatal(err)
	}
	oldPasskey, oldRSS := bobRow.Passkey, string(acc.RSSKey)

	// Who sees what.
	if code, h, _ := nobody.do("GET", "/users/bob", nil); code != 303 || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Errorf("a visitor: %d to %q, want a redirect to log in", code, h.Get("Location"))
	}
	for viewer, sees := range map[string]bool{"bob": true, "alice": true, "carol": false} {
		code, _, body := as(viewer).do("GET", "/users/bob", nil)
		if code != 200 || !strings.Contains(body, "<h1>bob</h1>") || !strings.Contains(body, "Required ratio") {
			t.Errorf("%s opening bob's profile: %d\n%s", viewer, code, body)
		}
		for _, secret := range []string{oldPasskey, oldRSS, "Rotate passkey", "Rotate RSS key", "API tokens", `action="/users/bob/tokens"`} {
			if strings.Contains(body, secret) != sees {
				t.Errorf("%s sees %q on bob's profile: %v, want %v", viewer, secret, !sees, sees)
			}
		}
	}
	if code, _, body := bob.do("GET", "/users/nobody-at-all", nil); code != 404 || !strings.Contains(body, "404 Not Found") || !strings.Contains(body, "nobody-at-all") {
		t.Errorf("an unknown user: %d\n%s", code, body)
	}
	if code, _, body := bob.do("GET", "/users/BOB", nil); code != 200 || !strings.Contains(body, "<h1>bob</h1>") {
		t.Errorf("a name in another case: %d", code)
	}
	for _, q := range []string{"?page=-3", "?page=x", "?page=99999999999999999999", "?page=9223372036854775807"} {
		if code, _, body := bob.do("GET", "/users/bob"+q, nil); code != 200 || !strings.Contains(body, "<h1>bob</h1>") {
			t.Errorf("/users/bob%s: %d", q, code)
		}
	}

	// Tokens: an empty label is refused beside the field; a good one is shown once.
	if code, _, body := bob.do("POST", "/users/bob/tokens", url.Values{"label": {"  "}}); code != 400 || !strings.Contains(body, `class="field-error"`) ||
		strings.Contains(body, `id="new-token"`) {
		t.Errorf("an empty label: %d\n%s", code, body)
	}
	code, h, body := bob.do("POST", "/users/bob/tokens", url.Values{"label": {"seedbox"}})
	tok := regexp.MustCompile(`id="new-token">New token “seedbox”: <code>([^<]+)</code>`).FindStringSubmatch(body)
	if code != 200 || tok == nil || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("create a token: %d %q\n%s", code, h.Get("Cache-Control"), body)
	}
	if u, err := projections.UserByToken(ctx, pool, tok[1]); err != nil || u.ID != ids["bob"] {
		t.Errorf("the token shown does not name bob: %+v %v", u, err)
	}
	if _, _, again := bob.do("GET", "/users/bob", nil); strings.Contains(again, tok[1]) || !strings.Contains(again, "seedbox") {
		t.Error("the token is shown again, or its label is not listed")
	}
	tokens, _ := projections.Tokens(ctx, pool, ids["bob"])
	if len(tokens) != 1 {
		t.Fatalf("bob's tokens: %+v", tokens)
	}
	revoke := "/users/bob/tokens/" + tokens[0].ID.String() + "/revoke"

	// Everything another user (not staff) or another site sends is refused, and changes nothing.
	for _, tc := range []struct {
		who    client
		path   string
		form   url.Values
		hdr    []string
		status int
	}{
		{carol, "/users/bob/tokens", url.Values{"label": {"mine now"}}, nil, 403},
		{carol, revoke, nil, nil, 403},
		{carol, "/users/carol/tokens/" + tokens[0].ID.String() + "/revoke", nil, nil, 404},
		{carol, "/users/bob/passkey", nil, nil, 403},
		{carol, "/users/bob/rsskey", nil, nil, 403},
		{bob, "/users/bob/tokens/not-a-uuid/revoke", nil, nil, 404},
		{bob, "/users/bob/passkey", nil, []string{"Origin: https://evil.example"}, 403},
		{bob, "/users/bob/tokens", url.Values{"label": {"csrf"}}, []string{"Sec-Fetch-Site: cross-site"}, 403},
		{bob, revoke, nil, []string{"Sec-Fetch-Site: cross-site"}, 403},
		{nobody, "/users/bob/passkey", nil, nil, 303},
	} {
		if code, _, body := tc.who.do("POST", tc.path, tc.form, tc.hdr...); code != tc.status {
			t.Errorf("POST %s %v: %d, want %d\n%s", tc.path, tc.hdr, code, tc.status, body)
		}
	}
	after, _ := projections.ShowUser(ctx, pool, secret, "bob")
	afterAcc, _ := projections.Account(ctx, pool, secret, ids["bob"])
	tokensAfter, _ := projections.Tokens(ctx, pool, ids["bob"])
	if after.Passkey != oldPasskey || string(afterAcc.RSSKey) != oldRSS || len(tokensAfter) != 1 || tokensAfter[0].RevokedAt != nil {
		t.Fatalf("a refused request changed bob's keys: %+v %+v", tokensAfter, afterAcc)
	}

	// Staff may act for bob; bob revokes his own token.
	if code, _, body := alice.do("POST", "/users/bob/tokens", url.Values{"label": {"by staff"}}); code != 200 || !strings.Contains(body, `id="new-token"`) {
		t.Errorf("staff creating bob a token: %d", code)
	}
	if code, h, _ := bob.do("POST", revoke, nil); code != 303 || h.Get("Location") != "/users/bob#keys" {
		t.Errorf("revoke: %d %q", code, h.Get("Location"))
	}
	if _, err := projections.UserByToken(ctx, pool, tok[1]); err == nil {
		t.Error("the revoked token still works")
	}

	// Rotating the passkey: the tracker refuses the old one at once.
	leeched := torrentOf(t, m, "leeched.flac")
	oldAnnounce := personalAnnounce(t, m, leeched, "bob")
	if code, h, _ := bob.do("POST", "/users/bob/passkey", nil); code != 303 || h.Get("Location") != "/users/bob?done=passkey#keys" {
		t.Fatalf("rotate passkey: %d %q", code, h.Get("Location"))
	}
	// How soon is measured and logged (the issue asks within a second),
	// not asserted: a loaded machine must not fail a test on time.
	rotated := time.Now()
	testenv.Eventually(t, "the tracker refusing the old passkey", func() bool { return refused(t, oldAnnounce, leeched) })
	t.Logf("the tracker refused the old passkey %v after the rotation was answered", time.Since(rotated).Round(10*time.Microsecond))
	if _, _, body := bob.do("GET", "/users/bob?done=passkey", nil); strings.Contains(body, oldPasskey) || !strings.Contains(body, "The passkey was rotated") {
		t.Error("the profile still shows the old passkey, or does not say it was rotated")
	}
	if refused(t, personalAnnounce(t, m, leeched, "bob"), leeched) {
		t.Error("the new passkey is refused")
	}
	if code, _, _ := bob.do("POST", "/users/bob/rsskey", nil); code != 303 {
		t.Errorf("rotate RSS key: %d", code)
	}
	if _, err := projections.UserByRSSKey(ctx, pool, secret, oldRSS); err == nil {
		t.Error("the old RSS key still works")
	}
}

// torrentOf is the info hash of the torrent seedAlice added as file.
func torrentOf(t *testing.T, m *app.Main, name string) domain.InfoHash {
	t.Helper()
	var b []byte
	if err := m.Instance().Pool.QueryRow(context.Background(), `SELECT info_hash FROM swarm.torrents WHERE name = $1`, name).Scan(&b); err != nil {
		t.Fatal(err)
	}
	var h domain.InfoHash
	copy(h[:], b)
	return h
}

// personalAnnounce is user's announce URL in their personal .torrent of h.
func personalAnnounce(t *testing.T, m *app.Main, h domain.InfoHash, user string) string {
	t.Helper()
	body, err := m.Commands().PersonalTorrent(context.Background(), commands.Operator, h, user, m.TrackerURL())
	if err != nil {
		t.Fatal(err)
	}
	mi, err := metainfo.Load(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return mi.Announce
}

// refused reports whether the tracker answers an announce to announceURL
// with a failure reason.
func refused(t *testing.T, announceURL string, h domain.InfoHash) bool {
	t.Helper()
	q := url.Values{"info_hash": {string(h[:])}, "peer_id": {"-TR3000-0000000000c9"}, "port": {"51413"}, "compact": {"1"},
		"uploaded": {"0"}, "downloaded": {"0"}, "left": {"0"}, "event": {"started"}}
	res, err := http.Get(announceURL + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var answer map[string]any
	if err := bencode.Unmarshal(b, &answer); err != nil {
		t.Fatalf("announce answer %q: %v", b, err)
	}
	return answer["failure reason"] != nil
}

// Alice's profile in a browser after her real announces: the figures the
// ratio read model holds, the chart drawn, the credit per torrent per day,
// her lists, and her keys (her own page); looked at as a screenshot.
func TestProfileInABrowser(t *testing.T) {
	b := browser.Start(t)
	m := startDjembe(t)
	alice := seedAlice(t, m)
	testenvEventuallyHistory(t, m, alice)
	p := b.NewPage(t)
	p.SetCookie(m.WebURL(), web.SessionCookieName, sessionFor(t, m, alice))
	res := p.Open(m.WebURL() + "/users/alice")
	if res.Status != 200 || p.Title() != "alice · Djembe" {
		t.Fatalf("alice's profile: %d %q", res.Status, p.Title())
	}
	if got := strings.Join(p.Texts("#stats-box li"), " | "); !strings.Contains(got, "Uploaded: 1.20 GiB | Downloaded: 300 MiB") {
		t.Errorf("the figures read %q", got)
	}
	if got := strings.Join(p.Texts("#ratio-box li"), " | "); !strings.Contains(got, "Ratio: 4.09 | Required ratio: 0.00") || !strings.Contains(got, "not on watch") {
		t.Errorf("the ratio box reads %q", got)
	}
	if n := browser.Eval[int](p, `document.querySelectorAll("#history svg.chart polyline").length`); n != 3 {
		t.Errorf("the chart has %d lines, want upload, download and ratio", n)
	}
	if w := browser.Eval[float64](p, `document.querySelector("#history svg.chart").getBoundingClientRect().width`); w < 600 {
		t.Errorf("the chart is %vpx wide", w)
	}
	changes := strings.Join(p.Texts("#changes tbody tr"), " | ")
	if !strings.Contains(changes, "seeded.flac +1.20 GiB") || !strings.Contains(changes, "leeched.flac – +300 MiB") {
		t.Errorf("why the ratio changed reads %q", changes)
	}
	if got := strings.Join(p.Texts("#seeding tbody tr td:first-child"), ","); got != "seeded.flac" {
		t.Errorf("seeding %q", got)
	}
	if got := strings.Join(p.Texts("#leeching tbody tr td:first-child"), ","); got != "leeched.flac" {
		t.Errorf("leeching %q", got)
	}
	if v := browser.Eval[string](p, `document.getElementById("passkey").value`); len(v) != 32 {
		t.Errorf("alice's own passkey %q", v)
	}
	if got := strings.Join(p.Texts("#invites"), ""); !strings.Contains(got, "Any number (staff) · send or see your invites") {
		t.Errorf("alice's invites read %q", got)
	}
	clean(t, p, "")
	p.Screenshot("profile-own")
}

// testenvEventuallyHistory waits until the cheat-signals read model (the
// history's source) has credited alice's announces.
func testenvEventuallyHistory(t *testing.T, m *app.Main, id domain.UserID) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		h, err := projections.RatioHistory(context.Background(), m.Instance().Pool, id)
		if err == nil && len(h) > 0 && h[len(h)-1].TotalUp == 1288490189 && h[len(h)-1].TotalDown == 300<<20 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the history of alice: %+v %v", h, err)
		}
	}
}
