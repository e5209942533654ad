package projections

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

// peersEnv is a real log and database with the users and peers read
// models caught up on demand.
type peersEnv struct {
	t    *testing.T
	ctx  context.Context
	log  *eventlog.Log
	pool *pgxpool.Pool
}

func newPeersEnv(t *testing.T) *peersEnv {
	return &peersEnv{t: t, ctx: context.Background(), log: testenv.Log(t), pool: testenv.DB(t)}
}

func (e *peersEnv) append(subject string, ev domain.Event, opts ...eventlog.AppendOption) uint64 {
	e.t.Helper()
	seq, err := e.log.Append(e.ctx, subject, ev, opts...)
	if err != nil {
		e.t.Fatal(err)
	}
	return seq
}

func (e *peersEnv) user(name string) domain.UserID {
	e.t.Helper()
	id := uuid.New()
	e.append(domain.UsernameSubject(name), domain.UserRegistered{UserID: id, Name: name,
		Passkey: domain.Passkey(fmt.Sprintf("%032x", id[:8])), PasswordHash: "x"}, eventlog.ExpectNew())
	return id
}

// batch appends one announce batch and returns its sequence.
func (e *peersEnv) batch(anns ...domain.Announce) uint64 {
	e.t.Helper()
	return e.append(domain.AnnounceSubject("t1"), &domain.AnnounceBatch{Node: "t1", Announces: anns})
}

// peers catches the read models up and reads h's peers.
func (e *peersEnv) peers(h domain.InfoHash) ([]PeerRow, int) {
	e.t.Helper()
	for _, p := range []Projection{Users{}, Peers{}} {
		if err := NewProjector(p, e.pool, e.log).CatchUp(e.ctx); err != nil {
			e.t.Fatal(err)
		}
	}
	rows, total, err := TorrentPeers(e.ctx, e.pool, h, 200)
	if err != nil {
		e.t.Fatal(err)
	}
	return rows, total
}

func peerID(s string) (id [20]byte) {
	copy(id[:], s+"0123456789abcdefghij")
	return id
}

var peersT0 = time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)

func ann(u domain.UserID, h domain.InfoHash, id string, at time.Duration, ev domain.AnnounceEvent, left, up, down uint64, newSession bool) domain.Announce {
	return domain.Announce{TimeMillis: peersT0.Add(at).UnixMilli(), InfoHash: h, UserID: u, PeerID: peerID(id), Event: ev,
		Left: left, Uploaded: up, Downloaded: down, Credit: domain.Credit{NewSession: newSession}}
}

// A peer's row follows its session: started, progress with rates from the
// last two announces (across batches and within one), completion, stop;
// a reap removes a row, a deleted torrent all of its rows, and a
// forgotten user's peer stays under the anonymous name.
func TestPeersFollowAnnounces(t *testing.T) {
	e := newPeersEnv(t)
	alice, bob, carol := e.user("alice"), e.user("bob"), e.user("carol")
	var h, other domain.InfoHash
	h[0], other[0] = 1, 2
	const size = 1000

	seq := e.batch(ann(alice, h, "-qB4630-", 0, domain.EventStarted, size, 0, 0, true))
	rows, total := e.peers(h)
	if total != 1 || len(rows) != 1 {
		t.Fatalf("%d rows (%d in all), want 1", len(rows), total)
	}
	p := rows[0]
	if p.Name != "alice" || p.Client != "qBittorrent 4.6.3" || p.Left != size || p.UpRate != 0 || p.DownRate != 0 ||
		!p.StartedAt.Equal(peersT0) || !p.LastAnnounceAt.Equal(peersT0) || p.Ref != (PeerRef{seq, 0}) || p.Progress(size) != 0 {
		t.Fatalf("after started: %+v", p)
	}

	// Ten seconds later, in the next batch: rates from the table's row.
	seq = e.batch(ann(bob, other, "-TR4060-", 5*time.Second, domain.EventStarted, 0, 0, 0, true),
		ann(alice, h, "-qB4630-", 10*time.Second, domain.EventNone, 600, 100, 400, false))
	rows, _ = e.peers(h)
	if p = rows[0]; p.Left != 600 || p.Uploaded != 100 || p.Downloaded != 400 || p.UpRate != 10 || p.DownRate != 40 ||
		!p.StartedAt.Equal(peersT0) || p.Ref != (PeerRef{seq, 1}) || p.Progress(size) != 0.4 {
		t.Fatalf("after progress: %+v", p)
	}

	// Two announces of alice in one batch: the rate is from the last two;
	// bob joins the torrent as a seeder and is listed first.
	seq = e.batch(ann(alice, h, "-qB4630-", 20*time.Second, domain.EventNone, 300, 100, 700, false),
		ann(bob, h, "-lt0D80-", 25*time.Second, domain.EventStarted, 0, 0, 0, true),
		ann(alice, h, "-qB4630-", 30*time.Second, domain.EventCompleted, 0, 250, 1000, false))
	rows, total = e.peers(h)
	if total != 2 || rows[0].Name != "alice" || rows[1].Name != "bob" {
		t.Fatalf("after completion: %+v", rows)
	}
	if p = rows[0]; !p.Seeder() || p.UpRate != 15 || p.DownRate != 30 || !p.StartedAt.Equal(peersT0) || p.Ref != (PeerRef{seq, 2}) || p.Progress(size) != 1 {
		t.Fatalf("alice after completion: %+v", p)
	}
	if p = rows[1]; p.Client != "rTorrent (libtorrent 0.13.8)" || !p.StartedAt.Equal(peersT0.Add(25*time.Second)) {
		t.Fatalf("bob: %+v", p)
	}

	// A leecher ranks after the seeders (the latest announce first); a
	// restarted session starts afresh
	// (counters down, rates 0, a new start).
	e.batch(ann(carol, h, "A2-1-37-0-", 40*time.Second, domain.EventStarted, 900, 0, 100, true),
		ann(bob, h, "-lt0D80-", 45*time.Second, domain.EventStarted, 0, 5, 0, true))
	rows, _ = e.peers(h)
	if len(rows) != 3 || rows[2].Name != "carol" || rows[2].Client != "aria2 1.37.0" || rows[0].Name != "bob" ||
		!rows[0].StartedAt.Equal(peersT0.Add(45*time.Second)) || rows[0].UpRate != 0 {
		t.Fatalf("with a leecher: %+v", rows)
	}

	// alice stops, bob is reaped; carol's user is forgotten and stays.
	e.batch(ann(alice, h, "-qB4630-", 50*time.Second, domain.EventStopped, 0, 300, 1000, false),
		ann(bob, h, "-lt0D80-", 50*time.Second, domain.EventReaped, 0, 5, 0, false))
	e.append(domain.UserSubject(carol), domain.UserForgotten{UserID: carol})
	rows, total = e.peers(h)
	if total != 1 || !strings.HasPrefix(rows[0].Name, "forgotten:") || rows[0].UserID != carol {
		t.Fatalf("after stop, reap and forget: %+v", rows)
	}

	// A reaped peer that comes back within its session (a tracker back
	// from an outage) starts a new row: rates 0 until its next announce.
	e.batch(ann(bob, h, "-lt0D80-", 60*time.Second, domain.EventNone, 0, 50, 0, false))
	rows, _ = e.peers(h)
	if len(rows) != 2 || rows[0].Name != "bob" || rows[0].UpRate != 0 || !rows[0].StartedAt.Equal(peersT0.Add(60*time.Second)) {
		t.Fatalf("bob back: %+v", rows)
	}

	// Deleting the torrent removes all its rows, and no other torrent's.
	e.append(domain.TorrentSubject(h), domain.TorrentDeleted{InfoHash: h, Reason: "test"})
	if rows, total = e.peers(h); total != 0 || len(rows) != 0 {
		t.Fatalf("after the deletion: %+v", rows)
	}
	if rows, _ = e.peers(other); len(rows) != 1 || rows[0].Name != "bob" || rows[0].Client != "Transmission 4.0.6" {
		t.Fatalf("the other torrent: %+v", rows)
	}
}

// The rate's Go and SQL forms agree at the edges: counters going down,
// time standing still or going back, and sums beyond a bigint.
func TestPeerRateEdges(t *testing.T) {
	e := newPeersEnv(t)
	u := e.user("dave")
	var h domain.InfoHash
	h[0] = 3
	big := uint64(1<<63 - 1)
	cases := []struct {
		name         string
		first, next  domain.Announce
		wantUp       uint64
		wantDownRate uint64
	}{
		{"time stands still", ann(u, h, "-qB4630-a", 0, 0, 10, 0, 0, true), ann(u, h, "-qB4630-a", 0, 0, 10, 500, 500, false), 0, 0},
		{"time goes back", ann(u, h, "-qB4630-b", time.Minute, 0, 10, 0, 0, true), ann(u, h, "-qB4630-b", 0, 0, 10, 500, 500, false), 0, 0},
		{"a counter goes down", ann(u, h, "-qB4630-c", 0, 0, 10, 900, 900, true), ann(u, h, "-qB4630-c", time.Second, 0, 10, 100, 1900, false), 0, 1000},
		{"saturating", ann(u, h, "-qB4630-d", 0, 0, 10, 0, 0, true), ann(u, h, "-qB4630-d", time.Millisecond, 0, 10, big, 3, false), big, 3000},
	}
	// Apart (the SQL form) and in one batch (the Go form), each case on
	// torrents of its own.
	for i, c := range cases {
		c.first.InfoHash[1], c.next.InfoHash[1] = byte(i), byte(i)
		e.batch(c.first)
		e.batch(c.next)
		c.first.InfoHash[1], c.next.InfoHash[1] = byte(100+i), byte(100+i)
		e.batch(c.first, c.next)
	}
	for i, c := range cases {
		for _, n := range []byte{byte(i), byte(100 + i)} {
			h[1] = n
			rows, _ := e.peers(h)
			if len(rows) != 1 || rows[0].UpRate != c.wantUp || rows[0].DownRate != c.wantDownRate {
				t.Errorf("%s (torrent %d): %+v, want rates %d/%d", c.name, n, rows, c.wantUp, c.wantDownRate)
			}
		}
	}
}
