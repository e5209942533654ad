package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
)

// registerForm is the registration form as submitted.
type registerForm struct {
	Invite, Name, Password string
}

// decodeRegister reads the registration form, and refuses an empty name,
// an empty password and a repeat that differs beside their fields. The
// name and password rules themselves are the write side's.
func decodeRegister(r *http.Request) (registerForm, form) {
	in := registerForm{Invite: strings.TrimSpace(r.PostFormValue("invite")), Name: strings.TrimSpace(r.PostFormValue("name")), Password: r.PostFormValue("password")}
	f := newForm()
	f.Values["name"] = in.Name
	if in.Name == "" {
		f.fail("name", "Choose a username.")
	}
	if in.Password == "" {
		f.fail("password", "Choose a password.")
	} else if r.PostFormValue("password2") != in.Password {
		f.fail("password2", "The two passwords differ: type the same one twice.")
	}
	return in, f
}

// registerCheck registers: with the invite the form carries, or without
// one when registration is open (else the page saying it is by invite).
// Each refusal is shown beside its field; the new user is signed in and
// goes to the front page.
func (s *site) registerCheck(w http.ResponseWriter, r *http.Request) {
	in, f := decodeRegister(r)
	if !f.ok() {
		s.showRegister(w, r, http.StatusBadRequest, f, in.Invite)
		return
	}
	var reg commands.Registration
	var err error
	user := commands.RegisterUser{Name: in.Name, Password: in.Password}
	if in.Invite != "" {
		reg, err = s.Commands.RegisterWithInvite(r.Context(), in.Invite, user)
	} else {
		reg, err = s.Commands.Register(r.Context(), user)
	}
	switch {
	case err != nil && in.Invite == "" && domain.FieldOf(err) == "invite":
		f.refuse(err, "invite")
		s.showRegisterClosed(w, r, statusOf[domain.KindOf(err)], f)
		return
	case err != nil && domain.KindOf(err).Refused():
		f.refuse(err, "name", "password", "invite")
		s.showRegister(w, r, statusOf[domain.KindOf(err)], f, in.Invite)
		return
	case err != nil:
		s.internalError(w, r, err)
		return
	}
	if s.viewers != nil { // the header of the page that follows names the new user
		readYourWrite(r.Context(), func(ctx context.Context) bool {
			_, err := s.viewers.Viewer(ctx, reg.User.ID)
			return err == nil
		})
	}
	if err := s.signIn(r, reg.User.ID); err != nil {
		s.internalError(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
