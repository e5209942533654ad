package web

import (
	"context"
	"net/http"
	"slices"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
)

// inviteCreate creates an invite of the signed-in user and shows its code
// and registration link this once (only its hash is kept), on the invites
// page itself: a redirect would have to carry the code somewhere. A user
// with none left is refused there.
func (s *site) inviteCreate(w http.ResponseWriter, r *http.Request) {
	v := s.signedIn(w, r)
	if v == nil {
		return
	}
	inv, err := s.Commands.CreateInvite(r.Context(), commands.UserActor(v.ID, v.Staff), v.Name)
	if err != nil && domain.KindOf(err).Refused() {
		f := newForm()
		f.refuse(err)
		s.showInvites(w, r, v, statusOf[domain.KindOf(err)], f, "")
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	readYourWrite(r.Context(), func(ctx context.Context) bool { // the list that follows holds it
		list, err := projections.Invites(ctx, s.Pool, v.ID)
		return err != nil || slices.ContainsFunc(list, func(i projections.InviteRow) bool { return i.ID == inv.ID })
	})
	w.Header().Set("Cache-Control", "no-store") // the code is shown once: no cache keeps it
	s.showInvites(w, r, v, http.StatusOK, newForm(), inv.Code)
}
