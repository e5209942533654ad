package eventlog

import (
	"fmt"
	"strconv"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
)

// Record is one stored event: its stream sequence, subject, envelope and the
// undecoded payload. Consumers check Meta.Type before paying for Decode.
type Record struct {
	Seq     uint64
	Subject string
	Meta    domain.Meta
	Data    []byte
}

// Decode returns the event in its newest shape (see domain.Decode). It
// checks nothing else: consumers read with DecodeChecked.
func (r Record) Decode() (domain.Event, error) {
	e, err := domain.Decode(r.Meta.Type, r.Meta.Version, r.Data)
	if err != nil {
		return nil, fmt.Errorf("event %d on %s: %w", r.Seq, r.Subject, err)
	}
	return e, nil
}

// recordFromHeaders reads a stored message's envelope. It never fails: a
// message without a type header keeps an empty Meta.Type, one without a
// valid version header a Meta.Version of 0, and CheckKnown quarantines it,
// so one bad message stops no consumer.
func recordFromHeaders(seq uint64, subject string, h nats.Header, data []byte, stored time.Time) Record {
	r := Record{Seq: seq, Subject: subject, Data: data}
	r.Meta.Type = h.Get(HeaderType)
	if v, err := strconv.Atoi(h.Get(HeaderVersion)); err == nil && v > 0 {
		r.Meta.Version = v
	}
	r.Meta.ID, _ = uuid.Parse(h.Get(nats.MsgIdHdr))
	r.Meta.Actor = h.Get(HeaderActor)
	r.Meta.Time = stored
	if t, err := time.Parse(time.RFC3339Nano, h.Get(HeaderTime)); err == nil {
		r.Meta.Time = t
	}
	return r
}
