package loadgen

import (
	"fmt"
	"math/rand/v2"
)

// User is a simulated user: the passkey in its announce URLs.
type User struct {
	Name    string
	Passkey string
}

// Shape is how the simulated peers behave.
type Shape struct {
	Peers        int     // distinct simulated peers (user, peer_id, port)
	Skew         float64 // Zipf exponent of peers over torrents (1: a few big swarms, a long tail of small ones)
	SeedFraction float64 // fraction of peers that start as seeders
	StopRate     float64 // probability that an announce of an active peer is event=stopped
	Numwant      int     // numwant sent with every announce
	Seed         uint64  // randomness of the assignment and of the walk
}

// DefaultShape is a private tracker's usual mix: mostly seeders, few stops.
func DefaultShape(peers int) Shape {
	return Shape{Peers: peers, Skew: 1, SeedFraction: 0.7, StopRate: 0.02, Numwant: 50, Seed: 1}
}

// Peer is one simulated client session. A peer that is not active sends
// event=started next; an active one reports cumulative counters that only
// grow within the session, completes once when left reaches 0, and may stop
// (after which its next announce starts a new session from zero counters).
type Peer struct {
	Uploaded, Downloaded, Left uint64
	User, Torrent              uint32
	Port                       uint16
	Client                     uint8
	active                     bool
}

// Population is the simulated users, torrents and peers. Peers are mutated
// by Run; each peer is only ever touched by one connection of a run (peer i
// belongs to connection i mod conns), so no locks are needed.
type Population struct {
	Users    []User
	Torrents []Torrent
	Peers    []Peer
	Shape    Shape
	nonce    uint16 // distinguishes this population's peer ids from another run's
}

// MaxPeersPerUserTorrent is the most simulated peers one user has on one
// torrent: the tracker's default limit.
const MaxPeersPerUserTorrent = 3

// NewPopulation assigns shape.Peers peers to users uniformly and to torrents
// by a Zipf law over torrent index (torrent 0 has the biggest swarm). nonce
// goes into every peer_id, so two populations with different nonces never
// share a peer.
func NewPopulation(users []User, torrents []Torrent, shape Shape, nonce uint16) (*Population, error) {
	if len(users) == 0 || len(torrents) == 0 || shape.Peers <= 0 {
		return nil, fmt.Errorf("loadgen: need at least one user, one torrent and one peer (got %d, %d, %d)", len(users), len(torrents), shape.Peers)
	}
	if shape.Peers > 1<<32-1 {
		return nil, fmt.Errorf("loadgen: at most %d peers", uint64(1<<32-1))
	}
	r := rand.New(rand.NewPCG(shape.Seed, 0x5eed))
	z := NewZipf(len(torrents), shape.Skew)
	peers := make([]Peer, shape.Peers)
	perPair := map[[2]uint32]uint8{} // (user, torrent) → peers
	for i := range peers {
		t := z.Sample(r)
		user := uint32(r.IntN(len(users)))
		// A user runs at most MaxPeersPerUserTorrent clients on a torrent, as
		// the tracker allows: draw another user for a pair that has them.
		for try := 0; perPair[[2]uint32{user, uint32(t)}] >= MaxPeersPerUserTorrent && try < 64; try++ {
			user = uint32(r.IntN(len(users)))
		}
		perPair[[2]uint32{user, uint32(t)}]++
		p := Peer{User: user, Torrent: uint32(t), Port: uint16(10000 + r.IntN(50000)), Client: uint8(r.IntN(len(clients)))}
		if r.Float64() >= shape.SeedFraction {
			size := uint64(torrents[t].Size)
			p.Left = size/10 + r.Uint64N(size-size/10+1)
		}
		peers[i] = p
	}
	return &Population{Users: users, Torrents: torrents, Peers: peers, Shape: shape, nonce: nonce}, nil
}

// Clone copies the population with its peers' current state.
func (p *Population) Clone() *Population {
	c := *p
	c.Peers = append([]Peer(nil), p.Peers...)
	return &c
}

// SwarmSizes counts peers per torrent, for reports and tests.
func (p *Population) SwarmSizes() []int {
	n := make([]int, len(p.Torrents))
	for i := range p.Peers {
		n[p.Peers[i].Torrent]++
	}
	return n
}

// Event is an announce's event parameter.
type Event uint8

const (
	EventNone Event = iota
	EventStarted
	EventCompleted
	EventStopped
	eventCount
)

var eventNames = [eventCount]string{"none", "started", "completed", "stopped"}

func (e Event) String() string { return eventNames[e] }

// advance moves p to its next announce and returns the event to send. size
// is the torrent's size; r decides uploads and stops.
func (p *Peer) advance(r *rand.Rand, size uint64, stopRate float64) Event {
	if !p.active {
		p.active = true
		p.Uploaded, p.Downloaded = 0, 0
		return EventStarted
	}
	if r.Float64() < stopRate {
		p.active = false
		return EventStopped
	}
	p.Uploaded += r.Uint64N(size/16 + 1)
	if p.Left == 0 {
		return EventNone
	}
	d := min(p.Left, size/4+1)
	p.Downloaded += d
	p.Left -= d
	if p.Left == 0 {
		return EventCompleted
	}
	return EventNone
}
