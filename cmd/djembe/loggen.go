package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"
)

// loggenPeer is one simulated peer session and the counters it last reported.
type loggenPeer struct {
	user     domain.UserID
	torrent  domain.InfoHash
	peerID   [20]byte
	counters domain.Counters
	left     uint64
	seen     bool
	lastMs   int64 // time of its last announce
}

// runLoggen fills a log with a realistic synthetic history, as fast as the
// log takes it: users and torrents as domain events, then announces in
// batches of 1000 (as the tracker publishes them) with credits decided by
// domain.CreditAnnounce. It measures async, batched append throughput and
// makes a log big enough to measure `djembe replay --all` on.
func runLoggen(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "loggen")
	announces := f.Int("announces", 1_000_000, "announce events to append")
	users := f.Int("users", 10_000, "users to register")
	torrents := f.Int("torrents", 2_000, "torrents to register")
	peers := f.Int("peers", 100_000, "simulated peer sessions")
	batchSize := f.Int("batch", 1000, "announces per log message")
	if _, err := f.parse(args, 0, 0, "[--announces N] [--users U] [--torrents T] [--peers P]"); err != nil {
		return err
	}
	if *users < 1 || *torrents < 1 || *peers < 1 || *batchSize < 1 || *announces < 0 {
		return refuse("loggen: counts must be positive")
	}
	inst, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer inst.Close()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	start := time.Now()
	userIDs, hashes, err := loggenRegister(ctx, inst.Log, rng, *users, *torrents)
	if err != nil {
		return err
	}
	domainSecs := time.Since(start).Seconds()
	sim := make([]loggenPeer, *peers)
	zipf := rand.NewZipf(rng, 1.1, 1, uint64(len(hashes)-1))
	for i := range sim {
		sim[i] = loggenPeer{user: userIDs[rng.IntN(len(userIDs))], torrent: hashes[zipf.Uint64()], left: 1 << 30}
		binaryPeerID(&sim[i].peerID, i)
	}
	start = time.Now()
	now := time.Now().UnixMilli()
	acks := ackWindow{size: 256}
	for done := 0; done < *announces; {
		batch := &domain.AnnounceBatch{Node: "loggen", Announces: make([]domain.Announce, 0, min(*batchSize, *announces-done))}
		for len(batch.Announces) < cap(batch.Announces) {
			batch.Announces = append(batch.Announces, sim[rng.IntN(len(sim))].announce(rng, now+int64(done)))
			done++
		}
		fut, err := inst.Log.AppendAsync(domain.AnnounceSubject("loggen"), batch, eventlog.Actor("loggen"))
		if err != nil {
			return err
		}
		if err := acks.add(ctx, fut); err != nil {
			return err
		}
		if done%(100*(*batchSize)) == 0 {
			fmt.Fprintf(e.stderr, "loggen: %d/%d announces, %.0f/s\n", done, *announces, float64(done)/time.Since(start).Seconds())
		}
	}
	if err := acks.flush(ctx); err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	last, _ := inst.Log.LastSeq(ctx)
	return printJSON(e.stdout, map[string]any{
		"users": *users, "torrents": *torrents, "domain_events_per_second": float64(*users+*torrents) / domainSecs,
		"announces": *announces, "announce_events_per_second": float64(*announces) / secs, "seconds": secs,
		"log_last_seq": last,
	})
}

func binaryPeerID(dst *[20]byte, i int) {
	copy(dst[:], fmt.Sprintf("-LT2080-%012d", i))
}

// ackWindow waits for async appends size at a time, so that no more are in
// flight than the log allows (see appendWindow).
type ackWindow struct {
	futs []jetstream.PubAckFuture
	size int
}

// add counts one more append in flight, waiting for the window's
// acknowledgements when it is full.
func (w *ackWindow) add(ctx context.Context, f jetstream.PubAckFuture) error {
	if w.futs = append(w.futs, f); len(w.futs) < w.size {
		return nil
	}
	return w.flush(ctx)
}

// flush waits for every append in flight.
func (w *ackWindow) flush(ctx context.Context) error {
	defer func() { w.futs = w.futs[:0] }()
	for _, f := range w.futs {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return fmt.Errorf("append: %w", err)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// loggenRegister appends users and torrents with async appends and returns their ids.
func loggenRegister(ctx context.Context, log *eventlog.Log, rng *rand.Rand, users, torrents int) ([]domain.UserID, []domain.InfoHash, error) {
	acks := ackWindow{size: appendWindow}
	ids := make([]domain.UserID, users)
	for i := range ids {
		ids[i] = uuid.New()
		pk, _ := domain.NewPasskey()
		name := fmt.Sprintf("gen%x-%d", ids[i][:4], i)
		fut, err := log.AppendAsync(domain.UsernameSubject(name), domain.UserRegistered{UserID: ids[i], Name: name, Passkey: pk, PasswordHash: "-"})
		if err != nil {
			return nil, nil, err
		}
		if err := acks.add(ctx, fut); err != nil {
			return nil, nil, err
		}
	}
	hashes := make([]domain.InfoHash, torrents)
	for i := range hashes {
		for j := range hashes[i] {
			hashes[i][j] = byte(rng.UintN(256))
		}
		reg := domain.TorrentRegistered{InfoHash: hashes[i], Name: fmt.Sprintf("generated %d", i), Size: 1 << 30,
			Uploader: ids[i%len(ids)], Factors: domain.NormalFactors}
		fut, err := log.AppendAsync(domain.TorrentSubject(hashes[i]), reg)
		if err != nil {
			return nil, nil, err
		}
		if err := acks.add(ctx, fut); err != nil {
			return nil, nil, err
		}
	}
	return ids, hashes, acks.flush(ctx)
}

// announce advances the peer's session and returns the announce the tracker
// would have published for it.
func (p *loggenPeer) announce(rng *rand.Rand, ms int64) domain.Announce {
	a := domain.Announce{TimeMillis: ms, InfoHash: p.torrent, UserID: p.user, PeerID: p.peerID, Port: 6881}
	a.IP[10], a.IP[11], a.IP[12], a.IP[15] = 0xff, 0xff, 127, 1
	started := !p.seen
	if started {
		a.Event = domain.EventStarted
	}
	cur := domain.Counters{Uploaded: p.counters.Uploaded + uint64(rng.IntN(8<<20)), Downloaded: p.counters.Downloaded}
	if p.left > 0 {
		step := min(p.left, uint64(rng.IntN(64<<20)))
		cur.Downloaded += step
		p.left -= step
		if p.left == 0 {
			a.Event = domain.EventCompleted
		}
	}
	a.Credit = domain.CreditAnnounce(p.counters, p.seen, started, cur, domain.NormalFactors)
	a.Uploaded, a.Downloaded, a.Left = cur.Uploaded, cur.Downloaded, p.left
	if p.seen {
		a.Prev = domain.PeerLeecher
		if a.Event != domain.EventCompleted && p.left == 0 {
			a.Prev = domain.PeerSeeder
		}
	}
	since := time.Duration(ms-p.lastMs) * time.Millisecond
	a.SeedMillis = uint64(domain.SeedTime(a.Prev, a.NewSession, a.Event, since).Milliseconds())
	p.counters, p.seen, p.lastMs = cur, true, ms
	return a
}
