package commands

import (
	"context"
	"errors"
	"fmt"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
)

// errTaken is what a refused create-once append returns before the caller
// says what was taken.
var errTaken = errors.New("taken")

// claim appends ev as the first event of subject: a create-once fact. It
// returns errTaken when the subject has an event already.
func (c *Commands) claim(ctx context.Context, op string, a Actor, subject string, ev domain.Event) error {
	_, err := c.log.Append(ctx, subject, ev, eventlog.ExpectNew(), eventlog.Actor(a.name()))
	if errors.Is(err, eventlog.ErrConflict) {
		return errTaken
	}
	return logError(ctx, op, err)
}

// change appends ev to an aggregate's subject whose last event, when the
// change was decided, was at sequence last (0: none). If the aggregate
// changed meanwhile nothing is appended and the error says to try again.
func (c *Commands) change(ctx context.Context, op string, a Actor, subject string, last uint64, ev domain.Event) error {
	_, err := c.changeSeq(ctx, op, a, subject, last, ev)
	return err
}

// changeSeq is change that also returns the appended event's sequence.
func (c *Commands) changeSeq(ctx context.Context, op string, a Actor, subject string, last uint64, ev domain.Event) (uint64, error) {
	seq, err := c.log.Append(ctx, subject, ev, eventlog.ExpectLastSubjectSeq(last), eventlog.Actor(a.name()))
	if errors.Is(err, eventlog.ErrConflict) {
		return 0, domain.E(op, domain.KindConflict, "it changed while this change was being made: try again")
	}
	return seq, logError(ctx, op, err)
}

// set appends ev to a subject that holds one setting, whose every event
// replaces the last: no expectation, the last write wins.
func (c *Commands) set(ctx context.Context, op string, a Actor, subject string, ev domain.Event) error {
	_, err := c.log.Append(ctx, subject, ev, eventlog.Actor(a.name()))
	return logError(ctx, op, err)
}

// logError is the error of an append or read that failed for want of the
// log, unless the asker gave up first (ctx ended).
func logError(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return domain.Wrap(op, ctx.Err())
	}
	return &domain.Error{Op: op, Kind: domain.KindUnavailable,
		Err: fmt.Errorf("the event log did not answer (%v): nothing was changed; try again", err)}
}

// read decodes every event on subject; last is the sequence of the last
// (0 when there is none). Records every consumer skips (see
// eventlog.Quarantined) are skipped here too, so the write side decides on
// the aggregate the tracker and the read models hold; they still count for
// last, which the next change is appended against.
func (c *Commands) read(ctx context.Context, op, subject string) (evs []domain.Event, last uint64, err error) {
	recs, err := c.log.Read(ctx, subject)
	if err != nil {
		return nil, 0, logError(ctx, op, err)
	}
	for _, rec := range recs {
		last = rec.Seq
		e, err := rec.DecodeChecked()
		if eventlog.IsQuarantined(err) {
			continue
		}
		if err != nil {
			return nil, 0, domain.Wrap(op, err)
		}
		evs = append(evs, e)
	}
	return evs, last, nil
}

// user loads the user named name: its registration (the claim of its
// name) with the changes on its subject applied. last is the sequence the
// next change expects. A forgotten user is not found: nothing changes
// them again.
func (c *Commands) user(ctx context.Context, op, name string) (u domain.User, last uint64, err error) {
	u, last, err = c.loadUser(ctx, op, name)
	if err == nil && u.Forgotten {
		return u, 0, domain.FieldE(op, "user", domain.KindNotFound, "no user named %q", name)
	}
	return u, last, err
}

// loadUser is user, forgotten users included (see loadAccount).
func (c *Commands) loadUser(ctx context.Context, op, name string) (u domain.User, last uint64, err error) {
	u, _, last, err = c.loadAccount(ctx, op, name)
	return u, last, err
}

// torrent loads the registered torrent h with its changes applied.
func (c *Commands) torrent(ctx context.Context, op string, h domain.InfoHash) (t domain.Torrent, last uint64, err error) {
	evs, last, err := c.read(ctx, op, domain.TorrentSubject(h))
	if err != nil {
		return t, 0, err
	}
	if len(evs) == 0 {
		return t, 0, domain.FieldE(op, "info_hash", domain.KindNotFound, "no torrent with info hash %s is registered", h)
	}
	reg, ok := evs[0].(domain.TorrentRegistered)
	if !ok {
		return t, 0, domain.E(op, domain.KindInternal, "torrent %s begins with a %s", h, evs[0].EventType())
	}
	t.TorrentRegistered = reg
	for _, e := range evs[1:] {
		t.Apply(e)
	}
	return t, last, nil
}

// liveTorrent is torrent, refusing a deleted one.
func (c *Commands) liveTorrent(ctx context.Context, op string, h domain.InfoHash) (domain.Torrent, uint64, error) {
	t, last, err := c.torrent(ctx, op, h)
	if err == nil && t.Deleted {
		err = domain.FieldE(op, "info_hash", domain.KindNotFound, "torrent %s (%s) was deleted", h, t.Name)
	}
	return t, last, err
}
