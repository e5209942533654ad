package web

import (
	"net/http"

	"github.com/djembe/djembe/commands"
	"github.com/go-chi/chi/v5"
)

// rssKeyRotate gives the user the route names a new RSS key (the owner or
// staff); feeds with the old one are refused once the command returns.
func (s *site) rssKeyRotate(w http.ResponseWriter, r *http.Request) {
	v := s.signedIn(w, r)
	if v == nil {
		return
	}
	name := chi.URLParam(r, "name")
	if _, err := s.Commands.RotateRSSKey(r.Context(), commands.UserActor(v.ID, v.Staff), name); err != nil {
		s.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, profileURL(name)+"?done=rsskey#keys", http.StatusSeeOther)
}
