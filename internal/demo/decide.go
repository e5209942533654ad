package demo

import (
	"time"

	"github.com/djembe/djembe/domain"
)

// swarm is one torrent's swarm as the tracker holds it, to decide
// announces in order: the peers' last counters, the users whose leechers
// left last, and who snatched it.
type swarm struct {
	size     uint64
	factors  domain.Factors
	peers    map[*session]*peerState
	last     leave
	other    leave
	snatched map[int]bool
}

type peerState struct {
	counters domain.Counters
	left     uint64
	seen     int64
	leeched  bool
}

type leave struct {
	user int
	at   int64
	set  bool
}

func newSwarm(size uint64, f domain.Factors) *swarm {
	return &swarm{size: size, factors: f, peers: map[*session]*peerState{}, snatched: map[int]bool{}}
}

// note records that user's leecher stopped downloading at t.
func (w *swarm) note(user int, t int64) {
	if !w.last.set || w.last.user != user {
		w.other = w.last
	}
	w.last = leave{user: user, at: max(t, w.last.at), set: true}
}

// leecherSince reports whether a leecher of another user than user was in
// the swarm since t: downloading now, or stopped downloading since.
func (w *swarm) leecherSince(user int, t int64) bool {
	for s, p := range w.peers {
		if s.user != user && p.left > 0 {
			return true
		}
	}
	e := w.last
	if e.set && e.user == user {
		e = w.other
	}
	return e.set && e.at >= t
}

// decide is the tracker's decision on pl (tracker.decide): the credit
// against the session's previous announce within what was possible, the
// peer's state before, a snatch, the seed time, and the swarm's update.
func (w *swarm) decide(pl planned) domain.Announce {
	p, known := w.peers[pl.s]
	if !known {
		p = &peerState{}
	}
	elapsed := time.Duration(pl.t-p.seen) * time.Millisecond
	credit := domain.CreditAnnounce(p.counters, known, pl.event == domain.EventStarted, pl.cur, w.factors,
		domain.Bounds{Elapsed: elapsed, Size: w.size, Leecher: w.leecherSince(pl.s.user, p.seen)})
	wasLeeching := known && p.leeched
	snatch := wasLeeching && !credit.NewSession && pl.left == 0 && !w.snatched[pl.s.user]
	if snatch {
		w.snatched[pl.s.user] = true
	}
	prev := domain.PeerAbsent
	if known {
		prev = domain.PeerLeecher
		if p.left == 0 {
			prev = domain.PeerSeeder
		}
	}
	if pl.event == domain.EventStopped {
		if known && p.left > 0 {
			w.note(pl.s.user, pl.t)
		}
		delete(w.peers, pl.s)
	} else {
		if known && p.left > 0 && pl.left == 0 {
			w.note(pl.s.user, pl.t)
		}
		was := wasLeeching
		if credit.NewSession {
			was = pl.left > 0
		}
		w.peers[pl.s] = &peerState{counters: pl.cur, left: pl.left, seen: pl.t, leeched: was && pl.left > 0}
	}
	seed := domain.SeedTime(prev, credit.NewSession, pl.event, elapsed)
	return domain.Announce{TimeMillis: pl.t, PeerID: pl.s.peerID, Event: pl.event,
		Uploaded: pl.cur.Uploaded, Downloaded: pl.cur.Downloaded, Left: pl.left, Credit: credit,
		Prev: prev, SeedMillis: uint64(seed.Milliseconds()), Snatch: snatch}
}
