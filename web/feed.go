package web

import (
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
)

// Feed is an RSS 2.0 feed of torrents for the user whose RSS key it is
// read with: every item's link and enclosure is that user's personal
// .torrent (/torrents/HASH/download?key=KEY), so a client's autodownloader
// can follow it. Link is a path of the site.
type Feed struct {
	Title, Link, Description string
	Items                    []FeedItem
}

// FeedItem is one torrent of a Feed.
type FeedItem struct {
	Title, Category, Description string
	InfoHash                     domain.InfoHash
	Size                         uint64 // the torrent's (the .torrent's own is not known before it is made)
	Published                    time.Time
}

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
	Length uint64 `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

// rssUser is the user whose RSS key key is; an unknown, rotated or
// malformed key, or a disabled account's, has been answered with a 404
// when ok is false.
func (s *site) rssUser(w http.ResponseWriter, r *http.Request, key string) (u projections.AccountUser, ok bool) {
	u, err := projections.UserByRSSKey(r.Context(), s.Pool, s.Secret, key)
	switch {
	case errors.Is(err, projections.ErrBadToken) || domain.KindOf(err) == domain.KindForbidden:
		s.fail(w, r, http.StatusNotFound, "not_found", "There is no feed at this address: the RSS key is unknown or was rotated. Your profile shows the current one.")
		return u, false
	case err != nil:
		s.internalError(w, r, err)
		return u, false
	}
	return u, true
}

// writeFeed answers f as RSS 2.0 with absolute links, each item's the
// personal .torrent of the user whose RSS key key is.
func (s *site) writeFeed(w http.ResponseWriter, r *http.Request, key string, f Feed) {
	base := s.baseURL(r)
	doc := rss{Version: "2.0", Channel: rssChannel{Title: f.Title, Link: base + f.Link, Description: f.Description, TTL: 15}}
	for _, it := range f.Items {
		dl := base + "/torrents/" + it.InfoHash.String() + "/download?" + url.Values{"key": {key}}.Encode()
		doc.Channel.Items = append(doc.Channel.Items, rssItem{Title: it.Title, Link: dl, Category: it.Category,
			GUID: rssGUID{Value: it.InfoHash.String()}, PubDate: it.Published.UTC().Format(time.RFC1123Z), Description: it.Description,
			Enclosure: rssEnclosure{URL: dl, Length: it.Size, Type: "application/x-bittorrent"}})
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(doc); err != nil {
		s.log.Error("write RSS", "route", routeOf(r), "err", err)
	}
}

// RSSUser is the user whose RSS key key is (a feed's ?key=); an unknown,
// rotated or malformed key, or a disabled account's, has been answered
// with the 404 page when ok is false.
func (p *Site) RSSUser(w http.ResponseWriter, r *http.Request, key string) (projections.AccountUser, bool) {
	return p.s.rssUser(w, r, key)
}

// WriteFeed answers f as RSS 2.0 for the user whose RSS key key is.
func (p *Site) WriteFeed(w http.ResponseWriter, r *http.Request, key string, f Feed) {
	p.s.writeFeed(w, r, key, f)
}
