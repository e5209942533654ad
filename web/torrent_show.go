package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
)

// snatchesShown is how many snatches the torrent page lists.
const snatchesShown = 100

// torrentView is what templates/torrent.html shows.
type torrentView struct {
	T        projections.CatalogRow
	Swarm    projections.SwarmRow
	Hash     string
	Chart    swarmChart
	Snatches []projections.Snatch
	Peers    peersBox
	Uploaded bool // the uploader just uploaded it: show the download box
	Own      bool // the viewer uploaded it
}

// Marks are the factors as what.cd marks them.
func (t torrentView) Marks() []string { return factorMarks(t.T.Factors) }

// factorMarks are factors f as what.cd marks them ("Freeleech", "Double
// upload", "Neutral leech", other percents); none for normal factors.
func factorMarks(f domain.Factors) []string {
	var m []string
	switch {
	case f.UploadPercent == 0 && f.DownloadPercent == 0:
		return []string{"Neutral leech"}
	case f.DownloadPercent == 0:
		m = append(m, "Freeleech")
	case f.DownloadPercent != 100:
		m = append(m, strconv.Itoa(int(f.DownloadPercent))+"% download")
	}
	switch {
	case f.UploadPercent == 200:
		m = append(m, "Double upload")
	case f.UploadPercent != 100:
		m = append(m, strconv.Itoa(int(f.UploadPercent))+"% upload")
	}
	return m
}

// Lines is the description's paragraphs (blank lines between), each
// escaped by the template.
func (t torrentView) Lines() []string {
	var out []string
	for _, p := range strings.Split(t.T.Description, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// torrentShow is a torrent's page, to anyone signed in: what it is, its
// files, its swarm now and over time, its peers (their addresses to staff
// only), and who snatched it. An unknown or
// deleted torrent is a 404.
func (s *site) torrentShow(w http.ResponseWriter, r *http.Request) {
	v := s.signedIn(w, r)
	if v == nil {
		return
	}
	h, ok := s.routeInfoHash(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	t, err := projections.CatalogTorrent(ctx, s.Pool, h)
	if domain.KindOf(err) == domain.KindNotFound || (err == nil && t.Deleted) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	tv := torrentView{T: t, Hash: h.String(), Own: t.Uploader == v.ID}
	tv.Uploaded = tv.Own && r.URL.Query().Get("uploaded") == "1"
	if tv.Swarm, err = projections.TorrentSwarm(ctx, s.Pool, h); err != nil {
		s.failErr(w, r, err)
		return
	}
	now := time.Now().UTC()
	from := now.Add(-swarmChartSpan)
	points, err := projections.SwarmHistory(ctx, s.Pool, h, from, now)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	// The chart begins when the torrent was added, or at its first
	// announce if that came earlier (a history imported or appended with
	// its own times, as djembe demo does), and spans at most swarmChartSpan.
	start := t.AddedAt.Truncate(projections.HistoryBucket)
	if len(points) > 0 && points[0].Bucket.Before(start) {
		start = points[0].Bucket
	}
	if start.After(from) {
		from = start
	}
	tv.Chart = newSwarmChart(points, from, now)
	if tv.Snatches, err = projections.Snatches(ctx, s.Pool, h, snatchesShown); err != nil {
		s.failErr(w, r, err)
		return
	}
	if tv.Peers, err = s.torrentPeers(r, v, h, t.Size, now); err != nil {
		s.failErr(w, r, err)
		return
	}
	p := s.page(r, t.Title, "torrents")
	p.Data = tv
	s.render(w, r, http.StatusOK, "torrent", p)
}
