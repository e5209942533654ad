package tracker

import (
	"math"
	"sync"
	"sync/atomic"
)

// newPeerLimiter is a token bucket per user for new peers: a user may add
// burst peers to swarms at once, then rate per second. Buckets are sharded
// by user index; a user's first new peer creates its bucket, full.
type newPeerLimiter struct {
	burst, rate float64
	shards      [64]struct {
		mu      sync.Mutex
		buckets map[uint32]bucket
	}
}

type bucket struct {
	tokens float64
	lastMs int64
}

func newNewPeerLimiter(burst int, rate float64) newPeerLimiter {
	return newPeerLimiter{burst: float64(burst), rate: rate}
}

// take spends one of user's tokens at nowMs and reports whether there was
// one; if not, waitSeconds is when the next one will be.
func (l *newPeerLimiter) take(user uint32, nowMs int64) (ok bool, waitSeconds int64) {
	sh := &l.shards[user%uint32(len(l.shards))]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.buckets == nil {
		sh.buckets = map[uint32]bucket{}
	}
	b, seen := sh.buckets[user]
	if !seen {
		b = bucket{tokens: l.burst, lastMs: nowMs}
	}
	if elapsed := nowMs - b.lastMs; elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+float64(elapsed)*l.rate/1000)
	}
	b.lastMs = max(b.lastMs, nowMs)
	if b.tokens < 1 {
		sh.buckets[user] = b
		return false, int64(math.Ceil((1 - b.tokens) / l.rate))
	}
	b.tokens--
	sh.buckets[user] = b
	return true, 0
}

// userPeers counts user's peers in the torrent's swarm. It scans the
// swarm; it is called only for a peer that is not in it yet.
func (t *torrent) userPeers(user uint32) int {
	n := 0
	for i := range t.peers {
		if t.peers[i].user == user {
			n++
		}
	}
	return n
}

// admitNewPeer refuses a new peer of user beyond the peers a user may have
// in one swarm, or beyond the user's rate of new peers.
func (t *Tracker) admitNewPeer(tor *torrent, user uint32, nowMs int64) error {
	if tor.userPeers(user) >= t.cfg.MaxPeersPerTorrent {
		return tooManyPeers(t.cfg.MaxPeersPerTorrent)
	}
	if ok, wait := t.newPeers.take(user, nowMs); !ok {
		return tooManyNewPeers(wait)
	}
	return nil
}

// refusalCounts counts the refusals by code, for the serve's log.
type refusalCounts struct{ m sync.Map } // code → *atomic.Uint64

func (r *refusalCounts) add(code string) {
	c, ok := r.m.Load(code)
	if !ok {
		c, _ = r.m.LoadOrStore(code, new(atomic.Uint64))
	}
	c.(*atomic.Uint64).Add(1)
}

// RefusalCounts are the refusals given since the tracker started, by code
// (ClientError.Code), and the connections closed beyond the limits
// (code "conn_limit").
func (t *Tracker) RefusalCounts() map[string]uint64 {
	out := map[string]uint64{}
	t.refusals.m.Range(func(k, v any) bool {
		out[k.(string)] = v.(*atomic.Uint64).Load()
		return true
	})
	if n := t.connsRefused.Load(); n > 0 {
		out["conn_limit"] = n
	}
	return out
}
