package app

import (
	"context"
	"slices"
	"testing"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/natsd"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
)

// TestEveryEventTypeHasAPlacement: every event type the core and the
// plugins register says which subjects it belongs on; one that does not is
// quarantined wherever it is stored.
func TestEveryEventTypeHasAPlacement(t *testing.T) {
	for _, typ := range domain.EventTypes() {
		if !domain.HasPlacement(typ) {
			t.Errorf("event type %s has no placement (domain.RegisterPlacement)", typ)
		}
	}
}

// badEvent is one record appended through the raw log that no consumer
// may apply.
type badEvent struct {
	seq       uint64
	subject   string
	consumers []string // who must report it
}

// appendBadEvents appends garbage, an unknown version and a mistyped event
// (and a garbage announce batch, which every projector but users meets),
// on alice's subjects and her torrent's.
func appendBadEvents(t *testing.T, log *eventlog.Log, alice domain.UserID, h domain.InfoHash) []badEvent {
	t.Helper()
	ctx := context.Background()
	var bad []badEvent
	add := func(subject string, e domain.Event, consumers []string, opts ...eventlog.AppendOption) {
		t.Helper()
		seq, err := log.Append(ctx, subject, e, opts...)
		if err != nil {
			t.Fatal(err)
		}
		bad = append(bad, badEvent{seq, subject, append([]string{"tracker:t1"}, consumers...)})
	}
	users := []string{"users"}
	add(domain.UserSubject(alice), domain.UserEnabled{}, users, eventlog.RawVersion(1, []byte("\x00garbage")))
	add(domain.UserSubject(alice), domain.UserDisabled{UserID: alice}, users, eventlog.RawVersion(9, []byte(`{"user_id":"`+alice.String()+`"}`)))
	pk, _ := domain.NewPasskey()
	add(domain.TorrentSubject(h), domain.UserRegistered{UserID: uuid.New(), Name: "mallory", Passkey: pk, Admin: true}, []string{"users", "accounts"})
	add(domain.AnnounceSubject("t9"), &domain.AnnounceBatch{}, []string{"ratio", "swarm", "cheats", "peers", "backup"}, eventlog.RawVersion(3, []byte{0xff, 0xff}))
	return bad
}

// TestBadEventsStopNothing: garbage and mistyped events appended to the
// log with the operator's credential stop neither the tracker nor any projector, now or after a restart;
// the quarantine lists them with who skipped them; replay equals live.
func TestBadEventsStopNothing(t *testing.T) {
	ctx := context.Background()
	data := dataDir(t)
	m := start(t, data)
	alice, added, _ := aliceSharesATorrent(t, m)
	h := added.Torrent.InfoHash
	operator, err := m.Instance().LogAs(ctx, natsd.Operator, "test operator")
	if err != nil {
		t.Fatal(err)
	}
	bad := appendBadEvents(t, operator, alice.User.ID, h)
	if _, err := m.Commands().RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: "bob"}); err != nil {
		t.Fatal(err)
	}
	a, b := newPeer(t, m, "alice", h, 1), newPeer(t, m, "bob", h, 2)
	testenv.Eventually(t, "the tracker knows bob, registered after the bad events", func() bool { return trackerAccepts(t, b) })
	a.send("started", 0, 0, 0)
	b.send("started", 0, 0, 1<<20)
	b.send("completed", 0, 1<<20, 0)
	testenv.Eventually(t, "the announces reach the read models", func() bool {
		var seeders int
		m.Instance().Pool.QueryRow(ctx, `SELECT seeders FROM swarm.torrents WHERE info_hash = $1`, h[:]).Scan(&seeders)
		return seeders == 2
	})
	last, err := m.Instance().Log.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitForQuarantine(t, m, last, bad)
	if m.trk.Quarantined() != uint64(len(bad)) {
		t.Fatalf("the tracker skipped %d records, want %d", m.trk.Quarantined(), len(bad))
	}
	checkQuarantineMetric(t, m, len(bad))
	var mallory int
	m.Instance().Pool.QueryRow(ctx, `SELECT count(*) FROM users.users WHERE name = 'mallory'`).Scan(&mallory)
	if mallory != 0 {
		t.Fatal("a UserRegistered on a torrent's subject made a user")
	}

	live := dumpAll(t, m)
	for _, p := range Projections() {
		if err := projections.NewProjector(p, m.Instance().Background, m.Instance().Log).Rebuild(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	for name, tables := range dumpAll(t, m) {
		testenv.DiffDumps(t, name+" live vs replayed", live[name], tables)
	}
	waitForQuarantine(t, m, last, bad) // a replay adds nothing

	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m = start(t, data)
	a, b = newPeer(t, m, "alice", h, 1), newPeer(t, m, "bob", h, 2)
	if !trackerAccepts(t, a) || !trackerAccepts(t, b) {
		t.Fatal("after a restart over the bad events the tracker refuses alice or bob")
	}
}

// waitForQuarantine waits until every projector has passed last and the
// quarantine lists exactly bad, each with its subject and every consumer
// that must skip it.
func waitForQuarantine(t *testing.T, m *Main, last uint64, bad []badEvent) {
	t.Helper()
	ctx := context.Background()
	var entries []projections.QuarantineEntry
	testenv.Eventually(t, "every projector passes the bad events and the quarantine lists them", func() bool {
		st, err := projections.Statuses(ctx, m.Instance().Pool, m.Instance().Log)
		if err != nil || len(st) != len(Projections()) {
			return false
		}
		for _, s := range st {
			if s.Seq < last {
				return false
			}
		}
		if entries, err = projections.Quarantine(ctx, m.Instance().Pool); err != nil || len(entries) != len(bad) {
			return false
		}
		for i, e := range entries {
			for _, c := range bad[i].consumers {
				if !slices.Contains(e.Consumers, c) {
					return false
				}
			}
		}
		return true
	})
	for i, e := range entries {
		if e.Seq != bad[i].seq || e.Subject != bad[i].subject || e.State != projections.QuarantineOpen ||
			len(e.Consumers) != len(bad[i].consumers) || e.Error == "" {
			t.Fatalf("entry %d: %+v, want seq %d on %s, consumers %v", i, e, bad[i].seq, bad[i].subject, bad[i].consumers)
		}
	}
}

// checkQuarantineMetric requires djembe_quarantined_events to count n
// entries not yet decided.
func checkQuarantineMetric(t *testing.T, m *Main, n int) {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(projections.NewCollector(m.Instance().Pool, m.Instance().Log))
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "djembe_quarantined_events" {
			continue
		}
		for _, metric := range f.GetMetric() {
			if metric.GetLabel()[0].GetValue() == projections.QuarantineOpen && metric.GetGauge().GetValue() == float64(n) {
				return
			}
		}
		t.Fatalf("djembe_quarantined_events: %v", f)
	}
	t.Fatal("no djembe_quarantined_events metric")
}

// dumpAll reads every projection's tables, once each has applied the whole
// log: a projection a batch behind the others would otherwise differ from
// its replay for no fault of its own.
func dumpAll(t *testing.T, m *Main) map[string]map[string][]string {
	t.Helper()
	testenv.Eventually(t, "every projection applies the whole log", func() bool {
		statuses, err := projections.Statuses(context.Background(), m.Instance().Pool, m.Instance().Log)
		if err != nil || len(statuses) < len(Projections()) {
			return false
		}
		for _, s := range statuses {
			if s.Lag > 0 {
				return false
			}
		}
		return true
	})
	out := map[string]map[string][]string{}
	for _, p := range Projections() {
		out[p.Name()] = testenv.DumpTables(t, m.Instance().Pool, p.Name())
	}
	return out
}
