// Package eventlog is Djembe's event log on NATS JetStream: one stream,
// subjects by aggregate, file storage, nothing expires, deletes and purges
// denied, and a duplicate window so a retried append is stored once.
package eventlog

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// StreamName is the one stream that holds every event.
const StreamName = "DJEMBE"

// Envelope headers. The event id travels as Nats-Msg-Id.
const (
	HeaderType    = "Djembe-Type"
	HeaderVersion = "Djembe-Version"
	HeaderTime    = "Djembe-Time"
	HeaderActor   = "Djembe-Actor"
)

// DuplicateWindow is how long JetStream remembers message ids.
const DuplicateWindow = 10 * time.Minute

// ErrConflict is returned when an expected subject sequence did not hold: a
// create-once fact already exists, or the aggregate changed meanwhile.
var ErrConflict = errors.New("conflict: the subject's last sequence was not the expected one")

// Config sets up the stream.
type Config struct {
	Replicas int // 1 on the embedded server; 3 on a cluster
}

// Log appends to and reads from the stream.
type Log struct {
	js     jetstream.JetStream
	stream jetstream.Stream
}

// Open creates the stream if it is missing (or updates its settings) and
// returns a Log on it. Creating and updating the stream needs the
// operator's rights; a role that only reads and appends uses Attach.
func Open(ctx context.Context, nc *nats.Conn, cfg Config) (*Log, error) {
	js, err := newJetStream(nc)
	if err != nil {
		return nil, err
	}
	if cfg.Replicas == 0 {
		cfg.Replicas = 1
	}
	st, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        StreamName,
		Description: "Djembe event log: the source of truth",
		Subjects:    []string{domain.SubjectAll},
		Storage:     jetstream.FileStorage,
		Retention:   jetstream.LimitsPolicy,
		Discard:     jetstream.DiscardNew, // when a limit is ever set, refuse rather than lose history
		MaxAge:      0,
		MaxMsgs:     -1,
		MaxBytes:    -1,
		DenyDelete:  true,
		DenyPurge:   true,
		Duplicates:  DuplicateWindow,
		Replicas:    cfg.Replicas,
		MaxMsgSize:  8 << 20,
	})
	if err != nil {
		return nil, fmt.Errorf("create stream %s: %w", StreamName, err)
	}
	return &Log{js: js, stream: st}, nil
}

// Attach returns a Log on the stream, which must exist: it changes no
// setting, so a role without the operator's rights can use it.
func Attach(ctx context.Context, nc *nats.Conn) (*Log, error) {
	js, err := newJetStream(nc)
	if err != nil {
		return nil, err
	}
	st, err := js.Stream(ctx, StreamName)
	if err != nil {
		return nil, fmt.Errorf("open stream %s: %w", StreamName, err)
	}
	return &Log{js: js, stream: st}, nil
}

func newJetStream(nc *nats.Conn) (jetstream.JetStream, error) {
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4096))
	if err != nil {
		return nil, fmt.Errorf("open jetstream: %w", err)
	}
	return js, nil
}

// appendOpts are the options of one append.
type appendOpts struct {
	actor   string
	id      uuid.UUID
	expect  *uint64
	now     time.Time
	version int // 0: the event type's current version
	payload []byte
}

// AppendOption changes how an event is appended.
type AppendOption func(*appendOpts)

// Actor names who caused the event (a user id or one of domain.Actor*).
func Actor(a string) AppendOption { return func(o *appendOpts) { o.actor = a } }

// At sets the event's time: when it happened, for an importer or the demo
// replaying a past; by default the time of the append. The log's order is
// still the order of the appends, so an event may carry an earlier time
// than the one before it.
func At(t time.Time) AppendOption { return func(o *appendOpts) { o.now = t.UTC() } }

// WithID sets the event id (the dedup id); by default a new random one.
func WithID(id uuid.UUID) AppendOption { return func(o *appendOpts) { o.id = id } }

// ExpectNew appends only if the subject has no event yet: a create-once fact.
func ExpectNew() AppendOption { return ExpectLastSubjectSeq(0) }

// ExpectLastSubjectSeq appends only if the subject's last event is at seq.
func ExpectLastSubjectSeq(seq uint64) AppendOption {
	return func(o *appendOpts) { o.expect = &seq }
}

// RawVersion appends payload as given, claiming schema version v: for tests
// of upcasting and for tools that copy events between logs.
func RawVersion(v int, payload []byte) AppendOption {
	return func(o *appendOpts) { o.version, o.payload = v, payload }
}

func (l *Log) message(subject string, e domain.Event, opts []AppendOption) (*nats.Msg, *appendOpts, error) {
	o := &appendOpts{actor: domain.ActorSystem, now: time.Now().UTC()}
	for _, f := range opts {
		f(o)
	}
	if o.id == uuid.Nil {
		o.id = uuid.New()
	}
	version, payload := o.version, o.payload
	if version == 0 {
		var err error
		if version, payload, err = domain.Encode(e); err != nil {
			return nil, nil, err
		}
	}
	m := nats.NewMsg(subject)
	m.Data = payload
	m.Header.Set(HeaderType, e.EventType())
	m.Header.Set(HeaderVersion, strconv.Itoa(version))
	m.Header.Set(HeaderTime, o.now.Format(time.RFC3339Nano))
	m.Header.Set(HeaderActor, o.actor)
	return m, o, nil
}

func (o *appendOpts) publishOpts() []jetstream.PublishOpt {
	p := []jetstream.PublishOpt{jetstream.WithMsgID(o.id.String())}
	if o.expect != nil {
		p = append(p, jetstream.WithExpectLastSequencePerSubject(*o.expect))
	}
	return p
}

// Append stores e on subject and waits for the stream's acknowledgement. It
// returns the event's stream sequence, or ErrConflict when an expected
// subject sequence did not hold (and then nothing was stored).
func (l *Log) Append(ctx context.Context, subject string, e domain.Event, opts ...AppendOption) (uint64, error) {
	m, o, err := l.message(subject, e, opts)
	if err != nil {
		return 0, err
	}
	ack, err := l.js.PublishMsg(ctx, m, o.publishOpts()...)
	if err != nil {
		var apiErr *jetstream.APIError
		if errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence {
			return 0, fmt.Errorf("append %s to %s: %w", e.EventType(), subject, ErrConflict)
		}
		return 0, fmt.Errorf("append %s to %s: %w", e.EventType(), subject, err)
	}
	return ack.Sequence, nil
}

// AppendAsync stores e without waiting; the returned future reports the
// outcome. Use the event id for dedup so a retry after a lost ack is stored once.
func (l *Log) AppendAsync(subject string, e domain.Event, opts ...AppendOption) (jetstream.PubAckFuture, error) {
	m, o, err := l.message(subject, e, opts)
	if err != nil {
		return nil, err
	}
	return l.js.PublishMsgAsync(m, o.publishOpts()...)
}

// AsyncComplete is closed when every pending async append has an outcome.
func (l *Log) AsyncComplete() <-chan struct{} { return l.js.PublishAsyncComplete() }

// LastSeq is the stream's last sequence (0 when empty).
func (l *Log) LastSeq(ctx context.Context) (uint64, error) {
	last, _, err := l.Size(ctx)
	return last, err
}

// Size is the stream's last sequence and the bytes its events take.
func (l *Log) Size(ctx context.Context) (lastSeq, bytes uint64, err error) {
	info, err := l.stream.Info(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("stream info: %w", err)
	}
	return info.State.LastSeq, info.State.Bytes, nil
}

// SubjectLastSeq is the sequence of the last event on subject, 0 if none.
func (l *Log) SubjectLastSeq(ctx context.Context, subject string) (uint64, error) {
	m, err := l.stream.GetLastMsgForSubject(ctx, subject)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("last event on %s: %w", subject, err)
	}
	return m.Sequence, nil
}

// FirstOnSubject reads the first event on subject (a create-once fact such as
// a registration); ok is false if there is none.
func (l *Log) FirstOnSubject(ctx context.Context, subject string) (rec Record, ok bool, err error) {
	m, err := l.stream.GetMsg(ctx, 1, jetstream.WithGetMsgSubject(subject))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return Record{}, false, nil
	}
	if err != nil {
		return Record{}, false, fmt.Errorf("first event on %s: %w", subject, err)
	}
	return recordFromHeaders(m.Sequence, m.Subject, m.Header, m.Data, m.Time), true, nil
}

// maxSubjectEvents bounds what Read loads: an aggregate is a handful of
// events, and one that grew past this would need a snapshot, not a longer read.
const maxSubjectEvents = 10_000

// Read returns every event on subject, in order (none when the subject is
// empty). The write side folds an aggregate from them; the last one's Seq
// is the expectation its next change is appended with.
func (l *Log) Read(ctx context.Context, subject string) ([]Record, error) {
	var out []Record
	for seq := uint64(1); ; {
		m, err := l.stream.GetMsg(ctx, seq, jetstream.WithGetMsgSubject(subject))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", subject, err)
		}
		if out = append(out, recordFromHeaders(m.Sequence, m.Subject, m.Header, m.Data, m.Time)); len(out) > maxSubjectEvents {
			return nil, fmt.Errorf("read %s: more than %d events", subject, maxSubjectEvents)
		}
		seq = m.Sequence + 1
	}
}
