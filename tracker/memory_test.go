package tracker

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
)

// memoryLayout is how a memory measurement spreads its peers.
type memoryLayout struct {
	name     string
	torrents int
	skew     float64 // Zipf exponent; 0: uniform over the torrents
}

var memoryLayouts = []memoryLayout{
	{"zipf-20k-torrents", 20_000, 1.1},    // a few big swarms, many small
	{"uniform-200k-torrents", 200_000, 0}, // every swarm about 5 peers: the per-swarm overhead counts most
}

// measurePeerMemory registers users and torrents, then brings nPeers peers
// in through the announce decision path (a tenth of them leechers) and
// returns the heap growth per peer, and the bytes the swarms report for
// their peers. Registries made before the first peer are not counted, the
// swarms' and torrents' growth is.
func measurePeerMemory(tb testing.TB, nPeers int, layout memoryLayout) (heapPerPeer, swarmPerPeer float64) {
	tr := New(Config{Interval: time.Hour, MaxPeersPerTorrent: 1 << 20}, nil) // random users: a hot swarm may get several of one
	const nUsers = 100_000
	users := make([]userState, nUsers)
	for i := range users {
		id := uuid.New()
		tr.users.register(id, domain.Passkey(fmt.Sprintf("%032x", i)))
		users[i], _ = tr.users.lookup(fmt.Sprintf("%032x", i))
	}
	hashes := make([]domain.InfoHash, layout.torrents)
	for i := range hashes {
		hashes[i] = randomHash()
		tr.swarms.register(hashes[i], domain.NormalFactors, 1<<30)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	pick := func() int { return rng.IntN(layout.torrents) }
	if layout.skew > 0 {
		z := rand.NewZipf(rng, layout.skew, 1, uint64(layout.torrents-1))
		pick = func() int { return int(z.Uint64()) }
	}
	before := heapInUse()
	st := newReqState(50)
	now := time.Now()
	for i := range nPeers {
		st.ann = announceRequest{infoHash: hashes[pick()], peerID: peerID("-LT2080-"), port: uint16(i), numwant: 50}
		if i%10 == 0 {
			st.ann.left = 1 << 30
		}
		addr := [16]byte{10: 0xff, 11: 0xff, 12: 10, 13: byte(i >> 16), 14: byte(i >> 8), 15: byte(i)}
		if err := tr.decide(st, users[rng.IntN(nUsers)], addr, now); err != nil {
			tb.Fatal(err)
		}
		if i%100_000 == 0 {
			tr.discardPending()
		}
	}
	tr.discardPending()
	for i := range tr.swarms.shards { // what a quiet period leaves: no queued announces
		tr.swarms.shards[i].pending = nil
	}
	after := heapInUse()
	s := tr.Stats()
	if s.Peers != nPeers {
		tb.Fatalf("%d peers in the swarms, want %d", s.Peers, nPeers)
	}
	runtime.KeepAlive(tr)
	return float64(after-before) / float64(nPeers), float64(s.PeerBytes) / float64(nPeers)
}

func heapInUse() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestMemoryPerPeer logs the memory per active peer with 1M peers. The
// goal is at most 100 bytes; this reports the number and fails only far
// beyond it (a regression of the peer layout), never on time.
func TestMemoryPerPeer(t *testing.T) {
	if testenv.Short() {
		t.Skip("1M peers: skipped with -short")
	}
	if raceEnabled {
		t.Skip("the race detector changes what an allocation costs: measured in the unit run, without it")
	}
	for _, l := range memoryLayouts {
		t.Run(l.name, func(t *testing.T) {
			heap, swarm := measurePeerMemory(t, 1_000_000, l)
			t.Logf("1M peers, %s: %.1f bytes per peer on the heap (swarm slices and indexes alone %.1f; a peer is %d bytes)",
				l.name, heap, swarm, PeerSize)
			if heap > 200 {
				t.Errorf("%.1f bytes per peer", heap)
			}
		})
	}
}

// BenchmarkMemoryPerPeer reports bytes/peer for 1M peers as a metric.
func BenchmarkMemoryPerPeer(b *testing.B) {
	for _, l := range memoryLayouts {
		b.Run(l.name, func(b *testing.B) {
			var heap, swarm float64
			for b.Loop() {
				heap, swarm = measurePeerMemory(b, 1_000_000, l)
			}
			b.ReportMetric(heap, "heap-bytes/peer")
			b.ReportMetric(swarm, "swarm-bytes/peer")
		})
	}
}
