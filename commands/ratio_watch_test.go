package commands

import (
	"context"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
)

func (e *env) enforce(c *Commands, now time.Time, standings ...RatioStanding) RatioWatchRun {
	e.t.Helper()
	run, err := c.EnforceRatioWatch(e.ctx, now, domain.RatioWatchPolicy{}, standings)
	if err != nil {
		e.t.Fatal(err)
	}
	return run
}

// TestEnforceRatioWatch runs the watch against the real log: a user below
// their requirement goes on watch, loses leeching at the deadline, and
// gets it back on recovering; every change is by the system on their
// subject, and a run with nothing to change appends nothing.
func TestEnforceRatioWatch(t *testing.T) {
	e := newEnv(t)
	leo := e.register("leo", false).User
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	poor := RatioStanding{UserID: leo.ID, Figures: domain.RatioFigures{Downloaded: 6 * domain.GiB, Required: 0.15}}
	rich := RatioStanding{UserID: leo.ID, Figures: domain.RatioFigures{Uploaded: domain.GiB, Downloaded: 6 * domain.GiB, Required: 0.15}}
	subject := domain.UserSubject(leo.ID)

	before := e.last()
	if run := e.enforce(e.c, now, poor); run != (RatioWatchRun{Started: 1}) {
		t.Fatalf("first run: %+v", run)
	}
	started, ok := e.one(before, subject, domain.ActorSystem).(domain.RatioWatchStarted)
	if !ok || !started.Deadline.Equal(now.Add(domain.DefaultRatioGrace)) || started.Downloaded != 6*domain.GiB || started.Required != 0.15 {
		t.Fatalf("appended %+v", started)
	}

	before = e.last()
	if run := e.enforce(e.c, now.Add(time.Hour), poor); run != (RatioWatchRun{}) || e.last() != before {
		t.Fatalf("a run within the grace appended %+v", run)
	}

	if run := e.enforce(e.c, now.Add(domain.DefaultRatioGrace), poor); run != (RatioWatchRun{LeechingTaken: 1}) {
		t.Fatalf("at the deadline: %+v", run)
	}
	if l, ok := e.one(before, subject, domain.ActorSystem).(domain.LeechingSet); !ok || l.CanLeech || !l.ByRatioWatch || l.Reason == "" {
		t.Fatalf("at the deadline appended %+v", l)
	}
	before = e.last()
	e.enforce(e.c, now.Add(domain.DefaultRatioGrace+time.Hour), poor)
	if e.last() != before {
		t.Fatal("leeching was taken twice")
	}

	if run := e.enforce(e.c, now.Add(domain.DefaultRatioGrace+2*time.Hour), rich); run != (RatioWatchRun{Ended: 1, LeechingRestored: 1}) {
		t.Fatalf("on recovery: %+v", run)
	}
	evs := e.appended(before)
	if len(evs) != 2 || evs[0].event.(domain.LeechingSet) != (domain.LeechingSet{UserID: leo.ID, CanLeech: true, ByRatioWatch: true,
		Reason: evs[0].event.(domain.LeechingSet).Reason}) || evs[1].event != (domain.RatioWatchEnded{UserID: leo.ID, Reason: domain.RatioWatchRecovered}) {
		t.Fatalf("on recovery appended %+v", evs)
	}
	u, _, err := e.c.user(e.ctx, "test", "leo")
	if err != nil || !u.CanLeech || u.RatioWatch != (domain.RatioWatch{}) {
		t.Fatalf("leo after recovering: %+v, %v", u, err)
	}
}

// TestEnforceRatioWatchLeavesStaffLeeching checks that leeching staff took
// is never given back by the watch, also when staff took it after the
// watch did.
func TestEnforceRatioWatchLeavesStaffLeeching(t *testing.T) {
	e := newEnv(t)
	mo := e.register("mo", false).User
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	poor := RatioStanding{UserID: mo.ID, Figures: domain.RatioFigures{Downloaded: 6 * domain.GiB, Required: 0.15}}
	rich := RatioStanding{UserID: mo.ID, Figures: domain.RatioFigures{Uploaded: domain.GiB, Downloaded: 6 * domain.GiB, Required: 0.15}}
	e.enforce(e.c, now, poor)
	e.enforce(e.c, now.Add(domain.DefaultRatioGrace), poor)
	if _, err := e.c.SetLeeching(e.ctx, Operator, "mo", false); err != nil {
		t.Fatal(err)
	}
	if run := e.enforce(e.c, now.Add(domain.DefaultRatioGrace+time.Hour), rich); run != (RatioWatchRun{Ended: 1}) {
		t.Fatalf("recovering under staff's ban on leeching: %+v", run)
	}
	if u, _, _ := e.c.user(e.ctx, "test", "mo"); u.CanLeech || u.RatioWatch.On {
		t.Fatalf("mo: %+v", u)
	}
	// Below again while staff has leeching off: no watch (nothing to take).
	if run := e.enforce(e.c, now.Add(30*24*time.Hour), poor); run != (RatioWatchRun{}) {
		t.Fatalf("below with staff's ban on leeching: %+v", run)
	}
	// Disabled users are left alone.
	if _, err := e.c.SetLeeching(e.ctx, Operator, "mo", true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.DisableUser(e.ctx, Operator, "mo", "test"); err != nil {
		t.Fatal(err)
	}
	if run := e.enforce(e.c, now.Add(31*24*time.Hour), poor); run != (RatioWatchRun{}) {
		t.Fatalf("a disabled user: %+v", run)
	}
}

// racingLog appends staff's event on the user's subject just before the
// first append it is asked for, as a staff member acting at that moment
// would.
type racingLog struct {
	*eventlog.Log
	subject string
	staff   domain.Event
	raced   bool
}

func (l *racingLog) Append(ctx context.Context, subject string, e domain.Event, opts ...eventlog.AppendOption) (uint64, error) {
	if !l.raced && subject == l.subject {
		l.raced = true
		if _, err := l.Log.Append(ctx, l.subject, l.staff, eventlog.Actor(domain.ActorOperator)); err != nil {
			return 0, err
		}
	}
	return l.Log.Append(ctx, subject, e, opts...)
}

// TestEnforceRatioWatchDecidesAgainOnARace has staff take a user's
// leeching between the watch's read and its append: the append is refused
// (optimistic concurrency), the user is decided again, and the watch
// appends nothing of its own, so staff's ban stays staff's.
func TestEnforceRatioWatchDecidesAgainOnARace(t *testing.T) {
	e := newEnv(t)
	nu := e.register("nu", false).User
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	poor := RatioStanding{UserID: nu.ID, Figures: domain.RatioFigures{Downloaded: 6 * domain.GiB, Required: 0.15}}
	e.enforce(e.c, now, poor)
	racing := &racingLog{Log: e.log, subject: domain.UserSubject(nu.ID), staff: domain.LeechingSet{UserID: nu.ID, CanLeech: false}}
	before := e.last()
	if run := e.enforce(New(racing, Keys{}), now.Add(domain.DefaultRatioGrace), poor); run != (RatioWatchRun{}) {
		t.Fatalf("the race: %+v", run)
	}
	if l := e.one(before, domain.UserSubject(nu.ID), domain.ActorOperator).(domain.LeechingSet); l.ByRatioWatch || l.CanLeech {
		t.Fatalf("after the race the log has %+v", l)
	}
	if u, _, _ := e.c.user(e.ctx, "test", "nu"); u.CanLeech || u.RatioWatch.LeechingDisabled || !u.RatioWatch.On {
		t.Fatalf("nu: %+v", u)
	}
}
