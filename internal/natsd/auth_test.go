package natsd_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/natsd"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// authServer starts a server with credentials (node "t1" for the tracker)
// and the stream set up by the operator.
func authServer(t *testing.T) (*natsd.Server, natsd.Credentials) {
	t.Helper()
	dir := t.TempDir()
	creds, err := natsd.LoadCredentials(filepath.Join(dir, "creds.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := natsd.Start(natsd.Config{StoreDir: filepath.Join(dir, "nats"), Credentials: creds, TrackerNode: "t1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	nc := connectAs(t, srv, natsd.Operator)
	if _, err := eventlog.Open(context.Background(), nc, eventlog.Config{}); err != nil {
		t.Fatal(err)
	}
	return srv, creds
}

func connectAs(t *testing.T, srv *natsd.Server, r natsd.Role) *nats.Conn {
	t.Helper()
	nc, err := srv.ConnectAs(r, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

func TestCredentialsAreKeptForTheOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "creds.json")
	first, err := natsd.LoadCredentials(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	again, err := natsd.LoadCredentials(path)
	if err != nil || again[natsd.Operator] != first[natsd.Operator] || len(first[natsd.Operator]) < 32 {
		t.Fatalf("credentials changed or too short: %v %v (%v)", first, again, err)
	}
}

func TestAClientWithoutACredentialIsRefused(t *testing.T) {
	srv, creds := authServer(t)
	for name, opts := range map[string][]nats.Option{
		"no credential":        nil,
		"a wrong password":     {natsd.As(natsd.Operator, "guess")},
		"another role's login": {natsd.As(natsd.Operator, creds[natsd.Tracker])},
	} {
		nc, err := nats.Connect(srv.URL(), append(opts, nats.Timeout(5*time.Second))...)
		if err == nil {
			nc.Close()
			t.Errorf("%s over loopback: connected", name)
		}
	}
	nc, err := natsd.Connect(srv.URL(), "test", natsd.As(natsd.Operator, creds[natsd.Operator]))
	if err != nil {
		t.Fatalf("the operator over loopback: %v", err)
	}
	nc.Close()
}

// TestRolesMayDoOnlyTheirOwn: each role appends where it may and is
// refused elsewhere, and nothing refused is stored; no running role may
// delete, purge or update the stream, or delete one of its messages.
func TestRolesMayDoOnlyTheirOwn(t *testing.T) {
	srv, _ := authServer(t)
	ctx := context.Background()
	user := domain.UserSubject(domain.UserID{1})
	event := domain.UserEnabled{UserID: domain.UserID{1}}
	cases := []struct {
		role    natsd.Role
		subject string
		allowed bool
	}{
		{natsd.Tracker, domain.AnnounceSubject("t1"), true},
		{natsd.Tracker, domain.AnnounceSubject("t2"), false},
		{natsd.Tracker, user, false},
		{natsd.Tracker, domain.UsernameSubject("admin"), false},
		{natsd.Writer, user, true},
		{natsd.Writer, domain.UsernameSubject("admin"), true},
		{natsd.Writer, domain.SubjectClients, true},
		{natsd.Writer, domain.AnnounceSubject("t1"), false},
		{natsd.Projector, user, false},
		{natsd.Projector, domain.AnnounceSubject("t1"), false},
	}
	for _, c := range cases {
		log, err := eventlog.Attach(ctx, connectAs(t, srv, c.role))
		if err != nil {
			t.Fatalf("%s attaches: %v", c.role, err)
		}
		before, err := log.LastSeq(ctx)
		if err != nil {
			t.Fatalf("%s reads the stream: %v", c.role, err)
		}
		actx, cancel := context.WithTimeout(ctx, waitFor(c.allowed))
		_, err = log.Append(actx, c.subject, event)
		cancel()
		after, _ := log.LastSeq(ctx)
		if stored := after > before; stored != c.allowed || (err == nil) != c.allowed {
			t.Errorf("%s appending to %s: stored %v, err %v; want allowed=%v", c.role, c.subject, stored, err, c.allowed)
		}
		if _, err := log.Read(ctx, user); err != nil {
			t.Errorf("%s reads an aggregate: %v", c.role, err)
		}
	}
	for _, r := range []natsd.Role{natsd.Tracker, natsd.Writer, natsd.Projector} {
		js, err := jetstream.New(connectAs(t, srv, r))
		if err != nil {
			t.Fatal(err)
		}
		rctx, cancel := context.WithTimeout(ctx, waitFor(false))
		if err := js.DeleteStream(rctx, eventlog.StreamName); err == nil {
			t.Errorf("%s deleted the stream", r)
		}
		if _, err := js.UpdateStream(rctx, jetstream.StreamConfig{Name: eventlog.StreamName, Subjects: []string{domain.SubjectAll}}); err == nil {
			t.Errorf("%s updated the stream", r)
		}
		if _, err := js.CreateStream(rctx, jetstream.StreamConfig{Name: "EVIL", Subjects: []string{"evil.>"}}); err == nil {
			t.Errorf("%s created a stream", r)
		}
		cancel()
	}
	js, _ := jetstream.New(connectAs(t, srv, natsd.Operator))
	st, err := js.Stream(ctx, eventlog.StreamName)
	if err != nil {
		t.Fatalf("the stream is gone: %v", err)
	}
	if n := st.CachedInfo().State.Msgs; n != 4 {
		t.Errorf("the stream holds %d events, want the 4 allowed appends", n)
	}
}

// waitFor bounds a request: a refused one gets no answer (the server drops
// it and tells the connection's error handler), so it ends at the bound;
// the final count of stored events catches a refusal that was not one.
func waitFor(allowed bool) time.Duration {
	if allowed {
		return 10 * time.Second
	}
	return 300 * time.Millisecond
}
