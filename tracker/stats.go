package tracker

import "unsafe"

// Stats are the tracker's counts, for status pages, metrics and the load
// command's memory-per-peer figure.
type Stats struct {
	Users            int   // registered users
	Torrents         int   // registered torrents not deleted
	Swarms           int   // torrents with at least one peer
	Peers            int   // active peers
	Seeders          int   // active peers with nothing left to download
	Leechers         int   // the other active peers
	Snatches         int   // counted snatches over all torrents
	PendingAnnounces int   // accepted, not yet stored in the log
	PeerBytes        int64 // bytes held by swarm peer slices and their indexes
}

// PeerSize is the size of one peer in a swarm, in bytes.
const PeerSize = int(unsafe.Sizeof(peer{}))

// Stats sums the shards' counts, locking each in turn (so the counts of
// different shards are from slightly different moments). It costs the same
// for any number of torrents and peers.
func (t *Tracker) Stats() Stats {
	s := Stats{Users: t.users.count(), PendingAnnounces: int(t.pub.unstored())}
	var c counts
	for i := range t.swarms.shards {
		sh := &t.swarms.shards[i]
		sh.mu.Lock()
		c.torrents += sh.counts.torrents
		c.swarms += sh.counts.swarms
		c.peers += sh.counts.peers
		c.seeders += sh.counts.seeders
		c.snatches += sh.counts.snatches
		c.peerBytes += sh.counts.peerBytes
		sh.mu.Unlock()
	}
	s.Torrents, s.Swarms, s.Peers, s.Seeders = int(c.torrents), int(c.swarms), int(c.peers), int(c.seeders)
	s.Leechers, s.Snatches, s.PeerBytes = s.Peers-s.Seeders, int(c.snatches), c.peerBytes
	return s
}
