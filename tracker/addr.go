package tracker

import (
	"net/netip"
	"strings"
)

// peerAddr decides the peer's address: the connection's; if the connection
// comes from a trusted proxy, the client address the proxy reports; and if
// Config.AllowIPParam, the first of the ip, ipv4, ipv6 parameters given.
// IPv4 (including IPv4-mapped IPv6) is returned in the v4-mapped form.
func (t *Tracker) peerAddr(r *request, req *announceRequest) ([16]byte, error) {
	a := r.remote
	if len(t.cfg.TrustedProxies) > 0 && t.trusted(a) {
		a = t.forwarded(r.headers, a)
	}
	if t.cfg.AllowIPParam {
		for _, p := range [...]struct{ name, val string }{{"ip", req.ip}, {"ipv4", req.ipv4}, {"ipv6", req.ipv6}} {
			if p.val == "" {
				continue
			}
			ip, ok := parseIPParam(p.val)
			if !ok {
				return [16]byte{}, malformedParam(p.name, "it must be an IP address")
			}
			if !publicAddr(ip) {
				return [16]byte{}, malformedParam(p.name, "it must be a public (global unicast) address")
			}
			a = ip
			break
		}
	}
	return a.Unmap().As16(), nil
}

// remoteAddr parses a connection's address ("host:port", or a bare host),
// as in http.Request.RemoteAddr.
func remoteAddr(s string) netip.Addr {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone("")
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone("")
	}
	return netip.IPv6Unspecified()
}

// forwarded is the client address a trusted proxy reports: the right-most
// X-Forwarded-For address that is not itself a trusted proxy, else
// X-Real-IP, else the connection's address. Several X-Forwarded-For lines
// mean what one line of them joined by commas means (RFC 9110, 5.3), so
// every line holds at least one item, and an empty one is unreadable.
func (t *Tracker) forwarded(h proxyHeaders, conn netip.Addr) netip.Addr {
	xff := h.forwardedFor()
	for i := len(xff) - 1; i >= 0; i-- {
		for list, more := xff[i], true; more; {
			item := list
			if j := strings.LastIndexByte(list, ','); j >= 0 {
				item, list = list[j+1:], list[:j]
			} else {
				more = false
			}
			a, err := netip.ParseAddr(strings.TrimSpace(item))
			if err != nil {
				return conn // a list we cannot read: believe nothing in it
			}
			if a = a.Unmap(); !t.trusted(a) {
				return a
			}
		}
	}
	if v := h.realIP(); v != "" {
		if a, err := netip.ParseAddr(strings.TrimSpace(v)); err == nil {
			return a.Unmap()
		}
	}
	return conn
}

// parseIPParam decodes an ip/ipv4/ipv6 parameter: an address, or (BEP 7)
// an address with a port, whose port is ignored.
func parseIPParam(raw string) (netip.Addr, bool) {
	var buf [64]byte
	b, ok := unescape(buf[:], raw)
	if !ok {
		return netip.Addr{}, false
	}
	s := string(b)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.WithZone(""), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().WithZone(""), true
	}
	return netip.Addr{}, false
}

// publicAddr reports whether a is an address other peers could reach on
// the internet: global unicast, and not private (RFC 1918, RFC 4193). An
// ip parameter naming anything else would point the swarm at a victim's
// private network.
func publicAddr(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsGlobalUnicast() && !a.IsPrivate()
}
