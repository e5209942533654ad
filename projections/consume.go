package projections

import (
	"errors"
	"fmt"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
)

// consumer picks and decodes the records of the types a projection consumes.
type consumer struct {
	name  string
	types map[string]bool
}

func newConsumer(p Projection) consumer {
	c := consumer{name: p.Name(), types: map[string]bool{}}
	for _, t := range p.Consumes() {
		c.types[t] = true
	}
	return c
}

// check refuses a projection that consumes a type no package registered:
// a misspelled or missing plugin, whose events it would never see.
func (c consumer) check() error {
	for t := range c.types {
		if !domain.Registered(t) {
			return fmt.Errorf("projection %s consumes %s, which is not a registered event type", c.name, t)
		}
	}
	return nil
}

// decode returns the consumed records of recs, decoded, in order, and the
// records to skip instead: a consumed record that DecodeChecked refuses,
// and a record of a type this build does not know (see
// eventlog.Quarantined). Records of other known types are skipped without
// decoding.
func (c consumer) decode(recs []eventlog.Record) (evs []Event, skip []*eventlog.Quarantined) {
	for i := range recs {
		rec := &recs[i]
		if !c.types[rec.Meta.Type] {
			if q := asQuarantined(rec, rec.CheckKnown()); q != nil {
				skip = append(skip, q)
			}
			continue
		}
		e, err := rec.DecodeChecked()
		if q := asQuarantined(rec, err); q != nil {
			skip = append(skip, q)
			continue
		}
		evs = append(evs, Event{Seq: rec.Seq, Subject: rec.Subject, Meta: rec.Meta, Event: e})
	}
	return evs, skip
}

// asQuarantined is the check's error of rec as a *eventlog.Quarantined,
// nil for nil.
func asQuarantined(rec *eventlog.Record, err error) *eventlog.Quarantined {
	if err == nil {
		return nil
	}
	var q *eventlog.Quarantined
	if !errors.As(err, &q) {
		q = &eventlog.Quarantined{Seq: rec.Seq, Subject: rec.Subject, Type: rec.Meta.Type, Version: rec.Meta.Version, Err: err}
	}
	return q
}
