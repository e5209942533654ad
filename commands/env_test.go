package commands

import (
	"context"
	"strings"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
)

// env is the write side on a real log (an in-process NATS server).
type env struct {
	t   *testing.T
	ctx context.Context
	log *eventlog.Log
	c   *Commands
}

func newEnv(t *testing.T) *env {
	log := testenv.Log(t)
	return &env{t: t, ctx: context.Background(), log: log, c: New(log, testKeys(t))}
}

// testSecret is the server secret the tests derive passkeys with.
var testSecret = domain.ServerSecret("the tests' server secret, 32 bytes")

// testKeys are testSecret and a vault in a fresh database.
func testKeys(t *testing.T) Keys { return Keys{Secret: testSecret, Vault: testenv.DB(t)} }

func (e *env) last() uint64 {
	e.t.Helper()
	seq, err := e.log.LastSeq(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return seq
}

// appended returns the records after seq, decoded.
func (e *env) appended(after uint64) []appendedEvent {
	e.t.Helper()
	last := e.last()
	if last <= after {
		return nil
	}
	var out []appendedEvent
	err := e.log.Follow(e.ctx, eventlog.FollowOptions{From: after + 1, Until: last}, func(b eventlog.Batch) error {
		for _, rec := range b.Records {
			ev, err := rec.Decode()
			if err != nil {
				return err
			}
			out = append(out, appendedEvent{subject: rec.Subject, actor: rec.Meta.Actor, event: ev})
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

type appendedEvent struct {
	subject, actor string
	event          domain.Event
}

// one requires that exactly one event was appended after seq, on subject
// by actor, and returns it.
func (e *env) one(after uint64, subject, actor string) domain.Event {
	e.t.Helper()
	evs := e.appended(after)
	if len(evs) != 1 || evs[0].subject != subject || evs[0].actor != actor {
		e.t.Fatalf("appended %+v; want one event on %s by %s", evs, subject, actor)
	}
	return evs[0].event
}

// refused requires err to be a refusal of kind whose message holds want,
// about field (when given), and the log to be as long as before.
func (e *env) refused(err error, kind domain.Kind, field, want string, before uint64) {
	e.t.Helper()
	if err == nil {
		e.t.Fatalf("accepted; want a refusal (%v) saying %q", kind, want)
	}
	if domain.KindOf(err) != kind || !strings.Contains(err.Error(), want) {
		e.t.Errorf("refused with %v %q; want %v saying %q", domain.KindOf(err), err, kind, want)
	}
	if field != "" && domain.FieldOf(err) != field {
		e.t.Errorf("refusal %q is about field %q, want %q", err, domain.FieldOf(err), field)
	}
	if after := e.last(); after != before {
		e.t.Fatalf("a refused command appended %d events", after-before)
	}
}

// register registers a user as the operator, with a generated password.
func (e *env) register(name string, admin bool) Registration {
	e.t.Helper()
	r, err := e.c.RegisterUser(e.ctx, Operator, RegisterUser{Name: name, Admin: admin})
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// upload adds a torrent of name as uploader, by the operator.
func (e *env) upload(name, uploader string) domain.TorrentRegistered {
	e.t.Helper()
	added, err := e.c.AddTorrent(e.ctx, Operator, AddTorrent{File: testenv.TorrentFile(e.t, name, false), Uploader: uploader})
	if err != nil {
		e.t.Fatal(err)
	}
	return added.Torrent
}
