package backup

import (
	"context"
	"os"
	"testing"
	"time"

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
	if v3.Copies != 1 || !v3.OwnerSeeding || v3.State != backup.AtRisk {
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
