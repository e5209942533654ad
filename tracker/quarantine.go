package tracker

import (
	"errors"

	"github.com/djembe/djembe/internal/eventlog"
)

// QuarantineFunc is told of a log record the tracker skipped: the record
// and why (a *eventlog.Quarantined). It is called on the goroutine that
// follows the log, so it must return quickly (the wiring queues the record
// for the quarantine's store).
type QuarantineFunc func(rec eventlog.Record, err error)

// quarantine skips rec, which no consumer applies (err, from
// eventlog.Record's checks): the tracker counts it, logs it and tells
// Config.OnQuarantine. The tracker reads the whole log at every start, so
// it meets, and reports, the same records after each restart.
func (t *Tracker) quarantine(rec *eventlog.Record, err error) {
	t.quarantined.Add(1)
	t.metrics.quarantine()
	cause := err
	if q := (*eventlog.Quarantined)(nil); errors.As(err, &q) {
		cause = q.Err
	}
	t.cfg.Logger.Warn("event quarantined: skipped", "consumer", "tracker:"+t.cfg.Node, "seq", rec.Seq,
		"subject", rec.Subject, "type", rec.Meta.Type, "version", rec.Meta.Version, "err", cause)
	if t.cfg.OnQuarantine != nil {
		t.cfg.OnQuarantine(*rec, err)
	}
}

// Quarantined is how many log records this tracker skipped since it started.
func (t *Tracker) Quarantined() uint64 { return t.quarantined.Load() }
