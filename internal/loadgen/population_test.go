package loadgen

import (
	"math/rand/v2"
	"sort"
	"testing"
)

func TestPopulationSwarmsAreSkewed(t *testing.T) {
	var torrents []Torrent
	for i := range 1000 {
		torrents = append(torrents, NewTorrent(TorrentName(i), 1<<30, [20]byte{byte(i), byte(i >> 8)}))
	}
	pop, err := NewPopulation([]User{{"u", "k"}}, torrents, DefaultShape(100000), 1)
	if err != nil {
		t.Fatal(err)
	}
	sizes := pop.SwarmSizes()
	sort.Sort(sort.Reverse(sort.IntSlice(sizes)))
	if sizes[0] < 10000 || sizes[0] > 17000 { // 1/H(1000) ≈ 13.4%
		t.Errorf("biggest swarm %d of 100000 peers, want about 13400", sizes[0])
	}
	if median := sizes[len(sizes)/2]; median > 40 {
		t.Errorf("median swarm %d, want small (about 27)", median)
	}
	seeders := 0
	for _, p := range pop.Peers {
		if p.Left == 0 {
			seeders++
		}
	}
	if f := float64(seeders) / 100000; f < 0.68 || f > 0.72 {
		t.Errorf("seeder fraction %.3f, want 0.7", f)
	}
}

func TestPeerAdvance(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	const size = 1000
	p := Peer{Left: 600}
	if ev := p.advance(r, size, 0); ev != EventStarted || p.Uploaded != 0 || p.Downloaded != 0 {
		t.Fatalf("first announce: %v %+v", ev, p)
	}
	var last Peer
	var completed int
	for range 10 {
		last = p
		ev := p.advance(r, size, 0)
		if ev == EventCompleted {
			completed++
		}
		if ev == EventStarted || ev == EventStopped || p.Uploaded < last.Uploaded || p.Downloaded < last.Downloaded || p.Left > last.Left {
			t.Fatalf("an active session's counters only grow: %v %+v after %+v", ev, p, last)
		}
	}
	if completed != 1 || p.Left != 0 || p.Downloaded != 600 {
		t.Fatalf("completed %d times, left %d, downloaded %d", completed, p.Left, p.Downloaded)
	}
	if ev := p.advance(r, size, 1); ev != EventStopped {
		t.Fatalf("stop rate 1 must stop, got %v", ev)
	}
	if ev := p.advance(r, size, 1); ev != EventStarted || p.Uploaded != 0 || p.Downloaded != 0 {
		t.Fatalf("after a stop comes a new session from zero: %v %+v", ev, p)
	}
}

func TestPopulationKeepsTheTrackersPeersPerUserLimit(t *testing.T) {
	users := make([]User, 100) // room for the biggest swarm: 3 peers each
	torrents := []Torrent{{Size: 1 << 20}, {Size: 1 << 20}, {Size: 1 << 20}}
	pop, err := NewPopulation(users, torrents, DefaultShape(150), 1)
	if err != nil {
		t.Fatal(err)
	}
	perPair := map[[2]uint32]int{}
	for _, p := range pop.Peers {
		if perPair[[2]uint32{p.User, p.Torrent}]++; perPair[[2]uint32{p.User, p.Torrent}] > MaxPeersPerUserTorrent {
			t.Fatalf("user %d has more than %d peers on torrent %d", p.User, MaxPeersPerUserTorrent, p.Torrent)
		}
	}
}
