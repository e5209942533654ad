package loadgen

import (
	"strconv"
)

// client is a simulated BitTorrent client: its peer_id prefix (8 bytes, on
// the default allow-list) and User-Agent.
type client struct{ prefix, agent string }

var clients = [...]client{
	{"-qB4650-", "qBittorrent/4.6.5"},
	{"-TR4060-", "Transmission/4.0.6"},
	{"-DE2110-", "Deluge/2.1.1 libtorrent/2.0.10.0"},
	{"-LT2000-", "libtorrent/2.0.10.0"},
	{"-BI3600-", "BiglyBT 3.6.0.0"},
}

// Target is where announces go.
type Target struct {
	Addr       string // host:port to dial; must be a loopback address for the bench
	Host       string // Host header (default Addr)
	PathPrefix string // prepended to /announce/PASSKEY, without a trailing slash
	Name       string // for reports: "tracker", "baseline"
}

// request is what one announce needs besides the peer's counters.
type request struct {
	peer  int // index in Population.Peers
	event Event
	close bool // send Connection: close
}

// appendRequest appends the raw HTTP/1.1 GET of one announce to buf. Every
// byte of it is ASCII-safe: the peer_id is the client prefix and 12 hex
// digits, the info hash is percent-encoded ahead of time.
func (p *Population) appendRequest(buf []byte, t *Target, rq request) []byte {
	pe := &p.Peers[rq.peer]
	c := &clients[pe.Client]
	buf = append(buf, "GET "...)
	buf = append(buf, t.PathPrefix...)
	buf = append(buf, "/announce/"...)
	buf = append(buf, p.Users[pe.User].Passkey...)
	buf = append(buf, "?info_hash="...)
	buf = append(buf, p.Torrents[pe.Torrent].escHash...)
	buf = append(buf, "&peer_id="...)
	buf = p.appendPeerID(buf, rq.peer)
	buf = append(buf, "&port="...)
	buf = strconv.AppendUint(buf, uint64(pe.Port), 10)
	buf = append(buf, "&uploaded="...)
	buf = strconv.AppendUint(buf, pe.Uploaded, 10)
	buf = append(buf, "&downloaded="...)
	buf = strconv.AppendUint(buf, pe.Downloaded, 10)
	buf = append(buf, "&left="...)
	buf = strconv.AppendUint(buf, pe.Left, 10)
	buf = append(buf, "&key="...)
	buf = appendHex(buf, uint64(scramble32(uint32(rq.peer)^0xa5a5a5a5)), 8)
	if rq.event != EventNone {
		buf = append(buf, "&event="...)
		buf = append(buf, eventNames[rq.event]...)
	}
	buf = append(buf, "&numwant="...)
	buf = strconv.AppendInt(buf, int64(p.Shape.Numwant), 10)
	buf = append(buf, "&compact=1&no_peer_id=1 HTTP/1.1\r\nHost: "...)
	if t.Host != "" {
		buf = append(buf, t.Host...)
	} else {
		buf = append(buf, t.Addr...)
	}
	buf = append(buf, "\r\nUser-Agent: "...)
	buf = append(buf, c.agent...)
	if rq.close {
		buf = append(buf, "\r\nConnection: close"...)
	}
	return append(buf, "\r\n\r\n"...)
}

// PeerID is peer i's 20-byte peer_id: its client's prefix, the population
// nonce and a bijective scramble of i (so distinct peers differ).
func (p *Population) PeerID(i int) []byte { return p.appendPeerID(nil, i) }

func (p *Population) appendPeerID(buf []byte, i int) []byte {
	buf = append(buf, clients[p.Peers[i].Client].prefix...)
	buf = appendHex(buf, uint64(p.nonce), 4)
	return appendHex(buf, uint64(scramble32(uint32(i))), 8)
}

// scramble32 is a bijection on uint32 (odd multiply and xorshift), so
// neighbouring peers get unrelated-looking ids.
func scramble32(x uint32) uint32 {
	x *= 0x9e3779b1
	x ^= x >> 16
	x *= 0x85ebca6b
	return x ^ x>>13
}

const hexDigits = "0123456789abcdef"

// appendHex appends the low n hex digits of v, most significant first.
func appendHex(buf []byte, v uint64, n int) []byte {
	for i := n - 1; i >= 0; i-- {
		buf = append(buf, hexDigits[(v>>(4*uint(i)))&0xf])
	}
	return buf
}

// appendEscaped percent-encodes b as a query value: unreserved bytes
// (RFC 3986) as they are, every other byte as %XX.
func appendEscaped(buf, b []byte) []byte {
	for _, c := range b {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			buf = append(buf, c)
			continue
		}
		buf = append(buf, '%', "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&0xf])
	}
	return buf
}

// ProbeURL is an announce URL for (passkey, infoHash) that does not join the
// swarm: event=stopped from a peer that never started. Its answer tells
// whether the tracker knows the passkey and the torrent yet.
func ProbeURL(base, passkey string, infoHash [20]byte) string {
	b := []byte(base)
	b = append(b, "/announce/"...)
	b = append(b, passkey...)
	b = append(b, "?info_hash="...)
	b = appendEscaped(b, infoHash[:])
	b = append(b, "&peer_id=-qB4650-probe0000000&port=1&uploaded=0&downloaded=0&left=0&event=stopped&compact=1&numwant=0"...)
	return string(b)
}
