package domain

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPeerClient(t *testing.T) {
	for _, c := range []struct{ id, want string }{
		{"-qB4630-abcdefghijkl", "qBittorrent 4.6.3"},
		{"-qB46A0-abcdefghijkl", "qBittorrent 4.6.10"},
		{"-TR4060-abcdefghijkl", "Transmission 4.0.6"},
		{"-TR2940-abcdefghijkl", "Transmission 2.94"},
		{"-TR3000-abcdefghijkl", "Transmission 3.00"},
		{"-TR400Z-abcdefghijkl", "Transmission 4.0.0+"},
		{"-TR400B-abcdefghijkl", "Transmission 4.0.0 beta"},
		{"-LT2090-abcdefghijkl", "libtorrent 2.0.9"},
		{"-LT1271-abcdefghijkl", "libtorrent 1.2.7.1"},
		{"-DE211s-abcdefghijkl", "Deluge 2.1.1"},
		{"-lt0D80-abcdefghijkl", "rTorrent (libtorrent 0.13.8)"},
		{"A2-1-37-0-abcdefghij", "aria2 1.37.0"},
		{"A2-1-9-3-\x00\x01\x02\x03\x04\x05\x06", "aria2 1.9.3"},
		{"M7-4-3--abcdefghijkl", "BitTorrent 7.4.3"},
		{"-BI3500-abcdefghijkl", "BiglyBT 3.5.0"},
		{"-XX1234-abcdefghijkl", "unknown (XX)"},
		{"-qB46\x00\x00-abcdefghijk", "qBittorrent"},
		{"-TR4\xff60-abcdefghijk", "Transmission"},
		{"A2-x", "unknown"},
		{"A2-1-", "unknown"},
		{"\xff\xfe\x00", "unknown"},
		{"", "unknown"},
		{strings.Repeat("\x00", 20), "unknown"},
	} {
		if got := PeerClient([]byte(c.id)); got != c.want {
			t.Errorf("PeerClient(%q) = %q, want %q", c.id, got, c.want)
		}
	}
}

// FuzzPeerClient: whatever bytes a client sends as its peer_id, the name
// is short, printable and never a panic.
func FuzzPeerClient(f *testing.F) {
	for _, s := range []string{"-qB4630-abcdefghijkl", "-TR2940-abcdefghijkl", "-lt0D80-abcdefghijkl", "A2-1-37-0-abcdefghij",
		"M7-4-3--abcdefghijkl", "-XX1234-", "A2-99999-1-", "-DE211s-"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, id []byte) {
		got := PeerClient(id)
		if got == "" || len(got) > 48 || !utf8.ValidString(got) {
			t.Fatalf("PeerClient(%q) = %q", id, got)
		}
		for _, r := range got {
			if r < ' ' || r == 0x7f {
				t.Fatalf("PeerClient(%q) = %q holds a control character", id, got)
			}
		}
	})
}
