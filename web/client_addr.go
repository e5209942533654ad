package web

import (
	"net/http"
	"net/netip"
	"slices"
	"strings"

	"github.com/go-chi/httprate"
)

// clientAddress is the address a request came from, for throttling, IPv6
// by its /64: the connection's peer; or, when the peer is one of trusted
// (a reverse proxy), the right-most X-Forwarded-For address that is not
// itself a trusted proxy, else X-Real-IP (as the tracker reads them). An
// X-Forwarded-For from anyone else is ignored: a client could write any
// address in it. Several X-Forwarded-For lines mean what one line of them
// joined by commas means; a list with an item that is no address is not
// believed at all.
func clientAddress(r *http.Request, trusted []netip.Prefix) string {
	peer := remoteAddr(r.RemoteAddr)
	if peer.IsValid() && isTrusted(peer, trusted) {
		peer = forwardedFor(r.Header, peer, trusted)
	}
	if !peer.IsValid() {
		return httprate.CanonicalizeIP(r.RemoteAddr)
	}
	return httprate.CanonicalizeIP(peer.String())
}

// remoteAddr parses a connection's address ("host:port", or a bare host);
// the zero Addr when it is neither.
func remoteAddr(s string) netip.Addr {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone("")
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone("")
	}
	return netip.Addr{}
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	return slices.ContainsFunc(trusted, func(p netip.Prefix) bool { return p.Contains(a) })
}

// forwardedFor is the client a trusted proxy reports (see clientAddress),
// else peer.
func forwardedFor(h http.Header, peer netip.Addr, trusted []netip.Prefix) netip.Addr {
	lines := h.Values("X-Forwarded-For")
	for i := len(lines) - 1; i >= 0; i-- {
		items := strings.Split(lines[i], ",")
		for j := len(items) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(items[j]))
			if err != nil {
				return peer // a list we cannot read: believe nothing in it
			}
			if a = a.Unmap().WithZone(""); !isTrusted(a, trusted) {
				return a
			}
		}
	}
	if a, err := netip.ParseAddr(strings.TrimSpace(h.Get("X-Real-IP"))); err == nil {
		return a.Unmap().WithZone("")
	}
	return peer
}
