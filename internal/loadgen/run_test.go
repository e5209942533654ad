package loadgen

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// announceServer checks each announce's parameters, answers with a fixed
// bencoded body (or a failure reason for event=stopped) and counts
// connections and peer ids.
type announceServer struct {
	*httptest.Server
	conns, requests, bad atomic.Int64
	mu                   sync.Mutex
	peerIDs              map[string]int
}

func newAnnounceServer(t *testing.T) *announceServer {
	s := &announceServer{peerIDs: map[string]int{}}
	body := BaselineBody(120)
	fixed := BaselineHandler(body)
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		q := r.URL.Query()
		if len(q.Get("info_hash")) != 20 || len(q.Get("peer_id")) != 20 || !strings.HasPrefix(r.URL.Path, "/announce/") || q.Get("compact") != "1" {
			s.bad.Add(1)
		}
		s.mu.Lock()
		s.peerIDs[q.Get("peer_id")]++
		s.mu.Unlock()
		if q.Get("event") == "stopped" {
			_, _ = w.Write([]byte("d14:failure reason12:test refusale"))
			return
		}
		fixed.ServeHTTP(w, r)
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *announceServer) target() Target {
	return Target{Addr: s.Listener.Addr().String(), Name: "test"}
}

func checkTally(t *testing.T, r *Result, n uint64) {
	t.Helper()
	if r.Errors != 0 {
		t.Fatalf("errors: %v", r.ErrorKinds)
	}
	if r.Responses != n || r.OK+r.Failures != n {
		t.Fatalf("responses %d (ok %d, failures %d), want %d", r.Responses, r.OK, r.Failures, n)
	}
	var events uint64
	for _, v := range r.Events {
		events += v
	}
	if events != n || r.Hist.Count() != n {
		t.Fatalf("events %d, latencies %d, want %d", events, r.Hist.Count(), n)
	}
	if r.Failures != r.Events["stopped"] || r.Failures != r.FailureReasons["test refusal"] {
		t.Fatalf("failures %d by reason %v, stopped %d", r.Failures, r.FailureReasons, r.Events["stopped"])
	}
	if r.Latency.P50 <= 0 || r.Latency.P99 < r.Latency.P50 || r.Latency.Max < r.Latency.P999 {
		t.Fatalf("latency summary not ordered: %+v", r.Latency)
	}
}

func TestRunKeepAlive(t *testing.T) {
	srv := newAnnounceServer(t)
	pop := testPopulation(t, 1000)
	r, err := Run(context.Background(), pop, Config{Name: "ka", Target: srv.target(), Conns: 16, Requests: 3000})
	if err != nil {
		t.Fatal(err)
	}
	checkTally(t, r, 3000)
	if srv.bad.Load() != 0 || srv.requests.Load() != 3000 {
		t.Fatalf("server saw %d requests, %d malformed", srv.requests.Load(), srv.bad.Load())
	}
	if c := srv.conns.Load(); c > 16 {
		t.Fatalf("keep-alive used %d connections for 16 clients", c)
	}
	// Every peer starts once, and again after each stop that was followed by an announce.
	if st := r.Events["started"]; st < 1000 || st > 1000+r.Events["stopped"] {
		t.Fatalf("started %d, stopped %d", st, r.Events["stopped"])
	}
	if want := classify(BaselineBody(120)).peers; r.AvgPeers != float64(want) {
		t.Fatalf("avg peers %.1f, want %d", r.AvgPeers, want)
	}
}

func TestRunClose(t *testing.T) {
	srv := newAnnounceServer(t)
	pop := testPopulation(t, 300)
	r, err := Run(context.Background(), pop, Config{Target: srv.target(), Conns: 8, Mode: Close, Requests: 1000})
	if err != nil {
		t.Fatal(err)
	}
	checkTally(t, r, 1000)
	if c := srv.conns.Load(); c != 1000 {
		t.Fatalf("close mode used %d connections for 1000 requests", c)
	}
}

func TestRunOnceAnnouncesEveryPeer(t *testing.T) {
	srv := newAnnounceServer(t)
	pop := testPopulation(t, 777)
	r, err := Run(context.Background(), pop, Config{Target: srv.target(), Conns: 10, Once: true})
	if err != nil {
		t.Fatal(err)
	}
	checkTally(t, r, 777)
	if r.Events["started"] != 777 || len(srv.peerIDs) != 777 {
		t.Fatalf("started %d, distinct peer ids %d", r.Events["started"], len(srv.peerIDs))
	}
}

// TestRunLeaveStopsEveryActivePeer: a Leave run sends one stopped for each
// active peer and nothing for the others, so the tracker ends as it began.
func TestRunLeaveStopsEveryActivePeer(t *testing.T) {
	srv := newAnnounceServer(t)
	pop := testPopulation(t, 500)
	pop.Shape.StopRate = 0.3 // leave some peers stopped by the walk
	for _, cfg := range []Config{{Conns: 10, Once: true}, {Conns: 10, Requests: 1000}} {
		cfg.Target = srv.target()
		if _, err := Run(context.Background(), pop, cfg); err != nil {
			t.Fatal(err)
		}
	}
	active := 0
	for i := range pop.Peers {
		active += int(b2i(pop.Peers[i].active))
	}
	if active == 0 || active == len(pop.Peers) {
		t.Fatalf("%d of %d peers active: the walk should leave some of each", active, len(pop.Peers))
	}
	r, err := Run(context.Background(), pop, Config{Target: srv.target(), Conns: 10, Once: true, Leave: true})
	if err != nil {
		t.Fatal(err)
	}
	checkTally(t, r, uint64(active))
	if r.Events["stopped"] != uint64(active) || len(r.Events) != 1 {
		t.Fatalf("events %v, want %d stopped only", r.Events, active)
	}
	for i := range pop.Peers {
		if pop.Peers[i].active {
			t.Fatalf("peer %d still active after leaving", i)
		}
	}
	if _, err := Run(context.Background(), pop, Config{Target: srv.target(), Conns: 1, Requests: 1, Leave: true}); err == nil {
		t.Fatal("Leave without Once accepted")
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestRunOpenLoopAndDuration(t *testing.T) {
	srv := newAnnounceServer(t)
	pop := testPopulation(t, 100)
	r, err := Run(context.Background(), pop, Config{Target: srv.target(), Conns: 4, Rate: 20000, Requests: 500})
	if err != nil {
		t.Fatal(err)
	}
	checkTally(t, r, 500)
	r, err = Run(context.Background(), pop, Config{Target: srv.target(), Conns: 4, Duration: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	checkTally(t, r, r.Responses)
	if r.Responses == 0 {
		t.Fatal("a duration run sent nothing")
	}
}

func TestRunCountsTransportErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	r, err := Run(context.Background(), testPopulation(t, 10), Config{Target: Target{Addr: addr}, Conns: 2, Requests: 10})
	if err != nil {
		t.Fatal(err)
	}
	if r.Errors != 10 || r.ErrorKinds["dial: connection refused"] != 10 || r.Responses != 0 {
		t.Fatalf("errors %v, responses %d", r.ErrorKinds, r.Responses)
	}
}

func TestRunRefusesBadConfig(t *testing.T) {
	pop := testPopulation(t, 10)
	for _, cfg := range []Config{
		{Target: Target{Addr: "192.0.2.1:80"}, Conns: 1, Requests: 1},
		{Target: Target{Addr: "127.0.0.1:80"}, Conns: 1},
		{Target: Target{Addr: "127.0.0.1:80"}, Requests: 1},
		{Target: Target{Addr: "nonsense"}, Conns: 1, Requests: 1},
	} {
		if _, err := Run(context.Background(), pop, cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}
