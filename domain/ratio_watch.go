package domain

import (
	"fmt"
	"time"
)

// The ratio watch, as on what.cd: a user whose ratio falls below what
// they must keep (RatioTable.Required) is put on watch with a deadline a
// grace period away. Recovering (their ratio meets the requirement again)
// ends the watch, whenever it happens. At the deadline, still below, they
// lose leeching (they may still seed) until they recover; leeching is
// also lost before the deadline by downloading more than an allowance
// while on watch. Every step is an event on the user's subject:
// RatioWatchStarted, RatioWatchEnded, and LeechingSet with ByRatioWatch.
//
// Leeching the watch took away is restored by the watch when the user
// recovers; leeching staff took away (a LeechingSet without ByRatioWatch,
// also one appended while the watch had leeching disabled) is never
// restored by the watch.

// DefaultRatioGrace is how long a user on watch has to recover: two weeks,
// as on what.cd.
const DefaultRatioGrace = 14 * 24 * time.Hour

// DefaultRatioWatchAllowance is how much a user on watch may download
// (credited, since the watch began) before losing leeching ahead of the
// deadline: 10 GiB, Gazelle's RATIO_GAMBLE.
const DefaultRatioWatchAllowance = 10 * GiB

// RatioWatchRecovered is the reason a watch ends when the user's ratio
// meets their requirement again.
const RatioWatchRecovered = "recovered"

// Event types of the ratio watch.
const (
	TypeRatioWatchStarted = "RatioWatchStarted"
	TypeRatioWatchEnded   = "RatioWatchEnded"
)

// RatioWatchStarted puts a user on ratio watch: below Required, they must
// recover by Deadline or lose leeching. Downloaded is their credited
// download at the start, from which the allowance counts; Ratio and
// Required are what put them on watch.
type RatioWatchStarted struct {
	UserID     UserID    `json:"user_id"`
	Deadline   time.Time `json:"deadline"`
	Downloaded uint64    `json:"downloaded"`
	Ratio      Ratio     `json:"ratio"`
	Required   Ratio     `json:"required"`
}

func (RatioWatchStarted) EventType() string { return TypeRatioWatchStarted }

// RatioWatchEnded takes a user off ratio watch; Reason says why
// (RatioWatchRecovered).
type RatioWatchEnded struct {
	UserID UserID `json:"user_id"`
	Reason string `json:"reason"`
}

func (RatioWatchEnded) EventType() string { return TypeRatioWatchEnded }

// RatioWatch is a user's ratio-watch state, as the events on their subject
// left it (User.Apply keeps it).
type RatioWatch struct {
	On         bool      // between a RatioWatchStarted and a RatioWatchEnded
	Deadline   time.Time // while On: when leeching goes if still below
	Downloaded uint64    // while On: credited download when the watch began
	// LeechingDisabled: the user's leeching was taken away by the watch
	// (LeechingSet with ByRatioWatch) and nobody has set it since.
	LeechingDisabled bool
}

// applyRatioWatch applies a watch event of u's to u.
func (u *User) applyRatioWatch(e Event) {
	switch e := e.(type) {
	case RatioWatchStarted:
		if e.UserID == u.ID {
			u.RatioWatch.On, u.RatioWatch.Deadline, u.RatioWatch.Downloaded = true, e.Deadline, e.Downloaded
		}
	case RatioWatchEnded:
		if e.UserID == u.ID {
			u.RatioWatch.On, u.RatioWatch.Deadline, u.RatioWatch.Downloaded = false, time.Time{}, 0
		}
	}
}

// RatioWatchPolicy is how the watch treats users; zero fields are the
// defaults.
type RatioWatchPolicy struct {
	Grace time.Duration // time to recover once on watch; 0: DefaultRatioGrace
	// Allowance is what a user may download on watch before losing
	// leeching early; 0: DefaultRatioWatchAllowance. A huge value (say
	// math.MaxUint64) turns the early loss off.
	Allowance uint64
}

// GraceOrDefault is the grace period in force.
func (p RatioWatchPolicy) GraceOrDefault() time.Duration {
	if p.Grace <= 0 {
		return DefaultRatioGrace
	}
	return p.Grace
}

// AllowanceOrDefault is the download allowance in force.
func (p RatioWatchPolicy) AllowanceOrDefault() uint64 {
	if p.Allowance == 0 {
		return DefaultRatioWatchAllowance
	}
	return p.Allowance
}

// RatioFigures are what the watch judges a user by: their credited totals
// and the ratio they must keep.
type RatioFigures struct {
	Uploaded, Downloaded uint64
	Required             Ratio
}

// Below reports whether the user's ratio is under their requirement. A
// user who downloaded nothing is never below.
func (f RatioFigures) Below() bool {
	return f.Downloaded > 0 && RatioOf(f.Uploaded, f.Downloaded) < f.Required
}

// DecideRatioWatch decides the events that bring user u's ratio watch up
// to date at now, given their figures f: none when nothing changes, else
// in the order to append them.
//
//   - Not on watch and below: RatioWatchStarted, deadline now + grace. Not
//     while staff has leeching disabled (it cannot be taken twice).
//   - On watch and no longer below: leeching back (LeechingSet, CanLeech,
//     ByRatioWatch) if the watch took it, then RatioWatchEnded (recovered).
//   - On watch, below, and able to leech: at or after the deadline, or
//     having downloaded more than the allowance since the watch began,
//     LeechingSet without leeching, ByRatioWatch. The user stays on watch.
//   - Leeching taken by the watch but the watch over (ended some other
//     way): leeching back, then the first rule.
//
// Disabled and forgotten users are left as they are: they announce
// nothing.
func DecideRatioWatch(u User, f RatioFigures, now time.Time, p RatioWatchPolicy) []Event {
	if u.Disabled || u.Forgotten {
		return nil
	}
	w, ratio, below := u.RatioWatch, RatioOf(f.Uploaded, f.Downloaded), f.Below()
	var evs []Event
	restore := func(why string) {
		evs = append(evs, LeechingSet{UserID: u.ID, CanLeech: true, ByRatioWatch: true, Reason: why})
	}
	switch {
	case !w.On:
		canLeech := u.CanLeech
		if w.LeechingDisabled {
			restore("ratio watch over")
			canLeech = true
		}
		if below && canLeech {
			evs = append(evs, RatioWatchStarted{UserID: u.ID, Deadline: now.Add(p.GraceOrDefault()).UTC().Truncate(time.Second),
				Downloaded: f.Downloaded, Ratio: ratio, Required: f.Required})
		}
	case !below:
		if w.LeechingDisabled {
			restore(fmt.Sprintf("ratio watch: ratio %s meets the required %s", ratio, f.Required))
		}
		evs = append(evs, RatioWatchEnded{UserID: u.ID, Reason: RatioWatchRecovered})
	case w.LeechingDisabled || !u.CanLeech:
		// Leeching is off already: by the watch, or by staff, whose
		// decision stands.
	case !now.Before(w.Deadline):
		evs = append(evs, LeechingSet{UserID: u.ID, CanLeech: false, ByRatioWatch: true,
			Reason: fmt.Sprintf("ratio watch: ratio %s still below the required %s at the deadline", ratio, f.Required)})
	case f.Downloaded > w.Downloaded && f.Downloaded-w.Downloaded > p.AllowanceOrDefault():
		evs = append(evs, LeechingSet{UserID: u.ID, CanLeech: false, ByRatioWatch: true,
			Reason: fmt.Sprintf("ratio watch: downloaded %.2f GiB while on watch, more than the %.2f GiB allowed",
				float64(f.Downloaded-w.Downloaded)/GiB, float64(p.AllowanceOrDefault())/GiB)})
	}
	return evs
}

func init() {
	RegisterJSON[RatioWatchStarted](1, nil)
	RegisterJSON[RatioWatchEnded](1, nil)
	RegisterPlacement(TypeRatioWatchStarted, Placement{Prefix: subjectUser,
		Subject: func(e Event) string { return UserSubject(e.(RatioWatchStarted).UserID) }})
	RegisterPlacement(TypeRatioWatchEnded, Placement{Prefix: subjectUser,
		Subject: func(e Event) string { return UserSubject(e.(RatioWatchEnded).UserID) }})
}
