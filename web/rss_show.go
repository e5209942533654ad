package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/djembe/djembe/projections"
	"github.com/go-chi/chi/v5"
)

// rssShow is /rss/{key}/torrents.xml: the newest torrents (a browse page,
// newest first; ?category= keeps one category) for the user whose RSS key is in the path, each item's
// link and enclosure the personal .torrent's download with that key
// (?key=), so an autodl client can follow them. An unknown, rotated or
// malformed key is a 404, as is a disabled account's.
func (s *site) rssShow(w http.ResponseWriter, r *http.Request) {
	key := chi.URLParam(r, "key")
	if _, ok := s.rssUser(w, r, key); !ok {
		return
	}
	q := projections.DefaultBrowse
	q.Category = r.URL.Query().Get("category")
	res, err := projections.Browse(r.Context(), s.Pool, q)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	f := Feed{Title: "Djembe: newest torrents", Link: "/torrents", Description: "The newest torrents, each linking to your personal .torrent."}
	if q.Category != "" {
		f.Title, f.Link = f.Title+" in "+q.Category, f.Link+"?category="+url.QueryEscape(q.Category)
	}
	for _, t := range res.Torrents {
		f.Items = append(f.Items, FeedItem{Title: t.Name, Category: t.Category, InfoHash: t.InfoHash, Size: uint64(max(t.Size, 0)),
			Published: t.Added, Description: formatBytes(uint64(max(t.Size, 0))) + ", " + strconv.Itoa(t.Seeders) + " seeders, " +
				strconv.Itoa(t.Leechers) + " leechers"})
	}
	s.writeFeed(w, r, key, f)
}
