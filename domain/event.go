package domain

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/google/uuid"
)

// Event is one fact in the log. A concrete type is always the newest schema
// version of its kind; older versions exist only as bytes and are upcast by
// Decode. EventType returns the type's constant name (Type*), which is also
// the name it is registered under.
type Event interface {
	EventType() string
}

// Meta is the envelope every event travels in. ID is sent as Nats-Msg-Id, so
// a retried append of the same event is stored once.
type Meta struct {
	ID      uuid.UUID
	Type    string
	Version int
	Time    time.Time
	Actor   string // a user id, or "operator" / "system" / "tracker:<node>"
}

// Actors that are not users.
const (
	ActorOperator = "operator"
	ActorSystem   = "system"
)

// ErrUnknownEvent is returned by Decode for a type or version this build does
// not know: a newer writer, which a consumer must not silently skip.
var ErrUnknownEvent = errors.New("unknown event type or version")

// Upcast turns the stored JSON of one schema version into the JSON of the
// next version.
type Upcast func(payload []byte) ([]byte, error)

// codec stores and reads every version of one event type.
type codec struct {
	version int                                              // the newest version, written by Encode
	newZero func() Event                                     // a zero event of the newest shape
	encode  func(Event) ([]byte, error)                      // the newest version's bytes
	decode  func(version int, payload []byte) (Event, error) // any stored version, upcast
}

var codecs = map[string]codec{}

// Register adds an event type with an encoding of its own (announce batches
// are binary). decode must accept every version from 1 to version and
// return the newest shape. It panics when typ is registered twice: event
// types are registered from init functions, once per program.
func Register(typ string, version int, newZero func() Event,
	encode func(Event) ([]byte, error), decode func(version int, payload []byte) (Event, error)) {
	if _, dup := codecs[typ]; dup {
		panic("domain: event type " + typ + " registered twice")
	}
	if version < 1 || newZero().EventType() != typ {
		panic(fmt.Sprintf("domain: event type %s registered with version %d and a zero value of type %s",
			typ, version, newZero().EventType()))
	}
	codecs[typ] = codec{version: version, newZero: newZero, encode: encode, decode: decode}
}

// RegisterJSON adds T as an event type stored as JSON, whose newest schema
// version is version. upcasts[v] turns version v's JSON into version v+1's,
// for every v from 1 to version-1; a version without a way up is refused
// when read, with ErrUnknownEvent. Plugins register their events with it
// from an init function.
func RegisterJSON[T Event](version int, upcasts map[int]Upcast) {
	var zero T
	typ := zero.EventType()
	Register(typ, version, func() Event { var e T; return e },
		func(e Event) ([]byte, error) { return json.Marshal(e) },
		func(v int, p []byte) (Event, error) {
			for ; v < version; v++ {
				up, ok := upcasts[v]
				if !ok {
					return nil, fmt.Errorf("%w: %s v%d", ErrUnknownEvent, typ, v)
				}
				var err error
				if p, err = up(p); err != nil {
					return nil, fmt.Errorf("upcast %s v%d: %w", typ, v, err)
				}
			}
			if v != version {
				return nil, fmt.Errorf("%w: %s v%d", ErrUnknownEvent, typ, v)
			}
			var e T
			if err := json.Unmarshal(p, &e); err != nil {
				return nil, fmt.Errorf("decode %s v%d: %w", typ, v, err)
			}
			return e, nil
		})
}

// Encode returns the payload and schema version an event is stored with.
func Encode(e Event) (version int, payload []byte, err error) {
	c, ok := codecs[e.EventType()]
	if !ok {
		return 0, nil, fmt.Errorf("%w: %s", ErrUnknownEvent, e.EventType())
	}
	payload, err = c.encode(e)
	return c.version, payload, err
}

// Decode turns stored bytes of any known version into the newest shape of the
// event. It is the one place where old versions are upcast.
func Decode(typ string, version int, payload []byte) (Event, error) {
	c, ok := codecs[typ]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownEvent, typ)
	}
	if version < 1 {
		return nil, fmt.Errorf("%w: %s v%d", ErrUnknownEvent, typ, version)
	}
	return c.decode(version, payload)
}

// CurrentVersion is the schema version Encode writes for an event type.
func CurrentVersion(typ string) int { return codecs[typ].version }

// EventTypes lists every registered event type, sorted.
func EventTypes() []string {
	types := make([]string, 0, len(codecs))
	for t := range codecs {
		types = append(types, t)
	}
	sort.Strings(types)
	return types
}

// NewEvent returns a zero event of a registered type in its newest shape
// (for tools and tests that fill events generically), or nil.
func NewEvent(typ string) Event {
	if c, ok := codecs[typ]; ok {
		return c.newZero()
	}
	return nil
}

// Registered reports whether every one of types is a registered event type.
func Registered(types ...string) bool {
	return !slices.ContainsFunc(types, func(t string) bool { _, ok := codecs[t]; return !ok })
}

// Unchanged is the upcast of a version whose JSON the next one reads as is
// (the next version only added fields, or stopped writing one).
func Unchanged(p []byte) ([]byte, error) { return p, nil }
