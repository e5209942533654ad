package tracker

import (
	"bytes"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/anacrolix/torrent/bencode"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
)

// world is a log with users and torrents, and a tracker running on it.
type world struct {
	log *eventlog.Log
	tr  *Tracker
	h   http.Handler
}

// newWorld appends a user per name and registers each torrent with its
// factors, then starts a tracker with cfg.
func newWorld(t *testing.T, cfg Config, names []string, torrents map[domain.InfoHash]domain.Factors) (*world, map[string]testUser) {
	t.Helper()
	if cfg.Burst == 0 {
		cfg.Burst = 255 // these tests re-announce at once; pacing is tested on its own
	}
	log := testenv.Log(t)
	users := map[string]testUser{}
	for _, n := range names {
		u := newTestUser(t, n)
		appendEvent(t, log, domain.UsernameSubject(n), u.registered())
		users[n] = u
	}
	for h, f := range torrents {
		appendEvent(t, log, domain.TorrentSubject(h), domain.TorrentRegistered{InfoHash: h, Name: h.String(), Factors: f})
	}
	tr, _ := running(t, log, cfg)
	return &world{log: log, tr: tr, h: tr.Handler()}, users
}

func ports(tb testing.TB, peers []string) []string {
	out := make([]string, len(peers))
	for i, p := range peers {
		out[i] = p[strings.LastIndexByte(p, ':')+1:]
	}
	slices.Sort(out)
	return out
}

func TestPeersSeeEachOther(t *testing.T) {
	h1 := randomHash()
	w, u := newWorld(t, Config{}, []string{"alice", "bob", "carol"}, map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors})
	alice := newTestPeer(u["alice"], "-LT2080-", "10.0.0.1:5000", 1001)
	alice2 := newTestPeer(u["alice"], "-TR3000-", "10.0.0.11:5000", 1011) // alice's second client
	bob := newTestPeer(u["bob"], "-TR3000-", "10.0.0.2:5000", 1002)
	carol := newTestPeer(u["carol"], "A2-1-36-0-", "10.0.0.3:5000", 1003)

	r := alice.mustAnnounce(t, w.h, h1, ann{left: 0, event: "started"})
	if len(compactPeers(t, r)) != 0 || r.Complete != 1 || r.Incomplete != 0 {
		t.Fatalf("first seeder: %+v", r)
	}
	alice2.mustAnnounce(t, w.h, h1, ann{left: 50, event: "started"})
	r = bob.mustAnnounce(t, w.h, h1, ann{left: 100, event: "started"})
	if got := compactPeers(t, r); !slices.Equal(got, []string{"10.0.0.1:1001", "10.0.0.11:1011"}) && !slices.Equal(got, []string{"10.0.0.11:1011", "10.0.0.1:1001"}) {
		t.Errorf("bob got %v, want both of alice's peers", got)
	}
	if r.Complete != 1 || r.Incomplete != 2 {
		t.Errorf("bob's counts: complete %d incomplete %d", r.Complete, r.Incomplete)
	}
	r = alice.mustAnnounce(t, w.h, h1, ann{left: 0})
	if got := compactPeers(t, r); !slices.Equal(got, []string{"10.0.0.2:1002"}) {
		t.Errorf("alice (seeder) got %v, want only bob: not herself, not her own leeching client", got)
	}
	r = carol.mustAnnounce(t, w.h, h1, ann{left: 0, event: "started"})
	if got := ports(t, compactPeers(t, r)); !slices.Equal(got, []string{"1002", "1011"}) {
		t.Errorf("carol (seeder) got %v, want the two leechers and no seeder", got)
	}
	r = alice2.mustAnnounce(t, w.h, h1, ann{left: 50})
	if got := ports(t, compactPeers(t, r)); !slices.Equal(got, []string{"1002", "1003"}) {
		t.Errorf("alice's leecher got %v, want bob and carol but not alice's seeder", got)
	}
	if s := w.tr.Stats(); s.Peers != 4 || s.Seeders != 2 || s.Leechers != 2 || s.Swarms != 1 || s.Torrents != 1 || s.Users != 3 {
		t.Errorf("stats %+v", s)
	}
}

func TestNumwant(t *testing.T) {
	h1 := randomHash()
	names := []string{"asker"}
	for i := range 30 {
		names = append(names, "u"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	w, u := newWorld(t, Config{DefaultNumwant: 7, MaxNumwant: 12}, names, map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors})
	for i, n := range names[1:] {
		newTestPeer(u[n], "-qB4650-", "10.1.0.1:1", uint16(2000+i)).mustAnnounce(t, w.h, h1, ann{left: 0, event: "started"})
	}
	asker := newTestPeer(u["asker"], "-LT2080-", "10.2.0.1:1", 3000)
	for _, tt := range []struct {
		extra string
		want  int
	}{{"", 7}, {"&numwant=3", 3}, {"&numwant=0", 0}, {"&numwant=12", 12}, {"&numwant=200", 12}} {
		r := asker.mustAnnounce(t, w.h, h1, ann{left: 10, extra: tt.extra})
		got := compactPeers(t, r)
		if len(got) != tt.want {
			t.Errorf("numwant %q: got %d peers, want %d", tt.extra, len(got), tt.want)
		}
		if len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) {
			t.Errorf("numwant %q: repeated peers %v", tt.extra, got)
		}
	}
}

func TestDictionaryForm(t *testing.T) {
	h1 := randomHash()
	w, u := newWorld(t, Config{}, []string{"alice", "bob"}, map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors})
	alice := newTestPeer(u["alice"], "-LT2080-", "10.0.0.1:5000", 6881)
	bob := newTestPeer(u["bob"], "-TR3000-", "[2001:db8::7]:5000", 51413)
	alice.mustAnnounce(t, w.h, h1, ann{left: 0, event: "started"})
	bob.mustAnnounce(t, w.h, h1, ann{left: 10, event: "started"})

	var list []dictPeer
	r := alice.mustAnnounce(t, w.h, h1, ann{extra: "&compact=0"})
	if err := bencode.Unmarshal(r.Peers, &list); err != nil {
		t.Fatalf("compact=0 peers: %v", err)
	}
	if len(list) != 1 || list[0].IP != "2001:db8::7" || list[0].Port != 51413 || list[0].PeerID != string(bob.id[:]) {
		t.Errorf("dictionary peers %+v", list)
	}
	r = bob.mustAnnounce(t, w.h, h1, ann{left: 10, extra: "&compact=0&no_peer_id=1"})
	var raw []map[string]any
	if err := bencode.Unmarshal(r.Peers, &raw); err != nil || len(raw) != 1 {
		t.Fatalf("peers %v %v", raw, err)
	}
	if _, has := raw[0]["peer id"]; has || raw[0]["ip"] != "10.0.0.1" || raw[0]["port"] != int64(6881) {
		t.Errorf("no_peer_id peers %v", raw)
	}
	// compact (the default): bob over IPv6 lands in peers6, alice in peers.
	if got := compactPeers(t, alice.mustAnnounce(t, w.h, h1, ann{})); !slices.Equal(got, []string{"[2001:db8::7]:51413"}) {
		t.Errorf("compact peers %v", got)
	}
}

// TestRealListeners announces over TCP, on 127.0.0.1 and on [::1]: an IPv6
// peer is sent in peers6 (BEP 7), an IPv4 one in peers, and an
// IPv4-mapped connection address counts as IPv4. Where [::1] cannot be
// listened on, the IPv6 half is skipped and the IPv4 half still runs.
func TestRealListeners(t *testing.T) {
	h1 := randomHash()
	w, u := newWorld(t, Config{}, []string{"v4", "v6"}, map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors})
	base4, err := listen(t, w.tr, "tcp4", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no IPv4 loopback: %v", err)
	}
	base6, err6 := listen(t, w.tr, "tcp6", "[::1]:0")
	get := func(t *testing.T, base string, p testPeer, a ann) announceResponse {
		t.Helper()
		resp, err := http.Get(base + p.url(h1, a))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r announceResponse
		if err := bencode.NewDecoder(resp.Body).Decode(&r); err != nil || r.Failure != "" {
			t.Fatalf("decode: %v %q", err, r.Failure)
		}
		return r
	}
	p4 := newTestPeer(u["v4"], "-LT2080-", "", 6001)
	p6 := newTestPeer(u["v6"], "-TR3000-", "", 6002)
	get(t, base4, p4, ann{left: 0, event: "started"})
	t.Run("IPv6", func(t *testing.T) {
		if err6 != nil {
			t.Skipf("IPv6 half skipped: %v", err6)
		}
		if got := compactPeers(t, get(t, base6, p6, ann{left: 5, event: "started"})); !slices.Equal(got, []string{"127.0.0.1:6001"}) {
			t.Errorf("v6 peer got %v", got)
		}
		r := get(t, base4, p4, ann{left: 0})
		if got := compactPeers(t, r); !slices.Equal(got, []string{"[::1]:6002"}) || len(r.Peers6) != 18 {
			t.Errorf("v4 peer got %v (peers6 %q)", got, r.Peers6)
		}
	})
	checkServerRefusals(t, base4, p4.url(h1, ann{}), p4.user.passkey)
	// The same peer through a v4-mapped remote address is still IPv4; the
	// leecher asks over IPv6 when it can.
	mapped := newTestPeer(u["v4"], "-LT2080-", "[::ffff:10.9.8.7]:1234", 6003)
	mapped.mustAnnounce(t, w.h, h1, ann{left: 0, event: "started"})
	leecherBase := base6
	if err6 != nil {
		leecherBase = base4
	}
	if got := compactPeers(t, get(t, leecherBase, p6, ann{left: 5})); !slices.Contains(got, "10.9.8.7:6003") {
		t.Errorf("v4-mapped peer missing from peers: %v", got)
	}
}

// checkServerRefusals checks a refusal and an unknown path as the
// production server sends them: target is an announce of passkey.
func checkServerRefusals(t *testing.T, base, target, passkey string) {
	t.Helper()
	for path, want := range map[string]struct {
		status  int
		failure string
	}{
		strings.Replace(target, passkey, strings.Repeat("0", 32), 1): {http.StatusOK, site.unknownPasskey(firstInfoHash(target[strings.IndexByte(target, '?')+1:])).Text},
		"/favicon.ico": {http.StatusNotFound, ErrNotFound.Text},
		target + "&x=" + strings.Repeat("y", maxRequestBytes): {http.StatusOK, ErrTooLong.Text}, // over the limit: still bencoded
	} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		var r announceResponse
		err = bencode.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		if err != nil || resp.StatusCode != want.status || r.Failure != want.failure || resp.Header.Get("Content-Type") != textPlain[0] {
			t.Errorf("GET %s: %d %q (%v), content type %q; want %d %q", path, resp.StatusCode, r.Failure, err,
				resp.Header.Get("Content-Type"), want.status, want.failure)
		}
	}
}

// listen serves tr with its production server (NewServer) on a new
// listener and returns its base URL, or the error of a listener that could
// not be opened (an address family the machine lacks).
func listen(t *testing.T, tr *Tracker, network, addr string) (string, error) {
	ln, err := net.Listen(network, addr)
	if err != nil {
		return "", err
	}
	srv := tr.NewServer()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown() })
	return "http://" + ln.Addr().String(), nil
}

func TestScrape(t *testing.T) {
	h1, h2, h3, unknown := randomHash(), randomHash(), randomHash(), randomHash()
	w, u := newWorld(t, Config{}, []string{"a", "b", "c"}, map[domain.InfoHash]domain.Factors{
		h1: domain.NormalFactors, h2: domain.NormalFactors, h3: domain.NormalFactors})
	a := newTestPeer(u["a"], "-LT2080-", "10.0.0.1:1", 1)
	b := newTestPeer(u["b"], "-LT2080-", "10.0.0.2:1", 2)
	c := newTestPeer(u["c"], "-LT2080-", "10.0.0.3:1", 3)
	a.mustAnnounce(t, w.h, h1, ann{left: 9, event: "started"})
	a.mustAnnounce(t, w.h, h1, ann{left: 0, event: "completed"}) // a snatch: the session began with something left
	b.mustAnnounce(t, w.h, h1, ann{left: 9, event: "started"})
	c.mustAnnounce(t, w.h, h1, ann{left: 9, event: "started"})
	b.mustAnnounce(t, w.h, h2, ann{left: 0, event: "started"})
	appendEvent(t, w.log, domain.TorrentSubject(h3), domain.TorrentDeleted{InfoHash: h3})

	small, large := h1, h2 // asked for in the wrong order: bencode wants the files' keys in byte order
	if bytes.Compare(small[:], large[:]) > 0 {
		small, large = large, small
	}
	target := "/scrape/" + u["c"].passkey + "?info_hash=" + escape(large[:]) + "&info_hash=" + escape(small[:]) +
		"&info_hash=" + escape(unknown[:]) + "&info_hash=" + escape(large[:])
	var resp struct {
		Files map[string]struct {
			Complete   int `bencode:"complete"`
			Downloaded int `bencode:"downloaded"`
			Incomplete int `bencode:"incomplete"`
		} `bencode:"files"`
	}
	body := serve(t, w.h, c.remote, target)
	if err := bencode.Unmarshal(body, &resp); err != nil {
		t.Fatal(err)
	}
	if bytes.Index(body, small[:]) > bytes.Index(body, large[:]) {
		t.Errorf("scrape keys out of order: %q", body)
	}
	f1, f2 := resp.Files[string(h1[:])], resp.Files[string(h2[:])]
	if len(resp.Files) != 2 || f1.Complete != 1 || f1.Incomplete != 2 || f1.Downloaded != 1 || f2.Complete != 1 || f2.Incomplete != 0 {
		t.Errorf("scrape %+v", resp.Files)
	}
	testenv.Eventually(t, "the deleted torrent to leave the scrape", func() bool {
		body := serve(t, w.h, c.remote, "/"+u["c"].passkey+"/scrape?info_hash="+escape(h3[:])+"&info_hash="+escape(h2[:]))
		return bencode.Unmarshal(body, &resp) == nil && len(resp.Files) == 1
	})
}

func TestStoppedRemovesPeer(t *testing.T) {
	h1 := randomHash()
	w, u := newWorld(t, Config{}, []string{"a", "b"}, map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors})
	a := newTestPeer(u["a"], "-LT2080-", "10.0.0.1:1", 1)
	b := newTestPeer(u["b"], "-LT2080-", "10.0.0.2:1", 2)
	a.mustAnnounce(t, w.h, h1, ann{left: 0, event: "started"})
	b.mustAnnounce(t, w.h, h1, ann{left: 5, event: "started"})
	r := a.mustAnnounce(t, w.h, h1, ann{up: 500, left: 0, event: "stopped", extra: "&numwant=0"})
	if len(compactPeers(t, r)) != 0 || r.Complete != 0 || r.Incomplete != 1 {
		t.Errorf("stopped answer %+v", r)
	}
	r = b.mustAnnounce(t, w.h, h1, ann{down: 500, left: 5})
	if len(compactPeers(t, r)) != 0 || r.Complete != 0 {
		t.Errorf("stopped peer still sent: %+v", r)
	}
	flush(t, w.tr)
	got := stored(t, w.log, "t1")
	if len(got) != 4 || got[2].Event != domain.EventStopped || got[2].RawUp != 500 || got[2].CreditedUp != 500 {
		t.Errorf("stored %+v", got)
	}
}
