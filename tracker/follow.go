package tracker

import (
	"context"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
)

// follow reads the log from its first event and keeps following it,
// applying what the tracker needs; it closes Ready after the first
// caught-up batch. It returns nil when ctx ends.
func (t *Tracker) follow(ctx context.Context) error {
	return t.log.Follow(ctx, eventlog.FollowOptions{From: 1}, func(b eventlog.Batch) error {
		for i := range b.Records {
			if err := t.apply(&b.Records[i]); err != nil {
				return err
			}
		}
		if b.CaughtUp && !t.isReady.Load() {
			t.resume(t.cfg.Now())
			t.markReady()
		}
		return nil
	})
}

// apply applies one stored event. Events the tracker does not use are
// skipped before decoding. This node's own announce batches are applied
// only while catching up: afterwards the swarms already hold them. A
// record no consumer applies (eventlog.Quarantined: no envelope, an
// unknown type, a payload this build cannot decode, a type off its
// subject) is skipped and reported, never an error: one bad event must
// not stop the tracker.
func (t *Tracker) apply(rec *eventlog.Record) error {
	switch rec.Meta.Type {
	case domain.TypeUserRegistered, domain.TypePasskeyRotated, domain.TypeUserDisabled, domain.TypeUserEnabled,
		domain.TypeLeechingSet, domain.TypeUserForgotten, domain.TypeTorrentRegistered, domain.TypeTorrentDeleted, domain.TypeTorrentFactorsSet,
		domain.TypeClientAllowListSet:
	case domain.TypeAnnounceBatch:
		if t.isReady.Load() && rec.Subject == t.subject {
			return nil
		}
	default:
		if err := rec.CheckKnown(); err != nil {
			t.quarantine(rec, err)
		}
		return nil
	}
	e, err := rec.DecodeChecked()
	if err != nil {
		t.quarantine(rec, err)
		return nil
	}
	switch e := e.(type) {
	case domain.UserRegistered:
		t.users.register(e.UserID, t.cfg.Secret.Passkey(e.UserID, e.PasskeyNonce, e.Passkey))
	case domain.PasskeyRotated:
		t.users.rotate(e.UserID, t.cfg.Secret.Passkey(e.UserID, e.Nonce, e.Passkey))
	case domain.UserDisabled:
		t.users.setDisabled(e.UserID, true)
	case domain.UserEnabled:
		t.users.setDisabled(e.UserID, false)
	case domain.UserForgotten:
		t.users.setDisabled(e.UserID, true) // for good: nothing enables a forgotten user
	case domain.LeechingSet:
		t.users.setLeech(e.UserID, e.CanLeech)
	case domain.TorrentRegistered:
		t.swarms.register(e.InfoHash, e.Factors, uint64(max(e.Size, 0)))
	case domain.TorrentDeleted:
		t.deleteTorrent(e.InfoHash)
	case domain.TorrentFactorsSet:
		t.swarms.with(e.InfoHash, func(tor *torrent) { tor.factors = e.Factors })
	case domain.ClientAllowListSet:
		prefixes := append([]string(nil), e.Prefixes...)
		t.clients.Store(&prefixes)
	case *domain.AnnounceBatch:
		remote := rec.Subject != t.subject
		addrs := t.addrsOf(e, rec.Seq)
		for i := range e.Announces {
			a := &e.Announces[i]
			var where domain.PeerAddr
			if addrs != nil {
				where = addrs[i]
			}
			t.replay(a, where, remote)
			if !remote {
				t.lastOwnMillis = max(t.lastOwnMillis, a.TimeMillis)
			}
		}
	}
	return nil
}

// replay applies a stored announce to the swarms as the node that decided
// it did: the peer's session counters, address (where) and last-seen time,
// a snatch, or its removal. Credit is not decided again: it is in the
// event. A peer from another node's batch is marked remote (that node
// records its reap). An announce whose address is unknown (port 0: its key
// is destroyed) restores the session all the same, so that the peer's
// next announce is credited as before; the peer keeps the address it had,
// or has none and is handed out to no one until it announces again.
func (t *Tracker) replay(a *domain.Announce, where domain.PeerAddr, remote bool) {
	user, ok := t.users.index(a.UserID)
	if !ok {
		return
	}
	sh := t.swarms.shardOf(&a.InfoHash)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	tor := sh.torrents[a.InfoHash]
	if tor == nil {
		return
	}
	defer sh.recount(tor, tor.counts())
	if a.Snatch {
		tor.addSnatch(user)
	}
	seen := t.clock.ticks(a.TimeMillis)
	pos := tor.find(user, &a.PeerID)
	if a.Event == domain.EventStopped || a.Event == domain.EventReaped {
		if pos >= 0 {
			tor.drop(pos, seen)
		}
		return
	}
	p := peer{uploaded: a.Uploaded, downloaded: a.Downloaded, left: a.Left, id: a.PeerID, addr: where.IP,
		user: user, seen: seen, port: where.Port}
	if where.Port == 0 && pos >= 0 {
		p.addr, p.port = tor.peers[pos].addr, tor.peers[pos].port
	}
	if a.Event == domain.EventPaused {
		p.flags |= flagPaused
	}
	if remote {
		p.flags |= flagRemote
	}
	if leeching(pos >= 0 && tor.peers[pos].flags&flagLeeched != 0, a.NewSession, a.Left) {
		p.flags |= flagLeeched
	}
	if pos >= 0 {
		tor.set(pos, p)
	} else {
		tor.add(p)
	}
}

// resume discounts the time this node was down from the silence of its
// replayed peers: a peer is reaped after two intervals of silence while the
// tracker was up to hear it, so clients that could not reach a stopped
// tracker keep their sessions (and credit) when they come back. Peers that
// were already silent too long before the stop are still reaped at once.
func (t *Tracker) resume(now time.Time) {
	if t.lastOwnMillis == 0 {
		return
	}
	nowTicks := t.clock.ticks(now.UnixMilli())
	last := t.clock.ticks(t.lastOwnMillis)
	if nowTicks <= last {
		return
	}
	down := nowTicks - last
	for i := range t.swarms.shards {
		sh := &t.swarms.shards[i]
		sh.mu.Lock()
		for _, tor := range sh.torrents {
			for j := range tor.peers {
				if p := &tor.peers[j]; p.flags&flagRemote == 0 && p.seen < nowTicks {
					p.seen = later(p.seen, down, nowTicks)
				}
			}
			tor.leavers.shift(down, nowTicks) // leaves stay in step with the peers' last announces
		}
		sh.mu.Unlock()
	}
}

// later is tick t moved down ticks later, at most to now.
func later(t, down, now uint32) uint32 { return uint32(min(uint64(t)+uint64(down), uint64(now))) }
