package web

import (
	"net/http"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/go-chi/chi/v5"
)

// torrentPageRoutes mounts uploading (/upload, signed in), a torrent's page
// (/torrents/{infohash}, signed in) and its personal .torrent
// (/torrents/{infohash}/download: a session, an API token or the RSS key).
func (s *site) torrentPageRoutes(r chi.Router) {
	r.Get("/upload", s.uploadShow)
	r.Post("/upload", s.uploadCheck)
	r.Get("/torrents/{infohash}", s.torrentShow)
	r.Get("/torrents/{infohash}/download", s.torrentDownload)
}

// torrentPath is the page of the torrent h.
func torrentPath(h domain.InfoHash) string { return "/torrents/" + h.String() }

// routeInfoHash is the route's {infohash}; false (after a 404) when it is
// not one.
func (s *site) routeInfoHash(w http.ResponseWriter, r *http.Request) (domain.InfoHash, bool) {
	h, err := domain.ParseInfoHash(strings.ToLower(chi.URLParam(r, "infohash")))
	if err != nil {
		s.notFound(w, r)
		return h, false
	}
	return h, true
}

// uploadSource is the "source" the site writes into every uploaded
// .torrent's info dictionary: Deps.Source, else the site's name.
func (s *site) uploadSource() string {
	if s.Source != "" {
		return s.Source
	}
	return strings.ToLower(SiteName)
}

// trackerURL is the tracker's public base URL for announce URLs:
// Deps.TrackerURL, else the site's.
func (s *site) trackerURL() string {
	return strings.TrimRight(cmpOr(s.TrackerURL, s.SiteURL), "/")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
