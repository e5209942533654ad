package web

import "net/http"

// logout signs the session out (its row deleted, the cookie expired) and
// goes to the front page. It is a POST only, so a link or an image on
// another page cannot sign anyone out.
func (s *site) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.signOut(r); err != nil {
		s.internalError(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
