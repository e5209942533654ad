package eventlog

import (
	"context"
	"errors"
	"fmt"

	"github.com/djembe/djembe/domain"
	"github.com/nats-io/nats.go/jetstream"
)

// Get reads the record at seq (a message get, which every role may do). A
// sequence the stream does not hold is a KindNotFound error.
func (l *Log) Get(ctx context.Context, seq uint64) (Record, error) {
	m, err := l.stream.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return Record{}, domain.E("read event", domain.KindNotFound, "no event %d", seq)
	}
	if err != nil {
		return Record{}, fmt.Errorf("read event %d: %w", seq, err)
	}
	return recordFromHeaders(m.Sequence, m.Subject, m.Header, m.Data, m.Time), nil
}
