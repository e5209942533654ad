package tracker

import (
	"bytes"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/djembe/djembe/domain"
)

// Handler serves announce at /announce/PASSKEY and /PASSKEY/announce, and
// scrape at /scrape/PASSKEY and /PASSKEY/scrape. Every answer to a
// BitTorrent client is HTTP 200 with a bencoded body; a refusal is a
// `failure reason`. Requests that arrive before Ready wait for it.
func (t *Tracker) Handler() http.Handler { return handler{t} }

type handler struct{ t *Tracker }

// Routes.
const (
	routeNone = iota
	routeAnnounce
	routeScrape
)

// route splits a path into its route and passkey (possibly empty).
func route(path string) (int, string) {
	switch {
	case strings.HasPrefix(path, "/announce/"):
		return routeAnnounce, path[len("/announce/"):]
	case strings.HasPrefix(path, "/scrape/"):
		return routeScrape, path[len("/scrape/"):]
	case path == "/announce":
		return routeAnnounce, ""
	case path == "/scrape":
		return routeScrape, ""
	case strings.HasSuffix(path, "/announce"):
		return routeAnnounce, path[1 : len(path)-len("/announce")]
	case strings.HasSuffix(path, "/scrape"):
		return routeScrape, path[1 : len(path)-len("/scrape")]
	}
	return routeNone, ""
}

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st := h.t.states.Get().(*reqState)
	req := request{path: r.URL.Path, query: r.URL.RawQuery, remote: remoteAddr(r.RemoteAddr), headers: httpHeaders(r.Header)}
	if status := h.t.serve(st, &req, r.Context().Done()); status == http.StatusOK {
		writeBody(w, st.buf)
	} else {
		w.WriteHeader(status)
		w.Write(st.buf)
	}
	h.t.states.Put(st)
}

// request is what the tracker reads of an HTTP request, whichever server
// carried it. Its strings may alias the server's buffers: they are valid
// only while the request is served.
type request struct {
	path, query string
	remote      netip.Addr // the connection's address
	headers     proxyHeaders
}

// proxyHeaders are the headers a trusted proxy reports the client's
// address in.
type proxyHeaders interface {
	forwardedFor() []string // every X-Forwarded-For header, in order
	realIP() string         // X-Real-IP
}

type httpHeaders http.Header

func (h httpHeaders) forwardedFor() []string { return h["X-Forwarded-For"] }
func (h httpHeaders) realIP() string         { return http.Header(h).Get("X-Real-Ip") }

// serve answers one request into st.buf and returns the HTTP status: 200
// with a bencoded body for everything a BitTorrent client asks (a refusal
// is a failure reason), 404 with one for other paths, and 503 with no body
// when done closes before the tracker is ready.
func (t *Tracker) serve(st *reqState, r *request, done <-chan struct{}) int {
	kind, passkey := route(r.path)
	if kind == routeNone {
		st.buf = appendFailure(st.buf[:0], ErrNotFound.Text)
		return http.StatusNotFound
	}
	if !t.isReady.Load() {
		select {
		case <-t.ready:
		case <-done:
			st.buf = st.buf[:0]
			return http.StatusServiceUnavailable
		}
	}
	var err error
	if kind == routeAnnounce {
		err = t.serveAnnounce(st, r, passkey)
		t.metrics.announced(err)
	} else {
		err = t.serveScrape(st, r.query, passkey)
		t.metrics.scraped(err)
	}
	if err != nil {
		t.countRefusal(err)
		st.buf = appendFailure(st.buf[:0], reason(err))
	}
	return http.StatusOK
}

// reason is the failure reason sent for err: the one place the tracker
// maps errors to what a client is told. A ClientError is sent as it is; an
// error of package domain by its kind: a refusal (Kind.Refused) with its
// message for the person (domain.Message, without the operations), an
// unavailable server as ErrBusy; anything else is internal, and its text,
// which may name what failed inside, is never sent.
func reason(err error) string {
	if ce, ok := err.(*ClientError); ok {
		return ce.Text
	}
	switch k := domain.KindOf(err); { // KindInternal for an error without a kind
	case k.Refused():
		return domain.Message(err)
	case k == domain.KindUnavailable:
		return ErrBusy.Text
	}
	return internalReason
}

// countRefusal counts a refusal by its code, for the metrics and the log.
func (t *Tracker) countRefusal(err error) {
	code := refusalCode(err)
	t.refusals.add(code)
	t.metrics.refusedBy(code)
}

// internalReason is the failure reason of an error that is not the client's.
const internalReason = "internal tracker error: try again later"

var textPlain = []string{"text/plain; charset=utf-8"}

// writeBody sends a bencoded body in one write. Small bodies get their
// Content-Length from net/http; large ones (over its chunking threshold) get
// it here, so that no response is chunked.
func writeBody(w http.ResponseWriter, b []byte) {
	h := w.Header()
	h["Content-Type"] = textPlain
	if len(b) > 2000 {
		h["Content-Length"] = []string{strconv.Itoa(len(b))}
	}
	w.Write(b)
}

// serveAnnounce parses, admits, decides and encodes an announce into st.buf.
func (t *Tracker) serveAnnounce(st *reqState, r *request, passkey string) error {
	u, err := t.user(passkey, r.query)
	if err != nil {
		return err
	}
	req := &st.ann
	if err := parseAnnounce(r.query, req); err != nil {
		return err
	}
	if err := t.admit(u, req); err != nil {
		return err
	}
	addr, err := t.peerAddr(r, req)
	if err != nil {
		return err
	}
	if err := t.decide(st, u, addr, t.cfg.Now()); err != nil {
		return err
	}
	t.pub.accepted()
	t.intervals(&st.res)
	st.buf = appendAnnounce(st.buf[:0], &st.res, st.peers, req.compact, req.noPeerID)
	return nil
}

// serveScrape answers a scrape of the info hashes in the query. Unknown and
// deleted torrents are left out of the answer.
func (t *Tracker) serveScrape(st *reqState, rawQuery, passkey string) error {
	if _, err := t.user(passkey, rawQuery); err != nil {
		return err
	}
	if err := parseScrape(rawQuery, &st.scr); err != nil {
		return err
	}
	st.entries = t.swarms.scrape(st.entries[:0], st.scr.hashes[:st.scr.n])
	slices.SortFunc(st.entries, func(a, b scrapeEntry) int { return bytes.Compare(a.hash[:], b.hash[:]) }) // bencode's key order
	st.buf = appendScrape(st.buf[:0], st.entries)
	return nil
}

// scrape appends the counts of each registered, live torrent of hashes.
func (s *swarms) scrape(out []scrapeEntry, hashes []domain.InfoHash) []scrapeEntry {
	for _, h := range hashes {
		sh := s.shardOf(&h)
		sh.mu.Lock()
		if tor := sh.torrents[h]; tor != nil && !tor.deleted {
			out = append(out, scrapeEntry{hash: h, complete: int(tor.nSeed),
				incomplete: len(tor.peers) - int(tor.nSeed), snatches: len(tor.snatchers)})
		}
		sh.mu.Unlock()
	}
	return out
}
