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

// Stats counts, locking each shard in turn (so the counts of different
// shards are from slightly different moments).
func (t *Tracker) Stats() Stats {
	s := Stats{Users: t.users.count(), PendingAnnounces: int(max(t.pub.pending.Load(), 0))}
	for i := range t.swarms.shards {
		sh := &t.swarms.shards[i]
		sh.mu.Lock()
		for _, tor := range sh.torrents {
			if !tor.deleted {
				s.Torrents++
			}
			if n := len(tor.peers); n > 0 {
				s.Swarms++
				s.Peers += n
				s.Seeders += int(tor.nSeed)
			}
			s.Snatches += len(tor.snatchers)
			s.PeerBytes += int64(cap(tor.peers))*int64(PeerSize) + int64(cap(tor.index))*4
		}
		sh.mu.Unlock()
	}
	s.Leechers = s.Peers - s.Seeders
	return s
}
