package backup

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
)

// rssItems is how many of the queue's next versions the feed lists.
const rssItems = 50

// The feed's RSS 2.0 document, as the site's own feed writes it.
type rssDoc struct {
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
	Category    string       `xml:"category"`
	Enclosure   rssEnclosure `xml:"enclosure"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length uint64 `xml:"length,attr"` // the version's size
	Type   string `xml:"type,attr"`
}

// queueRSS is /backup/queue.rss?key=RSSKEY: the queue's next versions, in
// its order, for the user whose RSS key it carries (no session: a
// client's autodownloader follows it). Each item's link and enclosure is
// the personal .torrent's download with that key, as the site's own feed
// does, so the client fetches and seeds what needs copies most. The
// owner's own versions are left out: they earn their owner nothing. An
// unknown, rotated or malformed key, or a disabled account's, is a 404.
func (p *pages) queueRSS(w http.ResponseWriter, r *http.Request) {
	ctx, key := r.Context(), r.URL.Query().Get("key")
	u, err := projections.UserByRSSKey(ctx, p.s.Pool(), p.s.Secret(), key)
	if errors.Is(err, projections.ErrBadToken) || domain.KindOf(err) == domain.KindForbidden {
		p.s.Fail(w, r, domain.E("backup feed", domain.KindNotFound,
			"there is no feed at this address: the RSS key is unknown or was rotated; your profile shows the current one"))
		return
	}
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	rows, _, err := p.queueRows(ctx, rssItems+10, 0)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	base := p.s.BaseURL(r)
	doc := rssDoc{Version: "2.0", Channel: rssChannel{Title: "Djembe: what to back up next", Link: base + "/backup/queue", TTL: 15,
		Description: "The backup queue's next versions, most at risk first, each linking to your personal .torrent: seed them to earn backup credit and points."}}
	for _, v := range rows {
		if v.Owner == u.ID || len(doc.Channel.Items) == rssItems {
			continue
		}
		dl := base + v.Download() + "?" + url.Values{"key": {key}}.Encode()
		doc.Channel.Items = append(doc.Channel.Items, rssItem{
			Title: fmt.Sprintf("%s – version %d", v.BackupName, v.Number), Link: dl, Category: "Backup",
			GUID:        rssGUID{Value: v.InfoHash.String()},
			PubDate:     v.AddedAt.UTC().Format(time.RFC1123Z),
			Description: fmt.Sprintf("%s, %s, %s copies, %d more wanted, %s points", formatBytes(v.Size), v.StateName(), v.Copies(), v.Deficit, v.Points()),
			Enclosure:   rssEnclosure{URL: dl, Length: v.Size, Type: "application/x-bittorrent"},
		})
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(doc); err != nil {
		p.s.Logger().Error("write backup RSS", "err", err)
	}
}

// formatBytes writes n in binary units with two decimals (1.50 GiB).
func formatBytes(n uint64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	f, i := float64(n), 0
	for f >= 1024 && i < len(units)-1 {
		f, i = f/1024, i+1
	}
	if i == 0 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%.2f %s", f, units[i])
}
