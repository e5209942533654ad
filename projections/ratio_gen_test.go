package projections

import (
	"encoding/binary"
	"math/rand/v2"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/google/uuid"
)

// histGen generates a plausible announce history, deterministically from its
// seed, with the shape of a private tracker's log: a few big swarms and many
// small ones (Zipf popularity), peers that join as seeders or leechers,
// re-announce with growing counters, complete, stop, get reaped or restart
// their counters. Credit is decided as the tracker does (domain.CreditAnnounce
// with the torrent's factors).
type histGen struct {
	rng      *rand.Rand
	zipf     *rand.Zipf
	now      int64 // unix ms
	stepMs   int64 // mean time between announces
	users    []uuid.UUID
	torrents []*genTorrent
	active   []*genPeer
	peerSeq  uint64

	minActive int     // below this, peers join
	pJoin     float64 // chance an announce is a new peer
}

// peerKey names one peer: a user's client (peer_id) on a torrent.
type peerKey struct {
	hash domain.InfoHash
	user uuid.UUID
	peer [20]byte
}

type genTorrent struct {
	hash    domain.InfoHash
	size    uint64
	factors domain.Factors
	deleted bool
}

type genPeer struct {
	key            peerKey
	t              *genTorrent
	up, down, left uint64
	lastMs         int64 // time of its last announce
	pos            int   // index in active
}

// state is the peer's state while active.
func (p *genPeer) state() domain.PeerState {
	if p.left == 0 {
		return domain.PeerSeeder
	}
	return domain.PeerLeecher
}

// decided fills in what the tracker decides besides the credit: the
// peer's previous state and the seed time, and moves its last announce.
func (p *genPeer) decided(a *domain.Announce, prev domain.PeerState) {
	a.Prev, a.Snatch = prev, a.Event == domain.EventCompleted
	seed := domain.SeedTime(prev, a.NewSession, a.Event, time.Duration(a.TimeMillis-p.lastMs)*time.Millisecond)
	a.SeedMillis = uint64(seed.Milliseconds())
	p.lastMs = a.TimeMillis
}

// genBounds bound nothing: the generated swarms are busy and honest.
var genBounds = domain.Bounds{MaxRate: 1 << 62, Leecher: true}

// genEpoch is where generated time starts: 2026-01-01T00:00:00Z.
var genEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()

func newHistGen(seed uint64, users, torrents, minActive int, stepMs int64) *histGen {
	g := &histGen{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), now: genEpoch, stepMs: stepMs,
		minActive: minActive, pJoin: 0.08}
	g.zipf = rand.NewZipf(g.rng, 1.1, 4, uint64(torrents-1))
	for i := 0; i < users; i++ {
		var id uuid.UUID
		binary.BigEndian.PutUint64(id[:8], g.rng.Uint64())
		binary.BigEndian.PutUint64(id[8:], g.rng.Uint64())
		id[6], id[8] = id[6]&0x0f|0x40, id[8]&0x3f|0x80
		g.users = append(g.users, id)
	}
	for i := 0; i < torrents; i++ {
		t := &genTorrent{size: 1<<20 + g.rng.Uint64N(8<<30), factors: domain.NormalFactors}
		binary.BigEndian.PutUint64(t.hash[:], g.rng.Uint64())
		binary.BigEndian.PutUint64(t.hash[8:], g.rng.Uint64())
		binary.BigEndian.PutUint32(t.hash[16:], uint32(i))
		switch i % 10 {
		case 3:
			t.factors = domain.Factors{UploadPercent: 100, DownloadPercent: 0} // freeleech
		case 7:
			t.factors = domain.Factors{UploadPercent: 200, DownloadPercent: 100} // double upload
		}
		g.torrents = append(g.torrents, t)
	}
	return g
}

// registrations are the TorrentRegistered events of every torrent.
func (g *histGen) registrations() []domain.TorrentRegistered {
	out := make([]domain.TorrentRegistered, len(g.torrents))
	for i, t := range g.torrents {
		out[i] = domain.TorrentRegistered{InfoHash: t.hash, Name: "torrent " + t.hash.String()[:8], Size: int64(t.size),
			Uploader: g.users[i%len(g.users)], Factors: t.factors}
	}
	return out
}

// deleteTorrent deletes torrent i and reaps its active peers, as the
// tracker does, and returns the events: the deletion and a batch of reaps.
func (g *histGen) deleteTorrent(i int) []domain.Event {
	t := g.torrents[i]
	t.deleted = true
	reaps := &domain.AnnounceBatch{Node: "t1"}
	for j := 0; j < len(g.active); {
		if p := g.active[j]; p.t == t {
			reaps.Announces = append(reaps.Announces, domain.Announce{TimeMillis: g.now, InfoHash: t.hash, UserID: p.key.user,
				PeerID: p.key.peer, Event: domain.EventReaped, Uploaded: p.up, Downloaded: p.down, Left: p.left, Prev: p.state()})
			g.remove(p)
			continue
		}
		j++
	}
	evs := []domain.Event{domain.TorrentDeleted{InfoHash: t.hash, Reason: "test"}}
	if len(reaps.Announces) > 0 {
		evs = append(evs, reaps)
	}
	return evs
}

func (g *histGen) remove(p *genPeer) {
	last := g.active[len(g.active)-1]
	g.active[p.pos], last.pos = last, p.pos
	g.active = g.active[:len(g.active)-1]
}

// next returns the next announce.
func (g *histGen) next() domain.Announce {
	g.now += g.rng.Int64N(2*g.stepMs + 1)
	if len(g.active) < g.minActive || g.rng.Float64() < g.pJoin {
		if a, ok := g.join(); ok {
			return a
		}
	}
	p := g.active[g.rng.IntN(len(g.active))]
	a := domain.Announce{TimeMillis: g.now, InfoHash: p.key.hash, UserID: p.key.user, PeerID: p.key.peer}
	prev := domain.Counters{Uploaded: p.up, Downloaded: p.down}
	prevState := p.state()
	switch r := g.rng.Float64(); {
	case r < 0.03: // reaped: the tracker noticed the silence
		a.Event, a.Uploaded, a.Downloaded, a.Left = domain.EventReaped, p.up, p.down, p.left
		p.decided(&a, prevState)
		g.remove(p)
		return a
	case r < 0.04: // the client restarted its counters: a new session
		p.up, p.down = g.rng.Uint64N(1<<20), 0
		a.Uploaded, a.Downloaded, a.Left = p.up, p.down, p.left
		a.Credit = domain.CreditAnnounce(prev, true, false, domain.Counters{Uploaded: p.up, Downloaded: p.down}, p.t.factors, genBounds)
		p.decided(&a, prevState)
		return a
	}
	p.up += g.rng.Uint64N(64 << 20)
	if p.left > 0 {
		d := min(p.left, g.rng.Uint64N(p.t.size/3+1)+1)
		p.down += d
		p.left -= d
		if p.left == 0 {
			a.Event = domain.EventCompleted
		}
	}
	if a.Event == domain.EventNone && g.rng.Float64() < 0.05 {
		a.Event = domain.EventStopped
		g.remove(p)
	}
	a.Uploaded, a.Downloaded, a.Left = p.up, p.down, p.left
	a.Credit = domain.CreditAnnounce(prev, true, false, domain.Counters{Uploaded: p.up, Downloaded: p.down}, p.t.factors, genBounds)
	p.decided(&a, prevState)
	return a
}

func (g *histGen) join() (domain.Announce, bool) {
	var t *genTorrent
	for range 8 {
		if c := g.torrents[g.zipf.Uint64()]; !c.deleted {
			t = c
			break
		}
	}
	if t == nil {
		return domain.Announce{}, false
	}
	g.peerSeq++
	p := &genPeer{t: t, key: peerKey{hash: t.hash, user: g.users[g.rng.IntN(len(g.users))]}}
	copy(p.key.peer[:], "-qB4650-")
	binary.BigEndian.PutUint64(p.key.peer[12:], g.peerSeq)
	if g.rng.Float64() >= 0.3 {
		p.left = t.size
	}
	p.pos = len(g.active)
	g.active = append(g.active, p)
	a := domain.Announce{TimeMillis: g.now, InfoHash: t.hash, UserID: p.key.user, PeerID: p.key.peer,
		Event: domain.EventStarted, Left: p.left}
	a.Credit = domain.CreditAnnounce(domain.Counters{}, false, true, domain.Counters{}, t.factors, genBounds)
	p.decided(&a, domain.PeerAbsent)
	return a, true
}

// batch returns the next n announces as one batch.
func (g *histGen) batch(n int) *domain.AnnounceBatch {
	b := &domain.AnnounceBatch{Node: "t1", Announces: make([]domain.Announce, n)}
	for i := range b.Announces {
		b.Announces[i] = g.next()
	}
	return b
}

// activeCounts are what the generator's active peers add up to.
type activeCounts struct {
	seeding, leeching map[uuid.UUID]int       // per user
	seeders, leechers map[domain.InfoHash]int // per torrent
	pairs             map[pairKey]int         // active peers per user and torrent
}

func (g *histGen) activeCounts() activeCounts {
	c := activeCounts{map[uuid.UUID]int{}, map[uuid.UUID]int{}, map[domain.InfoHash]int{}, map[domain.InfoHash]int{}, map[pairKey]int{}}
	for _, p := range g.active {
		if p.left == 0 {
			c.seeding[p.key.user]++
			c.seeders[p.key.hash]++
		} else {
			c.leeching[p.key.user]++
			c.leechers[p.key.hash]++
		}
		c.pairs[pairKey{user: p.key.user, hash: p.key.hash}]++
	}
	return c
}

// record wraps an event as the log would deliver it, for calling Apply
// directly.
func record(seq uint64, e domain.Event, at time.Time) eventlog.Record {
	v, data, err := domain.Encode(e)
	if err != nil {
		panic(err)
	}
	subject, ok := domain.SubjectFor(e)
	if !ok {
		subject = domain.AnnounceSubject("t1")
	}
	return eventlog.Record{Seq: seq, Subject: subject, Data: data,
		Meta: domain.Meta{ID: uuid.New(), Type: e.EventType(), Version: v, Time: at}}
}
