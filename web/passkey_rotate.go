package web

import (
	"net/http"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/projections"
	"github.com/go-chi/chi/v5"
)

// passkeyShownWithin bounds how long passkeyRotate waits for the users read
// model to hold the new passkey, so the page it leads to shows it.
const passkeyShownWithin = 3 * time.Second

// passkeyRotate gives the user the route names a new passkey (the owner
// or staff; the command refuses anyone else). The tracker refuses the old
// one as soon as its read model has the change; the profile it leads to is
// shown once the users read model has it too, so it never shows the old one.
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
	for deadline := time.Now().Add(passkeyShownWithin); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if row, err := projections.ShowUser(r.Context(), s.Pool, s.Secret, u.Name); err != nil || row.Passkey == string(u.Passkey) {
			break
		}
	}
	http.Redirect(w, r, profileURL(u.Name)+"?done=passkey#keys", http.StatusSeeOther)
}
