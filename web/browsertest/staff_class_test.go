package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/djembe/djembe/internal/browser"
	"github.com/djembe/djembe/web"
)

// In a browser: on a user's staff page an Administrator sets the class
// the user has already, and the refusal reads beside the select; then
// chooses Power User in the select, and the page says so and shows it
// chosen. Each looked at as a screenshot.
func TestStaffClassInABrowser(t *testing.T) {
	b := browser.Start(t)
	m, alice, _, _, _, _ := staffSetup(t)
	site := m.WebURL()
	p := b.NewPage(t)
	p.SetCookie(site, web.SessionCookieName, alice.cookie)
	p.Open(site + "/staff/users/bob")
	submit(t, p, `form[action="/staff/users/bob/class"] button`)
	if got := strings.Join(p.Texts(`form[action="/staff/users/bob/class"] .field-error`), ""); got != "Nothing to change: bob is a User already" {
		t.Errorf("setting bob's own class reads %q beside the select", got)
	}
	cleanBut(t, p, site+"/staff/users/bob/class")
	p.Screenshot("staff-user-class-refused")

	p = b.NewPage(t) // a fresh page: this one keeps the refused form's 400 among its problems
	p.SetCookie(site, web.SessionCookieName, alice.cookie)
	p.Open(site + "/staff/users/bob")
	if _, err := chromedp.Run(p.Context(), chromedp.SetValue(chromedp.CSS(`select#class`), "power_user")); err != nil {
		t.Fatal(err)
	}
	submit(t, p, `form[action="/staff/users/bob/class"] button`)
	if got := strings.Join(p.Texts(".notice"), ""); got != "The class is now Power User." {
		t.Errorf("the notice reads %q", got)
	}
	if got := strings.Join(p.Texts(`select#class option[selected]`), ""); got != "Power User" {
		t.Errorf("the select shows %q chosen", got)
	}
	clean(t, p, "")
	p.Screenshot("staff-user-class-set")
}
