package app

import "github.com/djembe/djembe/internal/peerkeys"

// openPeerKeys gives the tracker role the key ring of the data directory
// (DATA/peer-keys) to seal and open the peers' addresses in the log,
// unless the configuration brings its own. Keys are destroyed after
// peerkeys.Retention of the announce interval (48 hours on defaults).
func (m *Main) openPeerKeys() error {
	if !m.cfg.Roles.Tracker || m.cfg.Tracker.PeerKeys != nil {
		return nil
	}
	ring, err := peerkeys.Open(peerkeys.InDataDir(m.cfg.Instance.DataDir), peerkeys.Retention(m.cfg.Tracker.Interval))
	if err != nil {
		return err
	}
	m.cfg.Tracker.PeerKeys = ring
	return nil
}
