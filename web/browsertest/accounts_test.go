package browsertest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/internal/browser"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
)

// fill sets the form fields of p (by id, as "f-name") to values.
func fill(t *testing.T, p *browser.Page, values map[string]string) {
	t.Helper()
	for id, v := range values {
		if _, err := chromedp.Run(p.Context(), chromedp.SetValue(chromedp.CSS("#"+id), v)); err != nil {
			t.Fatalf("fill #%s: %v", id, err)
		}
	}
}

// submit clicks the submit button of the page's main form and waits for
// the page it leads to (after redirects).
func submit(t *testing.T, p *browser.Page, sel string) *network.Response {
	t.Helper()
	res, err := chromedp.RunResponse(p.Context(), chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("submit %s: %v", sel, err)
	}
	return res
}

// cleanBut fails t with the problems p reported, but for the failed loads
// of the pages given: a refused form's page has a 4xx status, as it must.
func cleanBut(t *testing.T, p *browser.Page, refused ...string) {
	t.Helper()
	for _, pr := range p.Problems() {
		if pr.Kind == "log" && pr.Source == "network" && slices.Contains(refused, pr.URL) {
			continue
		}
		t.Errorf("the page reported %s", pr)
	}
}

// The account pages in a browser: a staff member's invite opens the
// registration form, which refuses passwords that differ beside the field
// and then registers and signs the new user in; they log out with the
// header's button and log in again with the form (after a wrong password
// is refused). Staff create an invite on /invites (the link shown once);
// a user with none left is refused there. Each page is looked at.
func TestAccountsInABrowser(t *testing.T) {
	b := browser.Start(t)
	m := startDjembe(t)
	site, ctx, c := m.WebURL(), context.Background(), m.Commands()
	if _, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: "alice", Password: "alice's password", Admin: true}); err != nil {
		t.Fatal(err)
	}
	inv, err := c.CreateInvite(ctx, commands.Operator, "alice")
	if err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, "alice in the read model", func() bool {
		_, err := projections.UserIDByName(ctx, m.Instance().Pool, "alice")
		return err == nil
	})

	p := b.NewPage(t)
	if res := p.Open(site + "/register?invite=" + inv.Code); res.Status != 200 {
		t.Fatalf("the invite's link: %d", res.Status)
	}
	if title := p.Title(); title != "Register · Djembe" {
		t.Errorf("register title %q", title)
	}
	p.Screenshot("register")
	fill(t, p, map[string]string{"f-name": "bob", "f-password": "bob's password", "f-password2": "bob's passwort"})
	if res := submit(t, p, "main form button[type=submit]"); res.Status != 400 {
		t.Errorf("passwords that differ: %d", res.Status)
	}
	if got := p.Texts("#e-password2"); strings.Join(got, "") != "The two passwords differ: type the same one twice." {
		t.Errorf("the error beside the repeat: %q", got)
	}
	if got := browser.Eval[string](p, `document.getElementById("f-name").value`); got != "bob" {
		t.Errorf("the name typed is not kept: %q", got)
	}
	cleanBut(t, p, site+"/register")
	p.Screenshot("register-error")
	fill(t, p, map[string]string{"f-password": "bob's password", "f-password2": "bob's password"})
	if res := submit(t, p, "main form button[type=submit]"); res.Status != 200 || !strings.HasSuffix(res.URL, "/") {
		t.Fatalf("register: %d at %s", res.Status, res.URL)
	}
	if got := p.Texts("#account .username"); strings.Join(got, "") != "bob" {
		t.Fatalf("after registering, the header names %q", got)
	}
	p.Screenshot("registered")

	if res := submit(t, p, "#account button"); res.Status != 200 {
		t.Fatalf("log out: %d", res.Status)
	}
	if got := p.Texts("#account a"); strings.Join(got, "|") != "Log in|Register" {
		t.Fatalf("after logging out, the header offers %q", got)
	}
	p.Open(site + "/register")
	if got := strings.Join(p.Texts("main .box p"), " "); !strings.Contains(got, "Registration is by invite only") {
		t.Errorf("registration without an invite says %q", got)
	}
	p.Screenshot("register-closed")
	p.Open(site + "/login")
	p.Screenshot("login")
	fill(t, p, map[string]string{"f-name": "bob", "f-password": "not bob's password"})
	if res := submit(t, p, "main form button[type=submit]"); res.Status != 401 {
		t.Errorf("a wrong password: %d", res.Status)
	}
	if got := p.Texts(".alert"); strings.Join(got, "") != "Wrong username or password." {
		t.Errorf("a wrong password says %q", got)
	}
	cleanBut(t, p, site+"/register", site+"/login")
	p.Screenshot("login-error")
	fill(t, p, map[string]string{"f-password": "bob's password"})
	submit(t, p, "main form button[type=submit]")
	if got := p.Texts("#account .username"); strings.Join(got, "") != "bob" {
		t.Fatalf("after logging in, the header names %q", got)
	}

	// bob has no invites: the button is off; sent anyway (as from a page
	// open since he had one), it is refused on the page.
	p.Open(site + "/invites")
	if got := browser.Eval[bool](p, `document.querySelector(".invite-create button").disabled`); !got {
		t.Error("bob's Create invite button is on")
	}
	browser.Eval[bool](p, `(document.querySelector(".invite-create button").disabled = false, true)`)
	if res := submit(t, p, ".invite-create button"); res.Status != 403 {
		t.Errorf("an invite with none left: %d", res.Status)
	}
	if got := strings.Join(p.Texts(".alert"), ""); !strings.Contains(got, "no invites left") {
		t.Errorf("an invite with none left says %q", got)
	}
	cleanBut(t, p, site+"/register", site+"/login", site+"/invites")
	p.Screenshot("invites-error")

	submit(t, p, "#account button") // a new page shares the browser's cookies: bob logs out first
	staff := b.NewPage(t)
	staff.Open(site + "/login?next=/invites")
	fill(t, staff, map[string]string{"f-name": "alice", "f-password": "alice's password"})
	if res := submit(t, staff, "main form button[type=submit]"); res.Status != 200 || !strings.HasSuffix(res.URL, "/invites") {
		t.Fatalf("alice logs in to /invites: %d at %s", res.Status, res.URL)
	}
	submit(t, staff, ".invite-create button")
	link := strings.Join(staff.Texts("#invite-link"), "")
	if !strings.HasPrefix(link, site+"/register?invite=") {
		t.Fatalf("the invite's link: %q", link)
	}
	if got := staff.Texts("table.invites tbody tr"); len(got) != 2 || !strings.Contains(got[1], "bob") {
		t.Errorf("alice's invites: %q", got)
	}
	clean(t, staff, "")
	staff.Screenshot("invites")
}
