package web

import (
	"net/http"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
)

// registerPage is what the register view shows: the form, and the invite
// it registers with ("" when registration is open to all).
type registerPage struct {
	Form   form
	Invite string
}

// registerShow is the registration form: with ?invite=CODE (the code
// carried in a hidden field), or without one when registration is open;
// else the page saying registration is by invite, with a box for a code.
// A code that cannot be one is refused there at once; whether it is a
// live invite is the write side's to say when the form is sent.
func (s *site) registerShow(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.currentUser(r); ok {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	code := r.URL.Query().Get("invite")
	if code != "" {
		if _, ok := domain.ParseInviteCode(code); !ok {
			f := newForm()
			f.fail("invite", "This invite code is not valid: check that you copied the whole link, or ask the person who invited you for a new one.")
			s.showRegisterClosed(w, r, http.StatusBadRequest, f)
			return
		}
		s.showRegister(w, r, http.StatusOK, newForm(), code)
		return
	}
	open, err := projections.RegistrationOpen(r.Context(), s.Pool)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if !open {
		s.showRegisterClosed(w, r, http.StatusOK, newForm())
		return
	}
	s.showRegister(w, r, http.StatusOK, newForm(), "")
}

func (s *site) showRegister(w http.ResponseWriter, r *http.Request, status int, f form, invite string) {
	p := s.page(r, "Register", "")
	p.Data = registerPage{Form: f, Invite: invite}
	s.render(w, r, status, "register", p)
}

// showRegisterClosed is the page saying registration is by invite, with
// f's error about the code, if any.
func (s *site) showRegisterClosed(w http.ResponseWriter, r *http.Request, status int, f form) {
	p := s.page(r, "Register", "")
	p.Data = registerPage{Form: f}
	s.render(w, r, status, "register_closed", p)
}
