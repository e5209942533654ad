package app

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/anacrolix/torrent/bencode"
	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/internal/testenv"
)

// peerFrom is a distinctive loopback address the test's seeder announces
// from (Linux routes all of 127/8 to the loopback interface).
const peerFrom = "127.98.76.54"

// TestPeerAddressesAreSealed: a serve's log keeps no peer address in
// plain (its NATS store under the data directory holds none, in any form),
// the data directory holds the key ring (0700, one 0600 file per hour), and
// a serve restarted on it gives the swarm's addresses out as before.
func TestPeerAddressesAreSealed(t *testing.T) {
	data := dataDir(t)
	m := start(t, data)
	_, added, announce := aliceSharesATorrent(t, m)
	h := added.Torrent.InfoHash
	alice := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.ParseIP(peerFrom)}, Timeout: 5 * time.Second}).DialContext}}
	q := url.Values{"info_hash": {string(h[:])}, "peer_id": {"-TR3000-0000000000a1"}, "port": {"51413"},
		"uploaded": {"0"}, "downloaded": {"0"}, "left": {"0"}, "compact": {"1"}, "event": {"started"}}
	testenv.Eventually(t, "the tracker to take alice's announce", func() bool {
		ans := announceWith(t, alice, announce+"?"+q.Encode())
		return ans["failure reason"] == nil && ans["complete"] == int64(1)
	})
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	store := readAll(t, filepath.Join(data, "nats"))
	if !bytes.Contains(store, []byte("-TR3000-0000000000a1")) {
		t.Fatal("the NATS store does not hold alice's peer id: the scan misses the messages")
	}
	ip := netip.MustParseAddr(peerFrom)
	a16 := ip.As16()
	for _, form := range [][]byte{[]byte(peerFrom), ip.AsSlice(), a16[:]} {
		if bytes.Contains(store, form) {
			t.Errorf("the NATS store holds %s in plain (as %x)", peerFrom, form)
		}
	}
	ring := filepath.Join(data, "peer-keys")
	if info, err := os.Stat(ring); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("the key ring directory: %v", err)
	}
	keys, _ := filepath.Glob(filepath.Join(ring, "*.key"))
	if len(keys) == 0 {
		t.Fatal("no key in the ring")
	}
	for _, k := range keys {
		if info, err := os.Stat(k); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v", k, info.Mode(), err)
		}
	}

	m = start(t, data)
	ctx, c := context.Background(), m.Commands()
	if _, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: "bob"}); err != nil {
		t.Fatal(err)
	}
	body, err := c.PersonalTorrent(ctx, commands.Operator, h, "bob", m.TrackerURL())
	if err != nil {
		t.Fatal(err)
	}
	var mi struct {
		Announce string `bencode:"announce"`
	}
	if err := bencode.Unmarshal(body, &mi); err != nil {
		t.Fatal(err)
	}
	q.Set("peer_id", "-TR3000-0000000000b1")
	q.Set("left", "100")
	var peers []string
	testenv.Eventually(t, "bob to be given alice's address", func() bool {
		ans := announceWith(t, http.DefaultClient, mi.Announce+"?"+q.Encode())
		raw, _ := ans["peers"].(string)
		peers = peers[:0]
		for i := 0; i+6 <= len(raw); i += 6 {
			peers = append(peers, netip.AddrPortFrom(netip.AddrFrom4([4]byte([]byte(raw[i:i+4]))),
				uint16(raw[i+4])<<8|uint16(raw[i+5])).String())
		}
		return slices.Contains(peers, peerFrom+":51413")
	})
}

func announceWith(t *testing.T, c *http.Client, u string) map[string]any {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var ans map[string]any
	if err := bencode.Unmarshal(b, &ans); err != nil {
		t.Fatalf("announce answered %q", b)
	}
	return ans
}

// readAll is every file under dir, concatenated.
func readAll(t *testing.T, dir string) []byte {
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
