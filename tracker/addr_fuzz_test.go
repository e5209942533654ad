package tracker

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

// fuzzProxies are the trusted proxies of FuzzPeerAddr.
var fuzzProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32"),
	netip.MustParsePrefix("fd00::/8")}

// FuzzPeerAddr: deciding a peer's address from the connection, the
// headers of a trusted proxy (xff holds one X-Forwarded-For header per
// line) and, when allowed, the ip, ipv4 and ipv6 parameters never panics,
// and gives exactly the address a plain reference decision gives, in the
// 16-byte form (IPv4 v4-mapped, no zone); or, only for a parameter that is
// not an address, the refusal naming it.
func FuzzPeerAddr(f *testing.F) {
	f.Add("10.1.2.3:1", "203.0.113.5, 198.51.100.7, 10.9.9.9", "", "", "", "", false)
	f.Add("[fd00::5]:1", "", " 2001:db8::42 ", "", "", "", false)
	f.Add("192.0.2.1:1", "", "", "", "", "%5B2001%3Adb8%3A%3A9%5D%3A6881", true)
	trackers := map[bool]*Tracker{} // by AllowIPParam
	for _, allow := range []bool{false, true} {
		trackers[allow] = New(Config{TrustedProxies: fuzzProxies, AllowIPParam: allow}, nil)
	}
	f.Fuzz(func(t *testing.T, remote, xff, realIP, ip, ipv4, ipv6 string, allowIP bool) {
		tr := trackers[allowIP]
		h := http.Header{}
		if xff != "" {
			h["X-Forwarded-For"] = strings.Split(xff, "\n")
		}
		if realIP != "" {
			h["X-Real-Ip"] = []string{realIP}
		}
		conn := remoteAddr(remote)
		if !conn.IsValid() || conn.Zone() != "" || conn.Is4In6() {
			t.Fatalf("remoteAddr(%q) = %v: want a valid, unzoned, unmapped address", remote, conn)
		}
		req := announceRequest{ip: ip, ipv4: ipv4, ipv6: ipv6}
		got, err := tr.peerAddr(&request{remote: conn, headers: httpHeaders(h)}, &req)
		want, name, ok := referencePeerAddr(tr, conn, h, &req)
		switch {
		case !ok && err == nil:
			t.Fatalf("parameter %s accepted as %v", name, addrOf(got))
		case !ok && (err == nil || !strings.HasPrefix(err.Error(), "malformed parameter "+name+": it must be a")):
			t.Fatalf("parameter %s refused with %v", name, err)
		case ok && err != nil:
			t.Fatalf("refused with %v, want %v", err, want)
		case ok && got != want.As16():
			t.Fatalf("got %v (% x), want %v", addrOf(got), got, want)
		case ok && isV4(&got) != want.Is4():
			t.Fatalf("%v: IPv4 is not in the v4-mapped form", want)
		}
	})
}

// referencePeerAddr decides as peerAddr documents, written plainly: the
// first ip parameter given when allowed (ok false and its name if it is no
// address), else for a trusted connection the right-most untrusted
// X-Forwarded-For entry (the connection if an entry does not parse), else
// X-Real-IP, else the connection. The result is unmapped and unzoned.
func referencePeerAddr(tr *Tracker, conn netip.Addr, h http.Header, req *announceRequest) (netip.Addr, string, bool) {
	if tr.cfg.AllowIPParam {
		for _, p := range [][2]string{{"ip", req.ip}, {"ipv4", req.ipv4}, {"ipv6", req.ipv6}} {
			if p[1] == "" {
				continue
			}
			a, ok := referenceIPParam(p[1])
			a = a.Unmap().WithZone("")
			return a, p[0], ok && a.IsGlobalUnicast() && !a.IsPrivate() // only a public address is believed
		}
	}
	a := conn
	if tr.trusted(conn) {
		a = referenceForwarded(tr, conn, h)
	}
	return a.Unmap().WithZone(""), "", true
}

func referenceForwarded(tr *Tracker, conn netip.Addr, h http.Header) netip.Addr {
	var items []string
	for _, v := range h["X-Forwarded-For"] {
		items = append(items, strings.Split(v, ",")...)
	}
	for i := len(items) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(items[i]))
		if err != nil {
			return conn
		}
		if !tr.trusted(a.Unmap()) {
			return a
		}
	}
	if a, err := netip.ParseAddr(strings.TrimSpace(h.Get("X-Real-Ip"))); err == nil {
		return a
	}
	return conn
}

// referenceIPParam decodes a parameter with net/url: an address, or an
// address and port (BEP 7). Decoded values over 64 bytes are refused, as
// no address (even with a port) is that long without a zone.
func referenceIPParam(raw string) (netip.Addr, bool) {
	s, err := url.QueryUnescape(raw)
	if err != nil || len(s) > 64 {
		return netip.Addr{}, false
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a, true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr(), true
	}
	return netip.Addr{}, false
}
