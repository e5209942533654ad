package web

import "net/http"

// loginPage is what the login view shows: the form, and where to go after.
type loginPage struct {
	Form form
	Next string // a local path, or "" for the front page
}

// loginShow is the login form; a signed-in user goes on to the front page.
func (s *site) loginShow(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.currentUser(r); ok {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.showLogin(w, r, http.StatusOK, newForm(), r.URL.Query().Get("next"))
}

// showLogin renders the login view with f (its errors beside its fields).
func (s *site) showLogin(w http.ResponseWriter, r *http.Request, status int, f form, next string) {
	if next = localPath(next); next == "/" {
		next = ""
	}
	p := s.page(r, "Log in", "")
	p.Data = loginPage{Form: f, Next: next}
	s.render(w, r, status, "login", p)
}
