package app

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/web"
)

// browserLike is a client with its own cookies that does not follow
// redirects (so a test sees where it is sent) and sends what a browser
// sends with a form from the site itself.
type browserLike struct {
	t    *testing.T
	site string
	c    *http.Client
}

func newBrowserLike(t *testing.T, site string) *browserLike {
	jar, _ := cookiejar.New(nil)
	return &browserLike{t: t, site: site, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request and returns the status, the Location and the body.
func (b *browserLike) do(method, path string, form url.Values, headers ...string) (int, string, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.site+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for _, hv := range headers {
		name, value, _ := strings.Cut(hv, ": ")
		req.Header.Set(name, value)
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	text, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(text)
}

func (b *browserLike) get(path string) (int, string, string) {
	b.t.Helper()
	return b.do("GET", path, nil)
}

func (b *browserLike) post(path string, form url.Values) (int, string, string) {
	b.t.Helper()
	return b.do("POST", path, form)
}

// signedInAs is the name the header shows as signed in, or "".
func (b *browserLike) signedInAs() string {
	b.t.Helper()
	_, _, body := b.get("/")
	m := regexp.MustCompile(`<a class="username" href="[^"]*">([^<]*)</a>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// fieldError is the error the page shows beside field, or "".
func fieldError(body, field string) string {
	m := regexp.MustCompile(`<span class="field-error" id="e-` + field + `">([^<]*)</span>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// formError is the error the page shows for the whole form, or "".
func formError(body string) string {
	m := regexp.MustCompile(`<p class="alert" role="alert">([^<]*)</p>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// startLogged is start with the serve's log lines kept.
func startLogged(t *testing.T) (*Main, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	m := New(Config{Instance: instance.Config{DataDir: dataDir(t)}, Web: "127.0.0.1:0", Ops: "127.0.0.1:0", Trackers: []string{"127.0.0.1:0"},
		Roles: Roles{Tracker: true, Projectors: true}, Log: logs})
	if err := m.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	<-m.Ready()
	return m, logs
}

// awaitUsers waits until the users read model has the users named, so
// that a page's header shows them signed in.
func awaitUsers(t *testing.T, m *Main, names ...string) {
	t.Helper()
	for _, name := range names {
		testenv.Eventually(t, name+" in the users read model", func() bool {
			_, err := projections.UserIDByName(context.Background(), m.Instance().Pool, name)
			return err == nil
		})
	}
}

// Registration on the site: the form with an invite refuses every bad
// input beside its field (empty, passwords that differ, a short password,
// a bad name, a taken one, a code that is no invite, a used one); without
// an invite it is the page saying registration is by invite, until staff
// open it. A registration signs the new user in; logout is a POST; the
// log holds no password, code or session.
func TestSiteRegistration(t *testing.T) {
	m, logs := startLogged(t)
	ctx, c, site := context.Background(), m.Commands(), m.WebURL()
	if _, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: "alice", Password: "alice's password", Admin: true}); err != nil {
		t.Fatal(err)
	}
	inv, err := c.CreateInvite(ctx, commands.Operator, "alice")
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowserLike(t, site)

	code, _, body := b.get("/register?invite=" + url.QueryEscape(inv.Code))
	if code != 200 || !strings.Contains(body, `<input type="hidden" name="invite" value="`+inv.Code+`">`) ||
		!strings.Contains(body, `autocomplete="username"`) || strings.Count(body, `autocomplete="new-password"`) != 2 {
		t.Fatalf("the register form with an invite: %d\n%s", code, body)
	}
	form := func(name, pw, pw2, invite string) url.Values {
		return url.Values{"name": {name}, "password": {pw}, "password2": {pw2}, "invite": {invite}}
	}
	for _, tc := range []struct {
		what       string
		in         url.Values
		status     int
		field, msg string
	}{
		{"no name", form("", "a good password", "a good password", inv.Code), 400, "name", "Choose a username."},
		{"no password", form("bob", "", "", inv.Code), 400, "password", "Choose a password."},
		{"passwords that differ", form("bob", "a good password", "a good passwort", inv.Code), 400, "password2", "The two passwords differ"},
		{"a short password", form("bob", "short", "short", inv.Code), 400, "password", "at least 8 characters"},
		{"a bad name", form("-bob", "a good password", "a good password", inv.Code), 400, "name", "must start with a letter or digit"},
		{"a taken name", form("ALICE", "a good password", "a good password", inv.Code), 409, "name", "is taken"},
		{"a code that is no invite", form("bob", "a good password", "a good password", "not-a-code"), 400, "invite", "This invite code is not valid"},
	} {
		code, _, body := b.post("/register", tc.in)
		if got := fieldError(body, tc.field); code != tc.status || !strings.Contains(got, tc.msg) {
			t.Errorf("%s: %d, %s's error %q, want %d and %q\n%s", tc.what, code, tc.field, got, tc.status, tc.msg, body)
		}
		if tc.in.Get("name") != "" && !strings.Contains(body, `value="`+tc.in.Get("name")+`"`) {
			t.Errorf("%s: the name typed is not shown again", tc.what)
		}
		if strings.Contains(body, "a good password") {
			t.Errorf("%s: the password is shown again", tc.what)
		}
	}
	if b.signedInAs() != "" {
		t.Fatal("signed in after refusals")
	}

	code, to, _ := b.post("/register", form("bob", "bob's password", "bob's password", inv.Code))
	if code != 303 || to != "/" {
		t.Fatalf("register bob: %d to %q", code, to)
	}
	if got := b.signedInAs(); got != "bob" {
		t.Fatalf("after registering, the header shows %q", got)
	}
	code, _, _ = b.get("/logout")
	if code != 405 || b.signedInAs() != "bob" {
		t.Errorf("GET /logout: %d, and signed in as %q", code, b.signedInAs())
	}
	code, to, _ = b.post("/logout", url.Values{})
	if code != 303 || to != "/" || b.signedInAs() != "" {
		t.Errorf("POST /logout: %d to %q, signed in as %q", code, to, b.signedInAs())
	}

	code, _, body = b.post("/register", form("carol", "carol's password", "carol's password", inv.Code))
	if got := fieldError(body, "invite"); code != 409 || !strings.Contains(got, "This invite has been used already") {
		t.Errorf("a used invite: %d, %q", code, got)
	}
	code, _, body = b.get("/register?invite=nonsense")
	if got := fieldError(body, "invite"); code != 400 || !strings.Contains(got, "not valid") {
		t.Errorf("GET with a code that cannot be one: %d, %q", code, got)
	}

	code, _, body = b.get("/register")
	if code != 200 || !strings.Contains(body, "Registration is by invite only") || strings.Contains(body, `name="password"`) {
		t.Errorf("registration closed: %d\n%s", code, body)
	}
	code, _, body = b.post("/register", form("carol", "carol's password", "carol's password", ""))
	if got := fieldError(body, "invite"); code != 403 || !strings.Contains(got, "Registration is by invite only") || !strings.Contains(body, "Registration is by invite only") {
		t.Errorf("registering without an invite while closed: %d, %q\n%s", code, got, body)
	}
	if err := c.SetRegistration(ctx, commands.Operator, true); err != nil {
		t.Fatal(err)
	}
	var open bool
	for i := 0; i < 100 && !open; i++ { // the read model follows the setting
		_, _, body = b.get("/register")
		open = strings.Contains(body, "Registration is open")
		time.Sleep(50 * time.Millisecond)
	}
	if !open || strings.Contains(body, `name="invite"`) {
		t.Fatalf("registration open: %s", body)
	}
	code, to, _ = b.post("/register", form("carol", "carol's password", "carol's password", ""))
	if code != 303 || to != "/" || b.signedInAs() != "carol" {
		t.Errorf("open registration: %d to %q, signed in as %q", code, to, b.signedInAs())
	}
	for _, secret := range []string{inv.Code, "bob's password", "carol's password", "alice's password", cookieValue(b)} {
		if secret != "" && strings.Contains(logs.String(), secret) {
			t.Errorf("the log holds a secret %q", secret)
		}
	}
}

// cookieValue is b's session cookie for the site, or "".
func cookieValue(b *browserLike) string {
	u, _ := url.Parse(b.site)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == web.SessionCookieName {
			return c.Value
		}
	}
	return ""
}

// Logging in on the site: empty fields and a wrong name or password are
// refused with one message; the session goes on to a local next only; a
// disabled account's reason shows after the right password. Failed logins
// are throttled per account (then even the right password is refused,
// with when to try again, while others still log in) and per address. A
// login from another site is refused.
func TestSiteLogin(t *testing.T) {
	m, logs := startLogged(t)
	ctx, c, site := context.Background(), m.Commands(), m.WebURL()
	for _, name := range []string{"alice", "bob", "dave"} {
		if _, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: name, Password: name + "'s password"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.DisableUser(ctx, commands.Operator, "dave", "shared his account"); err != nil {
		t.Fatal(err)
	}
	awaitUsers(t, m, "alice", "bob")
	b := newBrowserLike(t, site)
	login := func(name, pw, next string) (int, string, string) {
		t.Helper()
		return b.post("/login", url.Values{"name": {name}, "password": {pw}, "next": {next}})
	}

	code, _, body := b.get("/login?next=/invites")
	if code != 200 || !strings.Contains(body, `autocomplete="username"`) || !strings.Contains(body, `autocomplete="current-password"`) ||
		!strings.Contains(body, `name="next" value="/invites"`) {
		t.Fatalf("the login form: %d\n%s", code, body)
	}
	code, _, body = login("", "", "")
	if code != 400 || fieldError(body, "name") != "Enter your username." || fieldError(body, "password") != "Enter your password." {
		t.Errorf("empty login: %d\n%s", code, body)
	}
	_, _, wrongName := login("nobody", "alice's password", "")
	_, _, wrongPassword := login("alice", "not alice's password", "")
	if formError(wrongName) != "Wrong username or password." || formError(wrongPassword) != formError(wrongName) {
		t.Errorf("a wrong name says %q, a wrong password %q", formError(wrongName), formError(wrongPassword))
	}
	code, _, body = login("dave", "dave's password", "")
	if msg := formError(body); code != 403 || !strings.Contains(msg, "disabled") || !strings.Contains(msg, "shared his account") {
		t.Errorf("disabled dave: %d %q", code, msg)
	}
	code, to, _ := login("alice", "alice's password", "//evil.example/x")
	if code != 303 || to != "/" || b.signedInAs() != "alice" {
		t.Errorf("alice with a next to another site: %d to %q as %q", code, to, b.signedInAs())
	}
	b.post("/logout", url.Values{})
	if code, to, _ = login("alice", "alice's password", "/invites"); code != 303 || to != "/invites" {
		t.Errorf("alice with next=/invites: %d to %q", code, to)
	}
	b.post("/logout", url.Values{})

	// alice has failed once; four more and her account is throttled.
	for i := 0; i < 4; i++ {
		if code, _, _ := login("Alice", "wrong", ""); code != 401 {
			t.Fatalf("failure %d: %d", i+2, code)
		}
	}
	code, _, body = login("alice", "alice's password", "")
	if msg := formError(body); code != 429 || !regexp.MustCompile(`^Too many failed logins for this account; try again in \d+ minutes?\.$`).MatchString(msg) {
		t.Fatalf("alice after five failures, with the right password: %d %q", code, msg)
	}
	if b.signedInAs() != "" {
		t.Fatal("a throttled login signed in")
	}
	if code, _, _ = login("bob", "bob's password", ""); code != 303 || b.signedInAs() != "bob" {
		t.Fatalf("bob, from the same address: %d", code)
	}
	b.post("/logout", url.Values{})

	// The address has failed 6 times (nobody, alice's 5; neither the
	// empty form, nor dave's right password, nor the refused try count);
	// 14 more on names of nobody reach 20.
	for i := 0; i < 14; i++ {
		if code, _, _ := login("nobody"+string(rune('a'+i)), "wrong", ""); code != 401 {
			t.Fatalf("address failure %d: %d", i+7, code)
		}
	}
	code, _, body = login("bob", "bob's password", "")
	if msg := formError(body); code != 429 || !regexp.MustCompile(`^Too many failed logins from your address; try again in \d+ minutes?\.$`).MatchString(msg) {
		t.Fatalf("bob after 20 failures from his address: %d %q", code, msg)
	}

	code, _, body = b.do("POST", "/login", url.Values{"name": {"bob"}, "password": {"bob's password"}}, "Sec-Fetch-Site: cross-site")
	if code != 403 || !strings.Contains(body, "sent from another site") {
		t.Errorf("a login from another site: %d\n%s", code, body)
	}
	for _, secret := range []string{"alice's password", "bob's password", "dave's password", "not alice's password"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log holds a password %q", secret)
		}
	}
}

// The invites page: a visitor is sent to log in; a user sees how many
// invites are left, creates one (its code and registration link shown
// once, not on the next visit), sees it unused, then used by whom; with
// none left the button is off and a creation is refused on the page. Staff
// have no limit.
func TestSiteInvites(t *testing.T) {
	m, logs := startLogged(t)
	ctx, c, site := context.Background(), m.Commands(), m.WebURL()
	for _, name := range []string{"alice", "boss"} {
		if _, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: name, Password: name + "'s password", Admin: name == "boss"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.GrantInvites(ctx, commands.Operator, "alice", 1); err != nil {
		t.Fatal(err)
	}
	awaitUsers(t, m, "alice", "boss")
	b := newBrowserLike(t, site)
	if code, to, _ := b.get("/invites"); code != 303 || to != "/login?next=%2Finvites" {
		t.Fatalf("a visitor's /invites: %d to %q", code, to)
	}
	if code, _, _ := b.post("/invites", url.Values{}); code != 303 {
		t.Fatalf("a visitor's POST /invites: %d", code)
	}
	b.post("/login", url.Values{"name": {"alice"}, "password": {"alice's password"}})
	var code int
	var body string
	testenv.Eventually(t, "alice's invite granted on /invites", func() bool { // the accounts read model follows
		code, _, body = b.get("/invites")
		return strings.Contains(body, "You have <strong>1</strong> invite left.")
	})
	if code != 200 || !strings.Contains(body, "not created any invites yet") {
		t.Fatalf("alice's invites: %d\n%s", code, body)
	}
	code, _, body = b.post("/invites", url.Values{})
	m1 := regexp.MustCompile(`<code id="invite-link">([^<]*)</code>`).FindStringSubmatch(body)
	if code != 200 || m1 == nil || !strings.HasPrefix(m1[1], site+"/register?invite=") {
		t.Fatalf("create an invite: %d\n%s", code, body)
	}
	link := m1[1]
	invite := strings.TrimPrefix(link, site+"/register?invite=")
	if !strings.Contains(body, "no</strong> invites left") || !strings.Contains(body, "<strong>Unused</strong>") || !strings.Contains(body, " disabled>Create invite") {
		t.Errorf("after creating her last invite:\n%s", body)
	}
	if _, _, body = b.get("/invites"); strings.Contains(body, invite) {
		t.Error("the code is shown again")
	}
	code, _, body = b.post("/invites", url.Values{})
	if code != 403 || !strings.Contains(formError(body), "You have no invites left") {
		t.Errorf("a creation with none left: %d %q", code, formError(body))
	}

	carol := newBrowserLike(t, site)
	if code, _, _ := carol.get(strings.TrimPrefix(link, site)); code != 200 {
		t.Fatalf("the link: %d", code)
	}
	if code, _, _ := carol.post("/register", url.Values{"invite": {invite}, "name": {"carol"}, "password": {"carol's password"}, "password2": {"carol's password"}}); code != 303 {
		t.Fatalf("carol registers: %d", code)
	}
	used := regexp.MustCompile(`<td>Used</td>\s*<td><a href="/users/carol">carol</a></td>`)
	testenv.Eventually(t, "the invite shown used by carol", func() bool { // the accounts read model follows
		_, _, body = b.get("/invites")
		return used.MatchString(body)
	})

	staff := newBrowserLike(t, site)
	staff.post("/login", url.Values{"name": {"boss"}, "password": {"boss's password"}})
	for i := 0; i < 2; i++ {
		if code, _, body := staff.post("/invites", url.Values{}); code != 200 || !strings.Contains(body, `id="invite-link"`) || !strings.Contains(body, "<strong>unlimited</strong>") {
			t.Fatalf("staff's invite %d: %d\n%s", i+1, code, body)
		}
	}
	if strings.Contains(logs.String(), invite) {
		t.Error("the log holds an invite code")
	}
}
