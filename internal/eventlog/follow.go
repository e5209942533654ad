package eventlog

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// FollowOptions say where to start and when to stop.
type FollowOptions struct {
	From      uint64    // first sequence to deliver; 0 or 1 is the beginning
	StartTime time.Time // if set (and From is 0), start at the first event stored at or after it
	Subjects  []string  // filter; empty means every subject
	MaxBatch  int       // most records per batch; default 1000
	Until     uint64    // stop once this sequence was delivered or nothing is pending; 0 follows forever
}

// Batch is a run of records in stream order. CaughtUp is true when nothing
// was pending in the stream after its last record.
type Batch struct {
	Records  []Record
	CaughtUp bool
}

// Last is the sequence of the batch's last record, 0 if empty.
func (b Batch) Last() uint64 {
	if len(b.Records) == 0 {
		return 0
	}
	return b.Records[len(b.Records)-1].Seq
}

// pullMaxBytes bounds what the client asks for at once. Announce batches are
// ~100 KB each, so a bound in messages would let far more than NATS's 64 MB
// pending limit pile up in the subscription ("slow consumer", messages
// dropped); a bound in bytes keeps it well below.
const pullMaxBytes = 16 << 20

// errStop ends Follow without an error once Until is reached.
var errStop = errors.New("stop")

// Follow delivers the stream's events in order to fn, in batches of
// consecutive records: as many as have arrived, up to MaxBatch, so a
// consumer that is behind gets big batches and one that keeps up gets small
// ones. fn is called once with an empty, caught-up batch when nothing is
// pending at the start. Follow returns when ctx ends (nil), when Until is
// reached (nil), or with fn's first error. fn must not keep the Records
// slice after it returns: it is reused for the next batch.
func (l *Log) Follow(ctx context.Context, o FollowOptions, fn func(Batch) error) error {
	if o.MaxBatch <= 0 {
		o.MaxBatch = 1000
	}
	cfg := jetstream.OrderedConsumerConfig{FilterSubjects: o.Subjects, ReplayPolicy: jetstream.ReplayInstantPolicy}
	switch {
	case o.From > 1:
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, o.From
	case !o.StartTime.IsZero():
		t := o.StartTime
		cfg.DeliverPolicy, cfg.OptStartTime = jetstream.DeliverByStartTimePolicy, &t
	default:
		cfg.DeliverPolicy = jetstream.DeliverAllPolicy
	}
	if o.Until > 0 && o.From > o.Until {
		return nil
	}
	cons, err := l.stream.OrderedConsumer(ctx, cfg)
	if err != nil {
		return fmt.Errorf("follow the log: %w", err)
	}
	pending, err := l.pendingAtStart(ctx, cons, o)
	if err != nil {
		return err
	}
	if pending == 0 {
		if err := fn(Batch{CaughtUp: true}); err != nil {
			return err
		}
		if o.Until > 0 {
			return nil
		}
	}

	msgs := make(chan jetstream.Msg, o.MaxBatch)
	cc, err := cons.Consume(func(m jetstream.Msg) {
		select {
		case msgs <- m:
		case <-ctx.Done():
		}
	}, jetstream.PullMaxBytes(pullMaxBytes))
	if err != nil {
		return fmt.Errorf("follow the log: %w", err)
	}
	defer cc.Stop()

	err = deliverBatches(ctx, msgs, o, fn)
	if errors.Is(err, errStop) || (err != nil && ctx.Err() != nil) {
		return nil
	}
	return err
}

func (l *Log) pendingAtStart(ctx context.Context, cons jetstream.Consumer, o FollowOptions) (uint64, error) {
	if len(o.Subjects) == 0 && o.StartTime.IsZero() {
		last, err := l.LastSeq(ctx)
		if err != nil {
			return 0, err
		}
		from := max(o.From, 1)
		if last < from {
			return 0, nil
		}
		return last - from + 1, nil
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("follow the log: consumer info: %w", err)
	}
	return info.NumPending, nil
}

func deliverBatches(ctx context.Context, msgs <-chan jetstream.Msg, o FollowOptions, fn func(Batch) error) error {
	batch := make([]Record, 0, o.MaxBatch)
	for {
		var m jetstream.Msg
		select {
		case <-ctx.Done():
			return nil
		case m = <-msgs:
		}
		batch = batch[:0]
		caughtUp := false
		for {
			rec, pending, err := toRecord(m)
			if err != nil {
				return err
			}
			batch = append(batch, rec)
			caughtUp = pending == 0
			if len(batch) == o.MaxBatch || (o.Until > 0 && rec.Seq >= o.Until) {
				break
			}
			select {
			case m = <-msgs:
				continue
			default:
			}
			break
		}
		if err := fn(Batch{Records: batch, CaughtUp: caughtUp}); err != nil {
			return err
		}
		if o.Until > 0 && (batch[len(batch)-1].Seq >= o.Until || caughtUp) {
			return errStop
		}
	}
}

func toRecord(m jetstream.Msg) (Record, uint64, error) {
	md, err := m.Metadata()
	if err != nil {
		return Record{}, 0, fmt.Errorf("follow the log: %w", err)
	}
	return recordFromHeaders(md.Sequence.Stream, m.Subject(), m.Headers(), m.Data(), md.Timestamp), md.NumPending, nil
}
