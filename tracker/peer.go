package tracker

import (
	"encoding/binary"
	"net/netip"

	"github.com/djembe/djembe/domain"
)

// peer is one member of a swarm. It is 72 bytes and holds no pointers, so a
// swarm's peer slice is one allocation the garbage collector never scans.
// The user is an index into the user registry; seen is in clock ticks.
//
// uploaded and downloaded are the cumulative counters of the peer's current
// session as last reported: the next announce is credited the difference.
type peer struct {
	uploaded   uint64
	downloaded uint64
	left       uint64
	id         [20]byte // peer_id
	addr       [16]byte // IPv4 in the v4-mapped form
	user       uint32
	seen       uint32 // clock ticks of the last accepted announce
	port       uint16
	burst      uint8 // accepted announces in a row inside min interval
	flags      uint8
}

// Peer flags.
const (
	flagPaused  = 1 << iota // BEP 21: the peer downloads nothing more
	flagRemote              // learned from another node's batches; that node records its reap
	flagLeeched             // the session began with something left and has not reported left = 0 since
)

// leeching is whether a peer's session is still one that began with
// something left (flagLeeched) after an announce reporting left: a new
// session is one when it begins with left > 0; a session stops being one
// when it reports left = 0, which is its completion (its snatch).
func leeching(was, newSession bool, left uint64) bool {
	if newSession {
		was = left > 0
	}
	return was && left > 0
}

// completes is whether an announce reporting left completes its session's
// download: the session began with something left (was, and the announce
// continues it) and now reports nothing left, whatever event the client
// sent. A session that began complete never does.
func completes(was, newSession bool, left uint64) bool { return was && !newSession && left == 0 }

// downloading reports whether the peer wants data: it is sent seeders, and
// it is sent to seeders.
func (p *peer) downloading() bool { return p.left > 0 && p.flags&flagPaused == 0 }

// seeder reports whether the peer has the whole torrent.
func (p *peer) seeder() bool { return p.left == 0 }

// state is the peer's state in the read models' terms (it is in the swarm).
func (p *peer) state() domain.PeerState {
	if p.seeder() {
		return domain.PeerSeeder
	}
	return domain.PeerLeecher
}

// v4prefix starts an IPv4-mapped IPv6 address.
var v4prefix = [12]byte{10: 0xff, 11: 0xff}

// isV4 reports whether addr is an IPv4 address in the v4-mapped form.
func isV4(addr *[16]byte) bool { return [12]byte(addr[:12]) == v4prefix }

// addrOf is the netip form of a stored address (unmapped for IPv4).
func addrOf(addr [16]byte) netip.Addr { return netip.AddrFrom16(addr).Unmap() }

// peerHash spreads a peer's key (user, peer_id) over a uint64. The tail of a
// peer_id is its random part; the head is the client's name.
func peerHash(user uint32, id *[20]byte) uint64 {
	a := binary.LittleEndian.Uint64(id[12:20])
	b := binary.LittleEndian.Uint64(id[4:12])
	h := (a ^ uint64(user)<<29 ^ b*0x9e3779b97f4a7c15) * 0xff51afd7ed558ccd
	return h ^ h>>31
}
