package bench

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/nats-io/nats.go/jetstream"
)

// appendWindow is how many async appends are in flight at once: below the
// log's limit of pending async publishes, so an append never stalls out.
const appendWindow = 1000

// pending is one async append and what to do with its outcome.
type pending struct {
	subject string
	ev      domain.Event
	fut     jetstream.PubAckFuture
	seq     uint64
	exists  bool // the create-once subject was already taken
}

// appendAll appends the events with ExpectNew, appendWindow at a time,
// fills in each one's sequence or exists, counts both kinds in rep and
// returns the index of the item appended last (0 if none was). A conflict
// is not an error: the deterministic name or info hash was registered by an
// earlier run.
func appendAll(ctx context.Context, log *eventlog.Log, items []pending, rep *SetupReport) (last int, err error) {
	if err := appendWindows(ctx, log, items); err != nil {
		return 0, err
	}
	for i, p := range items {
		if p.exists {
			rep.Existing++
			continue
		}
		rep.Appended++
		if p.seq > items[last].seq {
			last = i
		}
	}
	return last, nil
}

func appendWindows(ctx context.Context, log *eventlog.Log, items []pending) error {
	for start := 0; start < len(items); start += appendWindow {
		win := items[start:min(start+appendWindow, len(items))]
		for i := range win {
			fut, err := log.AppendAsync(win[i].subject, win[i].ev, eventlog.ExpectNew(), eventlog.Actor(domain.ActorOperator))
			if err != nil {
				return fmt.Errorf("append %s: %w", win[i].subject, err)
			}
			win[i].fut = fut
		}
		for i := range win {
			if err := awaitAck(ctx, &win[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func awaitAck(ctx context.Context, p *pending) error {
	select {
	case ack := <-p.fut.Ok():
		p.seq = ack.Sequence
		return nil
	case err := <-p.fut.Err():
		var apiErr *jetstream.APIError
		if errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence {
			p.exists = true
			return nil
		}
		return fmt.Errorf("append %s: %w", p.subject, err)
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(30 * time.Second):
		return fmt.Errorf("append %s: no acknowledgement in 30s", p.subject)
	}
}

// ackWindow waits for async appends size at a time, so that no more are in
// flight than the log allows (see appendWindow).
type ackWindow struct {
	futs []jetstream.PubAckFuture
	size int
}

// add counts one more append in flight, waiting for the window's
// acknowledgements when it is full.
func (w *ackWindow) add(ctx context.Context, f jetstream.PubAckFuture) error {
	if w.futs = append(w.futs, f); len(w.futs) < w.size {
		return nil
	}
	return w.flush(ctx)
}

// flush waits for every append in flight.
func (w *ackWindow) flush(ctx context.Context) error {
	defer func() { w.futs = w.futs[:0] }()
	for _, f := range w.futs {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return fmt.Errorf("append: %w", err)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
