package web

import (
	"net/http"
	"strings"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/go-chi/chi/v5"
)

// tokenCreate creates an API token labelled as the form says for the user
// the route names (the owner or staff), and shows the profile with the
// token this once (it is kept nowhere). A refused label is shown beside
// the field.
func (s *site) tokenCreate(w http.ResponseWriter, r *http.Request) {
	v := s.signedIn(w, r)
	if v == nil {
		return
	}
	name := chi.URLParam(r, "name")
	label := strings.TrimSpace(r.PostFormValue("label"))
	created, err := s.Commands.CreateToken(r.Context(), commands.UserActor(v.ID, v.Staff), name, label)
	switch kind := domain.KindOf(err); {
	case err == nil:
		w.Header().Set("Cache-Control", "no-store") // the token is in this page only
		s.renderProfile(w, r, v, http.StatusOK, func(k *profileKeys) { k.Created = &created }, "")
	case (kind == domain.KindInvalid || kind == domain.KindForbidden) && (v.Staff || sameName(v.Name, name)):
		// the label, or too many tokens: said beside the form
		s.renderProfile(w, r, v, statusOf[kind], func(k *profileKeys) { k.Label, k.LabelError = label, domain.Message(err) }, "")
	default:
		s.failErr(w, r, err)
	}
}

// sameName reports whether a and b name the same user.
func sameName(a, b string) bool { return domain.UsernameKey(a) == domain.UsernameKey(b) }
