package eventlog

import (
	"errors"
	"fmt"

	"github.com/djembe/djembe/domain"
)

// Quarantined is the error of a record that no consumer applies: it has no
// envelope, this build cannot decode it (an unknown type or version, bad
// bytes), or its type does not belong on its subject (domain.ErrMisplaced).
// Whether a record is quarantined depends only on the record and the
// build, never on what a consumer holds, so every consumer (the tracker,
// each projector, the write side folding an aggregate) skips the same
// records, live and in a replay alike.
type Quarantined struct {
	Seq     uint64
	Subject string
	Type    string
	Version int
	Err     error
}

func (q *Quarantined) Error() string {
	return fmt.Sprintf("event %d (%s v%d) on %s is quarantined: %v", q.Seq, q.Type, q.Version, q.Subject, q.Err)
}

func (q *Quarantined) Unwrap() error { return q.Err }

// IsQuarantined reports whether err is (or wraps) a *Quarantined.
func IsQuarantined(err error) bool {
	var q *Quarantined
	return errors.As(err, &q)
}

func (r Record) quarantined(err error) *Quarantined {
	return &Quarantined{Seq: r.Seq, Subject: r.Subject, Type: r.Meta.Type, Version: r.Meta.Version, Err: err}
}

// CheckKnown is the check a consumer makes of a record whose type it does
// not consume, before skipping it: a record without an envelope or of a
// type this build does not know is quarantined, since no consumer can tell
// whether it would have consumed it. It decodes nothing.
func (r Record) CheckKnown() error {
	switch {
	case r.Meta.Type == "":
		return r.quarantined(fmt.Errorf("no %s header", HeaderType))
	case r.Meta.Version < 1:
		return r.quarantined(fmt.Errorf("no valid %s header", HeaderVersion))
	case !domain.Registered(r.Meta.Type):
		return r.quarantined(fmt.Errorf("%w: %q", domain.ErrUnknownEvent, r.Meta.Type))
	}
	return nil
}

// DecodeChecked is how a consumer reads a record it consumes: CheckKnown,
// the placement of its type on its subject, the decoding, and the ids the
// event names against its subject. Every error it returns is a
// *Quarantined: the consumer skips the record and reports it.
func (r Record) DecodeChecked() (domain.Event, error) {
	if err := r.CheckKnown(); err != nil {
		return nil, err
	}
	if err := domain.CheckPlacement(r.Meta.Type, r.Subject); err != nil {
		return nil, r.quarantined(err)
	}
	e, err := domain.Decode(r.Meta.Type, r.Meta.Version, r.Data)
	if err != nil {
		return nil, r.quarantined(err)
	}
	if err := domain.CheckEventPlacement(r.Subject, e); err != nil {
		return nil, r.quarantined(err)
	}
	return e, nil
}
