package web

import (
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
	"github.com/go-chi/chi/v5"
)

// rss is an RSS 2.0 document.
type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Description string    `xml:"description"`
	TTL         int       `xml:"ttl"`
	Items       []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string       `xml:"title"`
	Link        string       `xml:"link"`
	GUID        rssGUID      `xml:"guid"`
	PubDate     string       `xml:"pubDate"`
	Description string       `xml:"description"`
	Category    string       `xml:"category,omitempty"`
	Enclosure   rssEnclosure `xml:"enclosure"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"` // the torrent's size: the .torrent's own is not known before it is made
	Type   string `xml:"type,attr"`
}

// rssShow is /rss/{key}/torrents.xml: the newest torrents (a browse page,
// newest first; ?category= keeps one category) for the user whose RSS key is in the path, each item's
// link and enclosure the personal .torrent's download with that key
// (?key=), so an autodl client can follow them. An unknown, rotated or
// malformed key is a 404, as is a disabled account's.
func (s *site) rssShow(w http.ResponseWriter, r *http.Request) {
	key := chi.URLParam(r, "key")
	_, err := projections.UserByRSSKey(r.Context(), s.Pool, s.Secret, key)
	if errors.Is(err, projections.ErrBadToken) || domain.KindOf(err) == domain.KindForbidden {
		s.fail(w, r, http.StatusNotFound, "not_found", "There is no feed at this address: the RSS key is unknown or was rotated. Your profile shows the current one.")
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	q := projections.DefaultBrowse
	q.Category = r.URL.Query().Get("category")
	res, err := projections.Browse(r.Context(), s.Pool, q)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	base := s.baseURL(r)
	title, link := "Djembe: newest torrents", base+"/torrents"
	if q.Category != "" {
		title, link = title+" in "+q.Category, link+"?category="+url.QueryEscape(q.Category)
	}
	doc := rss{Version: "2.0", Channel: rssChannel{Title: title, Link: link,
		Description: "The newest torrents, each linking to your personal .torrent.", TTL: 15}}
	for _, t := range res.Torrents {
		dl := base + "/torrents/" + t.InfoHash.String() + "/download?key=" + url.QueryEscape(key)
		doc.Channel.Items = append(doc.Channel.Items, rssItem{
			Title: t.Name, Link: dl, Category: t.Category, GUID: rssGUID{Value: t.InfoHash.String()},
			PubDate:     t.Added.UTC().Format(time.RFC1123Z),
			Description: formatBytes(uint64(max(t.Size, 0))) + ", " + strconv.Itoa(t.Seeders) + " seeders, " + strconv.Itoa(t.Leechers) + " leechers",
			Enclosure:   rssEnclosure{URL: dl, Length: t.Size, Type: "application/x-bittorrent"},
		})
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(doc); err != nil {
		s.log.Error("write RSS", "route", routeOf(r), "err", err)
	}
}
