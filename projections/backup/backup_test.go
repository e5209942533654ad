package backup

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/backup"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/projections/backup/backuptest"
	"github.com/djembe/djembe/projections/projectiontest"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

func TestConformance(t *testing.T) {
	log := testenv.Log(t)
	backuptest.History(t, log, 1)
	backuptest.History(t, log, 2)
	projectiontest.Run(t, Projection{}, log)
}

// env is a log and a database the backup projector catches up on.
type env struct {
	t    *testing.T
	ctx  context.Context
	log  *eventlog.Log
	pool *pgxpool.Pool
	ap   *backuptest.Appender
	sw   *backuptest.Swarm
}

func newEnv(t *testing.T) *env {
	log := testenv.Log(t)
	return &env{t: t, ctx: context.Background(), log: log, pool: testenv.DB(t), ap: backuptest.NewAppender(t, log), sw: backuptest.NewSwarm()}
}

// catchUp applies everything appended so far.
func (e *env) catchUp() {
	e.t.Helper()
	if err := projections.NewProjector(Projection{}, e.pool, e.log).CatchUp(e.ctx); err != nil {
		e.t.Fatal(err)
	}
}

// version reads the version of h, caught up.
func (e *env) version(h domain.InfoHash) VersionRow {
	e.t.Helper()
	e.catchUp()
	v, err := VersionByHash(e.ctx, e.pool, h)
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// standing reads u's standing, caught up.
func (e *env) standing(u domain.UserID) backup.Standing {
	e.t.Helper()
	e.catchUp()
	s, err := Standing(e.ctx, e.pool, u)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// The read functions over the conformance history: the versions' copies
// and states, credit for others' downloads alone, points while
// under-replicated, the deleted version out of the obligation and the
// queue, the history of copies, the totals.
func TestHistoryReadModel(t *testing.T) {
	e := newEnv(t)
	s := backuptest.History(t, e.log, 5)
	e.catchUp()
	a, b, c, d := s.Users[0], s.Users[1], s.Users[2], s.Users[3]

	v0 := e.version(s.Versions[0])
	if v0.Copies != 1 || v0.OwnerSeeding || v0.Redundancy != 3 || v0.State != backup.AtRisk || v0.PointsMilli != 5000 || v0.Number != 1 {
		t.Errorf("v0 (b seeds; c stopped, a stopped): %+v", v0)
	}
	v3 := e.version(s.Versions[3])
	if v3.Copies != 1 || !v3.OwnerSeeding || v3.State != backup.UnderReplicated {
		t.Errorf("v3 (a downloaded it and seeds, its owner b with one peer of two): %+v", v3)
	}
	if v2 := e.version(s.Versions[2]); v2.Copies != 0 || v2.State != backup.Lost {
		t.Errorf("v2 (its one seeder reaped): %+v", v2)
	}
	if v1 := e.version(s.Deleted); !v1.Deleted || v1.PointsMilli != 0 {
		t.Errorf("deleted v1: %+v", v1)
	}
	sizes := []uint64{domain.GiB + 1, 3 << 20, 5 << 20, 2 * domain.GiB}
	const halfHour, hour = 30 * time.Minute, time.Hour
	for _, tc := range []struct {
		name string
		user domain.UserID
		want backup.Standing
	}{
		// a owns v0 at N = 3 and v2 at N = 1 (v1 is deleted); was credited
		// for downloading v3 and earned seeding it (N = 3, 1 copy: its own).
		{"a", a, backup.Standing{Credit: sizes[3], Obligation: sizes[0]*3 + sizes[2], AssignedMilli: 5000,
			EarnedMilli: backup.PointsEarned(halfHour, sizes[3], 2)}},
		// b: credit for v0 in two halves; nothing while v0 was healthy at
		// N = 2; at N = 3 half an hour with 2 copies, then an hour with 1.
		{"b", b, backup.Standing{Credit: sizes[0], Obligation: sizes[3] * 3, AssignedMilli: 2000,
			EarnedMilli: backup.PointsEarned(halfHour, sizes[0], 1) + backup.PointsEarned(hour, sizes[0], 2)}},
		// c: the same half hour, then half an hour ended by its stop.
		{"c", c, backup.Standing{Credit: sizes[0], EarnedMilli: 2 * backup.PointsEarned(halfHour, sizes[0], 1)}},
		// d: credit for v2 and v1 (nothing after v1's deletion); v2 at N = 1
		// was healthy while d seeded it, and the reap ends no seed time.
		{"d", d, backup.Standing{Credit: sizes[2] + sizes[1]}},
	} {
		if got := e.standing(tc.user); got != tc.want {
			t.Errorf("%s: standing %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// lifecycle is one version of owner a at N = 3 and the users b, c, d.
type lifecycle struct {
	*env
	a, b, c, d domain.UserID
	bk         uuid.UUID
	h          domain.InfoHash
	size       uint64
	ms         int64
}

func newLifecycle(t *testing.T, n int) *lifecycle {
	l := &lifecycle{env: newEnv(t), a: uuid.New(), b: uuid.New(), c: uuid.New(), d: uuid.New(), bk: uuid.New(),
		h: domain.InfoHash{0xfe, 1}, size: 10 << 20, ms: 1_700_000_000_000}
	l.ap.Add(backup.BackupSubject(l.bk), backup.BackupCreated{Backup: l.bk, Owner: l.a, Name: "photos", Redundancy: n})
	l.ap.Register(l.h, int64(l.size), backup.Category, l.a)
	l.ap.Add(backup.BackupSubject(l.bk), backup.VersionAdded{Backup: l.bk, Owner: l.a, Number: 1, InfoHash: l.h, Size: l.size})
	return l
}

// at announces, minutes after the start, user's peer 1 with event ev and
// left bytes left (downloaded is the rest of the version).
func (l *lifecycle) at(minutes int, user domain.UserID, ev domain.AnnounceEvent, left uint64) domain.Announce {
	return l.sw.Announce(l.ms+int64(minutes)*60_000, user, l.h, 1, ev, left, l.size-left)
}

// capped is a with its download claimed faster than the maximum rate.
func capped(a domain.Announce) domain.Announce {
	a.Caps |= domain.CapDownRate
	return a
}

// States move healthy → under-replicated → at risk → lost → at risk as
// seeders come and go; downloaders are credited the version's size, the
// owner nothing, a capped claim nothing; points are earned only while
// copies are missing; each change of copies or owner seeding is a point
// of the chart.
func TestLifecycle(t *testing.T) {
	l := newLifecycle(t, 3)
	a, b, c, d, size := l.a, l.b, l.c, l.d, l.size
	steps := []struct {
		name    string
		anns    []domain.Announce
		copies  int
		owner   bool
		state   backup.State
		earnedB int64 // b's points earned so far
	}{
		{"added, nobody seeds", nil, 0, false, backup.Lost, 0},
		{"the owner seeds", []domain.Announce{l.at(0, a, domain.EventStarted, 0)}, 0, true, backup.AtRisk, 0},
		{"three start downloading", []domain.Announce{l.at(1, b, domain.EventStarted, size), l.at(1, c, domain.EventStarted, size),
			l.at(1, d, domain.EventStarted, size)}, 0, true, backup.AtRisk, 0},
		{"the owner downloads on a second peer", []domain.Announce{l.sw.Announce(l.ms+2*60_000, a, l.h, 2, domain.EventStarted, size, 0),
			l.sw.Announce(l.ms+3*60_000, a, l.h, 2, domain.EventStopped, size/2, size/2)}, 0, true, backup.AtRisk, 0},
		{"b completes: two copies with the owner's", []domain.Announce{l.at(10, b, domain.EventCompleted, 0)}, 1, true, backup.UnderReplicated, 0},
		{"c completes", []domain.Announce{l.at(11, c, domain.EventCompleted, 0)}, 2, true, backup.UnderReplicated, 0},
		{"b seeds an hour with 2 copies", []domain.Announce{l.at(70, b, domain.EventNone, 0)}, 2, true, backup.UnderReplicated,
			backup.PointsEarned(time.Hour, size, 1)},
		{"d completes, its claim capped", []domain.Announce{capped(l.at(71, d, domain.EventCompleted, 0))}, 3, true, backup.Healthy,
			backup.PointsEarned(time.Hour, size, 1)},
		{"b seeds an hour, healthy: no points", []domain.Announce{l.at(130, b, domain.EventNone, 0)}, 3, true, backup.Healthy,
			backup.PointsEarned(time.Hour, size, 1)},
		{"d stops", []domain.Announce{l.at(131, d, domain.EventStopped, 0)}, 2, true, backup.UnderReplicated,
			backup.PointsEarned(time.Hour, size, 1)},
		{"c is reaped", []domain.Announce{l.at(140, c, domain.EventReaped, 0)}, 1, true, backup.UnderReplicated,
			backup.PointsEarned(time.Hour, size, 1)},
		{"b seeds half an hour alone: 2 missing", []domain.Announce{l.at(160, b, domain.EventNone, 0)}, 1, true, backup.UnderReplicated,
			backup.PointsEarned(time.Hour, size, 1) + backup.PointsEarned(30*time.Minute, size, 2)},
		{"b stops: the owner alone", []domain.Announce{l.at(170, b, domain.EventStopped, 0)}, 0, true, backup.AtRisk,
			backup.PointsEarned(time.Hour, size, 1) + backup.PointsEarned(30*time.Minute, size, 2) + backup.PointsEarned(10*time.Minute, size, 2)},
		{"the owner stops", []domain.Announce{l.at(171, a, domain.EventStopped, 0)}, 0, false, backup.Lost,
			backup.PointsEarned(time.Hour, size, 1) + backup.PointsEarned(30*time.Minute, size, 2) + backup.PointsEarned(10*time.Minute, size, 2)},
		{"c seeds again", []domain.Announce{l.at(200, c, domain.EventStarted, 0)}, 1, false, backup.AtRisk,
			backup.PointsEarned(time.Hour, size, 1) + backup.PointsEarned(30*time.Minute, size, 2) + backup.PointsEarned(10*time.Minute, size, 2)},
	}
	for _, s := range steps {
		if s.anns != nil {
			l.ap.Announce(s.anns...)
		}
		v := l.version(l.h)
		if v.Copies != s.copies || v.OwnerSeeding != s.owner || v.State != s.state || v.Deficit != max(3-s.copies, 0) {
			t.Errorf("%s: copies %d, owner seeding %v, %v, deficit %d; want %d, %v, %v", s.name, v.Copies, v.OwnerSeeding, v.State, v.Deficit,
				s.copies, s.owner, s.state)
		}
		if got := l.standing(b).EarnedMilli; got != s.earnedB {
			t.Errorf("%s: b earned %d, want %d", s.name, got, s.earnedB)
		}
	}
	// Who keeps a copy now: c, seeding again; not b, stopped; not the
	// owner, whose own copy is no backup.
	for user, want := range map[domain.UserID]int{c: 1, b: 0, a: 0} {
		kept, err := KeptBy(l.ctx, l.pool, user)
		if err != nil || len(kept) != want || (want == 1 && kept[0].InfoHash != l.h) {
			t.Errorf("copies kept by %s: %+v, %v; want %d", user, kept, err, want)
		}
	}
	for _, u := range []struct {
		name   string
		user   domain.UserID
		credit uint64
	}{{"a (its own version)", a, 0}, {"b", b, size}, {"c", c, size}, {"d (a claim beyond the maximum rate)", d, 0}} {
		if got := l.standing(u.user).Credit; got != u.credit {
			t.Errorf("credit of %s: %d, want %d", u.name, got, u.credit)
		}
	}
	hist, err := CopiesHistory(l.ctx, l.pool, l.h)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, p := range hist {
		got = append(got, p.Copies)
	}
	// added, owner seeds, b, c, d, d stops, c reaped, b stops, owner stops, c again
	if want := []int{0, 0, 1, 2, 3, 2, 1, 0, 0, 1}; !slices.Equal(got, want) || !hist[1].OwnerSeeding || hist[8].OwnerSeeding ||
		!hist[9].At.Equal(time.UnixMilli(l.ms+200*60_000)) {
		t.Errorf("copies history %+v, want copies %v", hist, want)
	}
}

// A user's standing after a redundancy change and deletions (of a version,
// and of a version's torrent by staff): the obligation follows at once,
// points assigned count.
func TestStanding(t *testing.T) {
	l := newLifecycle(t, 2)
	second := domain.InfoHash{0xfe, 2}
	l.ap.Register(second, 4<<20, backup.Category, l.a)
	l.ap.Add(backup.BackupSubject(l.bk), backup.VersionAdded{Backup: l.bk, Owner: l.a, Number: 2, InfoHash: second, Size: 4 << 20})
	other := uuid.New()
	l.ap.Add(backup.BackupSubject(other), backup.BackupCreated{Backup: other, Owner: l.a, Name: "music", Redundancy: 1})
	for _, s := range []struct {
		name string
		e    domain.Event
		bk   uuid.UUID // the event's backup (a TorrentDeleted goes on the torrent's subject)
		want backup.Standing
	}{
		{"two versions at N = 2", nil, l.bk, backup.Standing{Obligation: 2 * (l.size + 4<<20)}},
		{"N = 3", backup.BackupRedundancySet{Backup: l.bk, Owner: l.a, Redundancy: 3}, l.bk, backup.Standing{Obligation: 3 * (l.size + 4<<20)}},
		{"points", backup.BackupPointsAssigned{Backup: l.bk, Owner: l.a, Milli: 7000}, l.bk,
			backup.Standing{Obligation: 3 * (l.size + 4<<20), AssignedMilli: 7000}},
		{"points to another backup", backup.BackupPointsAssigned{Backup: other, Owner: l.a, Milli: 500}, other,
			backup.Standing{Obligation: 3 * (l.size + 4<<20), AssignedMilli: 7500}},
		{"the first deleted", backup.VersionDeleted{Backup: l.bk, Owner: l.a, Number: 1, InfoHash: l.h}, l.bk,
			backup.Standing{Obligation: 3 * (4 << 20), AssignedMilli: 7500}},
		{"N = 1", backup.BackupRedundancySet{Backup: l.bk, Owner: l.a, Redundancy: 1}, l.bk, backup.Standing{Obligation: 4 << 20, AssignedMilli: 7500}},
		{"the second's torrent deleted by staff", domain.TorrentDeleted{InfoHash: second, Reason: "staff"}, l.bk,
			backup.Standing{AssignedMilli: 7500}},
	} {
		switch e := s.e.(type) {
		case nil:
		case domain.TorrentDeleted:
			l.ap.Add(domain.TorrentSubject(e.InfoHash), e)
		default:
			l.ap.Add(backup.BackupSubject(s.bk), e)
		}
		if got := l.standing(l.a); got != s.want {
			t.Errorf("%s: %+v, want %+v", s.name, got, s.want)
		}
	}
	eco, err := Economy(l.ctx, l.pool, l.a, backup.DefaultAllowance)
	if err != nil || eco.Room != backup.DefaultAllowance || eco.BalanceMilli != backup.StartingPoints-7500 {
		t.Errorf("economy %+v, %v", eco, err)
	}
	if s, err := Standing(l.ctx, l.pool, uuid.New()); err != nil || s != (backup.Standing{}) {
		t.Errorf("a user with nothing: %+v, %v", s, err)
	}
}

// The SQL that names states and ranks them in the queue agrees with
// backup.StateOf and backup.Before for every small case.
func TestStateSQL(t *testing.T) {
	e := newEnv(t)
	e.catchUp()
	rows, err := e.pool.Query(e.ctx, `SELECT v.copies, b.redundancy, v.owner_seeding, `+stateSQL+`, `+rankSQL+`
		FROM (SELECT c AS copies, o AS owner_seeding FROM generate_series(0, 5) c, unnest(ARRAY[false, true]) o) v,
			(SELECT generate_series(1, 5) AS redundancy) b`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	rank := map[backup.State]int{}
	n := 0
	for rows.Next() {
		var copies, red, state, r int
		var owner bool
		if err := rows.Scan(&copies, &red, &owner, &state, &r); err != nil {
			t.Fatal(err)
		}
		n++
		if want := backup.StateOf(copies, red, owner); backup.State(state) != want {
			t.Errorf("copies %d of %d, owner seeding %v: SQL says %v, StateOf %v", copies, red, owner, backup.State(state), want)
		}
		rank[backup.State(state)] = r
	}
	if n != 60 || len(rank) != 4 {
		t.Fatalf("%d cases, %d states", n, len(rank))
	}
	for s1, r1 := range rank {
		for s2, r2 := range rank {
			if backup.Before(backup.QueueEntry{State: s1}, backup.QueueEntry{State: s2}) != (r1 < r2) {
				t.Errorf("%v before %v: SQL ranks %d, %d", s1, s2, r1, r2)
			}
		}
	}
}

// The queue lists the live versions that are not healthy, in
// backup.Before's order, a page at a time.
func TestQueue(t *testing.T) {
	e := newEnv(t)
	owner, ms := uuid.New(), int64(1_700_000_000_000)
	seeders := make([]domain.UserID, 5)
	for i := range seeders {
		seeders[i] = uuid.New()
	}
	points := []int64{0, 3000, 3000, 9000}
	var bks []uuid.UUID
	for i, p := range points {
		id := uuid.New()
		e.ap.Add(backup.BackupSubject(id), backup.BackupCreated{Backup: id, Owner: owner, Name: fmt.Sprint("b", i), Redundancy: 1 + i%3*2})
		e.ap.Add(backup.BackupSubject(id), backup.BackupPointsAssigned{Backup: id, Owner: owner, Milli: p})
		bks = append(bks, id)
	}
	want := map[domain.InfoHash]bool{}
	var deleted domain.InfoHash
	for i := range 16 {
		bk := bks[i%len(bks)]
		h := domain.InfoHash{0xee, byte(i)}
		e.ap.Register(h, 1<<20, backup.Category, owner)
		e.ap.Add(backup.BackupSubject(bk), backup.VersionAdded{Backup: bk, Owner: owner, Number: 1 + i/len(bks), InfoHash: h, Size: 1 << 20})
		var anns []domain.Announce
		for j := range i * 7 % 6 { // 0 to 5 other users' copies
			anns = append(anns, e.sw.Announce(ms, seeders[j], h, 1, domain.EventStarted, 0, 0))
		}
		if i%4 == 0 {
			anns = append(anns, e.sw.Announce(ms, owner, h, 1, domain.EventStarted, 0, 0))
		}
		if len(anns) > 0 {
			e.ap.Announce(anns...)
		}
		copies, n := i*7%6, 1+i%len(bks)%3*2
		want[h] = copies < n
		if i == 5 {
			deleted = h
		}
	}
	e.ap.Add(backup.BackupSubject(bks[1]), backup.VersionDeleted{Backup: bks[1], Owner: owner, Number: 2, InfoHash: deleted})
	want[deleted] = false
	e.catchUp()

	all, total, err := Queue(e.ctx, e.pool, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, w := range want {
		if w {
			n++
		}
	}
	if total != n || len(all) != n || n < 6 {
		t.Fatalf("queue of %d (total %d), want %d", len(all), total, n)
	}
	states := map[backup.State]bool{}
	for i, r := range all {
		states[r.State] = true
		if !want[r.InfoHash] || r.State == backup.Healthy {
			t.Errorf("%x (%v, %d of %d) is in the queue", r.InfoHash[:2], r.State, r.Copies, r.Redundancy)
		}
		if i > 0 && backup.Before(r.Entry(), all[i-1].Entry()) {
			t.Errorf("row %d %+v comes before row %d %+v", i, r.Entry(), i-1, all[i-1].Entry())
		}
	}
	if len(states) != 3 {
		t.Errorf("the queue holds states %v; the test wants all three", states)
	}
	page, total2, err := Queue(e.ctx, e.pool, 3, 2)
	if err != nil || total2 != total || len(page) != 3 || page[0].InfoHash != all[2].InfoHash || page[2].InfoHash != all[4].InfoHash {
		t.Errorf("page of 3 from 2: %d rows, total %d, %v", len(page), total2, err)
	}
	if tail, _, err := Queue(e.ctx, e.pool, 10, 100); err != nil || len(tail) != 0 {
		t.Errorf("past the end: %v, %v", tail, err)
	}
}

// Backups, a user's backups, staff's list and the totals over the
// conformance history.
func TestBackups(t *testing.T) {
	e := newEnv(t)
	s := backuptest.History(t, e.log, 3)
	e.catchUp()
	bk, err := Backup(e.ctx, e.pool, s.Backups[0])
	if err != nil {
		t.Fatal(err)
	}
	if bk.Name != "photos 3" || bk.Description != "raw files" || bk.Redundancy != 3 || bk.PointsMilli != 5000 || len(bk.Versions) != 2 ||
		bk.Versions[0].InfoHash != s.Versions[0] || !bk.Versions[1].Deleted || bk.LiveSize() != domain.GiB+1 {
		t.Errorf("backup %+v", bk)
	}
	if _, err := Backup(e.ctx, e.pool, uuid.New()); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("a backup that is not there: %v", err)
	}
	if _, err := VersionByHash(e.ctx, e.pool, s.Other); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("a torrent that is no version: %v", err)
	}
	mine, err := BackupsOf(e.ctx, e.pool, s.Users[0])
	if err != nil || len(mine) != 2 || mine[0].ID != s.Backups[1] || mine[1].ID != s.Backups[0] {
		t.Errorf("a's backups, newest first: %+v, %v", mine, err)
	}
	if none, err := BackupsOf(e.ctx, e.pool, s.Users[3]); err != nil || len(none) != 0 {
		t.Errorf("d's backups: %+v, %v", none, err)
	}
	all, total, err := AllBackups(e.ctx, e.pool, 1)
	if err != nil || total != 3 || len(all) != 3 || len(all[0].Versions) != 1 {
		t.Errorf("every backup: %d of %d, %v", len(all), total, err)
	}
	tot, err := Totals(e.ctx, e.pool)
	if err != nil {
		t.Fatal(err)
	}
	// v0 at risk (one other seeder), v2 lost, v3 under-replicated (one
	// other seeder and its owner); v1 deleted.
	want := TotalsRow{Backups: 3, Users: 2, Versions: 3, LiveBytes: domain.GiB + 1 + 5<<20 + 2*domain.GiB,
		States: [4]int{backup.AtRisk: 1, backup.Lost: 1, backup.UnderReplicated: 1}}
	if tot != want {
		t.Errorf("totals %+v, want %+v", tot, want)
	}
	hist, err := CopiesHistory(e.ctx, e.pool, s.Versions[0])
	if err != nil || len(hist) == 0 || !hist[0].OwnerSeeding || hist[len(hist)-1].Copies != 1 {
		t.Errorf("v0's history %+v, %v", hist, err)
	}
}
