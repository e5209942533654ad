package web

import "github.com/go-chi/chi/v5"

// torrentRoutes mounts the browse list (/torrents, signed in), the JSON
// API under /api/v1/ (an API token, never a session) and the RSS feed
// (/rss/{key}/torrents.xml, the user's RSS key).
func (s *site) torrentRoutes(r chi.Router) {
	r.Get("/torrents", s.browseShow)
	r.Route("/api/v1", s.apiRoutes)
	r.Get("/rss/{key}/torrents.xml", s.rssShow)
}
