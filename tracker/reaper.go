package tracker

import (
	"context"
	"math"
	"time"

	"github.com/djembe/djembe/domain"
)

// reapEvery is how often the reaper looks for silent peers: half an
// interval, at most a minute.
func (t *Tracker) reapEvery() time.Duration {
	return min(max(t.cfg.Interval/2, 10*time.Millisecond), time.Minute)
}

// reapLoop reaps silent peers until ctx ends.
func (t *Tracker) reapLoop(ctx context.Context) {
	tick := time.NewTicker(t.reapEvery())
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			t.reap(t.cfg.Now())
		}
	}
}

// reap removes every peer whose last announce is two intervals or more
// before now, and queues an EventReaped announce for each local one (with
// its last counters and no credit) so that the read models learn it left.
// It returns how many peers it removed. Each shard is locked in turn.
// It also destroys the address keys past retention (PeerKeys.Expire).
func (t *Tracker) reap(now time.Time) int {
	if err := t.cfg.PeerKeys.Expire(now); err != nil {
		t.cfg.Logger.Warn("tracker: destroying expired peer address keys", "err", err)
	}
	nowTicks := t.clock.ticks(now.UnixMilli())
	limit := 2 * uint64(t.intervalTicks)
	if uint64(nowTicks) < limit {
		return 0
	}
	cutoff := nowTicks - uint32(limit)
	reaped := 0
	for i := range t.swarms.shards {
		sh := &t.swarms.shards[i]
		sh.mu.Lock()
		for h, tor := range sh.torrents {
			if len(tor.peers) > 0 {
				before := tor.counts()
				reaped += t.reapSwarm(sh, h, tor, cutoff, now.UnixMilli())
				sh.recount(tor, before)
			}
		}
		sh.mu.Unlock()
	}
	t.metrics.reapedPeers(reaped)
	return reaped
}

// deleteTorrent marks a torrent deleted, from then on refused. Once the
// tracker has caught up with the log it also reaps the torrent's peers at
// once, so that the read models stop counting them; while catching up, the
// reaps recorded then follow in the log. (Should the tracker stop between
// the two, the reaper reaps them later: their announces are refused.)
func (t *Tracker) deleteTorrent(h domain.InfoHash) {
	sh := t.swarms.shardOf(&h)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	tor := sh.torrents[h]
	if tor == nil {
		return
	}
	before := tor.counts()
	tor.deleted = true
	if t.isReady.Load() {
		t.metrics.reapedPeers(t.reapSwarm(sh, h, tor, math.MaxUint32, t.cfg.Now().UnixMilli()))
	}
	sh.recount(tor, before)
}

// reapSwarm removes the peers of one torrent last seen before cutoff. It
// walks from the end: removal only moves peers from later positions, which
// were already looked at.
func (t *Tracker) reapSwarm(sh *shard, h domain.InfoHash, tor *torrent, cutoff uint32, nowMillis int64) int {
	n := 0
	for pos := len(tor.peers) - 1; pos >= 0; pos-- {
		p := &tor.peers[pos]
		if p.seen >= cutoff {
			continue
		}
		if p.flags&flagRemote == 0 {
			sh.queue(domain.Announce{
				TimeMillis: nowMillis, InfoHash: h, UserID: t.users.id(p.user), PeerID: p.id, Event: domain.EventReaped,
				Uploaded: p.uploaded, Downloaded: p.downloaded, Left: p.left, Prev: p.state(),
			}, domain.PeerAddr{}) // a reaped peer is not restored: its address is not kept
			t.pub.accepted()
		}
		tor.drop(pos, t.clock.ticks(nowMillis))
		n++
	}
	return n
}
