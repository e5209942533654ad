package tracker

import (
	"slices"
	"sync"

	"github.com/djembe/djembe/domain"
)

// torrent is a registered info hash: its size and factors, whether it was
// deleted, its swarm, the users who completed it and the recent leechers
// that left. Guarded by its shard's mutex.
type torrent struct {
	swarm
	snatchers []uint32 // sorted user indices with a counted snatch
	leavers   leavers
	size      uint64
	factors   domain.Factors
	deleted   bool
}

// addSnatch records user's snatch and reports whether it is the user's first
// on this torrent (the only one that counts).
func (t *torrent) addSnatch(user uint32) bool {
	i, found := slices.BinarySearch(t.snatchers, user)
	if found {
		return false
	}
	t.snatchers = slices.Insert(t.snatchers, i, user)
	return true
}

// numShards splits the torrents so that announces for different torrents
// rarely wait on the same mutex. A power of two.
const numShards = 1024

// shard holds the torrents whose info hash falls in it, and the announces
// accepted for them and not yet taken by the publisher, in the order they
// were decided (so one peer's announces reach the log in order), with the
// address of each (addrs[i] is pending[i]'s; the log holds them sealed).
type shard struct {
	mu       sync.Mutex
	torrents map[domain.InfoHash]*torrent
	pending  []domain.Announce
	addrs    []domain.PeerAddr
	counts   counts                           // the sum of its torrents' counts
	_        [128 - 8 - 8 - 24 - 24 - 48]byte // a shard per pair of cache lines: no false sharing
}

// queue appends an accepted announce and its peer's address to the
// shard's pending announces. The caller holds sh.mu.
func (sh *shard) queue(a domain.Announce, addr domain.PeerAddr) {
	sh.pending = append(sh.pending, a)
	sh.addrs = append(sh.addrs, addr)
}

// counts are what Stats reports about torrents. Each shard keeps the sum
// of its torrents' counts up to date: whoever changes a torrent under the
// shard lock takes its counts before and calls shard.recount after.
type counts struct {
	torrents, swarms, peers, seeders, snatches, peerBytes int64
}

// counts is the torrent's contribution to its shard's counts.
func (t *torrent) counts() counts {
	c := counts{peers: int64(len(t.peers)), seeders: int64(t.nSeed), snatches: int64(len(t.snatchers)),
		peerBytes: int64(cap(t.peers))*int64(PeerSize) + int64(cap(t.index))*4}
	if len(t.peers) > 0 {
		c.swarms = 1
	}
	if !t.deleted {
		c.torrents = 1
	}
	return c
}

// recount adds what changed in tor since its counts were before.
func (sh *shard) recount(tor *torrent, before counts) {
	now := tor.counts()
	sh.counts.torrents += now.torrents - before.torrents
	sh.counts.swarms += now.swarms - before.swarms
	sh.counts.peers += now.peers - before.peers
	sh.counts.seeders += now.seeders - before.seeders
	sh.counts.snatches += now.snatches - before.snatches
	sh.counts.peerBytes += now.peerBytes - before.peerBytes
}

// swarms is every torrent, sharded by info hash. There is no global lock.
type swarms struct {
	shards [numShards]shard
}

func newSwarms() *swarms {
	s := new(swarms)
	for i := range s.shards {
		s.shards[i].torrents = make(map[domain.InfoHash]*torrent)
	}
	return s
}

// shardOf is the shard of an info hash (info hashes are uniformly random).
func (s *swarms) shardOf(h *domain.InfoHash) *shard {
	return &s.shards[(uint(h[0])<<8|uint(h[1]))&(numShards-1)]
}

// register adds a torrent of size bytes; a known info hash is left as it is.
func (s *swarms) register(h domain.InfoHash, f domain.Factors, size uint64) {
	sh := s.shardOf(&h)
	sh.mu.Lock()
	if sh.torrents[h] == nil {
		tor := &torrent{factors: f, size: size, deleted: true} // counted from nothing
		before := tor.counts()
		tor.deleted = false
		sh.torrents[h] = tor
		sh.recount(tor, before)
	}
	sh.mu.Unlock()
}

// with runs fn on the torrent h, if registered, under its shard's lock.
func (s *swarms) with(h domain.InfoHash, fn func(*torrent)) {
	sh := s.shardOf(&h)
	sh.mu.Lock()
	if t := sh.torrents[h]; t != nil {
		before := t.counts()
		fn(t)
		sh.recount(t, before)
	}
	sh.mu.Unlock()
}

// drain appends the announces queued in every shard to dst and their
// addresses to addrs, shard by shard, each shard's in the order they were
// decided, and empties the queues. It makes swarms the publisher's
// announceQueue.
func (s *swarms) drain(dst []domain.Announce, addrs []domain.PeerAddr) ([]domain.Announce, []domain.PeerAddr) {
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		if len(sh.pending) > 0 {
			dst = append(dst, sh.pending...)
			addrs = append(addrs, sh.addrs...)
			sh.pending, sh.addrs = sh.pending[:0], sh.addrs[:0]
			if cap(sh.pending) > 512 {
				sh.pending, sh.addrs = nil, nil // a burst is over: give the memory back
			}
		}
		sh.mu.Unlock()
	}
	return dst, addrs
}
