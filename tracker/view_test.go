package tracker

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
)

// torrentView is a torrent as tests compare it across trackers: in terms
// that do not depend on a tracker's own numbering (user indices, clock
// base, peer positions).
type torrentView struct {
	hash              domain.InfoHash
	deleted           bool
	seeders, leechers int
	peers             []peerView // by user, then peer id
	snatchers         []domain.UserID
}

// peerView is a peer with its user's id and its last-seen time in unix
// milliseconds. The burst count is left out: it is not recorded, so it
// starts afresh after a restart.
type peerView struct {
	user           domain.UserID
	id             [20]byte
	addr           [16]byte
	port           uint16
	up, down, left uint64
	seenMillis     int64
	flags          uint8
}

func (p peerView) String() string {
	return fmt.Sprintf("{user %.8s peer %q at %v port %d: up %d down %d left %d, seen %s, flags %b}",
		p.user, p.id, addrOf(p.addr), p.port, p.up, p.down, p.left,
		time.UnixMilli(p.seenMillis).UTC().Format(time.DateTime), p.flags)
}

// viewTorrents views each of hashes on tr.
func viewTorrents(tr *Tracker, hashes []domain.InfoHash) []torrentView {
	out := make([]torrentView, len(hashes))
	for i, h := range hashes {
		out[i].hash = h
		tr.swarms.with(h, func(tor *torrent) { out[i] = tr.viewTorrent(h, tor) })
	}
	return out
}

// viewTorrent views one torrent; its shard is locked.
func (t *Tracker) viewTorrent(h domain.InfoHash, tor *torrent) torrentView {
	v := torrentView{hash: h, deleted: tor.deleted, seeders: int(tor.nSeed), leechers: len(tor.peers) - int(tor.nSeed)}
	for _, p := range tor.peers {
		v.peers = append(v.peers, peerView{user: t.users.id(p.user), id: p.id, addr: p.addr, port: p.port,
			up: p.uploaded, down: p.downloaded, left: p.left,
			seenMillis: t.clock.baseMillis + int64(p.seen)*tickMillis, flags: p.flags})
	}
	slices.SortFunc(v.peers, func(a, b peerView) int {
		return cmp.Or(bytes.Compare(a.user[:], b.user[:]), bytes.Compare(a.id[:], b.id[:]))
	})
	for _, u := range tor.snatchers {
		v.snatchers = append(v.snatchers, t.users.id(u))
	}
	slices.SortFunc(v.snatchers, func(a, b domain.UserID) int { return bytes.Compare(a[:], b[:]) })
	return v
}

// compareTorrents fails for every way got differs from want.
func compareTorrents(t *testing.T, want, got []torrentView) {
	t.Helper()
	for i := range want {
		w, g := want[i], got[i]
		name := w.hash.String()[:8]
		if g.deleted != w.deleted || g.seeders != w.seeders || g.leechers != w.leechers {
			t.Errorf("torrent %s: deleted %v, %d seeders, %d leechers; want %v, %d, %d",
				name, g.deleted, g.seeders, g.leechers, w.deleted, w.seeders, w.leechers)
		}
		if !slices.Equal(g.snatchers, w.snatchers) {
			t.Errorf("torrent %s: snatched by %v, want %v", name, g.snatchers, w.snatchers)
		}
		comparePeers(t, name, w.peers, g.peers)
	}
}

// comparePeers reports each peer missing, extra or different in got.
func comparePeers(t *testing.T, torrent string, want, got []peerView) {
	t.Helper()
	key := func(p peerView) string { return fmt.Sprintf("%.8s/%q", p.user, p.id) }
	byKey := map[string]peerView{}
	for _, p := range want {
		byKey[key(p)] = p
	}
	for _, p := range got {
		w, ok := byKey[key(p)]
		switch {
		case !ok:
			t.Errorf("torrent %s: extra peer %s %+v", torrent, key(p), p)
		case p != w:
			t.Errorf("torrent %s: peer %s\n got %+v\nwant %+v", torrent, key(p), p, w)
		}
		delete(byKey, key(p))
	}
	for k, p := range byKey {
		t.Errorf("torrent %s: missing peer %s %+v", torrent, k, p)
	}
}
