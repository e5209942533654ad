package tracker

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/anacrolix/torrent/bencode"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/google/uuid"
)

// escape percent-encodes every byte outside the URL unreserved set, as
// BitTorrent clients do for info_hash and peer_id (lowercase hex).
func escape(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			sb.WriteByte(c)
		} else {
			fmt.Fprintf(&sb, "%%%02x", c)
		}
	}
	return sb.String()
}

func randomHash() domain.InfoHash {
	var h domain.InfoHash
	rand.Read(h[:])
	return h
}

// peerID makes a peer_id with a client prefix and a random tail.
func peerID(prefix string) [20]byte {
	var id [20]byte
	rand.Read(id[:])
	copy(id[:], prefix)
	return id
}

func passkey(tb testing.TB) string {
	pk, err := domain.NewPasskey()
	if err != nil {
		tb.Fatal(err)
	}
	return string(pk)
}

// testUser is a registered user.
type testUser struct {
	id      domain.UserID
	name    string
	passkey string
}

func newTestUser(tb testing.TB, name string) testUser {
	return testUser{id: uuid.New(), name: name, passkey: passkey(tb)}
}

func (u testUser) registered() domain.UserRegistered {
	return domain.UserRegistered{UserID: u.id, Name: u.name, Passkey: domain.Passkey(u.passkey)}
}

// testPeer is a client of a user, announcing from remote ("ip:port").
type testPeer struct {
	user   testUser
	id     [20]byte
	port   uint16
	remote string
}

func newTestPeer(u testUser, prefix, remote string, port uint16) testPeer {
	return testPeer{user: u, id: peerID(prefix), port: port, remote: remote}
}

// ann describes one announce of a testPeer.
type ann struct {
	up, down, left uint64
	event          string
	extra          string // more raw query, e.g. "&numwant=3"
}

// url is the announce path and query of a for h.
func (p testPeer) url(h domain.InfoHash, a ann) string {
	q := fmt.Sprintf("info_hash=%s&peer_id=%s&port=%d&uploaded=%d&downloaded=%d&left=%d&key=abc&compact=1",
		escape(h[:]), escape(p.id[:]), p.port, a.up, a.down, a.left)
	if a.event != "" {
		q += "&event=" + a.event
	}
	return "/announce/" + p.user.passkey + "?" + q + a.extra
}

// announceResponse is a decoded announce answer.
type announceResponse struct {
	Failure     string        `bencode:"failure reason"`
	Warning     string        `bencode:"warning message"`
	Interval    int64         `bencode:"interval"`
	MinInterval int64         `bencode:"min interval"`
	Complete    int           `bencode:"complete"`
	Incomplete  int           `bencode:"incomplete"`
	Downloaded  int           `bencode:"downloaded"`
	Peers       bencode.Bytes `bencode:"peers"`
	Peers6      string        `bencode:"peers6"`
}

// dictPeer is one peer of the dictionary form.
type dictPeer struct {
	IP     string `bencode:"ip"`
	PeerID string `bencode:"peer id"`
	Port   int    `bencode:"port"`
}

// serve runs one request through h and returns the body, checking that it
// is HTTP 200 and canonical bencode (sorted keys, as re-encoding produces).
func serve(tb testing.TB, h http.Handler, remote, target string) []byte {
	tb.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.RemoteAddr = remote
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		tb.Fatalf("%s: HTTP %d", target, w.Code)
	}
	body := w.Body.Bytes()
	checkCanonical(tb, body)
	return body
}

func checkCanonical(tb testing.TB, body []byte) {
	tb.Helper()
	var v any
	if err := bencode.Unmarshal(body, &v); err != nil {
		tb.Fatalf("response is not bencode: %v: %q", err, body)
	}
	again, err := bencode.Marshal(v)
	if err != nil || string(again) != string(body) {
		tb.Fatalf("response is not canonical bencode:\n got %q\nwant %q", body, again)
	}
}

func decodeAnnounce(tb testing.TB, body []byte) announceResponse {
	tb.Helper()
	var r announceResponse
	if err := bencode.Unmarshal(body, &r); err != nil {
		tb.Fatalf("decode %q: %v", body, err)
	}
	return r
}

// announce sends a through h and decodes the answer.
func (p testPeer) announce(tb testing.TB, h http.Handler, ih domain.InfoHash, a ann) announceResponse {
	tb.Helper()
	return decodeAnnounce(tb, serve(tb, h, p.remote, p.url(ih, a)))
}

// mustAnnounce is announce that fails the test on a refusal.
func (p testPeer) mustAnnounce(tb testing.TB, h http.Handler, ih domain.InfoHash, a ann) announceResponse {
	tb.Helper()
	r := p.announce(tb, h, ih, a)
	if r.Failure != "" {
		tb.Fatalf("announce refused: %s", r.Failure)
	}
	return r
}

// compactPeers lists "ip:port" of a compact response (peers and peers6).
func compactPeers(tb testing.TB, r announceResponse) []string {
	tb.Helper()
	var raw string
	if err := bencode.Unmarshal(r.Peers, &raw); err != nil {
		tb.Fatalf("peers is not a compact string: %v", err)
	}
	var out []string
	for i := 0; i+6 <= len(raw); i += 6 {
		out = append(out, fmt.Sprintf("%d.%d.%d.%d:%d", raw[i], raw[i+1], raw[i+2], raw[i+3], int(raw[i+4])<<8|int(raw[i+5])))
	}
	if len(raw)%6 != 0 || len(r.Peers6)%18 != 0 {
		tb.Fatalf("compact peers of bad length: %d, %d", len(raw), len(r.Peers6))
	}
	for i := 0; i+18 <= len(r.Peers6); i += 18 {
		a := [16]byte([]byte(r.Peers6[i : i+16]))
		out = append(out, fmt.Sprintf("[%s]:%d", addrOf(a), int(r.Peers6[i+16])<<8|int(r.Peers6[i+17])))
	}
	return out
}

// record makes a stored-looking record of e, for feeding a tracker without a log.
func record(tb testing.TB, subject string, e domain.Event) eventlog.Record {
	v, data, err := domain.Encode(e)
	if err != nil {
		tb.Fatal(err)
	}
	return eventlog.Record{Subject: subject, Meta: domain.Meta{Type: e.EventType(), Version: v}, Data: data}
}

// offline makes a ready tracker without a log, fed events directly: for
// tests of the HTTP side that need no publishing.
func offline(tb testing.TB, cfg Config, events ...any) *Tracker {
	tb.Helper()
	t := New(cfg, nil)
	for i := 0; i+1 < len(events); i += 2 {
		feed(tb, t, events[i].(string), events[i+1].(domain.Event))
	}
	t.markReady()
	return t
}

func feed(tb testing.TB, t *Tracker, subject string, e domain.Event) {
	tb.Helper()
	rec := record(tb, subject, e)
	if err := t.apply(&rec); err != nil {
		tb.Fatal(err)
	}
}

// userEvent and torrentEvent pair a subject with its event, for offline.
func userEvent(u testUser) []any { return []any{domain.UsernameSubject(u.name), u.registered()} }

func torrentEvent(h domain.InfoHash, f domain.Factors) []any {
	return []any{domain.TorrentSubject(h), domain.TorrentRegistered{InfoHash: h, Name: h.String(), Factors: f}}
}

func cat(parts ...[]any) []any {
	var out []any
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// appendEvent stores e in the log.
func appendEvent(tb testing.TB, log *eventlog.Log, subject string, e domain.Event) {
	tb.Helper()
	if _, err := log.Append(context.Background(), subject, e); err != nil {
		tb.Fatal(err)
	}
}

// running starts a tracker on log and waits until it is ready; it is
// stopped (and its Run's error checked) when the test ends, or earlier by
// calling the returned stop.
func running(tb testing.TB, log *eventlog.Log, cfg Config) (*Tracker, func()) {
	tb.Helper()
	t := New(cfg, log)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- t.Run(ctx) }()
	select {
	case <-t.Ready():
	case err := <-done:
		tb.Fatalf("tracker stopped before ready: %v", err)
	case <-time.After(30 * time.Second):
		tb.Fatal("tracker not ready after 30s")
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("tracker Run: %v", err)
		}
	}
	tb.Cleanup(stop)
	return t, stop
}

// stored reads every announce stored by node, in log order.
func stored(tb testing.TB, log *eventlog.Log, node string) []domain.Announce {
	tb.Helper()
	ctx := context.Background()
	last, err := log.LastSeq(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	var out []domain.Announce
	err = log.Follow(ctx, eventlog.FollowOptions{Subjects: []string{domain.AnnounceSubject(node)}, Until: last},
		func(b eventlog.Batch) error {
			for _, rec := range b.Records {
				e, err := rec.Decode()
				if err != nil {
					return err
				}
				out = append(out, e.(*domain.AnnounceBatch).Announces...)
			}
			return nil
		})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func flush(tb testing.TB, t *Tracker) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := t.Flush(ctx); err != nil {
		tb.Fatal(err)
	}
}

func serveRaw(h http.Handler, remote, target string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.RemoteAddr = remote
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// walkStats counts by walking every torrent: what the shards' counts must
// always equal (tests compare them).
func (t *Tracker) walkStats() counts {
	var c counts
	for i := range t.swarms.shards {
		sh := &t.swarms.shards[i]
		sh.mu.Lock()
		for _, tor := range sh.torrents {
			tc := tor.counts()
			c.torrents += tc.torrents
			c.swarms += tc.swarms
			c.peers += tc.peers
			c.seeders += tc.seeders
			c.snatches += tc.snatches
			c.peerBytes += tc.peerBytes
		}
		sh.mu.Unlock()
	}
	return c
}

// checkCounts fails the test when the shards' running counts differ from a
// walk over every torrent.
func checkCounts(tb testing.TB, t *Tracker) {
	tb.Helper()
	s, w := t.Stats(), t.walkStats()
	got := counts{torrents: int64(s.Torrents), swarms: int64(s.Swarms), peers: int64(s.Peers),
		seeders: int64(s.Seeders), snatches: int64(s.Snatches), peerBytes: s.PeerBytes}
	if got != w {
		tb.Errorf("running counts %+v, walked %+v", got, w)
	}
}

// site makes the refusals a tracker on the default site URL gives.
var site = newSiteRefusals(DefaultSiteURL)
