package tracker

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/natsd"
	"github.com/djembe/djembe/internal/testenv"
)

// TestNATSOutage: while NATS is down the tracker keeps answering, and once
// it is back every accepted announce is stored exactly once, in order.
func TestNATSOutage(t *testing.T) {
	if testenv.Short() {
		t.Skip("restarts a NATS server")
	}
	dir := t.TempDir()
	port := freePort(t)
	srv, err := natsd.Start(natsd.Config{StoreDir: dir, Port: port})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Shutdown() }()
	log := testenv.LogOn(t, srv)
	u := newTestUser(t, "a")
	h1 := randomHash()
	appendEvent(t, log, domain.UsernameSubject("a"), u.registered())
	appendEvent(t, log, domain.TorrentSubject(h1), domain.TorrentRegistered{InfoHash: h1, Factors: domain.NormalFactors})
	tr, _ := running(t, log, Config{Burst: 255, FlushInterval: 20 * time.Millisecond})
	p := newTestPeer(u, "-LT2080-", "10.0.0.1:1", 1)
	h := tr.Handler()

	p.mustAnnounce(t, h, h1, ann{left: 5, event: "started"})
	flush(t, tr)
	srv.Shutdown()
	for i := 1; i <= 20; i++ { // answered at once while the log is away
		p.mustAnnounce(t, h, h1, ann{up: uint64(i) * 100, left: 5})
	}
	if tr.Stats().PendingAnnounces != 20 {
		t.Errorf("%d announces pending, want 20", tr.Stats().PendingAnnounces)
	}
	if srv, err = natsd.Start(natsd.Config{StoreDir: dir, Port: port}); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, "the pending announces to be stored", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		return tr.Flush(ctx) == nil
	})
	as := storedOn(t, log)
	if len(as) != 21 {
		t.Fatalf("%d announces stored, want 21", len(as))
	}
	for i, a := range as[1:] {
		if a.Uploaded != uint64(i+1)*100 || a.RawUp != 100 {
			t.Fatalf("announce %d stored out of order or with wrong credit: %+v", i+1, a)
		}
	}
}

func storedOn(t *testing.T, log *eventlog.Log) []domain.Announce {
	var as []domain.Announce
	testenv.Eventually(t, "the log to answer", func() bool {
		_, err := log.LastSeq(context.Background())
		return err == nil
	})
	as = stored(t, log, "t1")
	return as
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
