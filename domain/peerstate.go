package domain

import (
	"fmt"
	"time"
)

// PeerState is what a peer is in its torrent's swarm.
type PeerState uint8

const (
	PeerAbsent  PeerState = iota // not in the swarm
	PeerLeecher                  // in the swarm with something left to download
	PeerSeeder                   // in the swarm with nothing left (left = 0)
	peerStateLimit
)

var peerStateNames = [...]string{"absent", "leecher", "seeder"}

func (s PeerState) String() string {
	if s < peerStateLimit {
		return peerStateNames[s]
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// Active reports whether the peer is in the swarm.
func (s PeerState) Active() bool { return s != PeerAbsent }

// StateAfter is the peer's state once the announce is applied: absent after
// stopped or a reap, else a seeder with left = 0 and a leecher otherwise.
func (a *Announce) StateAfter() PeerState {
	switch {
	case a.Event == EventStopped || a.Event == EventReaped:
		return PeerAbsent
	case a.Left == 0:
		return PeerSeeder
	}
	return PeerLeecher
}

// MaxSeedInterval bounds one interval of seed time: a longer silence inside
// a session (the client or the network was gone, say) is not seeding.
const MaxSeedInterval = 2 * time.Hour

// SeedTime is the seed time an announce ends: the time since the peer's
// previous announce when, at that announce, the peer was a seeder, and this
// announce continues its session. A reap adds none (its time is when the
// tracker noticed the silence, not when seeding ended); neither does an
// interval longer than MaxSeedInterval. So a seeder's time runs from each
// announce at which it reported left = 0 to its next one, stopped included,
// and the interval in which a leecher completes does not count.
func SeedTime(prev PeerState, newSession bool, ev AnnounceEvent, sincePrev time.Duration) time.Duration {
	if prev != PeerSeeder || newSession || ev == EventReaped || sincePrev <= 0 || sincePrev > MaxSeedInterval {
		return 0
	}
	return sincePrev
}
