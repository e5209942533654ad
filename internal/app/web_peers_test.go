package app

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/internal/peerkeys"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
)

// TestTorrentPagePeers: a peer that announced is listed on the torrent
// page with its client; staff see its address, opened from the sealed log,
// and a plain user sees the row without any address. A key destroyed
// reads as "expired".
func TestTorrentPagePeers(t *testing.T) {
	m := start(t, dataDir(t))
	ctx, c := context.Background(), m.Commands()
	for _, u := range []commands.RegisterUser{{Name: "alice", Password: "alice's password"}, {Name: "sam", Password: "sam's password", Admin: true}} {
		if _, err := c.RegisterUser(ctx, commands.Operator, u); err != nil {
			t.Fatal(err)
		}
	}
	added, err := c.AddTorrent(ctx, commands.Operator, commands.AddTorrent{File: testenv.TorrentFile(t, "album.flac", false), Uploader: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	h := added.Torrent.InfoHash
	body, err := c.PersonalTorrent(ctx, commands.Operator, h, "alice", m.TrackerURL())
	if err != nil {
		t.Fatal(err)
	}
	mi, err := metainfo.Load(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	awaitUsers(t, m, "alice", "sam")
	testenv.Eventually(t, "the catalog to have the torrent", func() bool {
		_, err := projections.CatalogTorrent(ctx, m.Instance().Pool, h)
		return err == nil
	})

	page := "/torrents/" + h.String()
	if _, _, body := signedInAs(t, m, "alice").get(page); !strings.Contains(body, "No peers right now") {
		t.Fatalf("before any announce the page lacks the empty state:\n%s", body)
	}

	alice := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.ParseIP(peerFrom)}, Timeout: 5 * time.Second}).DialContext}}
	q := url.Values{"info_hash": {string(h[:])}, "peer_id": {"-qB4630-0000000000a1"}, "port": {"51413"},
		"uploaded": {"0"}, "downloaded": {"0"}, "left": {"0"}, "compact": {"1"}, "event": {"started"}}
	testenv.Eventually(t, "the tracker to take alice's announce", func() bool {
		ans := announceWith(t, alice, mi.Announce+"?"+q.Encode())
		return ans["failure reason"] == nil && ans["complete"] == int64(1)
	})
	var rows []projections.PeerRow
	testenv.Eventually(t, "alice's peer in the peers read model", func() bool {
		rows, _, err = projections.TorrentPeers(ctx, m.Instance().Pool, h, 10)
		return err == nil && len(rows) == 1
	})

	const addr = peerFrom + ":51413"
	_, _, staff := signedInAs(t, m, "sam").get(page)
	if !strings.Contains(staff, "qBittorrent 4.6.3") || !strings.Contains(staff, "<code>"+addr+"</code>") {
		t.Fatalf("staff do not see alice's peer with its address:\n%s", staff)
	}
	_, _, plain := signedInAs(t, m, "alice").get(page)
	if !strings.Contains(plain, "qBittorrent 4.6.3") || !strings.Contains(plain, `<a href="/users/alice">alice</a>`) {
		t.Fatalf("a plain user does not see alice's peer:\n%s", plain)
	}
	if strings.Contains(plain, peerFrom) || strings.Contains(plain, "Address") || strings.Contains(plain, "51413") {
		t.Fatalf("a plain user is shown an address:\n%s", plain)
	}

	// Opened with a ring that lacks the key (destroyed): "expired".
	ref := rows[0].Ref
	got, err := openPeerAddrs(ctx, m.Instance().Log, m.cfg.Tracker.PeerKeys, time.Now(), []projections.PeerRef{ref})
	if err != nil || got[ref] != addr {
		t.Fatalf("with the serve's ring: %v %v", got, err)
	}
	for name, ring := range map[string]keyRing{"an empty ring": peerkeys.Memory(0), "after retention": m.cfg.Tracker.PeerKeys} {
		now := time.Now()
		if name == "after retention" {
			now = now.Add(peerkeys.Retention(m.cfg.Tracker.Interval) + 2*peerkeys.Period)
		}
		got, err = openPeerAddrs(ctx, m.Instance().Log, ring, now, []projections.PeerRef{ref, {Seq: 1 << 40, Index: 0}})
		if err != nil || got[ref] != "expired" || got[projections.PeerRef{Seq: 1 << 40}] != "unreadable" {
			t.Errorf("%s: %v %v", name, got, err)
		}
	}
}

// signedInAs is a browser signed in as name, whose password is
// "NAME's password".
func signedInAs(t *testing.T, m *Main, name string) *browserLike {
	t.Helper()
	b := newBrowserLike(t, m.WebURL())
	if code, loc, _ := b.post("/login", url.Values{"name": {name}, "password": {name + "'s password"}}); code != http.StatusSeeOther || loc != "/" {
		t.Fatalf("login as %s: %d to %q", name, code, loc)
	}
	return b
}
