package tracker

// peerOut is what a response says about a peer: copied out of the swarm
// under the shard lock so that encoding happens after it is released.
type peerOut struct {
	addr [16]byte
	id   [20]byte
	port uint16
}

// sample appends to out up to n peers that do not belong to user (so never
// the asking peer itself nor its user's other peers) and that have a port.
// With onlyDownloading (the asker is a seeder or paused) it draws only from
// the downloading peers. It reads a window of the swarm from a random start,
// wrapping around: O(n) for any swarm size, reading consecutive memory.
func (s *swarm) sample(out []peerOut, user uint32, onlyDownloading bool, n int, start uint64) []peerOut {
	m := len(s.peers)
	if onlyDownloading {
		m = int(s.nDown)
	}
	if m == 0 || n <= 0 {
		return out
	}
	i := int(start % uint64(m))
	for range m {
		if p := &s.peers[i]; p.user != user && p.port != 0 {
			out = append(out, peerOut{addr: p.addr, id: p.id, port: p.port})
			if n--; n == 0 {
				break
			}
		}
		if i++; i == m {
			i = 0
		}
	}
	return out
}
