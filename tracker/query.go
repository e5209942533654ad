package tracker

import (
	"strings"

	"github.com/djembe/djembe/domain"
)

// announceRequest is a parsed announce query. It holds no pointers into
// anything but the query string it came from (ip, ipv4, ipv6 are still
// percent-encoded), so parsing allocates nothing.
type announceRequest struct {
	infoHash   domain.InfoHash
	peerID     [20]byte
	uploaded   uint64
	downloaded uint64
	left       uint64
	numwant    int // -1 when not given
	port       uint16
	event      domain.AnnounceEvent
	compact    bool
	noPeerID   bool
	ip         string // raw values, decoded only when Config.AllowIPParam
	ipv4       string
	ipv6       string
}

// Bits of the parameters an announce must carry.
const (
	hasInfoHash = 1 << iota
	hasPeerID
	hasPort
	hasUploaded
	hasDownloaded
	hasLeft
	hasAllRequired = hasInfoHash | hasPeerID | hasPort | hasUploaded | hasDownloaded | hasLeft
)

// requiredOrder lists the required parameters in the order their absence is
// reported.
var requiredOrder = [...]struct {
	bit  int
	name string
}{{hasInfoHash, "info_hash"}, {hasPeerID, "peer_id"}, {hasPort, "port"}, {hasUploaded, "uploaded"}, {hasDownloaded, "downloaded"}, {hasLeft, "left"}}

// Expectations quoted in malformed-parameter refusals.
const (
	want20Bytes = "it must be 20 bytes, percent-encoded"
	wantNumber  = "it must be a whole number of bytes, from 0 to 9223372036854775807"
	wantPort    = "it must be a number from 1 to 65535"
	wantEvent   = "it must be started, completed, stopped, paused or empty"
	wantNumwant = "it must be a number, 0 or more"
)

// parseAnnounce fills r from a raw (undecoded) query string. The first
// occurrence of a parameter counts; unknown parameters are ignored. It
// returns a ClientError naming the first malformed or missing parameter.
func parseAnnounce(raw string, r *announceRequest) error {
	*r = announceRequest{numwant: -1, compact: true}
	have := 0
	for raw != "" {
		var pair string
		pair, raw = cut(raw, '&')
		key, val := cut(pair, '=')
		var err error
		have, err = r.set(have, key, val)
		if err != nil {
			return err
		}
	}
	if have&hasAllRequired != hasAllRequired {
		for _, p := range requiredOrder {
			if have&p.bit == 0 {
				return missingParam(p.name)
			}
		}
	}
	return nil
}

// set applies one key=value pair; have records the required parameters
// already seen, and a repeated one is ignored.
func (r *announceRequest) set(have int, key, val string) (int, error) {
	var ok bool
	var bit int
	switch key {
	case "info_hash":
		bit, ok = hasInfoHash, have&hasInfoHash != 0 || unescape20((*[20]byte)(&r.infoHash), val)
		if !ok {
			return have, malformedParam(key, want20Bytes)
		}
	case "peer_id":
		bit, ok = hasPeerID, have&hasPeerID != 0 || unescape20(&r.peerID, val)
		if !ok {
			return have, malformedParam(key, want20Bytes)
		}
	case "port":
		bit = hasPort
		if have&bit == 0 {
			var n uint64
			if n, ok = parseUint(val); !ok || n == 0 || n > 65535 {
				return have, malformedParam(key, wantPort)
			}
			r.port = uint16(n)
		}
	case "uploaded":
		bit = hasUploaded
		if have&bit == 0 {
			if r.uploaded, ok = parseCounter(val); !ok {
				return have, malformedParam(key, wantNumber)
			}
		}
	case "downloaded":
		bit = hasDownloaded
		if have&bit == 0 {
			if r.downloaded, ok = parseCounter(val); !ok {
				return have, malformedParam(key, wantNumber)
			}
		}
	case "left":
		bit = hasLeft
		if have&bit == 0 {
			if r.left, ok = parseCounter(val); !ok {
				return have, malformedParam(key, wantNumber)
			}
		}
	default:
		return have, r.setOptional(key, val)
	}
	return have | bit, nil
}

// setOptional applies a parameter that may be absent.
func (r *announceRequest) setOptional(key, val string) error {
	switch key {
	case "event":
		e, ok := parseEvent(val)
		if !ok {
			return malformedParam(key, wantEvent)
		}
		r.event = e
	case "numwant":
		if !allDigits(val) {
			return malformedParam(key, wantNumwant)
		}
		n, ok := parseUint(val)
		if !ok { // too large to parse: as large a wish as any
			n = maxNumwantParsed
		}
		r.numwant = int(min(n, maxNumwantParsed))
	case "compact":
		r.compact = val != "0"
	case "no_peer_id":
		r.noPeerID = val != "" && val != "0"
	case "ip":
		r.ip = val
	case "ipv4":
		r.ipv4 = val
	case "ipv6":
		r.ipv6 = val
	}
	return nil
}

func parseEvent(v string) (domain.AnnounceEvent, bool) {
	switch v {
	case "", "empty":
		return domain.EventNone, true
	case "started":
		return domain.EventStarted, true
	case "completed":
		return domain.EventCompleted, true
	case "stopped":
		return domain.EventStopped, true
	case "paused":
		return domain.EventPaused, true
	}
	return domain.EventNone, false
}

// scrapeRequest is a parsed scrape query: the distinct info hashes asked
// for, in the order given.
type scrapeRequest struct {
	hashes [maxScrapeHashes]domain.InfoHash
	n      int
}

// maxScrapeHashes bounds the info hashes of one scrape (see ErrTooManyHashes).
const maxScrapeHashes = 64

// parseScrape collects the info_hash parameters of a raw query. It refuses a
// scrape without any (a full scrape), a malformed one, or more than
// maxScrapeHashes distinct ones.
func parseScrape(raw string, s *scrapeRequest) error {
	s.n = 0
	for raw != "" {
		var pair string
		pair, raw = cut(raw, '&')
		key, val := cut(pair, '=')
		if key != "info_hash" {
			continue
		}
		var h domain.InfoHash
		if !unescape20((*[20]byte)(&h), val) {
			return malformedParam(key, want20Bytes)
		}
		if s.has(h) {
			continue
		}
		if s.n == maxScrapeHashes {
			return ErrTooManyHashes
		}
		s.hashes[s.n] = h
		s.n++
	}
	if s.n == 0 {
		return ErrFullScrape
	}
	return nil
}

func (s *scrapeRequest) has(h domain.InfoHash) bool {
	for i := range s.n {
		if s.hashes[i] == h {
			return true
		}
	}
	return false
}

// cut splits s at the first sep; after is empty when sep is absent.
func cut(s string, sep byte) (before, after string) {
	if i := strings.IndexByte(s, sep); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// unescape20 percent-decodes v (query form: '+' is a space, hex digits of
// either case) into dst and reports whether it was exactly 20 bytes.
func unescape20(dst *[20]byte, v string) bool {
	b, ok := unescape(dst[:], v)
	return ok && len(b) == len(dst)
}

// unescape percent-decodes v into buf (query form) and returns the decoded
// bytes, or false if v is malformed or longer than buf.
func unescape(buf []byte, v string) ([]byte, bool) {
	n := 0
	for i := 0; i < len(v); n++ {
		if n == len(buf) {
			return nil, false
		}
		switch c := v[i]; c {
		case '%':
			if i+2 >= len(v) {
				return nil, false
			}
			hi, lo := hexValue[v[i+1]], hexValue[v[i+2]]
			if hi|lo > 0xf {
				return nil, false
			}
			buf[n] = hi<<4 | lo
			i += 3
		case '+':
			buf[n] = ' '
			i++
		default:
			buf[n] = c
			i++
		}
	}
	return buf[:n], true
}

// hexValue maps a hex digit (either case) to its value, anything else to 0xff.
var hexValue = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
		if v, ok := unhex(byte(i)); ok {
			t[i] = v
		}
	}
	return t
}()

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// maxNumwantParsed is where the parser caps numwant; the tracker caps it
// further at Config.MaxNumwant.
const maxNumwantParsed = 1 << 20

// parseCounter reads a byte counter: a decimal from 0 to 2^63-1, the most
// a read model's bigint holds (no real transfer comes near it).
func parseCounter(s string) (uint64, bool) {
	n, ok := parseUint(s)
	return n, ok && n <= 1<<63-1
}

// allDigits reports whether s is one or more decimal digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i]-'0' > 9 {
			return false
		}
	}
	return s != ""
}

// parseUint reads a decimal uint64: digits only, no sign, no overflow.
func parseUint(s string) (uint64, bool) {
	if s == "" || len(s) > 20 {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		if n > (1<<64-1-uint64(d))/10 {
			return 0, false
		}
		n = n*10 + uint64(d)
	}
	return n, true
}

// firstInfoHash is the first well-formed info_hash of a raw query, or nil:
// what a refusal may name when the rest of the request is not read.
func firstInfoHash(raw string) *domain.InfoHash {
	for raw != "" {
		var pair string
		pair, raw = cut(raw, '&')
		if key, val := cut(pair, '='); key == "info_hash" {
			var h domain.InfoHash
			if unescape20((*[20]byte)(&h), val) {
				return &h
			}
			return nil
		}
	}
	return nil
}
