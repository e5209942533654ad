package tracker

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/anacrolix/torrent/bencode"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
)

// refusal is one request the tracker must refuse, and the reason it gives.
type refusal struct {
	name, remote, target string
	want                 string
	status               int  // http.StatusOK unless the path is unknown
	busy                 bool // sent while the publisher's queue is full
}

// TestRefusalsStoreNothing: every kind of refusal, on announce and on
// scrape, sent to a running tracker on a real log, is answered with a
// bencoded failure reason and stores nothing: after a Flush the log's last
// sequence is where it was (DESIGN invariant 5: bad input changes nothing).
func TestRefusalsStoreNothing(t *testing.T) {
	cfg := Config{MinInterval: time.Hour, Interval: 2 * time.Hour, Burst: 1, AllowIPParam: true, FlushInterval: 5 * time.Millisecond}
	log, tr, cases := refusalWorld(t, cfg)
	h := tr.Handler()
	ctx := context.Background()
	before, err := log.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	peersBefore := tr.Stats()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.busy {
				tr.pub.pending.Store(maxPendingAnnounces)
			}
			status, failure := refusedAnswer(t, h, c.remote, c.target)
			if c.busy {
				tr.pub.pending.Store(0)
			}
			if status != c.status || failure != c.want {
				t.Errorf("HTTP %d, failure reason %q\nwant HTTP %d, %q", status, failure, c.status, c.want)
			}
			flush(t, tr)
			if last, err := log.LastSeq(ctx); err != nil || last != before {
				t.Errorf("the log's last sequence went from %d to %d (%v): a refusal was stored", before, last, err)
			}
		})
	}
	if s := tr.Stats(); s != peersBefore {
		t.Errorf("refusals changed the tracker: %+v, was %+v", s, peersBefore)
	}
	checkCounts(t, tr)
}

// refusedAnswer serves one request and decodes its bencoded failure reason.
func refusedAnswer(t *testing.T, h http.Handler, remote, target string) (int, string) {
	t.Helper()
	w := serveRaw(h, remote, target)
	checkCanonical(t, w.Body.Bytes())
	var r struct {
		Failure string `bencode:"failure reason"`
	}
	if err := bencode.Unmarshal(w.Body.Bytes(), &r); err != nil || r.Failure == "" {
		t.Fatalf("%s: not a bencoded failure reason: %q (%v)", target, w.Body.String(), err)
	}
	return w.Code, r.Failure
}

// refusalWorld is a running tracker on a real log with a user of each kind,
// a live and a deleted torrent, a peer that already used up its burst, and
// every refusal to send to it. Every announce accepted while setting it up
// is stored before it returns.
func refusalWorld(t *testing.T, cfg Config) (*eventlog.Log, *Tracker, []refusal) {
	log := testenv.Log(t)
	alice, dave, leo := newTestUser(t, "alice"), newTestUser(t, "dave"), newTestUser(t, "leo")
	live, gone, unknown := randomHash(), randomHash(), randomHash()
	for _, u := range []testUser{alice, dave, leo} {
		appendEvent(t, log, domain.UsernameSubject(u.name), u.registered())
	}
	for _, h := range []domain.InfoHash{live, gone} {
		appendEvent(t, log, domain.TorrentSubject(h), domain.TorrentRegistered{InfoHash: h, Name: h.String(), Factors: domain.NormalFactors})
	}
	appendEvent(t, log, domain.UserSubject(dave.id), domain.UserDisabled{UserID: dave.id})
	appendEvent(t, log, domain.UserSubject(leo.id), domain.LeechingSet{UserID: leo.id, CanLeech: false})
	appendEvent(t, log, domain.TorrentSubject(gone), domain.TorrentDeleted{InfoHash: gone})
	tr, _ := running(t, log, cfg)

	a := newTestPeer(alice, "-LT2080-", "127.0.0.1:40000", 6881)
	a.mustAnnounce(t, tr.Handler(), live, ann{left: 10, event: "started"})
	a.mustAnnounce(t, tr.Handler(), live, ann{left: 10}) // early: the one announce the burst allows
	flush(t, tr)
	p := refusalPeers{a: a, d: newTestPeer(dave, "-LT2080-", "127.0.0.1:40001", 6881),
		l:        newTestPeer(leo, "-LT2080-", "127.0.0.1:40002", 6881),
		banned:   newTestPeer(alice, "-XL0012-", "127.0.0.1:40003", 6881),
		stranger: newTestPeer(newTestUser(t, "nobody"), "-LT2080-", "127.0.0.1:40004", 6881)}
	return log, tr, append(p.announceRefusals(live, gone, unknown), p.scrapeRefusals(live)...)
}

// refusalPeers are the clients that send the refusals: a (alice, burst
// used up on live), d (disabled), l (may not leech), banned (a client not
// allowed) and stranger (an unknown passkey).
type refusalPeers struct{ a, d, l, banned, stranger testPeer }

func (p refusalPeers) announceRefusals(live, gone, unknown domain.InfoHash) []refusal {
	a, pk := p.a, p.a.user.passkey
	q := a.url(live, ann{left: 1})[len("/announce/")+32:] // "?query"
	out := []refusal{
		{"no passkey", a.remote, "/announce" + q, site.noPasskey(&live).Text, 200, false},
		{"no passkey nor query", a.remote, "/announce", site.noPasskey(nil).Text, 200, false},
		{"unknown passkey", a.remote, p.stranger.url(live, ann{left: 1}), site.unknownPasskey(&live).Text, 200, false},
		{"unknown passkey, other route", a.remote, "/" + p.stranger.user.passkey + "/announce" + q, site.unknownPasskey(&live).Text, 200, false},
		{"malformed passkey", a.remote, "/announce/xyz" + q, site.unknownPasskey(&live).Text, 200, false},
		{"unknown passkey and a bad query", a.remote, "/announce/" + p.stranger.user.passkey + "?port=x", site.unknownPasskey(nil).Text, 200, false},
		{"disabled user", p.d.remote, p.d.url(live, ann{left: 1}), site.userDisabled().Text, 200, false},
		{"disabled user and a bad query", p.d.remote, "/announce/" + p.d.user.passkey, site.userDisabled().Text, 200, false},
		{"unregistered torrent", a.remote, a.url(unknown, ann{left: 1, event: "started"}), site.unregistered().Text, 200, false},
		{"deleted torrent", a.remote, a.url(gone, ann{left: 1, event: "started"}), ErrDeleted.Text, 200, false},
		{"client not allowed", p.banned.remote, p.banned.url(live, ann{left: 1, event: "started"}), site.clientNotAllowed(p.banned.id[:]).Text, 200, false},
		{"leeching disabled", p.l.remote, p.l.url(live, ann{left: 1, event: "started"}), site.leechDisabled().Text, 200, false},
		{"announcing too often", a.remote, a.url(live, ann{up: 5, left: 10}), tooOften(3600).Text, 200, false},
		{"busy", a.remote, p.l.url(live, ann{left: 0, event: "started"}), ErrBusy.Text, 200, true},
	}
	for _, name := range []string{"info_hash", "peer_id", "port", "uploaded", "downloaded", "left"} {
		out = append(out, refusal{"missing " + name, a.remote, "/announce/" + pk + "?" + dropParam(q[1:], name), missingParam(name).Text, 200, false})
	}
	for _, m := range []struct{ name, val, want string }{
		{"info_hash", "short", want20Bytes}, {"info_hash", "%zz", want20Bytes}, {"peer_id", strings.Repeat("x", 21), want20Bytes},
		{"port", "65536", wantPort}, {"port", "0", wantPort}, {"uploaded", "-1", wantNumber}, {"downloaded", "1.5", wantNumber},
		{"uploaded", "9223372036854775808", wantNumber}, {"left", "99999999999999999999", wantNumber},
		{"left", "18446744073709551616", wantNumber}, {"event", "done", wantEvent}, {"numwant", "lots", wantNumwant},
		{"ip", "not-an-ip", "it must be an IP address"}, {"ipv4", "1.2.3", "it must be an IP address"},
		{"ipv6", "%5B%3A%3A1", "it must be an IP address"},
	} {
		target := "/announce/" + pk + "?" + m.name + "=" + m.val + "&" + dropParam(q[1:], m.name)
		out = append(out, refusal{"malformed " + m.name + "=" + m.val, a.remote, target, malformedParam(m.name, m.want).Text, 200, false})
	}
	return append(out, refusal{"unknown path", a.remote, "/favicon.ico", ErrNotFound.Text, http.StatusNotFound, false},
		refusal{"unknown path with a passkey", a.remote, "/" + pk + "/announce.php" + q, ErrNotFound.Text, http.StatusNotFound, false})
}

func (p refusalPeers) scrapeRefusals(live domain.InfoHash) []refusal {
	a, one := p.a, "?info_hash="+escape(live[:])
	return []refusal{
		{"scrape without passkey", a.remote, "/scrape" + one, site.noPasskey(&live).Text, 200, false},
		{"scrape with unknown passkey", a.remote, "/scrape/" + p.stranger.user.passkey + one, site.unknownPasskey(&live).Text, 200, false},
		{"scrape by disabled user", a.remote, "/" + p.d.user.passkey + "/scrape" + one, site.userDisabled().Text, 200, false},
		{"full scrape", a.remote, "/scrape/" + a.user.passkey, ErrFullScrape.Text, 200, false},
		{"scrape of too many", a.remote, "/scrape/" + a.user.passkey + "?" + manyHashes(maxScrapeHashes+1), ErrTooManyHashes.Text, 200, false},
		{"malformed scrape", a.remote, "/scrape/" + a.user.passkey + one + "&info_hash=abc", malformedParam("info_hash", want20Bytes).Text, 200, false},
	}
}

// dropParam removes every name=... pair from a raw query.
func dropParam(query, name string) string {
	var kept []string
	for _, p := range strings.Split(query, "&") {
		if !strings.HasPrefix(p, name+"=") {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "&")
}
