package tracker

import (
	"strconv"

	"github.com/djembe/djembe/domain"
)

// announceResult is everything an announce response says besides the peers.
type announceResult struct {
	complete, incomplete, snatches int
	interval, minInterval          int64  // seconds
	warning                        []byte // empty: none; reused between requests
}

// appendAnnounce writes an announce response. Keys are in bencode's sorted
// order: complete, downloaded, incomplete, interval, min interval, peers,
// peers6, warning message. In the compact form (BEP 23) IPv4 peers go in
// peers (6 bytes each) and IPv6 peers in peers6 (18 bytes each, BEP 7); in
// the dictionary form every peer is in the peers list.
func appendAnnounce(b []byte, r *announceResult, peers []peerOut, compact, noPeerID bool) []byte {
	b = append(b, "d8:complete"...)
	b = appendInt(b, int64(r.complete))
	b = append(b, "10:downloaded"...)
	b = appendInt(b, int64(r.snatches))
	b = append(b, "10:incomplete"...)
	b = appendInt(b, int64(r.incomplete))
	b = append(b, "8:interval"...)
	b = appendInt(b, r.interval)
	b = append(b, "12:min interval"...)
	b = appendInt(b, r.minInterval)
	if compact {
		b = appendCompactPeers(b, peers)
	} else {
		b = appendDictPeers(b, peers, noPeerID)
	}
	if len(r.warning) > 0 {
		b = append(b, "15:warning message"...)
		b = appendBytes(b, r.warning)
	}
	return append(b, 'e')
}

func appendCompactPeers(b []byte, peers []peerOut) []byte {
	n4 := 0
	for i := range peers {
		if isV4(&peers[i].addr) {
			n4++
		}
	}
	b = append(b, "5:peers"...)
	b = appendCompactFamily(b, peers, n4, true)
	if n6 := len(peers) - n4; n6 > 0 {
		b = append(b, "6:peers6"...)
		b = appendCompactFamily(b, peers, n6, false)
	}
	return b
}

// appendCompactFamily writes the n peers of one address family as one
// string of address and big-endian port.
func appendCompactFamily(b []byte, peers []peerOut, n int, v4 bool) []byte {
	size := 18
	if v4 {
		size = 6
	}
	b = strconv.AppendInt(b, int64(n*size), 10)
	b = append(b, ':')
	for i := range peers {
		p := &peers[i]
		if isV4(&p.addr) != v4 {
			continue
		}
		if v4 {
			b = append(b, p.addr[12:]...)
		} else {
			b = append(b, p.addr[:]...)
		}
		b = append(b, byte(p.port>>8), byte(p.port))
	}
	return b
}

func appendDictPeers(b []byte, peers []peerOut, noPeerID bool) []byte {
	b = append(b, "5:peersl"...)
	var text [64]byte
	for i := range peers {
		p := &peers[i]
		b = append(b, "d2:ip"...)
		b = appendBytes(b, addrOf(p.addr).AppendTo(text[:0]))
		if !noPeerID {
			b = append(b, "7:peer id20:"...)
			b = append(b, p.id[:]...)
		}
		b = append(b, "4:port"...)
		b = appendInt(b, int64(p.port))
		b = append(b, 'e')
	}
	return append(b, 'e')
}

// scrapeEntry is one torrent's line in a scrape response.
type scrapeEntry struct {
	hash                           domain.InfoHash
	complete, incomplete, snatches int
}

// appendScrape writes a scrape response: files maps each raw info hash, in
// sorted order, to complete, downloaded and incomplete.
func appendScrape(b []byte, entries []scrapeEntry) []byte {
	b = append(b, "d5:filesd"...)
	for i := range entries {
		e := &entries[i]
		b = append(b, "20:"...)
		b = append(b, e.hash[:]...)
		b = append(b, "d8:complete"...)
		b = appendInt(b, int64(e.complete))
		b = append(b, "10:downloaded"...)
		b = appendInt(b, int64(e.snatches))
		b = append(b, "10:incomplete"...)
		b = appendInt(b, int64(e.incomplete))
		b = append(b, 'e')
	}
	return append(b, "ee"...)
}
