package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/djembe/djembe/domain"
	"github.com/go-chi/chi/v5"
)

// accountRoutes mounts the account pages: logging in and out, registering
// (by invite, or openly when staff opened registration) and the invites.
func (s *site) accountRoutes(r chi.Router) {
	logins := newLoginThrottle(s.Pool, s.Secret)
	r.Get("/login", s.loginShow)
	r.Post("/login", func(w http.ResponseWriter, r *http.Request) { s.loginCheck(w, r, logins) })
	r.Post("/logout", s.logout)
	r.Get("/register", s.registerShow)
	r.Post("/register", s.registerCheck)
	r.Get("/invites", s.invitesShow)
	r.Post("/invites", s.inviteCreate)
}

// form is a submitted form as its view shows it again: the values typed
// (never a password) and an error beside each field that was refused, or
// one for the whole form (Errors[""]).
type form struct {
	Values map[string]string
	Errors map[string]string
}

func newForm() form { return form{Values: map[string]string{}, Errors: map[string]string{}} }

// fail records msg beside field ("" for the form as a whole), as a
// sentence: the write side's messages start in lower case.
func (f form) fail(field, msg string) {
	if r, n := utf8.DecodeRuneInString(msg); n > 0 {
		msg = string(unicode.ToUpper(r)) + msg[n:]
	}
	f.Errors[field] = msg
}

// ok reports whether no field was refused.
func (f form) ok() bool { return len(f.Errors) == 0 }

// refuse records a refusal of the write side beside its field, when the
// form has that field (fields lists them); else for the whole form.
func (f form) refuse(err error, fields ...string) {
	field := domain.FieldOf(err)
	for _, name := range fields {
		if name == field {
			f.fail(field, domain.Message(err))
			return
		}
	}
	f.fail("", domain.Message(err))
}

// localPath is next when it is a path on this site ("/torrents?page=2"),
// else "/": a login link cannot send anyone to another site.
func localPath(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n\t\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}

// fieldView is one input of a form as the field partial shows it.
type fieldView struct {
	Name, Label, Type, Autocomplete, Value, Error, Hint string
	Focus                                               bool
}

// formField is the field partial's data for f's field name: its label,
// input type and autocomplete token, whether it takes the focus, and an
// optional hint; its value (never shown for a password) and error are f's.
func formField(f form, name, label, typ, autocomplete string, focus bool, hint ...string) fieldView {
	v := fieldView{Name: name, Label: label, Type: typ, Autocomplete: autocomplete, Value: f.Values[name], Error: f.Errors[name], Focus: focus}
	if len(hint) > 0 {
		v.Hint = hint[0]
	}
	return v
}

// readModelWait bounds how long a page waits for the read models to show
// a change the request itself made (readYourWrite).
const readModelWait = 5 * time.Second

// readYourWrite waits, up to readModelWait, until shown reports that the
// read models show a change just made, so the page that follows shows it
// too (a new user signed in, a new invite listed). It gives up quietly:
// the page is then shown as the read models have it.
func readYourWrite(ctx context.Context, shown func(context.Context) bool) {
	ctx, cancel := context.WithTimeout(ctx, readModelWait)
	defer cancel()
	for wait := time.Millisecond; !shown(ctx); wait = min(2*wait, 50*time.Millisecond) {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}
