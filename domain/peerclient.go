package domain

import "strings"

// PeerClient is a readable name for the client a peer_id names, such as
// "qBittorrent 4.6.3" for -qB4630- or "aria2 1.37.0" for A2-1-37-0-. It
// reads the two common forms: Azureus style ('-', a two-letter client
// code, four version characters, '-') and aria2's and Mainline's
// (a letter, then numbers separated by '-'). A client it does not know is
// named by its code; a peer_id of neither form is "unknown". The peer_id
// is untrusted bytes: the name is always printable UTF-8, at most a few
// dozen bytes, and PeerClient never panics.
func PeerClient(peerID []byte) string {
	if len(peerID) >= 8 && peerID[0] == '-' && peerID[7] == '-' && alpha(peerID[1]) && alpha(peerID[2]) {
		return azureusClient(string(peerID[1:3]), peerID[3:7])
	}
	if len(peerID) >= 3 && string(peerID[:3]) == "A2-" {
		if v, ok := dashedVersion(peerID[3:]); ok {
			return "aria2 " + v
		}
	}
	if len(peerID) >= 2 && peerID[0] == 'M' && digit(peerID[1]) {
		if v, ok := dashedVersion(peerID[1:]); ok {
			return "BitTorrent " + v
		}
	}
	return "unknown"
}

// azureusFormat is how a client writes its version in the four
// characters of an Azureus-style peer_id.
type azureusFormat uint8

const (
	versionStd          azureusFormat = iota // three parts, a fourth when it is not 0
	versionThree                             // three parts, the fourth is a release tag (Deluge's 's')
	versionTransmission                      // 2.94 and 3.00 before 4.0, 4.0.6 since
	versionRTorrent                          // libtorrent (rakshasa) version, named rTorrent
)

var azureusClients = map[string]struct {
	name   string
	format azureusFormat
}{
	"qB": {"qBittorrent", versionStd},
	"TR": {"Transmission", versionTransmission},
	"LT": {"libtorrent", versionStd},
	"lt": {"rTorrent", versionRTorrent},
	"DE": {"Deluge", versionThree},
	"BI": {"BiglyBT", versionStd},
	"AZ": {"Vuze", versionStd},
	"UT": {"µTorrent", versionThree},
	"UM": {"µTorrent Mac", versionThree},
	"BT": {"BitTorrent", versionThree},
	"KT": {"KTorrent", versionThree},
	"TX": {"Tixati", versionThree},
	"WW": {"WebTorrent", versionStd},
	"FD": {"Free Download Manager", versionStd},
	"BC": {"BitComet", versionStd},
	"PI": {"PicoTorrent", versionStd},
	"FL": {"Flud", versionStd},
	"LR": {"LibreTorrent", versionStd},
	"TB": {"Torrent.Bird", versionStd},
	"BF": {"Bitflu", versionStd},
}

// azureusClient names an Azureus-style client code with its version
// characters.
func azureusClient(code string, v []byte) string {
	c, ok := azureusClients[code]
	if !ok {
		return "unknown (" + code + ")"
	}
	var d [4]int
	for i := 0; i < 3; i++ {
		if d[i] = base36(v[i]); d[i] < 0 {
			return c.name
		}
	}
	d[3] = base36(v[3])
	switch c.format {
	case versionTransmission:
		if d[0] < 4 {
			if !digit(v[1]) || !digit(v[2]) {
				return c.name
			}
			return c.name + " " + itoa(d[0]) + "." + string(v[1:3]) + transmissionTag(v[3])
		}
		return c.name + " " + parts(d[:3]) + transmissionTag(v[3])
	case versionRTorrent:
		return "rTorrent (libtorrent " + parts(d[:3]) + ")"
	case versionStd:
		if d[3] > 0 {
			return c.name + " " + parts(d[:])
		}
	}
	return c.name + " " + parts(d[:3])
}

// transmissionTag is what Transmission's fourth version character says:
// '0' a release, 'Z' or 'X' a development build, 'B' a beta.
func transmissionTag(c byte) string {
	switch c {
	case 'Z', 'X':
		return "+"
	case 'B':
		return " beta"
	}
	return ""
}

// dashedVersion reads numbers separated by '-' (at most four, of at most
// four digits each), ended by "--", "-" followed by anything else, or the
// end: "1-37-0-" is "1.37.0".
func dashedVersion(p []byte) (string, bool) {
	var out []string
	for len(out) < 4 {
		n := 0
		for n < len(p) && n < 5 && digit(p[n]) {
			n++
		}
		if n == 0 || n > 4 {
			break
		}
		out = append(out, string(p[:n]))
		p = p[n:]
		if len(p) == 0 || p[0] != '-' {
			break
		}
		p = p[1:]
	}
	if len(out) < 2 {
		return "", false
	}
	return strings.Join(out, "."), true
}

func parts(d []int) string {
	s := make([]string, len(d))
	for i, v := range d {
		s[i] = itoa(v)
	}
	return strings.Join(s, ".")
}

func itoa(v int) string {
	if v < 10 {
		return string(rune('0' + v))
	}
	return string([]byte{byte('0' + v/10), byte('0' + v%10)})
}

// base36 is the value of a version character: 0-9, then A-Z for 10 to 35;
// -1 for anything else.
func base36(c byte) int {
	switch {
	case digit(c):
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return -1
}

func digit(c byte) bool { return c >= '0' && c <= '9' }
func alpha(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }
