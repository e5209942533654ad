package tracker

import (
	"bytes"
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/natsd"
	"github.com/djembe/djembe/internal/peerkeys"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
)

// The addresses the tests announce from: distinctive, so that finding
// their bytes anywhere means they were stored.
const (
	sealedV4 = "10.98.76.54"
	sealedV6 = "2001:db8:9876:5432::1"
)

// openRing opens a key ring in dir, as a tracker process would at start.
func openRing(t *testing.T, dir string) *peerkeys.Ring {
	t.Helper()
	ring, err := peerkeys.Open(dir, peerkeys.DefaultRetention)
	if err != nil {
		t.Fatal(err)
	}
	return ring
}

// TestNoPeerAddressInTheLog: after peers announce from two addresses, the
// JetStream store's files hold neither, in any form (16-byte, 4-byte or
// text), while they do hold the peers' ids (the scan reads the stored
// messages); the batches hold the addresses sealed, and they open with
// the ring.
func TestNoPeerAddressInTheLog(t *testing.T) {
	store := t.TempDir()
	srv, err := natsd.Start(natsd.Config{StoreDir: store})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	log := testenv.LogOn(t, srv)
	ua, ub := newTestUser(t, "a"), newTestUser(t, "b")
	h1 := randomHash()
	appendEvent(t, log, domain.UsernameSubject("a"), ua.registered())
	appendEvent(t, log, domain.UsernameSubject("b"), ub.registered())
	appendEvent(t, log, domain.TorrentSubject(h1), domain.TorrentRegistered{InfoHash: h1, Factors: domain.NormalFactors})
	ring := openRing(t, t.TempDir())
	tr, stop := running(t, log, Config{PeerKeys: ring})
	a := newTestPeer(ua, "-LT2080-", sealedV4+":51413", 51413)
	b := newTestPeer(ub, "-TR3000-", "["+sealedV6+"]:6881", 6881)
	a.mustAnnounce(t, tr.Handler(), h1, ann{left: 0, event: "started"})
	b.mustAnnounce(t, tr.Handler(), h1, ann{left: 100, event: "started"})
	a.mustAnnounce(t, tr.Handler(), h1, ann{up: 5, left: 0})
	flush(t, tr)

	var boxes int
	err = log.Follow(context.Background(), eventlog.FollowOptions{Subjects: []string{domain.AnnounceSubject(DefaultNode)}, Until: lastSeq(t, log)},
		func(batch eventlog.Batch) error {
			for _, rec := range batch.Records {
				e, err := rec.Decode()
				if err != nil {
					return err
				}
				ab := e.(*domain.AnnounceBatch)
				addrs, ok := ring.OpenAddrs(ab.Addrs, len(ab.Announces), time.Now())
				if !ok {
					t.Errorf("batch %d: its addresses do not open with the ring", rec.Seq)
				}
				for _, addr := range addrs {
					if ip := netip.AddrFrom16(addr.IP).Unmap().String(); ip != sealedV4 && ip != sealedV6 {
						t.Errorf("batch %d holds the address %s", rec.Seq, ip)
					}
				}
				boxes++
			}
			return nil
		})
	if err != nil || boxes == 0 {
		t.Fatalf("reading the batches: %v (%d)", err, boxes)
	}
	stop()
	srv.Shutdown() // the store is written out
	stored := readTree(t, store)
	if !bytes.Contains(stored, a.id[:]) || !bytes.Contains(stored, b.id[:]) {
		t.Fatal("the store does not hold the peers' ids: the scan misses the messages")
	}
	for _, s := range []string{sealedV4, sealedV6} {
		ip := netip.MustParseAddr(s)
		forms := [][]byte{[]byte(s), ip.AsSlice()}
		if a16 := ip.As16(); ip.Is4() {
			forms = append(forms, a16[:])
		}
		for _, f := range forms {
			if bytes.Contains(stored, f) {
				t.Errorf("the store holds %s in plain (as %x)", s, f)
			}
		}
	}
}

func lastSeq(t *testing.T, log *eventlog.Log) uint64 {
	t.Helper()
	last, err := log.LastSeq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return last
}

// readTree is every file under dir, concatenated.
func readTree(t *testing.T, dir string) []byte {
	t.Helper()
	var all []byte
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		all = append(all, b...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// TestSwarmAddressesAcrossRestart: a tracker restarted (a new process: a
// ring opened afresh on the same directory) within retention gives its
// peers' addresses out as before. Once the key that sealed them is
// destroyed (past retention, or its file removed), a restart brings the
// peers back with their sessions but without addresses: they are counted,
// handed out to no one, and their next announce is credited as if the
// tracker never stopped (and gives their address back).
func TestSwarmAddressesAcrossRestart(t *testing.T) {
	for _, tc := range []struct {
		name string
		down time.Duration                  // how long the tracker is down
		lose func(t *testing.T, dir string) // what happens to the keys meanwhile
		kept bool
	}{
		{"within retention", time.Hour, func(*testing.T, string) {}, true},
		{"past retention", peerkeys.DefaultRetention + 2*time.Hour, func(*testing.T, string) {}, false},
		{"key removed", time.Hour, func(t *testing.T, dir string) {
			keys, _ := filepath.Glob(filepath.Join(dir, "*.key"))
			if len(keys) != 1 {
				t.Fatalf("key files %v, want one", keys)
			}
			if err := os.Remove(keys[0]); err != nil {
				t.Fatal(err)
			}
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h1 := randomHash()
			log := testenv.Log(t)
			ua, ub := newTestUser(t, "a"), newTestUser(t, "b")
			appendEvent(t, log, domain.UsernameSubject("a"), ua.registered())
			appendEvent(t, log, domain.UsernameSubject("b"), ub.registered())
			appendEvent(t, log, domain.TorrentSubject(h1), domain.TorrentRegistered{InfoHash: h1, Factors: domain.NormalFactors})
			clock, dir := newFakeClock(), t.TempDir()
			cfg := Config{Interval: time.Hour, MinInterval: time.Minute, Now: clock.Now}
			a := newTestPeer(ua, "-LT2080-", sealedV4+":51413", 51413)
			b := newTestPeer(ub, "-TR3000-", "10.0.0.2:1", 2)

			cfg.PeerKeys = openRing(t, dir)
			tr1, stop1 := running(t, log, cfg)
			a.mustAnnounce(t, tr1.Handler(), h1, ann{down: 1000, left: 5000, event: "started"})
			stop1()

			clock.Advance(tc.down)
			tc.lose(t, dir)
			cfg.PeerKeys = openRing(t, dir)
			tr2, _ := running(t, log, cfg)
			tr2.reap(clock.Now()) // destroys the keys past retention
			if keys, _ := filepath.Glob(filepath.Join(dir, "*.key")); (len(keys) == 1) != tc.kept {
				t.Errorf("key files after the restart: %v", keys)
			}
			r := b.mustAnnounce(t, tr2.Handler(), h1, ann{left: 0, event: "started"})
			if r.Incomplete != 1 {
				t.Errorf("the swarm counts %d leechers after the restart, want a", r.Incomplete)
			}
			want := []string{sealedV4 + ":51413"}
			if !tc.kept {
				want = nil // a is there, but where is unknown
			}
			if got := compactPeers(t, r); !slices.Equal(got, want) {
				t.Errorf("b was given %v, want %v", got, want)
			}
			a.mustAnnounce(t, tr2.Handler(), h1, ann{down: 3000, left: 3000})
			flush(t, tr2)
			as := stored(t, log, DefaultNode)
			if last := as[len(as)-1]; last.NewSession || last.RawDown != 2000 || last.CreditedDown != 2000 {
				t.Errorf("a's announce after the restart: %+v, want a credit of 2000 in the same session", last)
			}
			r = b.mustAnnounce(t, tr2.Handler(), h1, ann{left: 0, extra: "&numwant=5"})
			if got := compactPeers(t, r); !slices.Equal(got, []string{sealedV4 + ":51413"}) {
				t.Errorf("after a announced again, b was given %v", got)
			}
		})
	}
}

// TestPlainAddressesOfOldBatches: a data directory written before
// addresses were sealed keeps working: a version 3 batch (the domain
// package's fixture) restores its peers with their plain addresses.
func TestPlainAddressesOfOldBatches(t *testing.T) {
	v3, err := os.ReadFile("../domain/testdata/announcebatch-v3.bin")
	if err != nil {
		t.Fatal(err)
	}
	e, err := domain.Decode(domain.TypeAnnounceBatch, 3, v3)
	if err != nil {
		t.Fatal(err)
	}
	old := e.(*domain.AnnounceBatch)
	log := testenv.Log(t)
	for i, a := range old.Announces {
		u := testUser{id: a.UserID, name: "old" + string(rune('a'+i)), passkey: passkey(t)}
		appendEvent(t, log, domain.UsernameSubject(u.name), u.registered())
		appendEvent(t, log, domain.TorrentSubject(a.InfoHash), domain.TorrentRegistered{InfoHash: a.InfoHash, Factors: domain.NormalFactors})
	}
	if _, err := log.Append(context.Background(), domain.AnnounceSubject(DefaultNode), old, eventlog.WithID(uuid.New()),
		eventlog.Actor("tracker:t1"), eventlog.RawVersion(3, v3)); err != nil {
		t.Fatal(err)
	}
	tr, _ := running(t, log, Config{PeerKeys: peerkeys.Memory(0)})
	for i, a := range old.Announces {
		var got []string
		tr.swarms.with(a.InfoHash, func(tor *torrent) {
			for _, p := range tor.peers {
				got = append(got, netip.AddrPortFrom(addrOf(p.addr), p.port).String())
			}
		})
		want := []string{netip.AddrPortFrom(netip.AddrFrom16(old.PlainAddrs()[i].IP).Unmap(), old.PlainAddrs()[i].Port).String()}
		if a.Event == domain.EventStopped {
			want = nil
		}
		if !slices.Equal(got, want) {
			t.Errorf("torrent %d (%v): peers %v, want %v", i, a.Event, got, want)
		}
	}
}
