package app

import (
	"bytes"
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/internal/testenv"
)

var (
	profilePasskey = regexp.MustCompile(`<input type="text" id="passkey" class="secret" value="([0-9a-f]{32})" readonly>`)
	profileRSSKey  = regexp.MustCompile(`<input type="text" id="rsskey" class="secret" value="([0-9a-f]{64})" readonly>`)
	newToken       = regexp.MustCompile(`<div class="token-new" id="new-token">[^<]*<code>([^<]+)</code>`)
	inviteLink     = regexp.MustCompile(`<code id="invite-link">[^<]*/register\?invite=([^<]+)</code>`)
)

// profileKeys are the passkey and RSS key bob's own profile shows, once
// the read models have them.
func profileKeys(t *testing.T, b *browserLike, name string) (passkey, rssKey string) {
	t.Helper()
	testenv.Eventually(t, name+"'s keys on the profile", func() bool {
		_, _, body := b.get("/users/" + name)
		p, r := profilePasskey.FindStringSubmatch(body), profileRSSKey.FindStringSubmatch(body)
		if p == nil || r == nil {
			return false
		}
		passkey, rssKey = p[1], r[1]
		return true
	})
	return passkey, rssKey
}

// TestSiteLogsNoSecret runs a serve with every role and drives through the
// real site every door that carries a secret: an invite created and used
// to register, a failed and a good login, an API token created on the
// profile and used (and a bogus one), the RSS feed and a download by RSS
// key (and an unknown key), a passkey rotation on the profile and an
// announce with the old passkey, and a 404 and a 400 with secrets in the
// query. The log has the change and refusal lines, and none of the
// passwords, the invite code, the tokens, the keys or the session cookies.
func TestSiteLogsNoSecret(t *testing.T) {
	logs := &syncBuffer{}
	m := New(Config{Instance: instance.Config{DataDir: dataDir(t)}, Web: "127.0.0.1:0", Ops: "127.0.0.1:0", Trackers: []string{"127.0.0.1:0"},
		Roles: Roles{Tracker: true, Projectors: true}, Log: logs, RefusalLogPeriod: 100 * time.Millisecond})
	if err := m.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	<-m.Ready()
	ctx, c, site := context.Background(), m.Commands(), m.WebURL()
	if _, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: "alice", Password: "alice's password", Admin: true}); err != nil {
		t.Fatal(err)
	}
	added, err := c.AddTorrent(ctx, commands.Operator, commands.AddTorrent{File: testenv.TorrentFile(t, "album.flac", false), Uploader: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	h := added.Torrent.InfoHash.String()
	awaitUsers(t, m, "alice")
	alice := signedInAs(t, m, "alice")
	sessions := []string{cookieValue(alice)}

	// An invite, created by alice on the site, registers bob.
	code, _, body := alice.post("/invites", url.Values{})
	inv := inviteLink.FindStringSubmatch(body)
	if code != 200 || inv == nil {
		t.Fatalf("alice creates an invite: %d\n%s", code, body)
	}
	invite, err := url.QueryUnescape(inv[1])
	if err != nil {
		t.Fatal(err)
	}
	const password, wrongPassword = "bob's Secret pw 7f3e9a", "bob's Wrong pw 2c81d0"
	bob := newBrowserLike(t, site)
	if code, _, body := bob.get("/register?invite=" + url.QueryEscape(invite)); code != 200 || !strings.Contains(body, `name="invite" value="`+invite+`"`) {
		t.Fatalf("the register form with the invite: %d\n%s", code, body)
	}
	if code, to, _ := bob.post("/register", url.Values{"invite": {invite}, "name": {"bob"}, "password": {password}, "password2": {password}}); code != 303 || to != "/" {
		t.Fatalf("bob registers: %d to %q", code, to)
	}
	sessions = append(sessions, cookieValue(bob))
	if code, _, _ := bob.post("/logout", url.Values{}); code != 303 {
		t.Fatalf("bob logs out: %d", code)
	}
	awaitUsers(t, m, "bob")
	if code, _, body := bob.post("/login", url.Values{"name": {"bob"}, "password": {wrongPassword}}); code != 401 || formError(body) != "Wrong username or password." {
		t.Fatalf("bob with a wrong password: %d %q", code, formError(body))
	}
	if code, to, _ := bob.post("/login", url.Values{"name": {"bob"}, "password": {password}}); code != 303 || to != "/" {
		t.Fatalf("bob with his password: %d to %q", code, to)
	}
	sessions = append(sessions, cookieValue(bob))

	// An API token, created on the profile and used; bogus ones refused.
	code, _, body = bob.post("/users/bob/tokens", url.Values{"label": {"script"}})
	tok := newToken.FindStringSubmatch(body)
	if code != 200 || tok == nil {
		t.Fatalf("bob creates a token: %d\n%s", code, body)
	}
	token := tok[1]
	bearer := "Authorization: Bearer " + token
	if code, _, me := apiGet(t, m, "/api/v1/me", bearer); code != 200 || me["name"] != "bob" {
		t.Fatalf("/api/v1/me by bob's token: %d %v", code, me)
	}
	testenv.Eventually(t, "the torrent listed by /api/v1/torrents with bob's token", func() bool {
		code, _, list := apiGet(t, m, "/api/v1/torrents", bearer)
		ts, _ := list["torrents"].([]any)
		return code == 200 && len(ts) == 1
	})
	bogusToken, garbage := "djt_"+strings.Repeat("Q", 43), "not-a-token-"+strings.Repeat("z", 20)
	for _, bogus := range []string{bogusToken, garbage} {
		if code, _, v := apiGet(t, m, "/api/v1/me", "Authorization: Bearer "+bogus); code != 401 || errorCode(v) != "unauthorized" {
			t.Errorf("a bogus token %q: %d %v", bogus, code, v)
		}
	}

	// The RSS feed and a download by RSS key; an unknown key refused.
	oldPasskey, rssKey := profileKeys(t, bob, "bob")
	if code, body := get(t, site+"/rss/"+rssKey+"/torrents.xml"); code != 200 || !strings.Contains(body, "/torrents/"+h+"/download?key="+rssKey) {
		t.Fatalf("bob's feed: %d\n%s", code, body)
	}
	code, body = get(t, site+"/torrents/"+h+"/download?key="+rssKey)
	mi, err := metainfo.Load(bytes.NewReader([]byte(body)))
	if code != 200 || err != nil || !strings.Contains(mi.Announce, oldPasskey) {
		t.Fatalf("bob's .torrent by his RSS key: %d %v", code, err)
	}
	announce := mi.Announce
	unknownKey := strings.Repeat("0123456789abcdef", 4)
	if code, _ := get(t, site+"/rss/"+unknownKey+"/torrents.xml"); code != 404 {
		t.Errorf("the feed of an unknown key: %d", code)
	}
	if code, _ := get(t, site+"/torrents/"+h+"/download?key="+unknownKey); code == 200 {
		t.Errorf("a download by an unknown key: %d", code)
	}

	// The passkey rotated on the profile; the old one refused by the tracker.
	q := url.Values{"info_hash": {string(added.Torrent.InfoHash[:])}, "peer_id": {"-TR3000-000000000002"}, "port": {"51413"},
		"uploaded": {"0"}, "downloaded": {"0"}, "left": {"0"}, "event": {"started"}}
	testenv.Eventually(t, "the tracker knows bob's passkey", func() bool {
		return !strings.Contains(fetch(t, announce+"?"+q.Encode()), "failure reason")
	})
	if code, to, _ := bob.post("/users/bob/passkey", url.Values{}); code != 303 || !strings.HasPrefix(to, "/users/bob?done=passkey") {
		t.Fatalf("bob rotates his passkey: %d to %q", code, to)
	}
	newPasskey, _ := profileKeys(t, bob, "bob")
	if newPasskey == oldPasskey {
		t.Fatal("the profile shows the old passkey after the rotation")
	}
	testenv.Eventually(t, "the tracker refuses bob's old passkey", func() bool {
		return strings.Contains(fetch(t, announce+"?"+q.Encode()), "failure reason")
	})
	testenv.Eventually(t, "the tracker takes bob's new passkey", func() bool {
		return !strings.Contains(fetch(t, strings.Replace(announce, oldPasskey, newPasskey, 1)+"?"+q.Encode()), "failure reason")
	})

	// A 404 and a 400, on the site and the API, with secrets in the query.
	leaky := url.Values{"passkey": {newPasskey}, "old": {oldPasskey}, "token": {token}, "key": {rssKey}, "invite": {invite}, "password": {password}}.Encode()
	if code, _, _ := bob.get("/no/such/page?" + leaky); code != 404 {
		t.Errorf("a page that is not: %d", code)
	}
	if code, _, _ := bob.get("/torrents?page=0&" + leaky); code != 400 {
		t.Errorf("a bad page number: %d", code)
	}
	if code, _, v := apiGet(t, m, "/api/v1/torrents/"+strings.Repeat("0", 40)+"?"+leaky, bearer); code != 404 || errorCode(v) != "not_found" {
		t.Errorf("an API torrent that is not: %d %v", code, v)
	}
	if code, _, v := apiGet(t, m, "/api/v1/torrents?sort=bogus&"+leaky, bearer); code != 400 || errorCode(v) != "invalid" {
		t.Errorf("an API bad sort: %d %v", code, v)
	}

	testenv.Eventually(t, "the change and refusal lines", func() bool {
		l := logs.String()
		return strings.Contains(l, `"type":"PasskeyRotated"`) && strings.Contains(l, `"type":"TokenCreated"`) &&
			strings.Contains(l, `"type":"InviteUsed"`) && strings.Contains(l, `"unknown_passkey":`)
	})
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	l := logs.String()
	if strings.Count(l, `"msg":"change"`) < 5 {
		t.Errorf("the log has too few change lines:\n%s", l)
	}
	for _, want := range []string{`"type":"UserRegistered"`, `"type":"InviteCreated"`, `"type":"InviteUsed"`, `"type":"TokenCreated"`,
		`"type":"PasskeyRotated"`, `"type":"TorrentRegistered"`, `"msg":"tracker refusals"`, `"unknown_passkey":`} {
		if !strings.Contains(l, want) {
			t.Errorf("the log lacks %s:\n%s", want, l)
		}
	}
	secrets := map[string]string{"bob's password": password, "the wrong password": wrongPassword, "alice's password": "alice's password",
		"the invite code": invite, "bob's token": token, "the token's random part": strings.TrimPrefix(token, "djt_"),
		"a bogus token": bogusToken, "a garbage token": garbage, "bob's RSS key": rssKey, "the RSS key's MAC": rssKey[32:],
		"an unknown RSS key": unknownKey, "the old passkey": oldPasskey, "the new passkey": newPasskey,
		"bob's password as in a query": url.QueryEscape(password), "the invite code as in a query": url.QueryEscape(invite)}
	for i, s := range sessions {
		if s == "" {
			t.Fatalf("session %d has no cookie", i)
		}
		secrets["session cookie "+string(rune('0'+i))] = s
	}
	for what, secret := range secrets {
		for _, line := range strings.Split(l, "\n") {
			if strings.Contains(line, secret) {
				t.Errorf("%s is in the log: %s", what, line)
			}
		}
	}
}
