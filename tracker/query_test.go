package tracker

import (
	"fmt"
	"strings"
	"testing"

	"github.com/djembe/djembe/domain"
)

// Real clients' announce queries (see shared/notes/real-clients.md): the
// info hash below holds bytes that each client escapes its own way.
var (
	sampleHash = domain.InfoHash{0x12, 0x34, '(', '!', '~', 0xab, 0xcd, 0xef, ' ', 0x00,
		'a', 'Z', '0', '-', '.', '_', 0xff, 0x7f, 0x80, 0x01}
	// libtorrent: lowercase hex, leaves ( ! ~ unescaped.
	libtorrentQuery = "info_hash=%124(!~%ab%cd%ef%20%00aZ0-._%ff%7f%80%01" +
		"&peer_id=-LT2080-abcdefghijkl&port=6881&uploaded=0&downloaded=0&left=8388608" +
		"&corrupt=0&key=1A2B3C4D&event=started&numwant=200&compact=1&no_peer_id=1&supportcrypto=1&redundant=0"
	// Transmission.
	transmissionQuery = "info_hash=%124%28%21%7e%ab%cd%ef%20%00aZ0-._%ff%7f%80%01" +
		"&peer_id=-TR3000-x1y2z3w4v5u6&port=51413&uploaded=1024&downloaded=2048&left=0" +
		"&numwant=80&key=3a7b9c1d&compact=1&supportcrypto=1&event=started"
	// aria2: uppercase escapes, raw bytes in peer_id and key.
	aria2Query = "info_hash=%124%28%21%7E%AB%CD%EF%20%00aZ0-._%FF%7F%80%01" +
		"&peer_id=A2-1-36-0-%E1%02%93%A4%05%F6%17%88%39%AA&uploaded=0&downloaded=0&left=8388608" +
		"&compact=1&key=%9A%BC%DE%F0&numwant=50&no_peer_id=1&port=6882&event=started&supportcrypto=1"
	// A stopped announce as libtorrent sends it.
	stoppedQuery = "info_hash=%124(!~%ab%cd%ef%20%00aZ0-._%ff%7f%80%01" +
		"&peer_id=-LT2080-abcdefghijkl&port=6881&uploaded=99&downloaded=0&left=0&event=stopped&numwant=0&compact=1"
)

func TestParseAnnounceRealClients(t *testing.T) {
	aria2ID := [20]byte{'A', '2', '-', '1', '-', '3', '6', '-', '0', '-', 0xe1, 0x02, 0x93, 0xa4, 0x05, 0xf6, 0x17, 0x88, 0x39, 0xaa}
	tests := []struct {
		name  string
		query string
		want  announceRequest
	}{
		{"libtorrent", libtorrentQuery, announceRequest{infoHash: sampleHash, peerID: [20]byte([]byte("-LT2080-abcdefghijkl")),
			port: 6881, left: 8388608, event: domain.EventStarted, numwant: 200, compact: true, noPeerID: true}},
		{"transmission", transmissionQuery, announceRequest{infoHash: sampleHash, peerID: [20]byte([]byte("-TR3000-x1y2z3w4v5u6")),
			port: 51413, uploaded: 1024, downloaded: 2048, event: domain.EventStarted, numwant: 80, compact: true}},
		{"aria2", aria2Query, announceRequest{infoHash: sampleHash, peerID: aria2ID,
			port: 6882, left: 8388608, event: domain.EventStarted, numwant: 50, compact: true, noPeerID: true}},
		{"stopped", stoppedQuery, announceRequest{infoHash: sampleHash, peerID: [20]byte([]byte("-LT2080-abcdefghijkl")),
			port: 6881, uploaded: 99, event: domain.EventStopped, numwant: 0, compact: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got announceRequest
			if err := parseAnnounce(tt.query, &got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// base is a valid query; cases below change or drop one parameter.
const base = "info_hash=aaaaaaaaaaaaaaaaaaaa&peer_id=-LT2080-abcdefghijkl&port=6881&uploaded=1&downloaded=2&left=3"

func TestParseAnnounceOptions(t *testing.T) {
	tests := []struct {
		name  string
		query string
		check func(r announceRequest) bool
	}{
		{"defaults", base, func(r announceRequest) bool {
			return r.compact && !r.noPeerID && r.numwant == -1 && r.event == domain.EventNone && r.uploaded == 1 && r.downloaded == 2 && r.left == 3
		}},
		{"compact=0", base + "&compact=0", func(r announceRequest) bool { return !r.compact }},
		{"compact=1", base + "&compact=1", func(r announceRequest) bool { return r.compact }},
		{"no_peer_id", base + "&no_peer_id=1", func(r announceRequest) bool { return r.noPeerID }},
		{"numwant kept uncapped by the parser", base + "&numwant=500", func(r announceRequest) bool { return r.numwant == 500 }},
		{"numwant=0", base + "&numwant=0", func(r announceRequest) bool { return r.numwant == 0 }},
		{"event empty", base + "&event=", func(r announceRequest) bool { return r.event == domain.EventNone }},
		{"event paused", base + "&event=paused", func(r announceRequest) bool { return r.event == domain.EventPaused }},
		{"event completed", base + "&event=completed", func(r announceRequest) bool { return r.event == domain.EventCompleted }},
		{"first occurrence wins", base + "&port=1&left=99", func(r announceRequest) bool { return r.port == 6881 && r.left == 3 }},
		{"plus is a space", strings.Replace(base, "aaaaaaaaaaaaaaaaaaaa", "+aaaaaaaaaaaaaaaaaaa", 1),
			func(r announceRequest) bool { return r.infoHash[0] == ' ' }},
		{"ip params kept raw", base + "&ip=10.0.0.1&ipv6=%3A%3A1&ipv4=1.2.3.4", func(r announceRequest) bool {
			return r.ip == "10.0.0.1" && r.ipv6 == "%3A%3A1" && r.ipv4 == "1.2.3.4"
		}},
		{"unknown parameters ignored", base + "&corrupt=0&trackerid=x&&=&supportcrypto", func(r announceRequest) bool { return r.port == 6881 }},
		{"largest counter", strings.Replace(base, "left=3", "left=9223372036854775807", 1), func(r announceRequest) bool { return r.left == 1<<63-1 }},
		{"numwant too large to parse is capped", base + "&numwant=99999999999999999999999999", func(r announceRequest) bool { return r.numwant == maxNumwantParsed }},
		{"numwant beyond uint64 is capped", base + "&numwant=18446744073709551616", func(r announceRequest) bool { return r.numwant == maxNumwantParsed }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r announceRequest
			if err := parseAnnounce(tt.query, &r); err != nil {
				t.Fatal(err)
			}
			if !tt.check(r) {
				t.Errorf("unexpected %+v", r)
			}
		})
	}
}

func TestParseAnnounceFailures(t *testing.T) {
	drop := func(param string) string {
		var kept []string
		for _, p := range strings.Split(base, "&") {
			if !strings.HasPrefix(p, param+"=") {
				kept = append(kept, p)
			}
		}
		return strings.Join(kept, "&")
	}
	set := func(param, val string) string { return drop(param) + "&" + param + "=" + val }
	tests := []struct {
		query string
		want  *ClientError
	}{
		{"", missingParam("info_hash")},
		{drop("info_hash"), missingParam("info_hash")},
		{drop("peer_id"), missingParam("peer_id")},
		{drop("port"), missingParam("port")},
		{drop("uploaded"), missingParam("uploaded")},
		{drop("downloaded"), missingParam("downloaded")},
		{drop("left"), missingParam("left")},
		{set("info_hash", "short"), malformedParam("info_hash", want20Bytes)},
		{set("info_hash", strings.Repeat("a", 21)), malformedParam("info_hash", want20Bytes)},
		{set("info_hash", strings.Repeat("a", 19)+"%zz"), malformedParam("info_hash", want20Bytes)},
		{set("info_hash", strings.Repeat("a", 19)+"%a"), malformedParam("info_hash", want20Bytes)},
		{set("info_hash", strings.Repeat("a", 19)+"%"), malformedParam("info_hash", want20Bytes)},
		{set("info_hash", ""), malformedParam("info_hash", want20Bytes)},
		{set("peer_id", "-LT2080-"), malformedParam("peer_id", want20Bytes)},
		{set("port", "65536"), malformedParam("port", wantPort)},
		{set("port", "-1"), malformedParam("port", wantPort)},
		{set("port", "http"), malformedParam("port", wantPort)},
		{set("port", ""), malformedParam("port", wantPort)},
		{set("port", "0"), malformedParam("port", wantPort)},
		{set("uploaded", "-5"), malformedParam("uploaded", wantNumber)},
		{set("uploaded", "1.5"), malformedParam("uploaded", wantNumber)},
		{set("downloaded", "0x10"), malformedParam("downloaded", wantNumber)},
		{set("left", "18446744073709551616"), malformedParam("left", wantNumber)},
		{set("left", "99999999999999999999999"), malformedParam("left", wantNumber)},
		{set("uploaded", "9223372036854775808"), malformedParam("uploaded", wantNumber)},
		{set("downloaded", "18446744073709551615"), malformedParam("downloaded", wantNumber)},
		{set("left", "9223372036854775808"), malformedParam("left", wantNumber)},
		{base + "&event=finished", malformedParam("event", wantEvent)},
		{base + "&event=STARTED", malformedParam("event", wantEvent)},
		{base + "&numwant=-1", malformedParam("numwant", wantNumwant)},
		{base + "&numwant=lots", malformedParam("numwant", wantNumwant)},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var r announceRequest
			err := parseAnnounce(tt.query, &r)
			if err == nil || err.Error() != tt.want.Text || refusalCode(err) != tt.want.Code {
				t.Errorf("got %v\nwant %v", err, tt.want)
			}
		})
	}
}

func TestParseScrape(t *testing.T) {
	a, b := strings.Repeat("a", 20), strings.Repeat("%62", 20)
	tests := []struct {
		name   string
		query  string
		hashes []string
		err    error
	}{
		{"one", "info_hash=" + a, []string{a}, nil},
		{"several, duplicates once", "info_hash=" + a + "&info_hash=" + b + "&info_hash=" + a, []string{a, strings.Repeat("b", 20)}, nil},
		{"other params ignored", "passkey=x&info_hash=" + a + "&foo", []string{a}, nil},
		{"full scrape refused", "", nil, ErrFullScrape},
		{"full scrape with other params refused", "foo=bar", nil, ErrFullScrape},
		{"malformed", "info_hash=" + a + "&info_hash=abc", nil, malformedParam("info_hash", want20Bytes)},
		{"too many", manyHashes(maxScrapeHashes + 1), nil, ErrTooManyHashes},
		{"as many as allowed", manyHashes(maxScrapeHashes), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s scrapeRequest
			err := parseScrape(tt.query, &s)
			if fmt.Sprint(err) != fmt.Sprint(tt.err) {
				t.Fatalf("got error %v, want %v", err, tt.err)
			}
			for i, h := range tt.hashes {
				if string(s.hashes[i][:]) != h {
					t.Errorf("hash %d = %q, want %q", i, s.hashes[i][:], h)
				}
			}
			if tt.hashes != nil && s.n != len(tt.hashes) {
				t.Errorf("got %d hashes, want %d", s.n, len(tt.hashes))
			}
		})
	}
}

func manyHashes(n int) string {
	var parts []string
	for i := range n {
		h := [20]byte{byte(i), byte(i >> 8)}
		parts = append(parts, "info_hash="+escape(h[:]))
	}
	return strings.Join(parts, "&")
}

func TestParseUint(t *testing.T) {
	for s, want := range map[string]uint64{"0": 0, "7": 7, "0042": 42, "18446744073709551615": 1<<64 - 1} {
		if got, ok := parseUint(s); !ok || got != want {
			t.Errorf("parseUint(%q) = %d, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "+1", "-1", " 1", "1 ", "1e3", "18446744073709551616", "100000000000000000000"} {
		if _, ok := parseUint(s); ok {
			t.Errorf("parseUint(%q) accepted", s)
		}
	}
}

func FuzzParseAnnounce(f *testing.F) {
	for _, q := range []string{libtorrentQuery, transmissionQuery, aria2Query, stoppedQuery, base,
		base + "&compact=0&no_peer_id=1&numwant=99999999999999999999", "info_hash=%", "&&&==&", ""} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		var r announceRequest
		if err := parseAnnounce(q, &r); err != nil {
			if _, ok := err.(*ClientError); !ok || err.Error() == "" {
				t.Fatalf("error %v is not a client error", err)
			}
			return
		}
		if r.numwant < -1 || r.event > domain.EventPaused {
			t.Fatalf("out of range: %+v", r)
		}
		// Whatever parsed must encode into a response without panicking.
		appendAnnounce(nil, &announceResult{}, []peerOut{{addr: [16]byte(r.infoHash[:16]), port: r.port}}, r.compact, r.noPeerID)
	})
}

func FuzzParseScrape(f *testing.F) {
	f.Add("info_hash=" + strings.Repeat("a", 20))
	f.Add("info_hash=%124(!~%ab%cd%ef%20%00aZ0-._%ff%7f%80%01&info_hash=%124%28%21%7E%AB%CD%EF%20%00aZ0-._%FF%7F%80%01")
	f.Add(manyHashes(3))
	f.Add("info_hash=%zz")
	f.Add("")
	f.Fuzz(func(t *testing.T, q string) {
		var s scrapeRequest
		err := parseScrape(q, &s)
		if err != nil {
			if _, ok := err.(*ClientError); !ok {
				t.Fatalf("error %v is not a client error", err)
			}
			return
		}
		if s.n < 1 || s.n > maxScrapeHashes {
			t.Fatalf("%d hashes", s.n)
		}
		for i := range s.n {
			for j := range i {
				if s.hashes[i] == s.hashes[j] {
					t.Fatalf("hash %d repeated", i)
				}
			}
		}
	})
}
