package web

import (
	"net/http"

	"github.com/djembe/djembe/commands"
	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
)

// tokenRevoke revokes one API token of the user the route names (the owner
// or staff); a token that is not theirs is not found. The token is refused
// once the command returns.
func (s *site) tokenRevoke(w http.ResponseWriter, r *http.Request) {
	v := s.signedIn(w, r)
	if v == nil {
		return
	}
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	name := chi.URLParam(r, "name")
	if err := s.Commands.RevokeToken(r.Context(), commands.UserActor(v.ID, v.Staff), name, id); err != nil {
		s.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, profileURL(name)+"#keys", http.StatusSeeOther)
}
