package domain

import (
	"fmt"
	"strings"
)

// DefaultClientPrefixes are the peer_id prefixes allowed when no
// ClientAllowListSet has been appended: libtorrent (and its users such as
// qBittorrent and Deluge), qBittorrent, Transmission, Deluge, rTorrent/libtorrent
// (rakshasa), aria2 and BiglyBT.
var DefaultClientPrefixes = []string{"-LT", "-lt", "-qB", "-TR", "-DE", "A2-", "-BI", "-AZ"}

// ClientAllowListSet replaces the allowed peer_id prefixes.
type ClientAllowListSet struct {
	Prefixes []string `json:"prefixes"`
}

// TypeClientAllowListSet is ClientAllowListSet's event type.
const TypeClientAllowListSet = "ClientAllowListSet"

func (ClientAllowListSet) EventType() string { return TypeClientAllowListSet }

// Validate refuses an empty list and empty or over-long prefixes.
func (c ClientAllowListSet) Validate() error {
	if len(c.Prefixes) == 0 {
		return fmt.Errorf("the client allow-list needs at least one prefix")
	}
	for _, p := range c.Prefixes {
		if p == "" || len(p) > 20 {
			return fmt.Errorf("client prefix %q must be 1 to 20 bytes", p)
		}
	}
	return nil
}

// ClientAllowed reports whether peerID starts with one of prefixes.
func ClientAllowed(prefixes []string, peerID []byte) bool {
	for _, p := range prefixes {
		if len(peerID) >= len(p) && string(peerID[:len(p)]) == p {
			return true
		}
	}
	return false
}

// ClientName is a readable name for a peer_id, for messages.
func ClientName(peerID []byte) string {
	n := min(len(peerID), 8)
	return strings.ToValidUTF8(string(peerID[:n]), "?")
}

func init() { RegisterJSON[ClientAllowListSet](1, nil) }
