package tracker

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
)

func BenchmarkParseAnnounce(b *testing.B) {
	for _, q := range []struct{ name, query string }{{"libtorrent", libtorrentQuery}, {"transmission", transmissionQuery}, {"aria2", aria2Query}} {
		b.Run(q.name, func(b *testing.B) {
			var r announceRequest
			b.ReportAllocs()
			b.SetBytes(int64(len(q.query)))
			for b.Loop() {
				if err := parseAnnounce(q.query, &r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// bigSwarm is a swarm of n peers of distinct users, a tenth of them leechers.
func bigSwarm(n int) *swarm {
	s := new(swarm)
	for i := range n {
		p := peer{user: uint32(i), id: peerID("-LT2080-"), port: uint16(i), addr: [16]byte{10: 0xff, 11: 0xff, 12: 10, 13: byte(i >> 16), 14: byte(i >> 8), 15: byte(i)}}
		if i%10 == 0 {
			p.left = 1000
		}
		s.add(p)
	}
	return s
}

func BenchmarkPeerSelection(b *testing.B) {
	s := bigSwarm(100_000)
	out := make([]peerOut, 0, 200)
	for _, c := range []struct {
		name    string
		seeder  bool
		numwant int
	}{{"leecher-50", false, 50}, {"seeder-50", true, 50}, {"leecher-200", false, 200}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				out = s.sample(out[:0], 7, c.seeder, c.numwant, rand.Uint64())
			}
			if len(out) != c.numwant {
				b.Fatalf("%d peers", len(out))
			}
		})
	}
	b.Run("find", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			p := &s.peers[i%len(s.peers)]
			if s.find(p.user, &p.id) < 0 {
				b.Fatal("not found")
			}
			i += 7919
		}
	})
}

func BenchmarkResponseEncoding(b *testing.B) {
	s := bigSwarm(1000)
	peers := s.sample(nil, 1<<30, false, 50, 0)
	for i := range 10 { // a few IPv6 peers
		peers[i*5].addr = [16]byte{0x20, 0x01, 0x0d, 0xb8, 15: byte(i)}
	}
	res := announceResult{complete: 900, incomplete: 100, snatches: 5000, interval: 1800, minInterval: 300}
	buf := make([]byte, 0, 8192)
	b.Run("compact-50", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf = appendAnnounce(buf[:0], &res, peers, true, false)
		}
		b.SetBytes(int64(len(buf)))
	})
	b.Run("dictionary-50", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf = appendAnnounce(buf[:0], &res, peers, false, false)
		}
		b.SetBytes(int64(len(buf)))
	})
	b.Run("failure", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf = appendFailure(buf[:0], site.unregistered().Text)
		}
	})
}

// discardWriter is a ResponseWriter that keeps nothing, so that a benchmark
// measures the handler and not the recorder.
type discardWriter struct {
	h    http.Header
	n    int
	code int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }

// benchClock is a Config.Now that moves a second on every call, so that
// peers re-announcing in a tight loop are never early.
type benchClock struct{ ns atomic.Int64 }

func (c *benchClock) Now() time.Time { return time.Unix(0, c.ns.Add(int64(time.Second))) }

// population is an offline tracker with users, torrents and one prepared
// request per peer.
type population struct {
	tr   *Tracker
	reqs []*http.Request
}

// newPopulation registers nUsers users and nTorrents torrents and prepares
// nPeers announcing peers, spread over the torrents with a Zipf skew (a few
// big swarms, many small) and a tenth of them leechers.
func newPopulation(tb testing.TB, nUsers, nTorrents, nPeers int) *population {
	clock := new(benchClock)
	tr := New(Config{Interval: 1000 * time.Hour, MinInterval: time.Second, Now: clock.Now}, nil)
	users := make([]testUser, nUsers)
	for i := range users {
		users[i] = testUser{id: uuid.New(), name: fmt.Sprint("u", i), passkey: fmt.Sprintf("%032x", i+1)}
		tr.users.register(users[i].id, domain.Passkey(users[i].passkey))
	}
	hashes := make([]domain.InfoHash, nTorrents)
	for i := range hashes {
		hashes[i] = randomHash()
		tr.swarms.register(hashes[i], domain.NormalFactors, 1<<30)
	}
	tr.markReady()
	rng := rand.New(rand.NewPCG(3, 4))
	zipf := rand.NewZipf(rng, 1.2, 10, uint64(nTorrents-1))
	p := &population{tr: tr}
	for i := range nPeers {
		u := users[rng.IntN(nUsers)]
		tp := newTestPeer(u, "-LT2080-", fmt.Sprintf("10.%d.%d.%d:6881", i>>16&255, i>>8&255, i&255), uint16(1+i%60000))
		left := uint64(0)
		if i%10 == 0 {
			left = 1 << 20
		}
		target := tp.url(hashes[zipf.Uint64()], ann{up: 1 << 20, down: 1 << 20, left: left})
		r, err := http.NewRequest(http.MethodGet, target, nil)
		if err != nil {
			tb.Fatal(err)
		}
		r.RemoteAddr = tp.remote
		p.reqs = append(p.reqs, r)
	}
	return p
}

// discardPending drops the queued announces, as a publisher would after
// storing them.
func (t *Tracker) discardPending() {
	for i := range t.swarms.shards {
		sh := &t.swarms.shards[i]
		sh.mu.Lock()
		sh.pending, sh.addrs = sh.pending[:0], sh.addrs[:0]
		sh.mu.Unlock()
	}
	t.pub.pending.Store(0)
}

// BenchmarkAnnounceHandler runs the whole announce handler (routing,
// parsing, registries, swarm update, selection, encoding) on prepared
// requests of 200k peers, without the network and without publishing.
func BenchmarkAnnounceHandler(b *testing.B) {
	p := newPopulation(b, 20_000, 5_000, 200_000)
	h := p.tr.Handler()
	w := &discardWriter{h: http.Header{}}
	for _, r := range p.reqs { // every peer known: steady state
		h.ServeHTTP(w, r)
	}
	p.tr.discardPending()
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			clear(w.h)
			h.ServeHTTP(w, p.reqs[i%len(p.reqs)])
			if i++; i%50_000 == 0 {
				p.tr.discardPending()
			}
		}
	})
	p.tr.discardPending()
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		var next atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			w := &discardWriter{h: http.Header{}}
			for pb.Next() {
				i := next.Add(1)
				clear(w.h)
				h.ServeHTTP(w, p.reqs[int(i)%len(p.reqs)])
				if i%50_000 == 0 {
					p.tr.discardPending()
				}
			}
		})
	})
	if w.n == 0 {
		b.Fatal("no response")
	}
}

// BenchmarkAnnouncePublished is the announce handler with the publisher
// storing every announce in a real (in-process) NATS JetStream log.
func BenchmarkAnnouncePublished(b *testing.B) {
	log := testenv.Log(b)
	p := newPopulation(b, 2_000, 500, 20_000)
	tr := New(p.tr.cfg, log)
	tr.users, tr.swarms = p.tr.users, p.tr.swarms
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tr.Run(ctx) }()
	<-tr.Ready()
	h := tr.Handler()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		w := &discardWriter{h: http.Header{}}
		i := rand.IntN(len(p.reqs))
		for pb.Next() {
			clear(w.h)
			h.ServeHTTP(w, p.reqs[i%len(p.reqs)])
			i++
		}
	})
	if err := tr.Flush(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	cancel()
	<-done
}
