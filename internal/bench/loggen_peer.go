package bench

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/djembe/djembe/domain"
)

// loggenPeer is one simulated peer session and the counters it last reported.
type loggenPeer struct {
	user     domain.UserID
	torrent  domain.InfoHash
	peerID   [20]byte
	counters domain.Counters
	left     uint64
	seen     bool
	lastMs   int64 // time of its last announce
}

// loggenPeers makes n peer sessions of random users on torrents chosen with
// a Zipf skew (s=1.1), each with 1 GiB left to download.
func loggenPeers(rng *rand.Rand, n int, users []domain.UserID, hashes []domain.InfoHash) []loggenPeer {
	sim := make([]loggenPeer, n)
	zipf := rand.NewZipf(rng, 1.1, 1, uint64(len(hashes)-1))
	for i := range sim {
		sim[i] = loggenPeer{user: users[rng.IntN(len(users))], torrent: hashes[zipf.Uint64()], left: 1 << 30}
		binaryPeerID(&sim[i].peerID, i)
	}
	return sim
}

func binaryPeerID(dst *[20]byte, i int) {
	copy(dst[:], fmt.Sprintf("-LT2080-%012d", i))
}

// announce advances the peer's session and returns the announce the tracker
// would have published for it.
func (p *loggenPeer) announce(rng *rand.Rand, ms int64) domain.Announce {
	a := domain.Announce{TimeMillis: ms, InfoHash: p.torrent, UserID: p.user, PeerID: p.peerID}
	started := !p.seen
	if started {
		a.Event = domain.EventStarted
	}
	cur := domain.Counters{Uploaded: p.counters.Uploaded + uint64(rng.IntN(8<<20)), Downloaded: p.counters.Downloaded}
	if p.left > 0 {
		step := min(p.left, uint64(rng.IntN(64<<20)))
		cur.Downloaded += step
		p.left -= step
		if p.left == 0 {
			a.Event = domain.EventCompleted
		}
	}
	// Synthetic swarms are busy: a leecher of another user is always there.
	a.Credit = domain.CreditAnnounce(p.counters, p.seen, started, cur, domain.NormalFactors,
		domain.Bounds{Elapsed: time.Duration(ms-p.lastMs) * time.Millisecond, Leecher: true})
	a.Snatch = a.Event == domain.EventCompleted
	a.Uploaded, a.Downloaded, a.Left = cur.Uploaded, cur.Downloaded, p.left
	if p.seen {
		a.Prev = domain.PeerLeecher
		if a.Event != domain.EventCompleted && p.left == 0 {
			a.Prev = domain.PeerSeeder
		}
	}
	since := time.Duration(ms-p.lastMs) * time.Millisecond
	a.SeedMillis = uint64(domain.SeedTime(a.Prev, a.NewSession, a.Event, since).Milliseconds())
	p.counters, p.seen, p.lastMs = cur, true, ms
	return a
}
