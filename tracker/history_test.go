package tracker

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// A history is a seeded, reproducible run of what happens to a tracker:
// announces of every kind, clock moves after which silent peers are
// reaped, and a torrent deleted midway. The same history played on two
// trackers must leave them in the same state (TestRestartEquivalence).

// stepKind is what one step of a history does.
type stepKind uint8

const (
	stepAnnounce stepKind = iota // a peer announces (always accepted)
	stepWait                     // the clock moves on, then the reaper runs
	stepDelete                   // a torrent is deleted through the log
)

type step struct {
	kind stepKind
	peer int // index into cast.peers
	tor  int // index into cast.torrents
	a    ann
	wait time.Duration // whole seconds, so that ticks compare exactly across trackers
}

// cast is who takes part in a history: users, their clients, torrents.
type cast struct {
	users    []testUser
	peers    []testPeer
	torrents []domain.InfoHash
}

// newCast makes nUsers users with a client or two each and nTorrents
// torrents, every id drawn from rng.
func newCast(rng *rand.Rand, nUsers, nTorrents int) cast {
	var c cast
	prefixes := []string{"-LT2080-", "-TR3000-", "A2-1-36-0-", "-qB4650-", "-DE2110-"}
	for i := range nUsers {
		var key [16]byte
		fillRand(rng, key[:])
		u := testUser{id: uuid.UUID(randBytes16(rng)), name: fmt.Sprintf("u%d", i), passkey: hex.EncodeToString(key[:])}
		c.users = append(c.users, u)
		for j := range 1 + rng.IntN(2) {
			var id [20]byte
			fillRand(rng, id[:])
			copy(id[:], prefixes[rng.IntN(len(prefixes))])
			remote := fmt.Sprintf("10.%d.%d.1:%d", i, j, 40000+j)
			if rng.IntN(4) == 0 {
				remote = fmt.Sprintf("[2001:db8::%d:%d]:%d", i, j, 40000+j)
			}
			c.peers = append(c.peers, testPeer{user: u, id: id, port: uint16(6881 + 10*i + j), remote: remote})
		}
	}
	for range nTorrents {
		c.torrents = append(c.torrents, domain.InfoHash(randBytes20(rng)))
	}
	return c
}

func fillRand(rng *rand.Rand, b []byte) {
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
}

func randBytes16(rng *rand.Rand) (b [16]byte) { fillRand(rng, b[:]); return b }
func randBytes20(rng *rand.Rand) (b [20]byte) { fillRand(rng, b[:]); return b }

// session is what a client believes of its session on one torrent: its
// cumulative counters and what it has left.
type session struct {
	active         bool
	up, down, left uint64
}

// historyGen draws a history's steps.
type historyGen struct {
	rng      *rand.Rand
	cast     cast
	sessions map[[2]int]*session // by (peer, torrent)
	deleted  int                 // the deleted torrent, -1 until then
	steps    []step
}

// newHistory draws n steps for c; the torrent deleted halfway is never
// announced to again, and the last quarter has no long silences.
func newHistory(rng *rand.Rand, c cast, n int) []step {
	g := &historyGen{rng: rng, cast: c, sessions: map[[2]int]*session{}, deleted: -1}
	for i := range n {
		switch r := rng.IntN(200); {
		case i == n/2:
			g.deleted = rng.IntN(len(c.torrents))
			g.steps = append(g.steps, step{kind: stepDelete, tor: g.deleted})
		case r < 3 && i < 3*n/4: // the end is left to a swarm in full use
			g.wait(90*60, 180*60) // long enough for the quiet peers to be reaped
		case r < 45:
			g.wait(1, 5*60)
		default:
			g.announce()
		}
	}
	return g.steps
}

func (g *historyGen) wait(minSec, maxSec int) {
	d := time.Duration(minSec+g.rng.IntN(maxSec-minSec+1)) * time.Second
	g.steps = append(g.steps, step{kind: stepWait, wait: d})
}

// announce draws a peer and a torrent and what the peer reports: a start,
// progress, a completion, a pause, a stop or a counter reset.
func (g *historyGen) announce() {
	p := g.rng.IntN(len(g.cast.peers))
	tor := g.rng.IntN(len(g.cast.torrents))
	if tor == g.deleted {
		tor = (tor + 1) % len(g.cast.torrents)
	}
	s := g.sessions[[2]int{p, tor}]
	if s == nil {
		s = &session{}
		g.sessions[[2]int{p, tor}] = s
	}
	a := g.next(s)
	g.steps = append(g.steps, step{kind: stepAnnounce, peer: p, tor: tor, a: a})
}

// next moves a client's session on and returns its announce.
func (g *historyGen) next(s *session) ann {
	r := g.rng.IntN(100)
	switch {
	case !s.active || r < 4: // a (re)start: counters from zero or near it
		s.active, s.up, s.down = true, uint64(g.rng.IntN(3))*1000, 0
		if g.rng.IntN(3) == 0 {
			s.left = 0 // a seeder
		} else {
			s.left = uint64(1+g.rng.IntN(50)) << 20
		}
		return ann{up: s.up, down: s.down, left: s.left, event: "started"}
	case r < 12:
		s.active = false
		return ann{up: s.up, down: s.down, left: s.left, event: "stopped"}
	case r < 17: // the client lost its counters: a new session, no event
		s.up, s.down = uint64(g.rng.IntN(1000)), uint64(g.rng.IntN(1000))
		return ann{up: s.up, down: s.down, left: s.left}
	case r < 20:
		return ann{up: s.up, down: s.down, left: s.left, event: "paused"}
	}
	s.up += uint64(g.rng.IntN(4 << 20))
	if s.left == 0 {
		return ann{up: s.up, down: s.down, left: 0}
	}
	got := min(s.left, uint64(g.rng.IntN(16<<20)))
	s.down, s.left = s.down+got, s.left-got
	if s.left == 0 {
		return ann{up: s.up, down: s.down, left: 0, event: "completed"}
	}
	return ann{up: s.up, down: s.down, left: s.left}
}

// restartPoints draws k distinct steps, in order, before which a tracker
// may be restarted without downtime: each follows an announce, so the
// newest announce the restarted tracker replays is from the moment it
// starts (a restart after a clock move would count that time as downtime,
// which resume deliberately does not charge to the peers).
func restartPoints(rng *rand.Rand, steps []step, k int) map[int]bool {
	var candidates []int
	for i := len(steps) / 5; i < len(steps); i++ {
		if steps[i-1].kind == stepAnnounce {
			candidates = append(candidates, i)
		}
	}
	rng.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
	points := map[int]bool{}
	for _, i := range candidates[:min(k, len(candidates))] {
		points[i] = true
	}
	return points
}
