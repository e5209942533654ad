package web

import (
	"net/http"

	"github.com/djembe/djembe/commands"
	"github.com/go-chi/chi/v5"
)

// passkeyRotate gives the user the route names a new passkey (the owner
// or staff; the command refuses anyone else). The command returns once the
// tracker's read model has the new one, so the old one is refused from then.
func (s *site) passkeyRotate(w http.ResponseWriter, r *http.Request) {
	v := s.signedIn(w, r)
	if v == nil {
		return
	}
	name := chi.URLParam(r, "name")
	u, err := s.Commands.RotatePasskey(r.Context(), commands.UserActor(v.ID, v.Staff), name)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, profileURL(u.Name)+"?done=passkey#keys", http.StatusSeeOther)
}
