package tracker

import "math/bits"

// slotOf is the index slot that points at pos. The index must be present and
// hold pos.
func (s *swarm) slotOf(pos int) int {
	p := &s.peers[pos]
	mask := uint64(len(s.index) - 1)
	want := int32(pos + 1)
	for i := peerHash(p.user, &p.id) & mask; ; i = (i + 1) & mask {
		if s.index[i] == want {
			return int(i)
		}
	}
}

// indexInsert adds pos to the index, which has a free slot.
func (s *swarm) indexInsert(pos int) {
	p := &s.peers[pos]
	mask := uint64(len(s.index) - 1)
	i := peerHash(p.user, &p.id) & mask
	for s.index[i] != 0 {
		i = (i + 1) & mask
	}
	s.index[i] = int32(pos + 1)
}

// indexDelete empties slot and shifts back the entries after it whose probe
// sequence passed through it (linear-probing deletion without tombstones).
func (s *swarm) indexDelete(slot int) {
	mask := len(s.index) - 1
	hole := slot
	for i := (hole + 1) & mask; s.index[i] != 0; i = (i + 1) & mask {
		p := &s.peers[s.index[i]-1]
		home := int(peerHash(p.user, &p.id)) & mask
		// The entry at i may fill the hole if its home is not in (hole, i].
		if (i-home)&mask >= (i-hole)&mask {
			s.index[hole] = s.index[i]
			hole = i
		}
	}
	s.index[hole] = 0
}

// rebuildIndex sizes the index for the current peers (at most half full
// after a rebuild) or drops it for a small swarm.
func (s *swarm) rebuildIndex() {
	n := len(s.peers)
	if n < indexBelow {
		s.index = nil
		return
	}
	size := 1 << bits.Len(uint(n*2-1))
	if len(s.index) == size {
		clear(s.index)
	} else {
		s.index = make([]int32, size)
	}
	for pos := range s.peers {
		s.indexInsert(pos)
	}
}
