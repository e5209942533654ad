package peerkeys

import (
	"cmp"
	"crypto/rand"
	"path/filepath"
	"time"

	"github.com/djembe/djembe/domain"
)

// InDataDir is the ring's directory in a data directory (an empty one is
// the instance's default, ./data).
func InDataDir(dataDir string) string { return filepath.Join(cmp.Or(dataDir, "data"), Dir) }

// SealWith seals addrs under key, named id, with a fresh random nonce, into
// buf's storage (see domain.SealAddrs). Random 96-bit nonces are safe for
// far more batches than one key ever seals in its hour.
func SealWith(buf []byte, id uint32, key []byte, addrs []domain.PeerAddr) (domain.SealedAddrs, error) {
	var nonce [domain.AddrNonceSize]byte
	rand.Read(nonce[:]) // never fails (the runtime aborts instead)
	return domain.SealAddrs(buf, key, nonce[:], id, addrs)
}

// SealAddrs seals addrs with the key of now.
func (r *Ring) SealAddrs(now time.Time, addrs []domain.PeerAddr) (domain.SealedAddrs, error) {
	id, key, err := r.Seal(now)
	if err != nil {
		return domain.SealedAddrs{}, err
	}
	return SealWith(nil, id, key, addrs)
}

// OpenAddrs opens the n addresses in s, if its key is still kept at now.
func (r *Ring) OpenAddrs(s domain.SealedAddrs, n int, now time.Time) ([]domain.PeerAddr, bool) {
	key, ok := r.Key(s.KeyID, now)
	if !ok {
		return nil, false
	}
	addrs, err := s.Open(key, n)
	return addrs, err == nil
}
