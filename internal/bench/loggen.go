package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/internal/peerkeys"
	"github.com/google/uuid"
)

// LoggenConfig is what `djembe loggen` is told: how much history to append.
type LoggenConfig struct {
	Announces int // announce events
	Users     int // users to register
	Torrents  int // torrents to register
	Peers     int // simulated peer sessions
	Batch     int // announces per log message
}

// Check refuses counts that are not positive (Announces may be 0), with an
// error of kind domain.KindInvalid.
func (c LoggenConfig) Check() error {
	if c.Users < 1 || c.Torrents < 1 || c.Peers < 1 || c.Batch < 1 || c.Announces < 0 {
		return refuse("loggen: counts must be positive")
	}
	return nil
}

// LoggenReport is the JSON `djembe loggen` prints on stdout. Its fields are
// in the alphabetical order of their JSON names.
type LoggenReport struct {
	AnnounceEventsPerSecond float64 `json:"announce_events_per_second"`
	Announces               int     `json:"announces"`
	DomainEventsPerSecond   float64 `json:"domain_events_per_second"`
	LogLastSeq              uint64  `json:"log_last_seq"`
	Seconds                 float64 `json:"seconds"` // appending the announces
	Torrents                int     `json:"torrents"`
	Users                   int     `json:"users"`
}

// Loggen fills the log of ic's data directory with a realistic synthetic
// history, as fast as the log takes it: users and torrents as domain events,
// then announces in batches of c.Batch (as the tracker publishes them) with
// credits decided by domain.CreditAnnounce. It measures async, batched
// append throughput, writing progress to stderr, and makes a log big enough
// to measure `djembe replay --all` on. Each batch's addresses (all
// 127.0.0.1:6881) are sealed with the data directory's peer key ring, as
// the tracker seals them. A c that fails Check is refused before anything
// is opened.
func Loggen(ctx context.Context, ic instance.Config, c LoggenConfig, stderr io.Writer) (*LoggenReport, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	inst, err := instance.Open(ctx, ic, instance.Client)
	if err != nil {
		return nil, err
	}
	defer inst.Close()
	ring, err := peerkeys.Open(peerkeys.InDataDir(ic.DataDir), peerkeys.DefaultRetention)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	start := time.Now()
	userIDs, hashes, err := loggenRegister(ctx, inst.Log, rng, c.Users, c.Torrents)
	if err != nil {
		return nil, err
	}
	rep := &LoggenReport{Users: c.Users, Torrents: c.Torrents, Announces: c.Announces,
		DomainEventsPerSecond: float64(c.Users+c.Torrents) / time.Since(start).Seconds()}
	sim := loggenPeers(rng, c.Peers, userIDs, hashes)
	start = time.Now()
	if err := loggenAnnounces(ctx, inst.Log, ring, rng, sim, c, stderr); err != nil {
		return nil, err
	}
	rep.Seconds = time.Since(start).Seconds()
	rep.AnnounceEventsPerSecond = float64(c.Announces) / rep.Seconds
	rep.LogLastSeq, _ = inst.Log.LastSeq(ctx)
	return rep, nil
}

// loggenAnnounces appends c.Announces announces of random peers of sim, in
// batches of c.Batch with their addresses sealed with ring, at most 256
// messages in flight.
func loggenAnnounces(ctx context.Context, log *eventlog.Log, ring *peerkeys.Ring, rng *rand.Rand, sim []loggenPeer, c LoggenConfig, stderr io.Writer) error {
	start := time.Now()
	now := start.UnixMilli()
	acks := ackWindow{size: 256}
	addrs := make([]domain.PeerAddr, c.Batch)
	for i := range addrs {
		addrs[i] = domain.PeerAddr{IP: netip.AddrFrom4([4]byte{127, 0, 0, 1}).As16(), Port: 6881}
	}
	for done := 0; done < c.Announces; {
		batch := &domain.AnnounceBatch{Node: "loggen", Announces: make([]domain.Announce, 0, min(c.Batch, c.Announces-done))}
		for len(batch.Announces) < cap(batch.Announces) {
			batch.Announces = append(batch.Announces, sim[rng.IntN(len(sim))].announce(rng, now+int64(done)))
			done++
		}
		var err error
		if batch.Addrs, err = ring.SealAddrs(time.Now(), addrs[:len(batch.Announces)]); err != nil {
			return err
		}
		fut, err := log.AppendAsync(domain.AnnounceSubject("loggen"), batch, eventlog.Actor("loggen"))
		if err != nil {
			return err
		}
		if err := acks.add(ctx, fut); err != nil {
			return err
		}
		if done%(100*c.Batch) == 0 {
			fmt.Fprintf(stderr, "loggen: %d/%d announces, %.0f/s\n", done, c.Announces, float64(done)/time.Since(start).Seconds())
		}
	}
	return acks.flush(ctx)
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
