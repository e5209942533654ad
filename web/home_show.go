package web

import "net/http"

// homeShow is the front page: a welcome with the way in for visitors, and
// the way on for a signed-in user.
func (s *site) homeShow(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "", "")
	s.render(w, r, http.StatusOK, "home", p)
}
