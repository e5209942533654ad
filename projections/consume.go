package projections

import (
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

// decode returns the consumed records of recs, decoded, in order. Records
// of other types are skipped without decoding.
func (c consumer) decode(recs []eventlog.Record) ([]Event, error) {
	var out []Event
	for i := range recs {
		rec := &recs[i]
		if !c.types[rec.Meta.Type] {
			continue
		}
		e, err := rec.Decode()
		if err != nil {
			return nil, fmt.Errorf("projection %s: %w", c.name, err)
		}
		out = append(out, Event{Seq: rec.Seq, Subject: rec.Subject, Meta: rec.Meta, Event: e})
	}
	return out, nil
}
