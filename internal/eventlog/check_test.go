package eventlog_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
)

func record(subject, typ string, version int, payload []byte) eventlog.Record {
	return eventlog.Record{Seq: 7, Subject: subject, Meta: domain.Meta{Type: typ, Version: version}, Data: payload}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// TestDecodeCheckedQuarantines: what a consumer may not apply is a
// *Quarantined error, whatever the reason; what it may is decoded.
func TestDecodeCheckedQuarantines(t *testing.T) {
	id := uuid.New()
	reg := domain.UserRegistered{UserID: id, Name: "alice"}
	var h domain.InfoHash
	h[0] = 9
	tests := []struct {
		name  string
		rec   eventlog.Record
		cause error // errors.Is of the quarantine's cause; nil: accepted
	}{
		{"good registration", record(domain.UsernameSubject("alice"), domain.TypeUserRegistered, 2, mustJSON(reg)), nil},
		{"upcast registration", record(domain.UsernameSubject("carol"), domain.TypeUserRegistered, 1,
			[]byte(`{"user_id":"`+id.String()+`","username":"carol"}`)), nil},
		{"garbage JSON", record(domain.UserSubject(id), domain.TypeUserEnabled, 1, []byte("\x00garbage")), nil},
		{"unknown version", record(domain.UserSubject(id), domain.TypeUserEnabled, 9, mustJSON(domain.UserEnabled{UserID: id})), domain.ErrUnknownEvent},
		{"unknown type", record(domain.UserSubject(id), "UserTeleported", 1, []byte("{}")), domain.ErrUnknownEvent},
		{"no type header", record(domain.UserSubject(id), "", 1, []byte("{}")), nil},
		{"no version header", record(domain.UserSubject(id), domain.TypeUserEnabled, 0, mustJSON(domain.UserEnabled{UserID: id})), nil},
		{"registration on a torrent", record(domain.TorrentSubject(h), domain.TypeUserRegistered, 2, mustJSON(reg)), domain.ErrMisplaced},
		{"registration on another claim", record(domain.UsernameSubject("bob"), domain.TypeUserRegistered, 2, mustJSON(reg)), domain.ErrMisplaced},
		{"ban of another user", record(domain.UserSubject(uuid.New()), domain.TypeUserDisabled, 1, mustJSON(domain.UserDisabled{UserID: id})), domain.ErrMisplaced},
		{"bad announce batch", record(domain.AnnounceSubject("t1"), domain.TypeAnnounceBatch, 3, []byte{1, 2, 3}), nil},
	}
	for _, tt := range tests {
		e, err := tt.rec.DecodeChecked()
		accepted := tt.name == "good registration" || tt.name == "upcast registration"
		if accepted {
			if err != nil || e == nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		var q *eventlog.Quarantined
		if !errors.As(err, &q) || q.Seq != 7 || q.Subject != tt.rec.Subject || q.Type != tt.rec.Meta.Type {
			t.Errorf("%s: got %v (%#v), want a *Quarantined of the record", tt.name, err, err)
			continue
		}
		if tt.cause != nil && !errors.Is(err, tt.cause) {
			t.Errorf("%s: %v does not wrap %v", tt.name, err, tt.cause)
		}
	}
}

// TestCheckKnownNeedsNoDecoding: a record of a known type passes with any
// payload; one without an envelope or of an unknown type is quarantined.
func TestCheckKnownNeedsNoDecoding(t *testing.T) {
	if err := record("djembe.user.x", domain.TypeUserEnabled, 1, []byte("garbage")).CheckKnown(); err != nil {
		t.Fatalf("a known type with a bad payload: %v", err)
	}
	for _, rec := range []eventlog.Record{record("djembe.user.x", "", 1, nil), record("djembe.user.x", "Nope", 1, nil),
		record("djembe.user.x", domain.TypeUserEnabled, 0, nil)} {
		if err := rec.CheckKnown(); !eventlog.IsQuarantined(err) {
			t.Fatalf("%+v: %v, want quarantined", rec.Meta, err)
		}
	}
}

// TestFollowDeliversAMessageWithoutEnvelope: a message published to the
// stream without Djembe's headers is delivered (to be quarantined), not
// an error that stops every consumer.
func TestFollowDeliversAMessageWithoutEnvelope(t *testing.T) {
	ctx := context.Background()
	srv := testenv.NATS(t)
	log := testenv.LogOn(t, srv)
	nc, err := srv.Connect("raw")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := nc.Publish("djembe.user.raw", []byte("no headers")); err != nil {
		t.Fatal(err)
	}
	nc.Flush()
	e := domain.UserEnabled{UserID: uuid.New()}
	if _, err := log.Append(ctx, domain.UserSubject(e.UserID), e); err != nil {
		t.Fatal(err)
	}
	var got []eventlog.Record
	err = log.Follow(ctx, eventlog.FollowOptions{Until: 2}, func(b eventlog.Batch) error {
		got = append(got, b.Records...)
		return nil
	})
	if err != nil || len(got) != 2 {
		t.Fatalf("followed %d records: %v", len(got), err)
	}
	if _, err := got[0].DecodeChecked(); !eventlog.IsQuarantined(err) {
		t.Fatalf("the raw message: %v, want quarantined", err)
	}
	if _, err := got[1].DecodeChecked(); err != nil {
		t.Fatal(err)
	}
}
