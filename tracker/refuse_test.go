package tracker

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
)

// fakeClock is a Config.Now that tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// TestRefusals checks every failure reason the tracker gives, through the
// HTTP handler: each is HTTP 200 with a bencoded failure reason.
func TestRefusals(t *testing.T) {
	alice, dave, leo := newTestUser(t, "alice"), newTestUser(t, "dave"), newTestUser(t, "leo")
	live, gone, unknown := randomHash(), randomHash(), randomHash()
	tr := offline(t, Config{MinInterval: time.Hour, Interval: 2 * time.Hour, Burst: 1, AllowIPParam: true},
		cat(userEvent(alice), userEvent(dave), userEvent(leo),
			torrentEvent(live, domain.NormalFactors), torrentEvent(gone, domain.NormalFactors),
			[]any{domain.UserSubject(dave.id), domain.UserDisabled{UserID: dave.id}},
			[]any{domain.UserSubject(leo.id), domain.LeechingSet{UserID: leo.id, CanLeech: false}},
			[]any{domain.TorrentSubject(gone), domain.TorrentDeleted{InfoHash: gone}})...)
	h := tr.Handler()
	a := newTestPeer(alice, "-LT2080-", "127.0.0.1:40000", 6881)
	d := newTestPeer(dave, "-LT2080-", "127.0.0.1:40001", 6881)
	l := newTestPeer(leo, "-LT2080-", "127.0.0.1:40002", 6881)
	banned := newTestPeer(alice, "-XL0012-", "127.0.0.1:40003", 6881)
	stranger := newTestPeer(newTestUser(t, "nobody"), "-LT2080-", "127.0.0.1:40004", 6881)

	q := a.url(live, ann{left: 10})[len("/announce/")+32:] // "?query"
	tests := []struct {
		name   string
		remote string
		target string
		want   string
	}{
		{"no passkey", a.remote, "/announce" + q, site.noPasskey(&live).Text},
		{"no passkey nor query", a.remote, "/announce", site.noPasskey(nil).Text},
		{"unknown passkey and a bad query", a.remote, "/announce/" + stranger.user.passkey + "?port=x", site.unknownPasskey(nil).Text},
		{"disabled user and a bad query", d.remote, "/announce/" + dave.passkey, site.userDisabled().Text},
		{"unknown passkey", a.remote, stranger.url(live, ann{left: 1}), site.unknownPasskey(&live).Text},
		{"unknown passkey, other route", a.remote, "/" + stranger.user.passkey + "/announce" + q, site.unknownPasskey(&live).Text},
		{"disabled user", d.remote, d.url(live, ann{left: 1}), site.userDisabled().Text},
		{"unregistered torrent", a.remote, a.url(unknown, ann{left: 1}), site.unregistered().Text},
		{"deleted torrent", a.remote, a.url(gone, ann{left: 1}), ErrDeleted.Text},
		{"client not allowed", banned.remote, banned.url(live, ann{left: 1}), site.clientNotAllowed(banned.id[:]).Text},
		{"leeching disabled", l.remote, l.url(live, ann{left: 1}), site.leechDisabled().Text},
		{"missing parameter", a.remote, "/announce/" + alice.passkey + "?" + strings.Replace(q[1:], "port=", "prt=", 1), missingParam("port").Text},
		{"malformed parameter", a.remote, a.url(live, ann{left: 1, event: "done"}), malformedParam("event", wantEvent).Text},
		{"malformed ip parameter", a.remote, a.url(live, ann{left: 1, extra: "&ip=not-an-ip"}), malformedParam("ip", "it must be an IP address").Text},
		{"scrape without passkey", a.remote, "/scrape?info_hash=" + escape(live[:]), site.noPasskey(&live).Text},
		{"scrape with unknown passkey", a.remote, "/scrape/" + stranger.user.passkey + "?info_hash=" + escape(live[:]), site.unknownPasskey(&live).Text},
		{"scrape by disabled user", a.remote, "/" + dave.passkey + "/scrape?info_hash=" + escape(live[:]), site.userDisabled().Text},
		{"full scrape", a.remote, "/scrape/" + alice.passkey, ErrFullScrape.Text},
		{"scrape of too many", a.remote, "/scrape/" + alice.passkey + "?" + manyHashes(maxScrapeHashes+1), ErrTooManyHashes.Text},
		{"malformed scrape", a.remote, "/scrape/" + alice.passkey + "?info_hash=abc", malformedParam("info_hash", want20Bytes).Text},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := decodeAnnounce(t, serve(t, h, tt.remote, tt.target))
			if r.Failure != tt.want {
				t.Errorf("failure reason %q\nwant %q", r.Failure, tt.want)
			}
		})
	}
	if s := tr.Stats(); s.Peers != 0 || s.PendingAnnounces != 0 || s.Snatches != 0 {
		t.Errorf("refusals changed state: %+v", s)
	}

	t.Run("client name in the refusal", func(t *testing.T) {
		if r := banned.announce(t, h, live, ann{left: 1}); !strings.Contains(r.Failure, `"-XL0012-"`) {
			t.Errorf("refusal does not name the client: %q", r.Failure)
		}
	})
	t.Run("leeching disabled still seeds and stops", func(t *testing.T) {
		l.mustAnnounce(t, h, live, ann{left: 0, event: "started"})
		l.mustAnnounce(t, h, live, ann{left: 5, event: "stopped"})
	})
	t.Run("announcing too often", func(t *testing.T) {
		a.mustAnnounce(t, h, live, ann{left: 10, event: "started"})
		r := a.mustAnnounce(t, h, live, ann{left: 10})
		if !strings.Contains(r.Warning, "min interval") {
			t.Errorf("early announce inside the burst: warning %q", r.Warning)
		}
		r = a.announce(t, h, live, ann{left: 10})
		if !strings.HasPrefix(r.Failure, "announcing too often: wait 3600 seconds") {
			t.Errorf("announce beyond the burst: %q", r.Failure)
		}
		a.mustAnnounce(t, h, live, ann{left: 0, event: "completed"})
		a.mustAnnounce(t, h, live, ann{left: 0, event: "stopped"})
	})
	checkCounts(t, tr)
	t.Run("busy", func(t *testing.T) {
		tr.pub.pending.Store(maxPendingAnnounces)
		defer tr.pub.pending.Store(0)
		if r := a.announce(t, h, live, ann{left: 1}); r.Failure != ErrBusy.Text {
			t.Errorf("got %q", r.Failure)
		}
	})
	t.Run("unknown route", func(t *testing.T) {
		w := serveRaw(h, a.remote, "/favicon.ico")
		if w.Code != 404 || !strings.Contains(w.Body.String(), "failure reason") {
			t.Errorf("HTTP %d %q", w.Code, w.Body)
		}
	})
}

// TestRateLimitRecovers checks that waiting min interval ends the burst.
func TestRateLimitRecovers(t *testing.T) {
	clock := newFakeClock()
	alice := newTestUser(t, "alice")
	h1 := randomHash()
	tr := offline(t, Config{Interval: time.Hour, MinInterval: 10 * time.Minute, Burst: 2, Now: clock.Now},
		cat(userEvent(alice), torrentEvent(h1, domain.NormalFactors))...)
	p := newTestPeer(alice, "-qB4650-", "10.0.0.1:1", 6881)
	h := tr.Handler()
	p.mustAnnounce(t, h, h1, ann{left: 1, event: "started"})
	for range 2 {
		clock.Advance(time.Minute)
		if r := p.mustAnnounce(t, h, h1, ann{left: 1}); r.Warning == "" {
			t.Error("no warning inside min interval")
		}
	}
	clock.Advance(time.Minute)
	// min interval counts from the last accepted announce, 1 minute ago.
	if r := p.announce(t, h, h1, ann{left: 1}); !strings.Contains(r.Failure, "wait 540 seconds") {
		t.Errorf("third early announce: %q", r.Failure)
	}
	clock.Advance(9 * time.Minute)
	if r := p.mustAnnounce(t, h, h1, ann{left: 1}); r.Warning != "" {
		t.Errorf("on-time announce warned: %q", r.Warning)
	}
	clock.Advance(time.Minute)
	p.mustAnnounce(t, h, h1, ann{left: 1}) // the burst starts afresh
}
