package tracker

import (
	"math/rand/v2"
	"testing"
)

type peerKey struct {
	user uint32
	id   [20]byte
}

// TestSwarmAgainstMap drives a swarm through random adds, updates and
// removals, growing it past the index threshold and shrinking it back, and
// checks every invariant against a plain map after each step.
func TestSwarmAgainstMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var s swarm
	ref := map[peerKey]peer{}
	var keys []peerKey
	randomPeer := func(k peerKey) peer {
		p := peer{user: k.user, id: k.id, port: uint16(rng.IntN(65535) + 1), seen: rng.Uint32()}
		switch rng.IntN(3) {
		case 0:
			p.left = 0
		case 1:
			p.left = rng.Uint64N(1000) + 1
		case 2:
			p.left, p.flags = rng.Uint64N(1000)+1, flagPaused
		}
		return p
	}
	for step := range 20000 {
		phase := step / 2500 % 2 // grow, then shrink, then grow...
		op := rng.IntN(10)
		switch {
		case len(keys) == 0 || (phase == 0 && op < 5) || (phase == 1 && op < 2):
			k := peerKey{user: uint32(rng.IntN(50)), id: peerID("-LT2080-")}
			if rng.IntN(4) == 0 {
				k.id[19] = 0 // some ids that collide but for the user
			}
			if _, dup := ref[k]; dup {
				continue
			}
			p := randomPeer(k)
			s.add(p)
			ref[k] = p
			keys = append(keys, k)
		case op < 7:
			k := keys[rng.IntN(len(keys))]
			p := randomPeer(k)
			pos := s.find(k.user, &k.id)
			s.update(pos, p)
			ref[k] = p
		default:
			i := rng.IntN(len(keys))
			k := keys[i]
			s.remove(s.find(k.user, &k.id))
			delete(ref, k)
			keys[i] = keys[len(keys)-1]
			keys = keys[:len(keys)-1]
		}
		checkSwarm(t, &s, ref)
	}
}

func checkSwarm(t *testing.T, s *swarm, ref map[peerKey]peer) {
	t.Helper()
	if len(s.peers) != len(ref) {
		t.Fatalf("%d peers, want %d", len(s.peers), len(ref))
	}
	nSeed := 0
	for i := range s.peers {
		p := &s.peers[i]
		if p.downloading() != (i < int(s.nDown)) {
			t.Fatalf("peer %d downloading=%v but nDown=%d", i, p.downloading(), s.nDown)
		}
		if p.seeder() {
			nSeed++
		}
	}
	if nSeed != int(s.nSeed) {
		t.Fatalf("nSeed %d, counted %d", s.nSeed, nSeed)
	}
	for k, want := range ref {
		pos := s.find(k.user, &k.id)
		if pos < 0 || s.peers[pos] != want {
			t.Fatalf("find %v = %d", k, pos)
		}
	}
	if s.index != nil {
		seen := make([]bool, len(s.peers))
		used := 0
		for _, v := range s.index {
			if v == 0 {
				continue
			}
			used++
			if v < 0 || int(v) > len(s.peers) || seen[v-1] {
				t.Fatalf("index entry %d bad or repeated", v)
			}
			seen[v-1] = true
		}
		if used != len(s.peers) || used*4 > len(s.index)*3 {
			t.Fatalf("index holds %d of %d peers in %d slots", used, len(s.peers), len(s.index))
		}
	} else if len(s.peers) > indexAbove {
		t.Fatalf("no index for %d peers", len(s.peers))
	}
	other := [20]byte{1}
	if s.find(1<<31, &other) != -1 {
		t.Fatal("found a peer never added")
	}
}

func TestSampleRules(t *testing.T) {
	var s swarm
	for i := range 100 {
		p := peer{user: uint32(i % 10), id: peerID("-TR3000-"), port: uint16(1000 + i), left: uint64(i % 2)}
		s.add(p)
	}
	// A seeder of user 3 wants everything: it gets downloaders only, none of user 3.
	out := s.sample(nil, 3, true, 1000, 7)
	if len(out) != 40 {
		t.Fatalf("seeder got %d peers, want the 40 downloaders of other users", len(out))
	}
	for _, p := range out {
		i := int(p.port) - 1000
		if i%2 == 0 || i%10 == 3 {
			t.Fatalf("seeder got peer %d (seeder or own user)", i)
		}
	}
	// A downloader gets both kinds, capped by n, distinct.
	for start := range uint64(200) {
		out = s.sample(out[:0], 4, false, 30, start)
		if len(out) != 30 {
			t.Fatalf("got %d peers, want 30", len(out))
		}
		seen := map[uint16]bool{}
		for _, p := range out {
			if seen[p.port] || (int(p.port)-1000)%10 == 4 {
				t.Fatalf("repeated or own peer %d", p.port)
			}
			seen[p.port] = true
		}
	}
	if out := s.sample(nil, 4, false, 0, 1); len(out) != 0 {
		t.Fatal("numwant 0 got peers")
	}
}

// TestSampleSpread: over many samples every eligible peer is sent, about as
// often as the others (a statistical bound, fixed seed).
func TestSampleSpread(t *testing.T) {
	s := bigSwarm(1000)
	rng := rand.New(rand.NewPCG(7, 8))
	counts := map[uint32]int{}
	const samples = 4000
	var out []peerOut
	for range samples {
		out = s.sample(out[:0], 1<<30, false, 50, rng.Uint64())
		seen := map[uint16]bool{}
		for _, p := range out {
			if seen[p.port] {
				t.Fatalf("peer %d twice in one sample", p.port)
			}
			seen[p.port] = true
			counts[uint32(p.port)]++
		}
	}
	mean := float64(samples*50) / 1000
	for port := 1; port < 1000; port++ { // port 0 is never sent
		if c := counts[uint32(port)]; float64(c) < mean/2 || float64(c) > mean*2 {
			t.Errorf("peer %d sent %d times, mean %.0f", port, c, mean)
		}
	}
	for _, blocks := range []int{1, 2, 3, 4, 6, 12, 125, 128, 1000} {
		for r := range uint64(50) {
			if st := coprimeStride(blocks, r*977); st < 1 || (blocks > 1 && st >= blocks) || gcd(st, blocks) != 1 {
				t.Fatalf("stride %d for %d blocks", st, blocks)
			}
		}
	}
}
