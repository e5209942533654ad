package domain

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Event is one fact in the log. A concrete type is always the newest schema
// version of its kind; older versions exist only as bytes and are upcast by
// Decode.
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

// codec decodes every stored version of one event type into its newest shape.
type codec struct {
	version int                                              // the newest version, written by Encode
	decode  func(version int, payload []byte) (Event, error) // upcasts older versions
}

var codecs = map[string]codec{}

// register adds a JSON event type whose only version is v.
func registerJSON[T Event](v int) {
	var zero T
	codecs[zero.EventType()] = codec{version: v, decode: func(version int, p []byte) (Event, error) {
		if version != v {
			return nil, fmt.Errorf("%w: %s v%d", ErrUnknownEvent, zero.EventType(), version)
		}
		var e T
		if err := json.Unmarshal(p, &e); err != nil {
			return nil, fmt.Errorf("decode %s v%d: %w", zero.EventType(), version, err)
		}
		return e, nil
	}}
}

// Encode returns the payload and schema version an event is stored with.
// Announce batches use their binary encoding; everything else is JSON.
func Encode(e Event) (version int, payload []byte, err error) {
	c, ok := codecs[e.EventType()]
	if !ok {
		return 0, nil, fmt.Errorf("%w: %s", ErrUnknownEvent, e.EventType())
	}
	if b, ok := e.(*AnnounceBatch); ok {
		return c.version, b.MarshalBinary(), nil
	}
	payload, err = json.Marshal(e)
	return c.version, payload, err
}

// Decode turns stored bytes of any known version into the newest shape of the
// event. It is the one place where old versions are upcast.
func Decode(typ string, version int, payload []byte) (Event, error) {
	c, ok := codecs[typ]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownEvent, typ)
	}
	return c.decode(version, payload)
}

// CurrentVersion is the schema version Encode writes for an event type.
func CurrentVersion(typ string) int { return codecs[typ].version }
