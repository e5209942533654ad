package web

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
)

// peersShown is how many peers the torrent page lists; the rest are
// counted ("and N more").
const peersShown = 200

// addrUnavailable stands for the addresses a staff viewer is shown when
// they cannot be read (the log is unreachable).
const addrUnavailable = "unavailable"

// peerView is one row of the torrent page's peers box. It holds nothing a
// viewer should not see: no peer_id, no log position, and an address only
// for staff.
type peerView struct {
	Name                 string // "" when the users read model has none
	Client               string
	Seeder               bool
	Percent              string  // progress, "42.0%"
	Progress             float64 // 0 to 1, for the bar
	UpRate, DownRate     string
	Uploaded, Downloaded uint64
	ConnectedFor         string
	LastAnnounce         time.Time
	Addr                 string // staff only: "ip:port", "expired", ...
}

// peersBox is the torrent page's peers box.
type peersBox struct {
	Peers     []peerView
	More      int  // peers not listed
	Addresses bool // the viewer is staff: the address column is shown
}

// torrentPeers reads the box for torrent h of size bytes as viewer v sees
// it: one query, and for staff the addresses, opened from the log (a
// failure there shows them as unavailable, logged; the page still shows).
func (s *site) torrentPeers(r *http.Request, v *Viewer, h domain.InfoHash, size int64, now time.Time) (peersBox, error) {
	ctx := r.Context()
	rows, total, err := projections.TorrentPeers(ctx, s.Pool, h, peersShown)
	if err != nil {
		return peersBox{}, err
	}
	box := peersBox{More: max(total-len(rows), 0), Addresses: v.Staff && s.PeerAddrs != nil}
	var addrs map[projections.PeerRef]string
	if box.Addresses && len(rows) > 0 {
		addrs = s.openPeerAddrs(ctx, r, rows)
	}
	for _, p := range rows {
		pv := peerView{Name: p.Name, Client: p.Client, Seeder: p.Seeder(), Progress: p.Progress(size),
			UpRate: formatRate(p.UpRate), DownRate: formatRate(p.DownRate), Uploaded: p.Uploaded, Downloaded: p.Downloaded,
			ConnectedFor: formatConnected(now.Sub(p.StartedAt)), LastAnnounce: p.LastAnnounceAt}
		pv.Percent = strconv.FormatFloat(math.Floor(pv.Progress*1000)/10, 'f', 1, 64) + "%"
		if box.Addresses {
			pv.Addr = addrs[p.Ref]
			if pv.Addr == "" {
				pv.Addr = addrUnavailable
			}
		}
		box.Peers = append(box.Peers, pv)
	}
	return box, nil
}

// openPeerAddrs opens the rows' addresses; nil (each shown unavailable)
// if the log cannot be read.
func (s *site) openPeerAddrs(ctx context.Context, r *http.Request, rows []projections.PeerRow) map[projections.PeerRef]string {
	refs := make([]projections.PeerRef, len(rows))
	for i, p := range rows {
		refs[i] = p.Ref
	}
	addrs, err := s.PeerAddrs(ctx, refs)
	if err != nil {
		s.log.Error("open peers' addresses", "route", routeOf(r), "err", err)
		return nil
	}
	return addrs
}

// formatRate is a rate in bytes a second: "0 B/s", "1.20 MiB/s".
func formatRate(n uint64) string { return formatBytes(n) + "/s" }

// formatConnected is how long a peer has been connected, to the second
// under a minute, then as seed times are shown.
func formatConnected(d time.Duration) string {
	if d < time.Minute {
		return strconv.Itoa(int(max(d, 0)/time.Second)) + "s"
	}
	return formatSeedTime(d)
}
