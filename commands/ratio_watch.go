package commands

import (
	"context"
	"errors"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
)

// RatioStanding is what the ratio watch judges one user by: their credited
// totals and required ratio (projections.Standing.Figures), as the read
// models have them.
type RatioStanding struct {
	UserID  domain.UserID
	Figures domain.RatioFigures
}

// RatioWatchRun counts what one run of the ratio watch appended.
type RatioWatchRun struct {
	Started          int `json:"started"`           // users put on watch
	Ended            int `json:"ended"`             // users who recovered
	LeechingTaken    int `json:"leeching_taken"`    // at the deadline, or past the allowance
	LeechingRestored int `json:"leeching_restored"` // on recovery
}

// ratioWatchTries is how often a user's decision is made again when their
// subject changed between the read and the append.
const ratioWatchTries = 3

// EnforceRatioWatch brings the ratio watch of each user in standings up to
// date at now, under policy p (domain.DecideRatioWatch). The figures are
// the read models'; the rest of what is decided on (on watch, deadline,
// leeching and who took it, disabled) is the user's subject as the log
// holds it, read afresh, so a lagging read model cannot undo a change.
// The events are appended on the user's subject by the system, each
// expecting the subject's last sequence: when the subject changed
// meanwhile (staff set leeching, say), the user is decided again.
//
// standings name registered users (callers pass those whose standing the
// read models say needs a change). A user who fails does not stop the
// others: the error joins every user's, and the run counts what was
// appended.
func (c *Commands) EnforceRatioWatch(ctx context.Context, now time.Time, p domain.RatioWatchPolicy, standings []RatioStanding) (RatioWatchRun, error) {
	const op = "enforce ratio watch"
	var run RatioWatchRun
	var errs []error
	for _, s := range standings {
		if ctx.Err() != nil {
			return run, errors.Join(append(errs, domain.Wrap(op, ctx.Err()))...)
		}
		if err := c.enforceRatioWatch(ctx, op, now, p, s, &run); err != nil {
			errs = append(errs, err)
		}
	}
	return run, errors.Join(errs...)
}

// enforceRatioWatch decides and appends one user's watch events.
func (c *Commands) enforceRatioWatch(ctx context.Context, op string, now time.Time, p domain.RatioWatchPolicy, s RatioStanding, run *RatioWatchRun) error {
	subject := domain.UserSubject(s.UserID)
	for try := 1; ; try++ {
		evs, last, err := c.read(ctx, op, subject)
		if err != nil {
			return err
		}
		u := domain.User{ID: s.UserID, CanLeech: true} // as registered (NewUser)
		for _, e := range evs {
			u.Apply(e)
		}
		conflict := false
		for _, ev := range domain.DecideRatioWatch(u, s.Figures, now, p) {
			seq, err := c.log.Append(ctx, subject, ev, eventlog.ExpectLastSubjectSeq(last), eventlog.Actor(domain.ActorSystem))
			if errors.Is(err, eventlog.ErrConflict) {
				conflict = true
				break
			}
			if err != nil {
				return logError(ctx, op, err)
			}
			last = seq
			run.count(ev)
		}
		switch {
		case !conflict:
			return nil
		case try == ratioWatchTries:
			return domain.E(op, domain.KindConflict, "user %s changed while their ratio watch was decided, %d times: the next run tries again",
				s.UserID, ratioWatchTries)
		}
	}
}

func (r *RatioWatchRun) count(ev domain.Event) {
	switch ev := ev.(type) {
	case domain.RatioWatchStarted:
		r.Started++
	case domain.RatioWatchEnded:
		r.Ended++
	case domain.LeechingSet:
		if ev.CanLeech {
			r.LeechingRestored++
		} else {
			r.LeechingTaken++
		}
	}
}
