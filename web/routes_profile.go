package web

import (
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
)

// profileRoutes mounts the profile (/users/{name}) and the actions on its
// owner's keys. Every one needs a signed-in user; the actions need the
// owner or staff (the commands decide that again).
func (s *site) profileRoutes(r chi.Router) {
	r.Get("/users/{name}", s.profileShow)
	r.Post("/users/{name}/passkey", s.passkeyRotate)
	r.Post("/users/{name}/rsskey", s.rssKeyRotate)
	r.Post("/users/{name}/tokens", s.tokenCreate)
	r.Post("/users/{name}/tokens/{id}/revoke", s.tokenRevoke)
}

// signedIn is r's signed-in viewer; without one it sends them to log in
// and returns nil.
func (s *site) signedIn(w http.ResponseWriter, r *http.Request) *Viewer {
	v, err := s.viewer(r)
	if err != nil {
		s.internalError(w, r, err)
		return nil
	}
	if v == nil {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
	}
	return v
}

// profileURL is the profile page of the user named name.
func profileURL(name string) string { return "/users/" + url.PathEscape(name) }
