package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
)

// loginForm is the login form as submitted.
type loginForm struct {
	Name, Password, Next string
}

// decodeLogin reads the login form, and refuses an empty name or password
// beside its field.
func decodeLogin(r *http.Request) (loginForm, form) {
	in := loginForm{Name: strings.TrimSpace(r.PostFormValue("name")), Password: r.PostFormValue("password"), Next: r.PostFormValue("next")}
	f := newForm()
	f.Values["name"] = in.Name
	if in.Name == "" {
		f.fail("name", "Enter your username.")
	}
	if in.Password == "" {
		f.fail("password", "Enter your password.")
	}
	return in, f
}

// loginCheck logs in: after too many failures for the name or from the
// address it refuses without checking the password; a wrong name or
// password is one message (and counts as a failure); a disabled account's
// reason is shown once the password is right. A login signs the session
// in under a new token and goes on to next (a local path) or the front page.
func (s *site) loginCheck(w http.ResponseWriter, r *http.Request, logins *loginThrottle) {
	in, f := decodeLogin(r)
	if !f.ok() {
		s.showLogin(w, r, http.StatusBadRequest, f, in.Next)
		return
	}
	addr, now := clientAddress(r, s.TrustedProxies), time.Now()
	msg, wait, err := logins.blocked(r.Context(), in.Name, addr, now)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if msg != "" {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())))
		f.fail("", msg)
		s.showLogin(w, r, http.StatusTooManyRequests, f, in.Next)
		return
	}
	u, err := s.Commands.LogIn(r.Context(), in.Name, in.Password)
	switch {
	case errors.Is(err, commands.ErrBadCredentials):
		if err := logins.failed(r.Context(), in.Name, addr, now); err != nil {
			s.log.Error("count a failed login", "err", err) // the answer stays the same
		}
		f.fail("", "Wrong username or password.")
		s.showLogin(w, r, http.StatusUnauthorized, f, in.Next)
		return
	case err != nil && domain.KindOf(err).Refused():
		f.fail("", domain.Message(err))
		s.showLogin(w, r, http.StatusForbidden, f, in.Next)
		return
	case err != nil:
		s.internalError(w, r, err)
		return
	}
	if err := s.signIn(r, u.ID); err != nil {
		s.internalError(w, r, err)
		return
	}
	http.Redirect(w, r, localPath(in.Next), http.StatusSeeOther)
}
