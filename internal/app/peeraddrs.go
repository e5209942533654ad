package app

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/peerkeys"
	"github.com/djembe/djembe/projections"
)

// What the staff view shows for an address it cannot give.
const (
	addrExpired    = "expired"    // the key that sealed it is destroyed (or past retention)
	addrNone       = "none"       // the batch holds no address
	addrUnreadable = "unreadable" // the box does not open with its key, or the record is not a batch
)

// keyRing is what opening addresses needs of a key ring (tracker.PeerKeys,
// *peerkeys.Ring).
type keyRing interface {
	Key(id uint32, now time.Time) ([]byte, bool)
}

// peerAddrs gives the site its staff view of peers' addresses (web.Deps.
// PeerAddrs): it reads the announce batches the refs name from the log and
// opens their sealed addresses with the tracker's key ring, or, in a
// process without the tracker role, the data directory's (DATA/peer-keys,
// opened on first use, never expired by the site).
func (m *Main) peerAddrs() func(context.Context, []projections.PeerRef) (map[projections.PeerRef]string, error) {
	var once sync.Once
	var ring keyRing = m.cfg.Tracker.PeerKeys
	var openErr error
	return func(ctx context.Context, refs []projections.PeerRef) (map[projections.PeerRef]string, error) {
		once.Do(func() {
			if ring == nil {
				var r *peerkeys.Ring
				r, openErr = peerkeys.Open(peerkeys.InDataDir(m.cfg.Instance.DataDir), peerkeys.Retention(m.cfg.Tracker.Interval))
				ring = r
			}
		})
		if openErr != nil {
			return nil, openErr
		}
		return openPeerAddrs(ctx, m.inst.Log, ring, time.Now(), refs)
	}
}

// addrReaders is how many batches openPeerAddrs reads at once.
const addrReaders = 8

// openPeerAddrs reads each batch refs name once and gives each ref its
// announce's address as "ip:port" (IPv4 unmapped, IPv6 in brackets), or
// addrExpired, addrNone or addrUnreadable. A batch stored before addresses
// were sealed gives its plain ones. It fails only when the log does.
func openPeerAddrs(ctx context.Context, log *eventlog.Log, ring keyRing, now time.Time, refs []projections.PeerRef) (map[projections.PeerRef]string, error) {
	bySeq := map[uint64][]projections.PeerRef{}
	for _, r := range refs {
		bySeq[r.Seq] = append(bySeq[r.Seq], r)
	}
	seqs := make(chan uint64)
	out := make(map[projections.PeerRef]string, len(refs))
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for range min(addrReaders, len(bySeq)) {
		wg.Go(func() {
			for seq := range seqs {
				addrs, all, err := batchAddrs(ctx, log, ring, now, seq)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				}
				for _, r := range bySeq[seq] {
					switch {
					case all != "":
						out[r] = all
					case r.Index >= 0 && r.Index < len(addrs):
						out[r] = addrs[r.Index]
					default:
						out[r] = addrUnreadable
					}
				}
				mu.Unlock()
			}
		})
	}
	for seq := range bySeq {
		seqs <- seq
	}
	close(seqs)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// batchAddrs opens the addresses of the batch at seq: each announce's as
// text, or what to show in place of every one of them (all).
func batchAddrs(ctx context.Context, log *eventlog.Log, ring keyRing, now time.Time, seq uint64) (text []string, all string, err error) {
	rec, err := log.Get(ctx, seq)
	if domain.KindOf(err) == domain.KindNotFound {
		return nil, addrUnreadable, nil
	}
	if err != nil {
		return nil, "", err
	}
	e, err := rec.DecodeChecked()
	b, ok := e.(*domain.AnnounceBatch)
	if err != nil || !ok {
		return nil, addrUnreadable, nil
	}
	addrs := b.PlainAddrs()
	switch {
	case addrs != nil:
	case len(b.Addrs.Box) == 0:
		return nil, addrNone, nil
	default:
		key, ok := ring.Key(b.Addrs.KeyID, now)
		if !ok {
			return nil, addrExpired, nil
		}
		if addrs, err = b.Addrs.Open(key, len(b.Announces)); err != nil {
			return nil, addrUnreadable, nil
		}
	}
	text = make([]string, len(addrs))
	for i, a := range addrs {
		text[i] = netip.AddrPortFrom(netip.AddrFrom16(a.IP).Unmap(), a.Port).String()
	}
	return text, "", nil
}
