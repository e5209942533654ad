// Package backuptest appends Backup histories for the conformance suite
// and the plugin's read-model tests, with announces decided as the
// tracker decides them.
package backuptest

import (
	"time"

	"github.com/djembe/djembe/domain"
)

// Swarm holds the peers as the tracker does, to fill in of each announce
// what the tracker decides: its peer's previous state, whether it starts
// a session, and the seed time it ends.
type Swarm struct {
	peers map[peerKey]peer
}

type peerKey struct {
	hash domain.InfoHash
	user domain.UserID
	peer byte
}

type peer struct {
	state      domain.PeerState
	lastMs     int64
	downloaded uint64
}

// NewSwarm is a swarm with no peers.
func NewSwarm() *Swarm { return &Swarm{peers: map[peerKey]peer{}} }

// Announce is user's peer number peer announcing h at ms (unix
// milliseconds) with event ev, left bytes left and downloaded bytes
// downloaded in its session so far: the tracker's decisions filled in
// (Prev, NewSession, RawDown since the session's previous announce,
// SeedMillis), and the peer's state kept.
func (s *Swarm) Announce(ms int64, user domain.UserID, h domain.InfoHash, peerN byte, ev domain.AnnounceEvent, left, downloaded uint64) domain.Announce {
	k := peerKey{hash: h, user: user, peer: peerN}
	prev, ok := s.peers[k]
	a := domain.Announce{TimeMillis: ms, UserID: user, InfoHash: h, Event: ev, Left: left, Downloaded: downloaded, Prev: prev.state}
	a.PeerID[0] = peerN
	a.NewSession = !ok
	if ok && downloaded >= prev.downloaded {
		a.RawDown = downloaded - prev.downloaded
		a.CreditedDown = a.RawDown
	}
	since := time.Duration(ms-prev.lastMs) * time.Millisecond
	a.SeedMillis = uint64(domain.SeedTime(prev.state, a.NewSession, ev, since).Milliseconds())
	if next := a.StateAfter(); next.Active() {
		s.peers[k] = peer{state: next, lastMs: ms, downloaded: downloaded}
	} else {
		delete(s.peers, k)
	}
	return a
}

// Batch is an announce batch of anns from node t1.
func Batch(anns ...domain.Announce) *domain.AnnounceBatch {
	return &domain.AnnounceBatch{Node: "t1", Announces: anns}
}
