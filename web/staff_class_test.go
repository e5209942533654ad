package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
)

// The staff user page's class select: a plain user gets 403 (the staff
// gate); a Moderator may not make anyone an Administrator (the refusal
// beside the select, nothing appended) but may make a Power User; once an
// Administrator makes a user a Moderator, that user reaches the staff
// pages; the profile shows the class.
func TestStaffSetsClasses(t *testing.T) {
	ls := newLiveSite(t, Deps{})
	boss, mod, bob := ls.register("boss", true), ls.register("mod", false), ls.register("bob", false)
	if _, err := ls.c.SetClass(t.Context(), commands.Operator, "mod", domain.ClassModerator); err != nil {
		t.Fatal(err)
	}
	classOf := func(name string) domain.Class {
		u, err := projections.StaffUserNamed(t.Context(), ls.pool, name)
		if err != nil {
			t.Fatal(err)
		}
		return u.Class
	}
	setClass := func(as domain.User, name, class string) (int, string) {
		t.Helper()
		return ls.do(ls.h, liveRequest{method: "POST", path: "/staff/users/" + name + "/class", cookie: ls.cookie(as), form: url.Values{"class": {class}}})
	}

	// A plain user: 403 at the gate, the page and the form alike.
	if code, _ := ls.do(ls.h, liveRequest{method: "GET", path: "/staff/users", cookie: ls.cookie(bob)}); code != http.StatusForbidden {
		t.Errorf("bob on /staff/users: %d, want 403", code)
	}
	if code, _ := setClass(bob, "bob", "administrator"); code != http.StatusForbidden || classOf("bob") != domain.ClassUser {
		t.Errorf("bob making himself an Administrator: %d, class %v; want 403", code, classOf("bob"))
	}

	// A Moderator may not make anyone an Administrator, nor a Moderator.
	seq, _ := ls.log.LastSeq(t.Context())
	for _, class := range []string{"administrator", "moderator"} {
		code, body := setClass(mod, "bob", class)
		if code != http.StatusForbidden || !strings.Contains(fieldErrorOf(body, "class"), "A Moderator may set classes below Moderator only") {
			t.Errorf("a Moderator giving %s: %d, beside the select %q", class, code, fieldErrorOf(body, "class"))
		}
	}
	if code, body := setClass(mod, "boss", "user"); code != http.StatusForbidden || !strings.Contains(fieldErrorOf(body, "class"), "(boss is an Administrator)") {
		t.Errorf("a Moderator demoting an Administrator: %d, %q", code, fieldErrorOf(body, "class"))
	}
	if code, body := setClass(mod, "bob", "wizard"); code != http.StatusBadRequest || !strings.Contains(fieldErrorOf(body, "class"), "Choose one of User, Member") {
		t.Errorf("an unknown class: %d, %q", code, fieldErrorOf(body, "class"))
	}
	if after, _ := ls.log.LastSeq(t.Context()); after != seq || classOf("bob") != domain.ClassUser {
		t.Fatalf("refused changes appended %d events; bob is %v", after-seq, classOf("bob"))
	}
	code, body := setClass(mod, "bob", "power_user")
	if code != http.StatusOK || !strings.Contains(body, "The class is now Power User.") || classOf("bob") != domain.ClassPowerUser {
		t.Fatalf("a Moderator making bob a Power User: %d, class %v\n%s", code, classOf("bob"), body)
	}
	if !strings.Contains(body, `<option value="power_user" selected>Power User</option>`) {
		t.Error("the select does not show bob's class chosen")
	}
	if code, body := setClass(mod, "bob", "power_user"); code != http.StatusBadRequest || !strings.Contains(fieldErrorOf(body, "class"), "Nothing to change: bob is a Power User already") {
		t.Errorf("the class bob has: %d, %q", code, fieldErrorOf(body, "class"))
	}

	// An Administrator makes bob a Moderator: he reaches the staff pages.
	if code, body := setClass(boss, "bob", "moderator"); code != http.StatusOK || classOf("bob") != domain.ClassModerator {
		t.Fatalf("an Administrator making bob a Moderator: %d, class %v, %q", code, classOf("bob"), fieldErrorOf(body, "class"))
	}
	for path, want := range map[string]int{"/staff/": http.StatusSeeOther, "/staff/users": http.StatusOK, "/staff/users/mod": http.StatusOK, "/staff/clients": http.StatusOK} {
		if code, _ := ls.do(ls.h, liveRequest{method: "GET", path: path, cookie: ls.cookie(bob)}); code != want {
			t.Errorf("bob, a Moderator, on %s: %d, want %d", path, code, want)
		}
	}
	if code, body := ls.do(ls.h, liveRequest{method: "GET", path: "/users/bob", cookie: ls.cookie(boss)}); code != http.StatusOK ||
		!strings.Contains(body, `Class: <strong id="class">Moderator</strong>`) {
		t.Errorf("bob's profile: %d, no class Moderator shown", code)
	}
}
