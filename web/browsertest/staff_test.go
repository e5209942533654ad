package browsertest

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/app"
	"github.com/djembe/djembe/internal/browser"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/web"
)

// staffSetup starts the system with alice (staff) and bob, each with a
// session, and returns the two torrents alice seeded and leeched.
func staffSetup(t *testing.T) (m *app.Main, alice, bob, nobody client, seeded, leeched domain.InfoHash) {
	m = startDjembe(t)
	aliceID := seedAlice(t, m)
	ctx, pool := context.Background(), m.Instance().Pool
	var bobID domain.UserID
	testenv.Eventually(t, "bob in the users read model", func() bool {
		var err error
		bobID, err = projections.UserIDByName(ctx, pool, "bob")
		return err == nil
	})
	var tors []projections.StaffTorrent
	testenv.Eventually(t, "both torrents in the swarm read model", func() bool {
		var err error
		tors, err = projections.StaffTorrents(ctx, pool, "", 10, 0)
		return err == nil && len(tors) == 2
	})
	for _, tor := range tors {
		if strings.HasPrefix(tor.Name, "seeded") {
			seeded = tor.InfoHash
		} else {
			leeched = tor.InfoHash
		}
	}
	site := m.WebURL()
	return m, client{t: t, site: site, cookie: sessionFor(t, m, aliceID)}, client{t: t, site: site, cookie: sessionFor(t, m, bobID)},
		client{t: t, site: site}, seeded, leeched
}

// Every staff route, GET and POST: a visitor is sent to log in, a user who
// is not staff gets the 403 page and changes nothing, staff get the page.
func TestStaffPagesAreForStaffOnly(t *testing.T) {
	m, alice, bob, nobody, seeded, _ := staffSetup(t)
	ctx, pool := context.Background(), m.Instance().Pool
	h := seeded.String()
	gets := []string{"/staff/", "/staff/users", "/staff/users/bob", "/staff/torrents", "/staff/torrents/" + h, "/staff/clients",
		"/staff/cheats", "/staff/projections", "/staff/quarantine", "/staff/no-such-page"}
	posts := map[string]url.Values{
		"/staff/users/bob/disable":          {"reason": {"by bob"}},
		"/staff/users/bob/enable":           nil,
		"/staff/users/bob/leeching":         {"leech": {"off"}},
		"/staff/users/bob/invites":          {"count": {"5"}},
		"/staff/users/bob/class":            {"class": {"administrator"}},
		"/staff/torrents/" + h + "/factors": {"preset": {"freeleech"}},
		"/staff/torrents/" + h + "/delete":  {"reason": {"by bob"}},
		"/staff/clients":                    {"prefixes": {"-XX"}},
	}
	for _, p := range gets {
		if code, hd, _ := nobody.do("GET", p, nil); code != 303 || !strings.HasPrefix(hd.Get("Location"), "/login?next=") {
			t.Errorf("a visitor GET %s: %d to %q", p, code, hd.Get("Location"))
		}
		if code, _, body := bob.do("GET", p, nil); code != 403 || !strings.Contains(body, "403 Forbidden") || !strings.Contains(body, "for staff only") {
			t.Errorf("bob GET %s: %d", p, code)
		}
	}
	for p, form := range posts {
		if code, hd, _ := nobody.do("POST", p, form); code != 303 || !strings.HasPrefix(hd.Get("Location"), "/login?next=") {
			t.Errorf("a visitor POST %s: %d to %q", p, code, hd.Get("Location"))
		}
		if code, _, body := bob.do("POST", p, form); code != 403 || !strings.Contains(body, "403 Forbidden") {
			t.Errorf("bob POST %s: %d", p, code)
		}
	}
	// Nothing changed.
	u, err := projections.StaffUserNamed(ctx, pool, "bob")
	if err != nil || u.Disabled || !u.CanLeech || u.InvitesLeft != 0 || u.Class != domain.ClassUser {
		t.Errorf("bob changed himself: %+v %v", u, err)
	}
	tor, err := m.Commands().Torrent(ctx, seeded)
	if err != nil || tor.Factors != domain.NormalFactors || tor.Deleted {
		t.Errorf("the torrent changed: %+v %v", tor, err)
	}
	if list, _ := m.Commands().ClientAllowList(ctx); strings.Join(list, " ") == "-XX" {
		t.Error("bob replaced the allow-list")
	}
	for _, p := range gets[:len(gets)-1] {
		code, _, body := alice.do("GET", p, nil)
		if p == "/staff/" {
			if code != 303 {
				t.Errorf("alice GET /staff/: %d", code)
			}
			continue
		}
		if code != 200 || !strings.Contains(body, `class="staffnav"`) {
			t.Errorf("alice GET %s: %d", p, code)
		}
	}
	if code, _, _ := alice.do("GET", "/staff/no-such-page", nil); code != 404 {
		t.Errorf("alice GET a missing staff page: %d", code)
	}
	// The pages the tracker's refusals name are for anyone.
	for _, c := range []client{nobody, bob} {
		if code, _, body := c.do("GET", "/staff/contact", nil); code != 200 || !strings.Contains(body, "Contact the staff") {
			t.Errorf("GET /staff/contact: %d", code)
		}
		if code, _, body := c.do("GET", "/clients", nil); code != 200 || !strings.Contains(body, "<code>-qB</code></td><td>qBittorrent</td>") {
			t.Errorf("GET /clients: %d", code)
		}
	}
	// /stats is for anyone signed in.
	if code, hd, _ := nobody.do("GET", "/stats", nil); code != 303 || !strings.HasPrefix(hd.Get("Location"), "/login?next=") {
		t.Errorf("a visitor GET /stats: %d", code)
	}
	// The swarm read model may be a moment behind the catalog the setup waited for.
	testenv.Eventually(t, "/stats counts both users and torrents", func() bool {
		code, _, body := bob.do("GET", "/stats", nil)
		return code == 200 && strings.Contains(body, `<svg class="chart"`) && strings.Contains(body, `Registered</td><td class="number">2<`) &&
			strings.Contains(body, `Torrents</td><td class="number">2<`)
	})
}

// fieldErr is the error shown beside a form's field in body (the
// field-error after the input named name), or "".
func fieldErr(body, name string) string {
	i := strings.Index(body, `name="`+name+`"`)
	if i < 0 {
		return ""
	}
	m := regexp.MustCompile(`(?s)^.*?<span class="field-error">([^<]*)</span>`).FindStringSubmatch(body[i:])
	if m == nil || strings.Contains(m[0], "</form>") {
		return ""
	}
	return m[1]
}

// Each staff action through its form changes what it should, and a bad
// input is shown beside its field (or for the page) changing nothing; a
// cross-origin form is refused.
func TestStaffActions(t *testing.T) {
	m, alice, _, _, seeded, leeched := staffSetup(t)
	ctx, pool, cmds := context.Background(), m.Instance().Pool, m.Commands()
	bobNow := func() projections.StaffUser {
		u, err := projections.StaffUserNamed(ctx, pool, "bob")
		if err != nil {
			t.Fatal(err)
		}
		return u
	}

	// Users.
	if code, _, body := alice.do("POST", "/staff/users/bob/disable", url.Values{"reason": {"  "}}); code != 400 || !strings.Contains(fieldErr(body, "reason"), "Say why") || bobNow().Disabled {
		t.Errorf("disable without a reason: %d %q", code, fieldErr(body, "reason"))
	}
	if code, _, body := alice.do("POST", "/staff/users/bob/disable", url.Values{"reason": {"forged stats"}}); code != 200 ||
		!strings.Contains(body, "The account is disabled.") || !strings.Contains(body, "forged stats") {
		t.Errorf("disable: %d\n%s", code, body)
	}
	if u := bobNow(); !u.Disabled || u.DisabledReason != "forged stats" {
		t.Errorf("bob after disable: %+v", u)
	}
	if code, _, body := alice.do("POST", "/staff/users/bob/enable", nil); code != 200 || !strings.Contains(body, "The account is enabled.") || bobNow().Disabled {
		t.Errorf("enable: %d", code)
	}
	if code, _, _ := alice.do("POST", "/staff/users/bob/leeching", url.Values{"leech": {"off"}}); code != 200 || bobNow().CanLeech {
		t.Errorf("leeching off: %d", code)
	}
	if code, _, body := alice.do("POST", "/staff/users/bob/leeching", url.Values{"leech": {"maybe"}}); code != 400 || fieldErr(body, "leech") == "" || bobNow().CanLeech {
		t.Errorf("leeching maybe: %d", code)
	}
	if code, _, _ := alice.do("POST", "/staff/users/bob/leeching", url.Values{"leech": {"on"}}); code != 200 || !bobNow().CanLeech {
		t.Errorf("leeching on: %d", code)
	}
	for _, bad := range []string{"x", "0", "100000"} {
		if code, _, body := alice.do("POST", "/staff/users/bob/invites", url.Values{"count": {bad}}); code != 400 || fieldErr(body, "count") == "" {
			t.Errorf("grant %q invites: %d %q", bad, code, fieldErr(body, "count"))
		}
	}
	if code, _, body := alice.do("POST", "/staff/users/bob/invites", url.Values{"count": {"3"}}); code != 200 || !strings.Contains(body, "Invites changed by 3.") || bobNow().InvitesLeft != 3 {
		t.Errorf("grant 3 invites: %d, bob has %d", code, bobNow().InvitesLeft)
	}
	if code, _, body := alice.do("POST", "/staff/users/nobody-at-all/disable", url.Values{"reason": {"x"}}); code != 404 || !strings.Contains(body, `class="alert"`) || !strings.Contains(body, "nobody-at-all") {
		t.Errorf("disable an unknown user: %d\n%s", code, body)
	}
	if code, _, body := alice.do("GET", "/staff/users?q=BO", nil); code != 200 || !strings.Contains(body, `href="/staff/users/bob"`) || strings.Contains(body, `href="/staff/users/alice"`) {
		t.Errorf("search BO: %d", code)
	}

	// Torrents.
	factors := func(h domain.InfoHash) domain.Factors {
		tor, err := cmds.Torrent(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		return tor.Factors
	}
	path := "/staff/torrents/" + seeded.String()
	if code, _, body := alice.do("POST", path+"/factors", url.Values{"preset": {"freeleech"}}); code != 200 || !strings.Contains(body, "Factors set: Freeleech.") {
		t.Errorf("freeleech: %d\n%s", code, body)
	}
	if f := factors(seeded); f != (domain.Factors{UploadPercent: 100, DownloadPercent: 0}) {
		t.Errorf("after freeleech: %+v", f)
	}
	if list, err := projections.StaffTorrents(ctx, pool, seeded.String(), 1, 0); err != nil || len(list) != 1 || list[0].Factors.DownloadPercent != 0 {
		t.Errorf("the catalog read model after freeleech: %+v %v", list, err)
	}
	if _, _, body := alice.do("GET", "/staff/torrents", nil); !strings.Contains(body, `<strong class="badge">Freeleech</strong>`) {
		t.Error("the torrents list does not show freeleech")
	}
	for _, bad := range []url.Values{{"preset": {"custom"}, "up": {"2000"}, "down": {"100"}}, {"preset": {"custom"}, "up": {"abc"}, "down": {"100"}}} {
		if code, _, body := alice.do("POST", path+"/factors", bad); code != 400 || !strings.Contains(fieldErr(body, "up"), "from 0 to 1000") {
			t.Errorf("factors %v: %d %q", bad, code, fieldErr(body, "up"))
		}
	}
	if code, _, body := alice.do("POST", path+"/factors", url.Values{"preset": {"custom"}, "up": {"150"}, "down": {"-1"}}); code != 400 || fieldErr(body, "down") == "" {
		t.Errorf("a negative download factor: %d", code)
	}
	if code, _, body := alice.do("POST", path+"/factors", url.Values{"preset": {"triple"}}); code != 400 || fieldErr(body, "preset") == "" {
		t.Errorf("an unknown preset: %d", code)
	}
	if f := factors(seeded); f != (domain.Factors{UploadPercent: 100, DownloadPercent: 0}) {
		t.Errorf("a refused form changed the factors: %+v", f)
	}
	if code, _, _ := alice.do("POST", path+"/factors", url.Values{"preset": {"custom"}, "up": {"150"}, "down": {"50"}}); code != 200 || factors(seeded) != (domain.Factors{UploadPercent: 150, DownloadPercent: 50}) {
		t.Errorf("custom factors: %d %+v", code, factors(seeded))
	}
	// A form from another site is refused.
	if code, _, body := alice.do("POST", path+"/factors", url.Values{"preset": {"neutral"}}, "Sec-Fetch-Site: cross-site"); code != 403 || !strings.Contains(body, "another site") ||
		factors(seeded) != (domain.Factors{UploadPercent: 150, DownloadPercent: 50}) {
		t.Errorf("a cross-origin form: %d", code)
	}
	if code, _, body := alice.do("POST", "/staff/torrents/"+strings.Repeat("0", 40)+"/factors", url.Values{"preset": {"neutral"}}); code != 404 || !strings.Contains(body, `class="alert"`) {
		t.Errorf("factors of an unknown torrent: %d", code)
	}
	lpath := "/staff/torrents/" + leeched.String()
	if code, _, body := alice.do("POST", lpath+"/delete", url.Values{"reason": {""}}); code != 400 || fieldErr(body, "reason") == "" {
		t.Errorf("delete without a reason: %d", code)
	}
	if code, _, body := alice.do("POST", lpath+"/delete", url.Values{"reason": {"duplicate"}}); code != 200 || !strings.Contains(body, "deleted: duplicate") || strings.Contains(body, `href="/staff/torrents/`+leeched.String()+`"`) {
		t.Errorf("delete: %d\n%s", code, body)
	}
	if tor, _ := cmds.Torrent(ctx, leeched); !tor.Deleted {
		t.Error("the torrent is not deleted")
	}
	if code, _, body := alice.do("GET", lpath, nil); code != 404 || !strings.Contains(body, "was deleted") {
		t.Errorf("a deleted torrent's staff page: %d", code)
	}

	// The client allow-list.
	if code, _, body := alice.do("POST", "/staff/clients", url.Values{"prefixes": {"  "}}); code != 400 || fieldErr(body, "prefixes") == "" {
		t.Errorf("an empty allow-list: %d", code)
	}
	if code, _, body := alice.do("POST", "/staff/clients", url.Values{"prefixes": {"-TR, -qB\n-LT " + strings.Repeat("x", 21)}}); code != 400 || !strings.Contains(fieldErr(body, "prefixes"), "1 to 20 bytes") {
		t.Errorf("a long prefix: %d %q", code, fieldErr(body, "prefixes"))
	}
	if code, _, body := alice.do("POST", "/staff/clients", url.Values{"prefixes": {"-TR, -qB\n-LT"}}); code != 200 || !strings.Contains(body, "<code>-LT</code>") {
		t.Errorf("set the allow-list: %d", code)
	}
	if list, _ := cmds.ClientAllowList(ctx); strings.Join(list, " ") != "-TR -qB -LT" {
		t.Errorf("the allow-list is %q", list)
	}
}

// In a browser: a staff member sets freeleech on a torrent through its
// staff page and sees it there, on the staff torrents list and on the
// torrent page; /stats and
// every staff page render without a problem, each looked at as a
// screenshot.
func TestStaffFreeleechInABrowser(t *testing.T) {
	b := browser.Start(t)
	m, alice, _, _, seeded, _ := staffSetup(t)
	site := m.WebURL()
	p := b.NewPage(t)
	p.SetCookie(site, web.SessionCookieName, alice.cookie)

	p.Open(site + "/staff/torrents")
	clean(t, p, "")
	p.Screenshot("staff-torrents-before")
	submit(t, p, `a[href="/staff/torrents/`+seeded.String()+`"]`)
	if _, err := chromedp.Run(p.Context(), chromedp.Click(chromedp.CSS(`input[name=preset][value=freeleech]`))); err != nil {
		t.Fatal(err)
	}
	submit(t, p, `.factors-form button[type=submit]`)
	if got := strings.Join(p.Texts(".notice"), ""); got != "Factors set: Freeleech." {
		t.Errorf("the notice reads %q", got)
	}
	if got := strings.Join(p.Texts("#factors strong"), ""); got != "Freeleech" {
		t.Errorf("the torrent's factors read %q", got)
	}
	clean(t, p, "")
	p.Screenshot("staff-torrent-freeleech")
	p.Open(site + "/staff/torrents")
	if got := strings.Join(p.Texts(".staff-torrents td.factors"), "|"); !strings.Contains(got, "Freeleech") {
		t.Errorf("the staff torrents list's factors read %q", got)
	}
	// The torrent page everyone sees marks it.
	if res := p.Open(site + "/torrents/" + seeded.String()); res.Status != 200 {
		t.Fatalf("the torrent page: %d", res.Status)
	}
	if got := p.Texts("h1 .mark"); strings.Join(got, "|") != "Freeleech" {
		t.Errorf("the torrent page's marks read %q", got)
	}
	clean(t, p, "")
	p.Screenshot("torrent-page-freeleech")
	// A refused form: disabling without a reason says so beside the field.
	p.Open(site + "/staff/users/bob")
	submit(t, p, `form[action="/staff/users/bob/disable"] button`)
	if got := strings.Join(p.Texts(`form[action="/staff/users/bob/disable"] .field-error`), ""); !strings.HasPrefix(got, "Say why") {
		t.Errorf("disabling without a reason reads %q beside the field", got)
	}
	cleanBut(t, p, site+"/staff/users/bob/disable")
	p.Screenshot("staff-user-refused")
	p = b.NewPage(t) // a fresh page: this one keeps the refused form's 400 among its problems
	p.SetCookie(site, web.SessionCookieName, alice.cookie)
	for _, page := range []string{"/stats", "/staff/users", "/staff/users/bob", "/staff/clients", "/staff/cheats", "/staff/projections", "/staff/quarantine", "/clients", "/staff/contact"} {
		res := p.Open(site + page)
		if res.Status != 200 {
			t.Errorf("%s: %d", page, res.Status)
		}
		clean(t, p, "")
		p.Screenshot(strings.ReplaceAll(strings.Trim(page, "/"), "/", "-"))
	}
}
