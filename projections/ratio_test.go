package projections

import (
	"bytes"
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

// annEnv is a real log and database with the ratio and swarm projectors
// following the log.
type annEnv struct {
	t    *testing.T
	ctx  context.Context
	log  *eventlog.Log
	pool *pgxpool.Pool
	prs  []*Projector
	last uint64
	// peers are the active peers as the tracker holds them: their state and
	// last announce time, for what the tracker decides (decide).
	peers map[peerKey]trackedPeer
}

type trackedPeer struct {
	state  domain.PeerState
	lastMs int64
}

func newAnnEnv(t *testing.T) *annEnv {
	t.Helper()
	log, pool := testenv.Log(t), testenv.DB(t)
	ctx, cancel := context.WithCancel(context.Background())
	e := &annEnv{t: t, ctx: ctx, log: log, pool: pool, peers: map[peerKey]trackedPeer{}}
	var dones []chan error
	t.Cleanup(func() {
		cancel()
		for _, d := range dones {
			if err := <-d; err != nil {
				t.Error(err)
			}
		}
	})
	for _, p := range []Projection{Ratio{}, Swarm{}} {
		pr := NewProjector(p, pool, log)
		done := make(chan error, 1)
		dones = append(dones, done)
		go func() { done <- pr.Run(ctx) }()
		select {
		case <-pr.Ready():
		case err := <-done:
			done <- nil // the cleanup waits for every projector
			t.Fatalf("projector %s: %v", p.Name(), err)
		case <-time.After(30 * time.Second):
			t.Fatalf("projector %s not ready", p.Name())
		}
		e.prs = append(e.prs, pr)
	}
	return e
}

func (e *annEnv) append(subject string, ev domain.Event, opts ...eventlog.AppendOption) {
	e.t.Helper()
	seq, err := e.log.Append(e.ctx, subject, ev, opts...)
	if err != nil {
		e.t.Fatal(err)
	}
	e.last = seq
}

// announce appends one announce batch holding anns, with what the tracker
// decides filled in (decide).
func (e *annEnv) announce(anns ...domain.Announce) {
	e.t.Helper()
	for i := range anns {
		e.decide(&anns[i])
	}
	e.append(domain.AnnounceSubject("t1"), &domain.AnnounceBatch{Node: "t1", Announces: anns})
}

// decide sets an announce's previous peer state, seed time and snatch (a
// "completed": the read models count one per user and torrent) as the
// tracker does, and keeps the peer's state.
func (e *annEnv) decide(a *domain.Announce) {
	k := peerKey{hash: a.InfoHash, user: a.UserID, peer: a.PeerID}
	prev := e.peers[k]
	a.Prev, a.Snatch = prev.state, a.Event == domain.EventCompleted
	since := time.Duration(a.TimeMillis-prev.lastMs) * time.Millisecond
	a.SeedMillis = uint64(domain.SeedTime(prev.state, a.NewSession, a.Event, since).Milliseconds())
	if next := a.StateAfter(); next.Active() {
		e.peers[k] = trackedPeer{state: next, lastMs: a.TimeMillis}
	} else {
		delete(e.peers, k)
	}
}

// deleteTorrent appends h's deletion and the reaps of its peers, as the
// tracker records them.
func (e *annEnv) deleteTorrent(h domain.InfoHash, atMinute float64) {
	e.t.Helper()
	e.append(domain.TorrentSubject(h), domain.TorrentDeleted{InfoHash: h})
	var reaps []domain.Announce
	for k := range e.peers {
		if k.hash == h {
			reaps = append(reaps, domain.Announce{TimeMillis: atMin(atMinute), InfoHash: h, UserID: k.user, PeerID: k.peer, Event: domain.EventReaped})
		}
	}
	slices.SortFunc(reaps, func(a, b domain.Announce) int { return bytes.Compare(a.PeerID[:], b.PeerID[:]) })
	if len(reaps) > 0 {
		e.announce(reaps...)
	}
}

// sync waits until every projector has applied the last appended event.
func (e *annEnv) sync() {
	e.t.Helper()
	testenv.Eventually(e.t, "projectors caught up", func() bool {
		for _, pr := range e.prs {
			if msg := pr.LastError(); msg != "" {
				e.t.Fatalf("projector %s: %s", pr.Projection().Name(), msg)
			}
			if pr.Applied() < e.last {
				return false
			}
		}
		return true
	})
}

func (e *annEnv) ratio(u uuid.UUID) RatioRow {
	e.t.Helper()
	r, err := UserRatio(e.ctx, e.pool, u)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *annEnv) userTorrent(u uuid.UUID, h domain.InfoHash) UserTorrentRow {
	e.t.Helper()
	r, err := UserTorrent(e.ctx, e.pool, u, h)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *annEnv) swarm(h domain.InfoHash) SwarmRow {
	e.t.Helper()
	r, err := TorrentSwarm(e.ctx, e.pool, h)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// Test fixtures: two users, three torrents, peers by name, times in minutes
// after genEpoch.
var (
	alice = uuid.MustParse("a11ce000-0000-4000-8000-000000000001")
	bob   = uuid.MustParse("b0b00000-0000-4000-8000-000000000002")
	h1    = domain.InfoHash{1, 1, 1}
	h2    = domain.InfoHash{2, 2, 2}
	h3    = domain.InfoHash{3, 3, 3}
)

func pid(s string) (p [20]byte) { copy(p[:], "-TEST0-"+s); return p }

func atMin(m float64) int64 { return genEpoch + int64(m*60000) }

// an is an announce of user's peer on h at minute m with left bytes to go.
func an(m float64, user uuid.UUID, h domain.InfoHash, peer string, ev domain.AnnounceEvent, left uint64) domain.Announce {
	return domain.Announce{TimeMillis: atMin(m), InfoHash: h, UserID: user, PeerID: pid(peer), Event: ev, Left: left,
		Credit: domain.Credit{NewSession: ev == domain.EventStarted}}
}

// credit sets an announce's credit: raw amounts and what the factors made of them.
func credit(a domain.Announce, rawUp, rawDown, up, down uint64) domain.Announce {
	a.RawUp, a.RawDown, a.CreditedUp, a.CreditedDown = rawUp, rawDown, up, down
	a.Uploaded, a.Downloaded = rawUp, rawDown
	return a
}

func TestRatioCreditedTotalsSumAcrossBatches(t *testing.T) {
	e := newAnnEnv(t)
	e.announce(
		an(0, alice, h1, "a1", domain.EventStarted, 1000),
		credit(an(30, alice, h1, "a1", domain.EventNone, 500), 100, 500, 100, 500),
	)
	e.sync() // the next announces come in another batch
	e.announce(credit(an(60, alice, h1, "a1", domain.EventNone, 200), 300, 300, 300, 300))
	e.sync() // the next announces come in another batch
	e.announce(
		credit(an(90, alice, h1, "a1", domain.EventNone, 0), 50, 200, 50, 200),
		an(90, bob, h1, "b1", domain.EventStarted, 0),
		credit(an(120, bob, h1, "b1", domain.EventNone, 0), 700, 0, 700, 0),
	)
	e.sync()

	if got, want := e.ratio(alice), (RatioRow{UserID: alice, Uploaded: 450, Downloaded: 1000, RawUploaded: 450,
		RawDownloaded: 1000, Ratio: 0.45, Seeding: 1, LastAnnounceAt: ptime(atMin(90))}); !sameRatio(got, want) {
		t.Errorf("alice:\n got %+v\nwant %+v", got, want)
	}
	if got := e.ratio(bob); got.Uploaded != 700 || got.Downloaded != 0 || !got.Ratio.Infinite() || got.Seeding != 1 {
		t.Errorf("bob: %+v, want 700 up, 0 down, ratio infinite, seeding 1", got)
	}
	ut := e.userTorrent(alice, h1)
	if ut.Uploaded != 450 || ut.Downloaded != 1000 || ut.Left == nil || *ut.Left != 0 || !ut.Active ||
		!ut.FirstAnnounceAt.Equal(msTime(atMin(0))) || !ut.LastAnnounceAt.Equal(msTime(atMin(90))) {
		t.Errorf("alice on h1: %+v", ut)
	}
}

func ptime(ms int64) *time.Time { t := msTime(ms); return &t }

func sameRatio(a, b RatioRow) bool {
	ta, tb := a.LastAnnounceAt, b.LastAnnounceAt
	a.LastAnnounceAt, b.LastAnnounceAt = nil, nil
	return a == b && (ta == nil) == (tb == nil) && (ta == nil || ta.Equal(*tb))
}

func TestRatioRawVersusCreditedWithFactors(t *testing.T) {
	e := newAnnEnv(t)
	e.announce(
		an(0, alice, h1, "a1", domain.EventStarted, 1000), // h1 freeleech: download credited 0%
		an(0, alice, h2, "a2", domain.EventStarted, 1000), // h2 double upload: upload credited 200%
		an(0, alice, h3, "a3", domain.EventStarted, 1000), // h3 neutral: nothing credited
	)
	e.announce(
		credit(an(30, alice, h1, "a1", domain.EventNone, 0), 100, 1000, 100, 0),
		credit(an(30, alice, h2, "a2", domain.EventNone, 0), 300, 1000, 600, 1000),
		credit(an(30, alice, h3, "a3", domain.EventNone, 0), 400, 1000, 0, 0),
	)
	e.sync()
	r := e.ratio(alice)
	if r.RawUploaded != 800 || r.RawDownloaded != 3000 || r.Uploaded != 700 || r.Downloaded != 1000 || r.Ratio != 0.7 {
		t.Errorf("alice: %+v, want raw 800/3000, credited 700/1000, ratio 0.7", r)
	}
	for _, c := range []struct {
		h                        domain.InfoHash
		up, down, rawUp, rawDown uint64
	}{{h1, 100, 0, 100, 1000}, {h2, 600, 1000, 300, 1000}, {h3, 0, 0, 400, 1000}} {
		ut := e.userTorrent(alice, c.h)
		if ut.Uploaded != c.up || ut.Downloaded != c.down || ut.RawUploaded != c.rawUp || ut.RawDownloaded != c.rawDown {
			t.Errorf("alice on %s: %+v, want credited %d/%d raw %d/%d", c.h, ut, c.up, c.down, c.rawUp, c.rawDown)
		}
	}
	var dbRatio float64
	if err := e.pool.QueryRow(e.ctx, `SELECT ratio FROM ratio.users WHERE user_id = $1`, alice).Scan(&dbRatio); err != nil || dbRatio != 0.7 {
		t.Errorf("ratio column = %v, %v; want 0.7", dbRatio, err)
	}
}

func TestRatioOneSnatchForTwoCompleted(t *testing.T) {
	e := newAnnEnv(t)
	e.announce(
		an(0, alice, h1, "a1", domain.EventStarted, 1000),
		an(10, alice, h1, "a1", domain.EventCompleted, 0),
		an(20, alice, h1, "a1", domain.EventStopped, 0),
	)
	e.sync() // the next announces come in another batch
	// The same user completes the same torrent again, from another client
	// and again in the same batch: still one snatch.
	e.announce(
		an(30, alice, h1, "a2", domain.EventStarted, 1000),
		an(40, alice, h1, "a2", domain.EventCompleted, 0),
		an(41, alice, h1, "a2", domain.EventCompleted, 0),
		an(40, bob, h1, "b1", domain.EventStarted, 1000),
		an(50, bob, h1, "b1", domain.EventCompleted, 0),
	)
	e.sync()
	if r := e.ratio(alice); r.Snatches != 1 {
		t.Errorf("alice snatches = %d, want 1", r.Snatches)
	}
	if r := e.ratio(bob); r.Snatches != 1 {
		t.Errorf("bob snatches = %d, want 1", r.Snatches)
	}
	if ut := e.userTorrent(alice, h1); ut.SnatchedAt == nil || !ut.SnatchedAt.Equal(msTime(atMin(10))) {
		t.Errorf("alice snatched_at = %v, want the first completed at %v", ut.SnatchedAt, msTime(atMin(10)))
	}
	if s := e.swarm(h1); s.Snatches != 2 {
		t.Errorf("swarm snatches = %d, want 2 (two users)", s.Snatches)
	}
}

func TestRatioStoppedAndReapedEndActivePeers(t *testing.T) {
	e := newAnnEnv(t)
	e.announce(
		an(0, alice, h1, "a1", domain.EventStarted, 0),    // seeder
		an(0, alice, h2, "a2", domain.EventStarted, 5000), // leecher
		an(0, alice, h2, "a3", domain.EventStarted, 0),    // second client on h2, seeder
		an(0, bob, h1, "b1", domain.EventStarted, 100),    // leecher
	)
	e.sync()
	if r := e.ratio(alice); r.Seeding != 2 || r.Leeching != 1 {
		t.Fatalf("alice seeding/leeching = %d/%d, want 2/1", r.Seeding, r.Leeching)
	}
	if s := e.swarm(h1); s.Seeders != 1 || s.Leechers != 1 {
		t.Fatalf("h1 seeders/leechers = %d/%d, want 1/1", s.Seeders, s.Leechers)
	}
	if ut := e.userTorrent(alice, h2); ut.ActivePeers != 2 || !ut.Active {
		t.Fatalf("alice on h2: %d active peers, want 2", ut.ActivePeers)
	}
	e.announce(
		an(30, alice, h1, "a1", domain.EventStopped, 0),
		an(80, alice, h2, "a2", domain.EventReaped, 5000),
		an(80, alice, h2, "a2", domain.EventReaped, 5000), // reaped twice: no effect
		an(81, alice, h3, "zz", domain.EventReaped, 0),    // never seen: no effect
	)
	e.sync()
	if r := e.ratio(alice); r.Seeding != 1 || r.Leeching != 0 {
		t.Errorf("alice seeding/leeching = %d/%d, want 1/0", r.Seeding, r.Leeching)
	}
	if ut := e.userTorrent(alice, h1); ut.Active || ut.ActivePeers != 0 {
		t.Errorf("alice on h1 still active: %+v", ut)
	}
	if ut := e.userTorrent(alice, h2); !ut.Active || ut.ActivePeers != 1 {
		t.Errorf("alice on h2: %+v, want 1 active peer", ut)
	}
	if ut := e.userTorrent(alice, h3); ut.LastAnnounceAt != nil {
		t.Errorf("a reap of an unknown peer made a row: %+v", ut)
	}
	if s := e.swarm(h1); s.Seeders != 0 || s.Leechers != 1 {
		t.Errorf("h1 seeders/leechers = %d/%d, want 0/1", s.Seeders, s.Leechers)
	}
	if s := e.swarm(h2); s.Seeders != 1 || s.Leechers != 0 {
		t.Errorf("h2 seeders/leechers = %d/%d, want 1/0", s.Seeders, s.Leechers)
	}
	// The rest go: everything reads zero.
	e.announce(an(90, alice, h2, "a3", domain.EventStopped, 0), an(90, bob, h1, "b1", domain.EventStopped, 100))
	e.sync()
	for _, u := range []uuid.UUID{alice, bob} {
		if r := e.ratio(u); r.Seeding != 0 || r.Leeching != 0 {
			t.Errorf("%s seeding/leeching = %d/%d, want 0/0", u, r.Seeding, r.Leeching)
		}
	}
	var peers int
	e.pool.QueryRow(e.ctx, `SELECT (SELECT sum(active_peers) FROM ratio.user_torrents) + (SELECT sum(seeders + leechers) FROM swarm.torrents)`).Scan(&peers)
	if peers != 0 {
		t.Errorf("%d active peers left", peers)
	}
}

func TestRatioSeedTime(t *testing.T) {
	e := newAnnEnv(t)
	const none, started, completed, stopped, reaped = domain.EventNone, domain.EventStarted, domain.EventCompleted, domain.EventStopped, domain.EventReaped
	reset := an(430, alice, h1, "a1", none, 0)
	reset.NewSession = true // counters went down: a new session
	e.announce(
		an(0, alice, h1, "a1", started, 100), // leeching
		an(10, alice, h1, "a1", completed, 0),
		an(40, alice, h1, "a1", none, 0), // +30: seeding since minute 10
		an(70, alice, h1, "a1", none, 0), // +30
	)
	e.sync() // the next announces come in another batch
	e.announce(
		an(370, alice, h1, "a1", none, 0), // silent 300 min > maxSeedInterval: +0
		an(400, alice, h1, "a1", none, 0), // +30
		reset,                             // +0: the session ended somewhere in between
		an(460, alice, h1, "a1", none, 0), // +30
	)
	e.sync() // the next announces come in another batch
	e.announce(
		an(480, alice, h1, "a1", stopped, 0), // +20
		an(500, alice, h1, "a1", started, 0), // +0: a new session
		an(520, alice, h1, "a1", none, 0),    // +20
		an(600, alice, h1, "a1", reaped, 0),  // +0: reaped after silence
		an(0, bob, h1, "b1", started, 0),
		an(30, bob, h1, "b1", none, 0),  // +30
		an(20, bob, h1, "b1", none, 0),  // clock went back: +0
		an(45, bob, h1, "b1", none, 10), // +25 (from minute 20, the last announce): left > 0 from now
		an(75, bob, h1, "b1", none, 0),  // +0: it was leeching
		an(95, bob, h1, "b1", none, 0),  // +20
		an(100, bob, h2, "b2", none, 0), // another torrent
		an(110, bob, h2, "b2", none, 0), // +10
		an(110, bob, h2, "b3", started, 0),
		an(115, bob, h2, "b3", none, 0), // +5: a second client adds its own time
	)
	e.sync()
	for _, c := range []struct {
		u    uuid.UUID
		h    domain.InfoHash
		mins int64
	}{{alice, h1, 160}, {bob, h1, 75}, {bob, h2, 15}} {
		if got := e.userTorrent(c.u, c.h).SeedMs; got != c.mins*60000 {
			t.Errorf("%s on %s: seed time %v, want %d min", c.u, c.h, time.Duration(got)*time.Millisecond, c.mins)
		}
	}
	if got := e.ratio(bob).SeedTime(); got != 90*time.Minute {
		t.Errorf("bob's seed time %v, want 90m", got)
	}
}

func TestRatioAndSwarmOfUnknownsReadAsZeros(t *testing.T) {
	e := newAnnEnv(t)
	u := uuid.New()
	if r := e.ratio(u); r != (RatioRow{UserID: u}) {
		t.Errorf("a user with no announces reads %+v", r)
	}
	if r := e.userTorrent(u, h1); r.UserID != u || r.InfoHash != h1 || r.Active || r.Uploaded != 0 {
		t.Errorf("no record reads %+v", r)
	}
	if rows, err := UserTorrents(e.ctx, e.pool, u, false); err != nil || len(rows) != 0 {
		t.Errorf("UserTorrents = %v, %v", rows, err)
	}
	if s := e.swarm(h1); s != (SwarmRow{InfoHash: h1}) {
		t.Errorf("an unknown torrent reads %+v", s)
	}
}

func TestRatioUserTorrentsList(t *testing.T) {
	e := newAnnEnv(t)
	e.announce(
		an(0, alice, h1, "a1", domain.EventStarted, 0),
		an(5, alice, h2, "a2", domain.EventStarted, 10),
		an(6, alice, h3, "a3", domain.EventStarted, 10),
		an(7, alice, h3, "a3", domain.EventStopped, 10),
	)
	e.sync()
	all, err := UserTorrents(e.ctx, e.pool, alice, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []domain.InfoHash
	for _, r := range all {
		got = append(got, r.InfoHash)
	}
	if want := []domain.InfoHash{h3, h2, h1}; !slices.Equal(got, want) {
		t.Errorf("list order %v, want %v (last announced first)", got, want)
	}
	active, err := UserTorrents(e.ctx, e.pool, alice, true)
	if err != nil || len(active) != 2 {
		t.Errorf("active list: %d rows, %v; want 2", len(active), err)
	}
}

func TestRatioSaturatesAbsurdValuesInsteadOfHalting(t *testing.T) {
	e := newAnnEnv(t)
	huge := credit(an(0, alice, h1, "a1", domain.EventNone, ^uint64(0)), ^uint64(0), 1, ^uint64(0), 1)
	huge.TimeMillis = math.MaxInt64
	e.announce(huge)
	e.sync()
	e.announce(huge, an(0, bob, h1, "b1", domain.EventStarted, 0))
	e.sync() // fails on a projector error
	r := e.ratio(alice)
	if r.Uploaded != math.MaxInt64 || r.RawUploaded != math.MaxInt64 || r.Downloaded != 2 || r.Leeching != 1 {
		t.Errorf("alice: %+v, want uploads saturated at MaxInt64", r)
	}
	if s := e.swarm(h1); s.Seeders != 1 || s.Leechers != 1 {
		t.Errorf("h1: %+v", s)
	}
}
