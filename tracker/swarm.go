package tracker

// swarm is the peers of one torrent. Invariants:
//   - peers[:nDown] are downloading, peers[nDown:] are not (seeders and
//     paused peers), so a seeder's sample is drawn from peers[:nDown] only;
//   - (user, id) is unique among peers;
//   - index is nil while the swarm is small (it is scanned), otherwise an
//     open-addressing table (linear probing, power-of-two size, at most 3/4
//     full) of pos+1 for every peer, 0 marking an empty slot;
//   - nSeed counts the peers with left == 0.
//
// A swarm is guarded by its shard's mutex.
type swarm struct {
	peers []peer
	index []int32
	nDown int32
	nSeed int32
}

// Index thresholds: a swarm gets an index above indexAbove peers and loses it
// below indexBelow (hysteresis, so a swarm at the edge does not flap).
const (
	indexAbove = 24
	indexBelow = 12
)

// find returns the position of the peer (user, id), or -1.
func (s *swarm) find(user uint32, id *[20]byte) int {
	if s.index == nil {
		for i := range s.peers {
			if p := &s.peers[i]; p.user == user && p.id == *id {
				return i
			}
		}
		return -1
	}
	mask := uint64(len(s.index) - 1)
	for i := peerHash(user, id) & mask; ; i = (i + 1) & mask {
		v := s.index[i]
		if v == 0 {
			return -1
		}
		if p := &s.peers[v-1]; p.user == user && p.id == *id {
			return int(v - 1)
		}
	}
}

// add inserts p, which must not be in the swarm yet, and returns its position.
func (s *swarm) add(p peer) int {
	s.grow()
	pos := len(s.peers)
	s.peers = append(s.peers, p)
	if p.seeder() {
		s.nSeed++
	}
	if s.index != nil {
		s.indexInsert(pos)
		if len(s.peers)*4 > len(s.index)*3 {
			s.rebuildIndex()
		}
	} else if len(s.peers) > indexAbove {
		s.rebuildIndex()
	}
	if p.downloading() {
		if pos != int(s.nDown) {
			s.swap(pos, int(s.nDown))
			pos = int(s.nDown)
		}
		s.nDown++
	}
	return pos
}

// grow makes room for one more peer. Growth is by an eighth (at least a few
// peers), not doubling, to keep the slack per peer small in big swarms.
func (s *swarm) grow() {
	n := len(s.peers)
	if n < cap(s.peers) {
		return
	}
	c := n + max(n/8, 2)
	if n == 0 {
		c = 1
	}
	grown := make([]peer, n, c)
	copy(grown, s.peers)
	s.peers = grown
}

// update replaces the peer at pos with p (the same key) and returns its
// position, which moves when p starts or stops downloading.
func (s *swarm) update(pos int, p peer) int {
	old := &s.peers[pos]
	if old.seeder() != p.seeder() {
		if p.seeder() {
			s.nSeed++
		} else {
			s.nSeed--
		}
	}
	was := old.downloading()
	*old = p
	switch now := p.downloading(); {
	case was && !now:
		last := int(s.nDown) - 1
		s.swap(pos, last)
		s.nDown--
		return last
	case !was && now:
		first := int(s.nDown)
		s.swap(pos, first)
		s.nDown++
		return first
	}
	return pos
}

// remove deletes the peer at pos. Peers after pos may move into the freed
// places; peers before pos stay where they are.
func (s *swarm) remove(pos int) {
	p := &s.peers[pos]
	if p.seeder() {
		s.nSeed--
	}
	if s.index != nil {
		s.indexDelete(s.slotOf(pos))
	}
	last := len(s.peers) - 1
	if pos < int(s.nDown) {
		lastDown := int(s.nDown) - 1
		s.move(lastDown, pos)
		s.move(last, lastDown)
		s.nDown--
	} else {
		s.move(last, pos)
	}
	s.peers[last] = peer{}
	s.peers = s.peers[:last]
	s.shrink()
}

// shrink gives back memory after many removals and drops the index of a
// swarm that became small.
func (s *swarm) shrink() {
	n := len(s.peers)
	if n == 0 {
		s.peers, s.index = nil, nil
		return
	}
	if cap(s.peers) > 16 && n < cap(s.peers)/4 {
		s.peers = append(make([]peer, 0, n+n/4+1), s.peers...)
	}
	if s.index != nil && (n < indexBelow || n*8 < len(s.index) && len(s.index) > 64) {
		s.rebuildIndex()
	}
}

// move puts the peer at from into to, whose previous peer was already taken
// out of the index. A move onto itself does nothing.
func (s *swarm) move(from, to int) {
	if from == to {
		return
	}
	if s.index != nil {
		s.index[s.slotOf(from)] = int32(to + 1)
	}
	s.peers[to] = s.peers[from]
}

// swap exchanges the peers at i and j.
func (s *swarm) swap(i, j int) {
	if i == j {
		return
	}
	if s.index != nil {
		si, sj := s.slotOf(i), s.slotOf(j)
		s.index[si], s.index[sj] = int32(j+1), int32(i+1)
	}
	s.peers[i], s.peers[j] = s.peers[j], s.peers[i]
}
