package app

import (
	"context"
	"errors"
	"time"

	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/tracker"
)

// quarantineQueue bounds the tracker's quarantined records waiting for the
// store. Beyond it a record is dropped from this run's reports (and
// logged): the tracker reads the whole log at every start, so it reports
// the record again next time; the tracker itself never waits.
const quarantineQueue = 1024

// trackerQuarantine returns the tracker's Config.OnQuarantine: it queues
// each record the tracker skips for the quarantine's store, which a
// goroutine of the roles writes until ctx ends. The tracker follows the
// log without waiting for PostgreSQL.
func (m *Main) trackerQuarantine(ctx context.Context) tracker.QuarantineFunc {
	node := m.cfg.Tracker.Node
	if node == "" {
		node = tracker.DefaultNode
	}
	consumer := "tracker:" + node
	queue := make(chan *eventlog.Quarantined, quarantineQueue)
	m.roles.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case q := <-queue:
				m.storeQuarantine(ctx, consumer, q)
			}
		}
	})
	return func(rec eventlog.Record, err error) {
		var q *eventlog.Quarantined
		if !errors.As(err, &q) {
			q = &eventlog.Quarantined{Seq: rec.Seq, Subject: rec.Subject, Type: rec.Meta.Type, Version: rec.Meta.Version, Err: err}
		}
		select {
		case queue <- q:
		default:
			m.logger.Error("quarantine: queue full; the tracker reports this event again at its next start", "seq", rec.Seq)
		}
	}
}

// storeQuarantine writes q, retrying while PostgreSQL is away, until ctx ends.
func (m *Main) storeQuarantine(ctx context.Context, consumer string, q *eventlog.Quarantined) {
	pause := 100 * time.Millisecond
	for {
		err := projections.RecordQuarantine(ctx, m.inst.Pool, consumer, q)
		if err == nil || ctx.Err() != nil {
			return
		}
		m.logger.Error("quarantine: cannot record a skipped event; retrying", "seq", q.Seq, "err", err, "pause", pause)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(pause*2, 10*time.Second)
	}
}
