package web

import "github.com/go-chi/chi/v5"

// statsRoutes mounts the site's statistics, to anyone signed in.
func (s *site) statsRoutes(r chi.Router) {
	r.Get("/stats", s.statsShow)
}
