package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/djembe/djembe/domain"
)

// Step is the announce interval the simulated clients keep: the
// tracker's default interval.
const Step = 30 * time.Minute

// Plan is what the simulation plays out: the people, the catalog, who
// uploaded each torrent and its factors, and the weeks [Start, End).
type Plan struct {
	People   []Person
	Items    []Item
	Uploader []int            // per item: its uploader's index in People
	Factors  []domain.Factors // per item
	Start    time.Time
	End      time.Time
	// Arrive is, per item of a series (Item.Series), when its uploader
	// begins to seed it, in the series' order; zero for the other items,
	// whose moment the simulation draws.
	Arrive []time.Time
}

// SimAnnounce is one announce of the history: the tracker's decision
// (without the user's id and the info hash, which registration gives) and
// whose it is.
type SimAnnounce struct {
	User, Item int
	domain.Announce
}

// LivePeer is a session to start on the running tracker at the end, so
// that the torrent pages show peers now.
type LivePeer struct {
	User, Item int
	Left       uint64
}

// Result is the simulated history, in time order, with the totals the
// tracker's decisions give each user.
type Result struct {
	Announces []SimAnnounce
	Live      []LivePeer
	Up, Down  []uint64 // credited, per person
	Snatches  int
	Capped    int // announces credited less than claimed
}

// session is one peer session of the simulation.
type session struct {
	user     int
	peerID   [20]byte
	size     float64
	start    int64 // ms: its "started"
	stop     int64 // ms: its "stopped"; open until decided
	seedFor  int64 // ms it seeds once complete
	abandon  int64 // ms: a leecher not complete by then gives up
	complete bool
	doneAt   int64 // ms it completed (a leecher)
	seeder   bool  // began complete (the uploader)
	down, up float64
	amts     []amount
}

const open = math.MaxInt64

// amount is what a session moved in one step: the download spread evenly
// over the step's first downEnd, the upload over its first upEnd.
type amount struct {
	s              int
	down, up       float64
	downEnd, upEnd float64
}

type sim struct {
	rng   *rand.Rand
	plan  Plan
	t0    int64 // ms of step 0
	close int   // the first step not simulated: sessions still open stop after it
	res   Result
}

func (m *sim) at(s int) int64 { return m.t0 + int64(s)*Step.Milliseconds() }

// Simulate plays out the plan's weeks: the torrents' popularity, who
// downloads what and when, at what rates, how long they seed, and every
// announce their clients make, decided as the tracker decides them
// (domain.CreditAnnounce, SeedTime, snatches). Every session ends with
// "stopped" before End; Live names a few sessions to start afresh at the
// end.
func Simulate(rng *rand.Rand, p Plan) Result {
	m := &sim{rng: rng, plan: p, t0: p.Start.UnixMilli()}
	m.close = int(p.End.Add(-3*time.Hour).Sub(p.Start) / Step)
	m.res.Up, m.res.Down = make([]uint64, len(p.People)), make([]uint64, len(p.People))
	rank := rng.Perm(len(p.Items))
	byRank := make([]int, len(p.Items))
	for item, r := range rank {
		byRank[r] = item
	}
	lastSeeding := map[int]int{} // item: a user seeding it when the weeks ended
	main, series := rng, rand.New(rand.NewPCG(rng.Uint64(), streamSeries))
	for r, item := range byRank {
		m.rng = main
		if p.Items[item].Series != "" {
			m.rng = series // a series' draws leave the others' history as it is
		}
		sessions := m.sessions(item, r)
		if len(sessions) == 0 {
			continue
		}
		m.transfer(sessions)
		for _, ses := range sessions {
			if ses.stop > m.at(m.close) && (ses.complete || ses.seeder) {
				lastSeeding[item] = ses.user
			}
		}
		m.replay(item, sessions)
	}
	m.rng = main
	slices.SortStableFunc(m.res.Announces, func(a, b SimAnnounce) int {
		return int(min(max(a.TimeMillis-b.TimeMillis, -1), 1))
	})
	m.res.Live = m.live(byRank, lastSeeding)
	return m.res
}

// sessions decides who takes part in item's swarm (popularity rank r):
// its uploader from a random moment of the weeks, and leechers arriving
// after, each with how long they seed and when they would give up.
func (m *sim) sessions(item, r int) []*session {
	p, rng := m.plan, m.rng
	it := p.Items[item]
	want := int(11/(1+float64(r)/7) + rng.Float64())
	if it.Leechers > 0 {
		want = it.Leechers
	}
	span := p.End.Sub(p.Start).Milliseconds()
	day := (24 * time.Hour).Milliseconds()
	t0 := m.t0 + rng.Int64N(span-3*day)
	if item < len(p.Arrive) && !p.Arrive[item].IsZero() {
		t0 = p.Arrive[item].UnixMilli()
	}
	var leechers []*session
	chosen := map[int]bool{p.Uploader[item]: true}
	for range want {
		u := m.chooseLeecher(it, r, chosen)
		if u < 0 {
			break
		}
		chosen[u] = true
		pe := p.People[u]
		mean := 1.5 * float64(day)
		if pe.Early {
			mean = float64(3 * time.Hour / time.Millisecond)
		}
		arrive := t0 + int64(rng.ExpFloat64()*mean) + rng.Int64N(Step.Milliseconds())
		if arrive > m.at(m.close)-3*Step.Milliseconds() || (pe.ActiveUntil > 0 && arrive > m.t0+int64(pe.ActiveUntil*float64(span))) {
			continue
		}
		leechers = append(leechers, &session{user: u, size: float64(it.Size), start: arrive, stop: open,
			seedFor: int64(pe.SeedMin/time.Millisecond) + rng.Int64N(int64((pe.SeedMax-pe.SeedMin)/time.Millisecond)+1),
			abandon: arrive + 12*int64(time.Hour/time.Millisecond) + rng.Int64N(day)})
	}
	if len(leechers) == 0 {
		return nil
	}
	slices.SortFunc(leechers, func(a, b *session) int { return int(min(max(a.start-b.start, -1), 1)) })
	up := &session{user: p.Uploader[item], size: float64(it.Size), start: t0, seeder: true, complete: true,
		stop: t0 + 2*day + rng.Int64N(3*day)}
	if len(leechers) > 1 {
		up.stop = max(up.stop, leechers[1].start+day/2)
	}
	out := append([]*session{up}, leechers...)
	for _, s := range out {
		m.peerID(s)
	}
	return out
}

// chooseLeecher picks a user not yet chosen for item (popularity rank r),
// weighed by appetite, taste and, for the early, by popularity; -1 when
// nobody is left.
func (m *sim) chooseLeecher(it Item, r int, chosen map[int]bool) int {
	weights := make([]float64, len(m.plan.People))
	total := 0.0
	for u, pe := range m.plan.People {
		if chosen[u] || pe.Idle {
			continue
		}
		w := pe.Appetite
		if t, ok := pe.Taste[it.Category]; ok {
			w *= t
		}
		if pe.BigTaste {
			w *= 0.3 + float64(it.Size)/float64(8*GiB)
		}
		if pe.Early { // a seedbox grabs what is popular, and small before large
			w *= (0.2 + 4*b2f(r < 40)) / (0.5 + float64(it.Size)/float64(2*GiB))
		}
		weights[u], total = w, total+w
	}
	if total <= 0 {
		return -1
	}
	x := m.rng.Float64() * total
	for u, w := range weights {
		if x -= w; w > 0 && x < 0 {
			return u
		}
	}
	return -1
}

var peerChars = []byte("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

// peerID gives s a peer_id of its user's client: the client's prefix and
// twelve random characters.
func (m *sim) peerID(s *session) {
	n := copy(s.peerID[:], m.plan.People[s.user].Client)
	for i := n; i < len(s.peerID); i++ {
		s.peerID[i] = peerChars[m.rng.IntN(len(peerChars))]
	}
}

// active reports whether s is in the swarm for the whole of step st.
func (m *sim) active(s *session, st int) bool {
	return s.start < m.at(st) && s.stop >= m.at(st+1)
}

// transfer moves data between the sessions step by step: each leecher
// downloads as fast as it can and its swarm's sources (seeders, and
// leechers with some of the torrent) can give, the sources' upload is
// what the other users' leechers downloaded, and a leecher completes,
// seeds for its time and stops, or gives up. Sessions still open after
// the last step stop within the last hours.
func (m *sim) transfer(ss []*session) {
	stepMs := Step.Milliseconds()
	first := int((ss[0].start-m.t0)/stepMs) + 1
	for st := first; st < m.close; st++ {
		end, busy := m.at(st+1), false
		for _, s := range ss {
			if !s.complete && s.stop == open && s.abandon < end && s.start < end {
				s.stop = max(s.abandon, m.at(st))
			}
			busy = busy || s.stop >= end
		}
		if !busy {
			break
		}
		m.step(ss, st)
	}
	last := m.at(m.close)
	for _, s := range ss {
		if s.stop > last {
			s.stop = last + m.rng.Int64N(int64((3*time.Hour-5*time.Minute)/time.Millisecond))
		}
	}
}

// step moves one step's data.
func (m *sim) step(ss []*session, st int) {
	secs := Step.Seconds()
	var leechers []*session
	caps := map[*session]float64{}
	total, want := 0.0, 0.0
	for _, s := range ss {
		if !m.active(s, st) {
			continue
		}
		pe := m.plan.People[s.user]
		switch {
		case s.complete:
			caps[s] = pe.Up * secs
		case s.down >= 0.15*s.size:
			caps[s] = 0.3 * pe.Up * secs
		}
		total += caps[s]
		if !s.complete {
			leechers = append(leechers, s)
			want += min(pe.Down*secs, s.size-s.down)
		}
	}
	if len(leechers) == 0 || total == 0 {
		return
	}
	f := min(1, total/want)
	got := map[*session]*amount{}
	amt := func(s *session) *amount {
		if got[s] == nil {
			got[s] = &amount{s: st}
		}
		return got[s]
	}
	for _, l := range leechers {
		avail := total - caps[l]
		d := min(m.plan.People[l.user].Down*secs*f, avail)
		if d <= 0 {
			continue
		}
		frac := 1.0
		if rem := l.size - l.down; d >= rem {
			frac, d = rem/d, rem
			l.complete, l.doneAt = true, m.at(st)+int64(frac*float64(Step.Milliseconds()))
			l.stop = max(l.doneAt+l.seedFor, m.at(st+1)+int64(time.Minute/time.Millisecond))
		}
		a := amt(l)
		a.down, a.downEnd = d, frac
		l.down += d
		for src, c := range caps {
			if src == l || c == 0 {
				continue
			}
			sa := amt(src)
			sa.up += d * c / avail
			sa.upEnd = max(sa.upEnd, frac)
		}
	}
	for s, a := range got {
		s.up += a.up
		s.amts = append(s.amts, *a)
	}
}

// counters are what s's client reports at t (ms): its cumulative upload
// and download, each step's amounts spread evenly over their part of it.
func (m *sim) counters(s *session, t int64) (up, down float64) {
	stepMs := float64(Step.Milliseconds())
	for _, a := range s.amts {
		begin := m.at(a.s)
		if t <= begin {
			break
		}
		part := func(end float64) float64 {
			if end <= 0 {
				return 1
			}
			return min(1, float64(t-begin)/(end*stepMs))
		}
		up += a.up * part(a.upEnd)
		down += a.down * part(a.downEnd)
	}
	return up, down
}

// times are when s's client announces: started, every interval (a
// minute either way), completed when it completes, and stopped.
func (m *sim) times(s *session) []int64 {
	out := []int64{s.start}
	jitter := func() int64 { return Step.Milliseconds() + m.rng.Int64N(120_001) - 60_000 }
	done := s.seeder || !s.complete
	for t := s.start + jitter(); ; t += jitter() {
		if !done && s.doneAt <= t && s.doneAt < s.stop {
			out, t, done = append(out, s.doneAt), s.doneAt, true
			continue
		}
		if t >= s.stop-time.Minute.Milliseconds() {
			break
		}
		out = append(out, t)
	}
	if !done && s.doneAt < s.stop {
		out = append(out, s.doneAt)
	}
	return append(out, s.stop)
}

// planned is one announce of a session before the tracker decides it.
type planned struct {
	s     *session
	t     int64
	event domain.AnnounceEvent
	cur   domain.Counters
	left  uint64
}

// replay has the item's announces decided as the tracker decides them,
// in time order, and appends them to the result.
func (m *sim) replay(item int, ss []*session) {
	size := uint64(m.plan.Items[item].Size)
	var all []planned
	for _, s := range ss {
		ts := m.times(s)
		for i, t := range ts {
			up, down := m.counters(s, t)
			up += m.plan.People[s.user].FakeUp * float64(t-s.start) / 1000
			pl := planned{s: s, t: t, cur: domain.Counters{Uploaded: uint64(up)}}
			switch {
			case s.seeder:
			case s.complete && t >= s.doneAt:
				pl.cur.Downloaded = size
			default:
				pl.cur.Downloaded = min(uint64(down), size-1)
				pl.left = size - pl.cur.Downloaded
			}
			switch {
			case i == 0:
				pl.event = domain.EventStarted
			case i == len(ts)-1:
				pl.event = domain.EventStopped
			case !s.seeder && s.complete && t == s.doneAt:
				pl.event = domain.EventCompleted
			}
			all = append(all, pl)
		}
	}
	slices.SortStableFunc(all, func(a, b planned) int { return int(min(max(a.t-b.t, -1), 1)) })
	sw := newSwarm(size, m.plan.Factors[item])
	for _, pl := range all {
		a := sw.decide(pl)
		m.res.Announces = append(m.res.Announces, SimAnnounce{User: pl.s.user, Item: item, Announce: a})
		m.res.Up[pl.s.user] += a.CreditedUp
		m.res.Down[pl.s.user] += a.CreditedDown
		if a.Snatch {
			m.res.Snatches++
		}
		if a.Caps != 0 {
			m.res.Capped++
		}
	}
}

// live picks sessions to start on the running tracker, so browse and the
// torrent pages show a living site, as a private tracker's are: a seeder
// of each torrent someone was seeding at the end, and of about four in
// five of the others their uploader (unless disabled or idle), back to
// seed; up to 8 leechers of popular torrents they have not taken; and the
// seeders plugins name (Item.Seeders) of their items, which get no others.
func (m *sim) live(byRank []int, seeding map[int]int) []LivePeer {
	var out []LivePeer
	for _, item := range byRank {
		if m.plan.Items[item].Seeders != nil {
			continue
		}
		u, ok := seeding[item]
		if up := m.plan.People[m.plan.Uploader[item]]; !ok && up.Disabled == "" && !up.Idle && m.rng.IntN(5) > 0 {
			u, ok = m.plan.Uploader[item], true
		}
		if ok {
			out = append(out, LivePeer{User: u, Item: item})
		}
	}
	took := map[[2]int]bool{}
	for _, a := range m.res.Announces {
		took[[2]int{a.User, a.Item}] = true
	}
	leechers := 0
	for _, item := range byRank[:min(30, len(byRank))] {
		if m.plan.Items[item].Seeders != nil {
			continue
		}
		for u, pe := range m.plan.People {
			if leechers == 8 || pe.Idle || pe.Disabled != "" || pe.BigTaste || pe.Staff || took[[2]int{u, item}] {
				continue
			}
			size := m.plan.Items[item].Size
			out = append(out, LivePeer{User: u, Item: item, Left: uint64(size - size*int64(20+m.rng.IntN(60))/100)})
			leechers++
			break
		}
	}
	return append(out, m.namedSeeders()...)
}

// namedSeeders are the live seeders plugins name for their items, in the
// items' order; a name of nobody in People is skipped.
func (m *sim) namedSeeders() []LivePeer {
	var out []LivePeer
	for item, it := range m.plan.Items {
		for _, name := range it.Seeders {
			if u := PersonNamed(m.plan.People, name); u >= 0 {
				out = append(out, LivePeer{User: u, Item: item})
			}
		}
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
