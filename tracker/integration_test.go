package tracker

import (
	"context"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

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
// IPv4-mapped connection address counts as IPv4.
func TestRealListeners(t *testing.T) {
	h1 := randomHash()
	w, u := newWorld(t, Config{}, []string{"v4", "v6"}, map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors})
	base4 := listen(t, w.h, "tcp4", "127.0.0.1:0")
	base6 := listen(t, w.h, "tcp6", "[::1]:0")
	get := func(base string, p testPeer, a ann) announceResponse {
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
	get(base4, p4, ann{left: 0, event: "started"})
	if got := compactPeers(t, get(base6, p6, ann{left: 5, event: "started"})); !slices.Equal(got, []string{"127.0.0.1:6001"}) {
		t.Errorf("v6 peer got %v", got)
	}
	r := get(base4, p4, ann{left: 0})
	if got := compactPeers(t, r); !slices.Equal(got, []string{"[::1]:6002"}) || len(r.Peers6) != 18 {
		t.Errorf("v4 peer got %v (peers6 %q)", got, r.Peers6)
	}
	// The same peer through a v4-mapped remote address is still IPv4.
	mapped := newTestPeer(u["v4"], "-LT2080-", "[::ffff:10.9.8.7]:1234", 6003)
	mapped.mustAnnounce(t, w.h, h1, ann{left: 0, event: "started"})
	if got := compactPeers(t, get(base6, p6, ann{left: 5})); !slices.Contains(got, "10.9.8.7:6003") {
		t.Errorf("v4-mapped peer missing from peers: %v", got)
	}
}

// listen serves h on a new listener and returns its base URL; the test is
// skipped when the address family is unavailable.
func listen(t *testing.T, h http.Handler, network, addr string) string {
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

func TestScrape(t *testing.T) {
	h1, h2, h3, unknown := randomHash(), randomHash(), randomHash(), randomHash()
	w, u := newWorld(t, Config{}, []string{"a", "b", "c"}, map[domain.InfoHash]domain.Factors{
		h1: domain.NormalFactors, h2: domain.NormalFactors, h3: domain.NormalFactors})
	a := newTestPeer(u["a"], "-LT2080-", "10.0.0.1:1", 1)
	b := newTestPeer(u["b"], "-LT2080-", "10.0.0.2:1", 2)
	c := newTestPeer(u["c"], "-LT2080-", "10.0.0.3:1", 3)
	a.mustAnnounce(t, w.h, h1, ann{left: 0, event: "completed"})
	b.mustAnnounce(t, w.h, h1, ann{left: 9, event: "started"})
	c.mustAnnounce(t, w.h, h1, ann{left: 9, event: "started"})
	b.mustAnnounce(t, w.h, h2, ann{left: 0, event: "started"})
	appendEvent(t, w.log, domain.TorrentSubject(h3), domain.TorrentDeleted{InfoHash: h3})

	target := "/scrape/" + u["c"].passkey + "?info_hash=" + escape(h1[:]) + "&info_hash=" + escape(h2[:]) +
		"&info_hash=" + escape(unknown[:]) + "&info_hash=" + escape(h1[:])
	var resp struct {
		Files map[string]struct {
			Complete   int `bencode:"complete"`
			Downloaded int `bencode:"downloaded"`
			Incomplete int `bencode:"incomplete"`
		} `bencode:"files"`
	}
	if err := bencode.Unmarshal(serve(t, w.h, c.remote, target), &resp); err != nil {
		t.Fatal(err)
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

func TestOneSnatchPerUser(t *testing.T) {
	h1 := randomHash()
	w, u := newWorld(t, Config{}, []string{"a", "b"}, map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors})
	a1 := newTestPeer(u["a"], "-LT2080-", "10.0.0.1:1", 1)
	a2 := newTestPeer(u["a"], "-TR3000-", "10.0.0.1:1", 2)
	b := newTestPeer(u["b"], "-LT2080-", "10.0.0.2:1", 3)
	a1.mustAnnounce(t, w.h, h1, ann{left: 5, event: "started"})
	if r := a1.mustAnnounce(t, w.h, h1, ann{left: 0, event: "completed"}); r.Downloaded != 1 {
		t.Errorf("after the first completed: downloaded %d", r.Downloaded)
	}
	if r := a1.mustAnnounce(t, w.h, h1, ann{left: 0, event: "completed"}); r.Downloaded != 1 {
		t.Errorf("a second completed by the same user counted: %d", r.Downloaded)
	}
	if r := a2.mustAnnounce(t, w.h, h1, ann{left: 0, event: "completed"}); r.Downloaded != 1 {
		t.Errorf("a completed by the same user's other client counted: %d", r.Downloaded)
	}
	if r := b.mustAnnounce(t, w.h, h1, ann{left: 0, event: "completed"}); r.Downloaded != 2 {
		t.Errorf("another user's completed: downloaded %d, want 2", r.Downloaded)
	}
	flush(t, w.tr)
	var completed int
	for _, a := range stored(t, w.log, "t1") {
		if a.Event == domain.EventCompleted {
			completed++
		}
	}
	if completed != 2 {
		t.Errorf("%d completed events stored, want one per user", completed)
	}
}

// credits sums the stored credit of user.
func credits(as []domain.Announce, user domain.UserID) (c domain.Credit) {
	for _, a := range as {
		if a.UserID == user {
			c.RawUp += a.RawUp
			c.RawDown += a.RawDown
			c.CreditedUp += a.CreditedUp
			c.CreditedDown += a.CreditedDown
		}
	}
	return c
}

func TestNoCreditAcrossCounterReset(t *testing.T) {
	h1 := randomHash()
	w, u := newWorld(t, Config{}, []string{"a"}, map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors})
	a := newTestPeer(u["a"], "-LT2080-", "10.0.0.1:1", 1)
	a.mustAnnounce(t, w.h, h1, ann{up: 1000, down: 1000, left: 5, event: "started"}) // first: nothing
	a.mustAnnounce(t, w.h, h1, ann{up: 1500, down: 1200, left: 5})                   // +500 / +200
	a.mustAnnounce(t, w.h, h1, ann{up: 100, down: 5000, left: 5})                    // upload reset: new session
	a.mustAnnounce(t, w.h, h1, ann{up: 400, down: 5100, left: 5})                    // +300 / +100
	a.mustAnnounce(t, w.h, h1, ann{up: 900, down: 9100, left: 5, event: "started"})  // started: new session
	a.mustAnnounce(t, w.h, h1, ann{up: 1000, down: 9000, left: 5})                   // download reset
	a.mustAnnounce(t, w.h, h1, ann{up: 1010, down: 9001, left: 5})                   // +10 / +1
	flush(t, w.tr)
	as := stored(t, w.log, "t1")
	if c := credits(as, u["a"].id); c.RawUp != 810 || c.RawDown != 301 || c.CreditedUp != 810 || c.CreditedDown != 301 {
		t.Errorf("credit %+v, want up 810 down 301", c)
	}
	wantNew := []bool{true, false, true, false, true, true, false}
	for i, a := range as {
		if a.NewSession != wantNew[i] {
			t.Errorf("announce %d: new session %v", i, a.NewSession)
		}
	}
}

func TestFactors(t *testing.T) {
	normal, free, neutral, double := randomHash(), randomHash(), randomHash(), randomHash()
	w, u := newWorld(t, Config{}, []string{"a"}, map[domain.InfoHash]domain.Factors{
		normal:  domain.NormalFactors,
		free:    {UploadPercent: 100, DownloadPercent: 0},
		neutral: {UploadPercent: 0, DownloadPercent: 0},
		double:  {UploadPercent: 200, DownloadPercent: 100},
	})
	a := newTestPeer(u["a"], "-LT2080-", "10.0.0.1:1", 1)
	for _, h := range []domain.InfoHash{normal, free, neutral, double} {
		a.mustAnnounce(t, w.h, h, ann{left: 5, event: "started"})
		a.mustAnnounce(t, w.h, h, ann{up: 1000, down: 3000, left: 5})
	}
	// A factor change applies to the next announce.
	appendEvent(t, w.log, domain.TorrentSubject(normal), domain.TorrentFactorsSet{InfoHash: normal, Factors: domain.Factors{UploadPercent: 150, DownloadPercent: 50}})
	testenv.Eventually(t, "the factor change", func() bool {
		var f domain.Factors
		w.tr.swarms.with(normal, func(tor *torrent) { f = tor.factors })
		return f.UploadPercent == 150
	})
	a.mustAnnounce(t, w.h, normal, ann{up: 2000, down: 5000, left: 5})
	flush(t, w.tr)
	got := map[domain.InfoHash][]domain.Credit{}
	for _, s := range stored(t, w.log, "t1") {
		if !s.NewSession {
			got[s.InfoHash] = append(got[s.InfoHash], s.Credit)
		}
	}
	want := map[domain.InfoHash][]domain.Credit{
		normal:  {{RawUp: 1000, RawDown: 3000, CreditedUp: 1000, CreditedDown: 3000}, {RawUp: 1000, RawDown: 2000, CreditedUp: 1500, CreditedDown: 1000}},
		free:    {{RawUp: 1000, RawDown: 3000, CreditedUp: 1000, CreditedDown: 0}},
		neutral: {{RawUp: 1000, RawDown: 3000, CreditedUp: 0, CreditedDown: 0}},
		double:  {{RawUp: 1000, RawDown: 3000, CreditedUp: 2000, CreditedDown: 3000}},
	}
	for h, cs := range want {
		if !slices.Equal(got[h], cs) {
			t.Errorf("%s: credits %+v, want %+v", h, got[h], cs)
		}
	}
}

// TestCreditAcrossRestart: a tracker stopped and started again on the same
// log credits each peer's next announce as if it had never stopped, and
// still knows its swarm and snatches.
func TestCreditAcrossRestart(t *testing.T) {
	h1 := randomHash()
	log := testenv.Log(t)
	ua, ub := newTestUser(t, "a"), newTestUser(t, "b")
	appendEvent(t, log, domain.UsernameSubject("a"), ua.registered())
	appendEvent(t, log, domain.UsernameSubject("b"), ub.registered())
	appendEvent(t, log, domain.TorrentSubject(h1), domain.TorrentRegistered{InfoHash: h1, Factors: domain.Factors{UploadPercent: 200, DownloadPercent: 100}})
	a := newTestPeer(ua, "-LT2080-", "10.0.0.1:1", 1)
	b := newTestPeer(ub, "-TR3000-", "10.0.0.2:1", 2)

	tr1, stop1 := running(t, log, Config{Burst: 255})
	a.mustAnnounce(t, tr1.Handler(), h1, ann{up: 100, left: 0, event: "started"})
	b.mustAnnounce(t, tr1.Handler(), h1, ann{down: 50, left: 900, event: "started"})
	a.mustAnnounce(t, tr1.Handler(), h1, ann{up: 400, left: 0})
	b.mustAnnounce(t, tr1.Handler(), h1, ann{down: 350, left: 600})
	b.mustAnnounce(t, tr1.Handler(), h1, ann{down: 950, left: 0, event: "completed"})
	stop1() // flushes

	tr2, _ := running(t, log, Config{Burst: 255})
	r := a.mustAnnounce(t, tr2.Handler(), h1, ann{up: 1000, left: 0})
	if r.Complete != 2 || r.Downloaded != 1 {
		t.Errorf("after restart: complete %d downloaded %d, want the rebuilt swarm (2) and snatch (1)", r.Complete, r.Downloaded)
	}
	b.mustAnnounce(t, tr2.Handler(), h1, ann{up: 10, down: 1000, left: 0})
	flush(t, tr2)
	as := stored(t, log, "t1")
	if ca := credits(as, ua.id); ca.RawUp != 900 || ca.CreditedUp != 1800 {
		t.Errorf("a: %+v, want raw up 900 (1000-100), credited 1800", ca)
	}
	if cb := credits(as, ub.id); cb.RawDown != 950 || cb.CreditedDown != 950 || cb.RawUp != 10 || cb.CreditedUp != 20 {
		t.Errorf("b: %+v, want raw down 950 (1000-50), up 10 credited 20", cb)
	}
	if last := as[len(as)-1]; last.NewSession {
		t.Error("the first announce after the restart started a new session")
	}
}

func TestLiveRegistryChanges(t *testing.T) {
	h1, h2 := randomHash(), randomHash()
	w, u := newWorld(t, Config{}, []string{"rot", "dis", "cli"}, map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors, h2: domain.NormalFactors})
	rot := newTestPeer(u["rot"], "-LT2080-", "10.0.0.1:1", 1)
	dis := newTestPeer(u["dis"], "-LT2080-", "10.0.0.2:1", 2)
	cli := newTestPeer(u["cli"], "-DE2110-", "10.0.0.3:1", 3)
	for _, p := range []testPeer{rot, dis, cli} {
		p.mustAnnounce(t, w.h, h1, ann{left: 1, event: "started"})
	}
	ctx := context.Background()

	newKey := passkey(t)
	appendEvent(t, w.log, domain.UserSubject(rot.user.id), domain.PasskeyRotated{UserID: rot.user.id, Passkey: domain.Passkey(newKey)})
	testenv.Eventually(t, "the old passkey to be refused", func() bool {
		return rot.announce(t, w.h, h2, ann{left: 1}).Failure == string(ErrUnknownPasskey)
	})
	rotNew := rot
	rotNew.user.passkey = newKey
	rotNew.mustAnnounce(t, w.h, h2, ann{left: 1})

	appendEvent(t, w.log, domain.UserSubject(dis.user.id), domain.UserDisabled{UserID: dis.user.id})
	testenv.Eventually(t, "the disabled user to be refused", func() bool {
		return dis.announce(t, w.h, h2, ann{left: 1}).Failure == string(ErrUserDisabled)
	})
	appendEvent(t, w.log, domain.UserSubject(dis.user.id), domain.UserEnabled{UserID: dis.user.id})
	testenv.Eventually(t, "the enabled user to be served", func() bool {
		return dis.announce(t, w.h, h2, ann{left: 1}).Failure == ""
	})

	appendEvent(t, w.log, domain.UserSubject(dis.user.id), domain.LeechingSet{UserID: dis.user.id, CanLeech: false})
	testenv.Eventually(t, "leeching to be refused", func() bool {
		return dis.announce(t, w.h, h1, ann{left: 1, event: "started"}).Failure == string(ErrLeechDisabled)
	})

	appendEvent(t, w.log, domain.TorrentSubject(h1), domain.TorrentDeleted{InfoHash: h1})
	testenv.Eventually(t, "the deleted torrent to be refused", func() bool {
		return cli.announce(t, w.h, h1, ann{left: 1, event: "started"}).Failure == string(ErrDeleted)
	})

	if _, err := w.log.Append(ctx, domain.SubjectClients, domain.ClientAllowListSet{Prefixes: []string{"-LT"}}); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, "Deluge to be refused", func() bool {
		return strings.HasPrefix(cli.announce(t, w.h, h2, ann{left: 1, event: "started"}).Failure, `client "-DE2110-" is not allowed`)
	})
	rotNew.mustAnnounce(t, w.h, h2, ann{left: 1, event: "started"})
}

// TestReaping: peers silent for two intervals are removed by the running
// reaper, and each reap is stored as an EventReaped announce.
func TestReaping(t *testing.T) {
	h1 := randomHash()
	clock := newFakeClock()
	w, u := newWorld(t, Config{Interval: 2 * time.Second, MinInterval: time.Second, Now: clock.Now},
		[]string{"a", "b"}, map[domain.InfoHash]domain.Factors{h1: domain.NormalFactors})
	a := newTestPeer(u["a"], "-LT2080-", "10.0.0.1:1", 1)
	b := newTestPeer(u["b"], "-LT2080-", "10.0.0.2:1", 2)
	a.mustAnnounce(t, w.h, h1, ann{up: 7, left: 0, event: "started"})
	b.mustAnnounce(t, w.h, h1, ann{left: 5, event: "started"})
	clock.Advance(3 * time.Second)
	b.mustAnnounce(t, w.h, h1, ann{left: 5})
	clock.Advance(1500 * time.Millisecond) // a: 4.5 s silent, b: 1.5 s
	testenv.Eventually(t, "a to be reaped", func() bool { return w.tr.Stats().Peers == 1 })
	if r := b.mustAnnounce(t, w.h, h1, ann{left: 5}); r.Complete != 0 || len(compactPeers(t, r)) != 0 {
		t.Errorf("reaped seeder still in the swarm: %+v", r)
	}
	flush(t, w.tr)
	var reaped []domain.Announce
	for _, s := range stored(t, w.log, "t1") {
		if s.Event == domain.EventReaped {
			reaped = append(reaped, s)
		}
	}
	if len(reaped) != 1 || reaped[0].UserID != u["a"].id || reaped[0].PeerID != a.id || reaped[0].Uploaded != 7 || reaped[0].Left != 0 || reaped[0].Credit != (domain.Credit{}) {
		t.Errorf("reaped events %+v", reaped)
	}
}

// TestTwoNodes: trackers on one log share their swarms through it; each
// records only its own peers' reaps.
func TestTwoNodes(t *testing.T) {
	h1 := randomHash()
	log := testenv.Log(t)
	ua, ub := newTestUser(t, "a"), newTestUser(t, "b")
	appendEvent(t, log, domain.UsernameSubject("a"), ua.registered())
	appendEvent(t, log, domain.UsernameSubject("b"), ub.registered())
	appendEvent(t, log, domain.TorrentSubject(h1), domain.TorrentRegistered{InfoHash: h1, Factors: domain.NormalFactors})
	clock := newFakeClock()
	cfg := Config{Interval: time.Hour, Now: clock.Now, FlushInterval: 10 * time.Millisecond}
	cfg.Node = "n1"
	t1, _ := running(t, log, cfg)
	cfg.Node = "n2"
	t2, _ := running(t, log, cfg)
	a := newTestPeer(ua, "-LT2080-", "10.0.0.1:1", 1)
	b := newTestPeer(ub, "-LT2080-", "10.0.0.2:1", 2)
	a.mustAnnounce(t, t1.Handler(), h1, ann{left: 0, event: "started"})
	testenv.Eventually(t, "node 2 to learn node 1's seeder", func() bool {
		return t2.Stats().Seeders == 1
	})
	if got := compactPeers(t, b.mustAnnounce(t, t2.Handler(), h1, ann{left: 9, event: "started"})); !slices.Equal(got, []string{"10.0.0.1:1"}) {
		t.Errorf("node 2 sent %v", got)
	}
	testenv.Eventually(t, "node 1 to learn node 2's leecher", func() bool {
		return t1.Stats().Leechers == 1
	})
	clock.Advance(3 * time.Hour)
	if n := t2.reap(clock.Now()); n != 2 {
		t.Errorf("node 2 reaped %d peers", n)
	}
	if n := t1.reap(clock.Now()); n != 2 {
		t.Errorf("node 1 reaped %d peers", n)
	}
	flush(t, t1)
	flush(t, t2)
	for node, want := range map[string]domain.UserID{"n1": ua.id, "n2": ub.id} {
		var reaped []domain.UserID
		for _, s := range stored(t, log, node) {
			if s.Event == domain.EventReaped {
				reaped = append(reaped, s.UserID)
			}
		}
		if !slices.Equal(reaped, []domain.UserID{want}) {
			t.Errorf("%s recorded reaps of %v, want only its own peer's", node, reaped)
		}
	}
}

// TestRestartAfterDowntime: time the tracker was down does not count as a
// peer's silence, so a client that comes back after a long outage keeps its
// session; a peer already silent too long before the outage is reaped.
func TestRestartAfterDowntime(t *testing.T) {
	h1 := randomHash()
	log := testenv.Log(t)
	ua, ub := newTestUser(t, "a"), newTestUser(t, "b")
	appendEvent(t, log, domain.UsernameSubject("a"), ua.registered())
	appendEvent(t, log, domain.UsernameSubject("b"), ub.registered())
	appendEvent(t, log, domain.TorrentSubject(h1), domain.TorrentRegistered{InfoHash: h1, Factors: domain.NormalFactors})
	clock := newFakeClock()
	cfg := Config{Interval: time.Hour, MinInterval: time.Minute, Now: clock.Now}
	a := newTestPeer(ua, "-LT2080-", "10.0.0.1:1", 1)
	b := newTestPeer(ub, "-LT2080-", "10.0.0.2:1", 2)

	tr1, stop1 := running(t, log, cfg)
	b.mustAnnounce(t, tr1.Handler(), h1, ann{left: 0, event: "started"})
	clock.Advance(150 * time.Minute) // b silent for 2.5 intervals when the tracker stops
	a.mustAnnounce(t, tr1.Handler(), h1, ann{up: 100, left: 0, event: "started"})
	stop1()

	clock.Advance(5 * time.Hour) // the tracker is down for 5 intervals
	tr2, _ := running(t, log, cfg)
	if n := tr2.reap(clock.Now()); n != 1 {
		t.Errorf("reaped %d peers at restart, want b only", n)
	}
	clock.Advance(90 * time.Minute)
	if n := tr2.reap(clock.Now()); n != 0 {
		t.Errorf("reaped %d peers 1.5 intervals after the restart", n)
	}
	a.mustAnnounce(t, tr2.Handler(), h1, ann{up: 700, left: 0})
	flush(t, tr2)
	as := stored(t, log, "t1")
	if last := as[len(as)-1]; last.NewSession || last.RawUp != 600 {
		t.Errorf("a's announce after the outage: %+v, want a credit of 600 in the same session", last)
	}
}
