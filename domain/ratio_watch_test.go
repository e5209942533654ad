package domain

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// withoutReasons is evs with the LeechingSets' Reason cleared: the tests
// compare what happens, and check separately that each says why.
func withoutReasons(t *testing.T, evs []Event) []Event {
	t.Helper()
	out := make([]Event, len(evs))
	for i, e := range evs {
		if l, ok := e.(LeechingSet); ok {
			if l.ByRatioWatch && l.Reason == "" {
				t.Errorf("the watch's %+v says no reason", l)
			}
			l.Reason = ""
			e = l
		}
		out[i] = e
	}
	return out
}

func TestDecideRatioWatch(t *testing.T) {
	id := uuid.MustParse("11111111-2222-3333-4444-555555555555")
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	deadline := now.Add(DefaultRatioGrace)
	const down = 10 * GiB
	below := RatioFigures{Uploaded: 1 * GiB, Downloaded: down, Required: 0.20}   // 0.10 < 0.20
	above := RatioFigures{Uploaded: 3 * GiB, Downloaded: down, Required: 0.20}   // 0.30
	exactly := RatioFigures{Uploaded: 2 * GiB, Downloaded: down, Required: 0.20} // 0.20: not below

	user := func(canLeech bool, w RatioWatch) User { return User{ID: id, CanLeech: canLeech, RatioWatch: w} }
	onWatch := RatioWatch{On: true, Deadline: deadline, Downloaded: down}
	disabledByWatch := RatioWatch{On: true, Deadline: deadline, Downloaded: down, LeechingDisabled: true}
	started := func(f RatioFigures, at time.Time, grace time.Duration) Event {
		return RatioWatchStarted{UserID: id, Deadline: at.Add(grace), Downloaded: f.Downloaded,
			Ratio: RatioOf(f.Uploaded, f.Downloaded), Required: f.Required}
	}
	disable := LeechingSet{UserID: id, CanLeech: false, ByRatioWatch: true}
	restore := LeechingSet{UserID: id, CanLeech: true, ByRatioWatch: true}
	ended := RatioWatchEnded{UserID: id, Reason: RatioWatchRecovered}

	tests := []struct {
		name   string
		u      User
		f      RatioFigures
		now    time.Time
		policy RatioWatchPolicy
		want   []Event
	}{
		{"above, not on watch: nothing", user(true, RatioWatch{}), above, now, RatioWatchPolicy{}, nil},
		{"exactly at the requirement: nothing", user(true, RatioWatch{}), exactly, now, RatioWatchPolicy{}, nil},
		{"nothing downloaded: never below", user(true, RatioWatch{}), RatioFigures{Required: 0.6}, now, RatioWatchPolicy{}, nil},
		{"nothing required: never below", user(true, RatioWatch{}), RatioFigures{Downloaded: 4 * GiB}, now, RatioWatchPolicy{}, nil},
		{"below: on watch for two weeks", user(true, RatioWatch{}), below, now, RatioWatchPolicy{},
			[]Event{started(below, now, DefaultRatioGrace)}},
		{"below: on watch for the grace configured", user(true, RatioWatch{}), below, now, RatioWatchPolicy{Grace: 72 * time.Hour},
			[]Event{started(below, now, 72*time.Hour)}},
		{"the deadline is whole seconds in UTC", user(true, RatioWatch{}), below,
			now.Add(1500 * time.Millisecond).In(time.FixedZone("X", 3600)), RatioWatchPolicy{},
			[]Event{started(below, now.Add(time.Second), DefaultRatioGrace)}},
		{"below with leeching disabled by staff: no watch", user(false, RatioWatch{}), below, now, RatioWatchPolicy{}, nil},
		{"below on watch before the deadline: nothing", user(true, onWatch), below, deadline.Add(-time.Second), RatioWatchPolicy{}, nil},
		{"below on watch at the deadline: leeching goes", user(true, onWatch), below, deadline, RatioWatchPolicy{}, []Event{disable}},
		{"below on watch after the deadline: leeching goes", user(true, onWatch), below, deadline.Add(time.Hour), RatioWatchPolicy{}, []Event{disable}},
		{"below after the deadline, leeching gone already: nothing", user(false, disabledByWatch), below, deadline.Add(time.Hour), RatioWatchPolicy{}, nil},
		{"below after the deadline, staff took leeching: nothing", user(false, onWatch), below, deadline.Add(time.Hour), RatioWatchPolicy{}, nil},
		{"recovers before the deadline: watch ends", user(true, onWatch), above, now, RatioWatchPolicy{}, []Event{ended}},
		{"recovers after the deadline, leeching kept by staff's grace: watch ends", user(true, onWatch), above, deadline.Add(time.Hour), RatioWatchPolicy{}, []Event{ended}},
		{"recovers exactly to the requirement: watch ends", user(true, onWatch), exactly, now, RatioWatchPolicy{}, []Event{ended}},
		{"recovers while disabled by the watch: leeching back, watch ends", user(false, disabledByWatch), above, deadline.Add(time.Hour), RatioWatchPolicy{},
			[]Event{restore, ended}},
		{"recovers while staff has leeching off: watch ends, leeching stays off", user(false, onWatch), above, deadline.Add(time.Hour), RatioWatchPolicy{},
			[]Event{ended}},
		{"the requirement drops to nothing: watch ends", user(true, onWatch), RatioFigures{Downloaded: down}, now, RatioWatchPolicy{}, []Event{ended}},
		{"downloads past the allowance on watch: leeching goes early", user(true, onWatch),
			RatioFigures{Uploaded: 1 * GiB, Downloaded: down + 10*GiB + 1, Required: 0.20}, now, RatioWatchPolicy{}, []Event{disable}},
		{"downloads exactly the allowance: nothing", user(true, onWatch),
			RatioFigures{Uploaded: 1 * GiB, Downloaded: down + 10*GiB, Required: 0.20}, now, RatioWatchPolicy{}, nil},
		{"an allowance configured", user(true, onWatch),
			RatioFigures{Uploaded: 1 * GiB, Downloaded: down + 2*GiB, Required: 0.20}, now, RatioWatchPolicy{Allowance: 1 * GiB}, []Event{disable}},
		{"less downloaded than at the start (an amnesty): nothing", user(true, onWatch),
			RatioFigures{Uploaded: 0, Downloaded: down - 5*GiB, Required: 0.20}, now, RatioWatchPolicy{}, nil},
		{"disabled user: nothing", User{ID: id, CanLeech: true, Disabled: true}, below, now, RatioWatchPolicy{}, nil},
		{"forgotten user on watch past the deadline: nothing", User{ID: id, CanLeech: true, Disabled: true, Forgotten: true, RatioWatch: onWatch},
			below, deadline.Add(time.Hour), RatioWatchPolicy{}, nil},
		{"watch over but leeching still off by it, above: leeching back", user(false, RatioWatch{LeechingDisabled: true}), above, now, RatioWatchPolicy{},
			[]Event{restore}},
		{"watch over but leeching still off by it, below: leeching back, new watch", user(false, RatioWatch{LeechingDisabled: true}), below, now, RatioWatchPolicy{},
			[]Event{restore, started(below, now, DefaultRatioGrace)}},
	}
	for _, tt := range tests {
		got := withoutReasons(t, DecideRatioWatch(tt.u, tt.f, tt.now, tt.policy))
		if len(got) != len(tt.want) || len(got) > 0 && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

// TestRatioWatchThroughTheAggregate runs the decisions against the user
// aggregate the write side keeps, applying each decision's events, over a
// user's life: on watch, leeching lost at the deadline, back on recovery;
// and staff's own disabling, which the watch never undoes.
func TestRatioWatchThroughTheAggregate(t *testing.T) {
	id := uuid.New()
	u := NewUser(UserRegistered{UserID: id}, Personal{Name: "leo"})
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	step := func(f RatioFigures, now time.Time, want ...string) {
		t.Helper()
		evs := DecideRatioWatch(u, f, now, RatioWatchPolicy{})
		var types []string
		for _, e := range evs {
			types = append(types, e.EventType())
			u.Apply(e)
		}
		if strings.Join(types, ",") != strings.Join(want, ",") {
			t.Fatalf("at %s with %+v: decided %v, want %v", now, f, types, want)
		}
	}
	poor := RatioFigures{Uploaded: 0, Downloaded: 6 * GiB, Required: 0.15}
	rich := RatioFigures{Uploaded: 1 * GiB, Downloaded: 6 * GiB, Required: 0.15}

	step(poor, t0, TypeRatioWatchStarted)
	if !u.RatioWatch.On || !u.RatioWatch.Deadline.Equal(t0.Add(DefaultRatioGrace)) || u.RatioWatch.Downloaded != 6*GiB {
		t.Fatalf("on watch: %+v", u.RatioWatch)
	}
	step(poor, t0.Add(time.Hour))                          // within the grace: nothing
	step(poor, t0.Add(DefaultRatioGrace), TypeLeechingSet) // the deadline
	if u.CanLeech || !u.RatioWatch.LeechingDisabled || !u.RatioWatch.On {
		t.Fatalf("after the deadline: can leech %v, %+v", u.CanLeech, u.RatioWatch)
	}
	step(poor, t0.Add(DefaultRatioGrace+time.Hour)) // decided once
	step(rich, t0.Add(DefaultRatioGrace+2*time.Hour), TypeLeechingSet, TypeRatioWatchEnded)
	if !u.CanLeech || u.RatioWatch != (RatioWatch{}) {
		t.Fatalf("after recovering: can leech %v, %+v", u.CanLeech, u.RatioWatch)
	}

	// Again below, leeching lost; then staff takes leeching too: recovering
	// ends the watch but leaves staff's decision.
	t1 := t0.Add(30 * 24 * time.Hour)
	step(poor, t1, TypeRatioWatchStarted)
	step(poor, t1.Add(DefaultRatioGrace), TypeLeechingSet)
	u.Apply(LeechingSet{UserID: id, CanLeech: false}) // staff
	if u.RatioWatch.LeechingDisabled {
		t.Fatal("staff's LeechingSet left the leeching the watch's")
	}
	step(rich, t1.Add(DefaultRatioGrace+time.Hour), TypeRatioWatchEnded)
	if u.CanLeech {
		t.Fatal("the watch gave back leeching staff took")
	}

	// Staff gives leeching back to a user on watch past the deadline: the
	// watch takes it again at its next run, as Gazelle's does.
	u.Apply(LeechingSet{UserID: id, CanLeech: true})
	t2 := t1.Add(30 * 24 * time.Hour)
	step(poor, t2, TypeRatioWatchStarted)
	step(poor, t2.Add(DefaultRatioGrace), TypeLeechingSet)
	u.Apply(LeechingSet{UserID: id, CanLeech: true}) // staff
	step(poor, t2.Add(DefaultRatioGrace+time.Hour), TypeLeechingSet)

	// Another user's events change nothing.
	before := u
	u.Apply(RatioWatchEnded{UserID: uuid.New(), Reason: RatioWatchRecovered})
	u.Apply(RatioWatchStarted{UserID: uuid.New()})
	if u != before {
		t.Fatal("another user's watch events changed this one")
	}
}

func TestRatioWatchEventsInTheLog(t *testing.T) {
	id := uuid.New()
	deadline := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	for _, e := range []Event{
		RatioWatchStarted{UserID: id, Deadline: deadline, Downloaded: 6 * GiB, Ratio: 0.1, Required: 0.15},
		RatioWatchEnded{UserID: id, Reason: RatioWatchRecovered},
		LeechingSet{UserID: id, CanLeech: false, ByRatioWatch: true, Reason: "ratio watch: deadline"},
	} {
		v, p, err := Encode(e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(e.EventType(), v, p)
		if err != nil || !reflect.DeepEqual(got, e) {
			t.Fatalf("%s came back as %+v (%v), want %+v", e.EventType(), got, err, e)
		}
		if err := CheckEventPlacement(UserSubject(id), e); err != nil {
			t.Errorf("%s on its user: %v", e.EventType(), err)
		}
		if err := CheckEventPlacement(UserSubject(uuid.New()), e); err == nil {
			t.Errorf("%s placed on another user", e.EventType())
		}
	}
	// A LeechingSet from before v2 is staff's.
	v1, _ := json.Marshal(map[string]any{"user_id": id, "can_leech": false})
	got, err := Decode(TypeLeechingSet, 1, v1)
	if err != nil || got != (LeechingSet{UserID: id, CanLeech: false}) {
		t.Fatalf("LeechingSet v1: %+v (%v)", got, err)
	}
}
