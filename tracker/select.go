package tracker

// peerOut is what a response says about a peer: copied out of the swarm
// under the shard lock so that encoding happens after it is released.
type peerOut struct {
	addr [16]byte
	id   [20]byte
	port uint16
}

// sampleBlock is how many neighbouring peers a sample reads at once: enough
// to read memory in runs, few enough that a sample of 50 mixes 7 places.
const sampleBlock = 8

// sample appends to out up to n peers that do not belong to user (so never
// the asking peer itself nor its user's other peers) and that have a port.
// With onlyDownloading (the asker is a seeder or paused) it draws only from
// the downloading peers.
//
// The candidates are cut into blocks of sampleBlock peers, visited in the
// order start, start+stride, start+2*stride, ... (mod the number of
// blocks) with stride coprime to it: every block at most once, so no peer
// twice, in a random order given by rnd. The cost is O(n) for any swarm
// size, reading memory in short runs.
func (s *swarm) sample(out []peerOut, user uint32, onlyDownloading bool, n int, rnd uint64) []peerOut {
	m := len(s.peers)
	if onlyDownloading {
		m = int(s.nDown)
	}
	if m == 0 || n <= 0 {
		return out
	}
	blocks := (m + sampleBlock - 1) / sampleBlock
	b := int(rnd % uint64(blocks))
	stride := coprimeStride(blocks, rnd>>32)
	for range blocks {
		for i, end := b*sampleBlock, min(b*sampleBlock+sampleBlock, m); i < end; i++ {
			if p := &s.peers[i]; p.user != user && p.port != 0 {
				out = append(out, peerOut{addr: p.addr, id: p.id, port: p.port})
				if n--; n == 0 {
					return out
				}
			}
		}
		if b += stride; b >= blocks {
			b -= blocks
		}
	}
	return out
}

// coprimeStride picks a step in [1, blocks) coprime to blocks from rnd (1
// when blocks is small or no candidate tried is coprime).
func coprimeStride(blocks int, rnd uint64) int {
	if blocks < 3 {
		return 1
	}
	for range 4 {
		st := 1 + int(rnd%uint64(blocks-1))
		if gcd(st, blocks) == 1 {
			return st
		}
		rnd = rnd*6364136223846793005 + 1442695040888963407
	}
	return 1
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
