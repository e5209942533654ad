package backup

import (
	"fmt"
	"net/http"

	"github.com/djembe/djembe/web"
)

// rssItems is how many of the queue's next versions the feed lists.
const rssItems = 50

// queueRSS is /backup/queue.rss?key=RSSKEY: the queue's next versions, in
// its order, for the user whose RSS key it carries (no session: a
// client's autodownloader follows it). Each item's link and enclosure is
// the personal .torrent's download with that key, as the site's own feed
// does, so the client fetches and seeds what needs copies most. The
// owner's own versions are left out: they earn their owner nothing. An
// unknown, rotated or malformed key, or a disabled account's, is a 404.
func (p *pages) queueRSS(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	u, ok := p.s.RSSUser(w, r, key)
	if !ok {
		return
	}
	rows, _, err := p.queueRows(r.Context(), rssItems+10, 0)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	f := web.Feed{Title: "Djembe: what to back up next", Link: "/backup/queue",
		Description: "The backup queue's next versions, most at risk first, each linking to your personal .torrent: seed them to earn backup credit and points."}
	for _, v := range rows {
		if v.Owner == u.ID || len(f.Items) == rssItems {
			continue
		}
		f.Items = append(f.Items, web.FeedItem{Title: fmt.Sprintf("%s – version %d", v.BackupName, v.Number), Category: "Backup",
			InfoHash: v.InfoHash, Size: v.Size, Published: v.AddedAt,
			Description: fmt.Sprintf("%s, %s, %s copies, %d more wanted, %s points", web.FormatBytes(v.Size), v.StateName(), v.Copies(), v.Deficit, v.Points())})
	}
	p.s.WriteFeed(w, r, key, f)
}
