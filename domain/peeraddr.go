package domain

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
)

// PeerAddr is where a peer accepts connections, as it announced it. The
// log holds it only sealed (SealedAddrs): a peer's address is kept as long
// as the key that sealed it, its accounting forever.
type PeerAddr struct {
	IP   [16]byte // IPv4 in the v4-mapped form
	Port uint16
}

// SealedAddrs is the address block of an AnnounceBatch: the PeerAddr of
// each of its announces, in order, encrypted and authenticated with
// AES-256-GCM under the key that KeyID names (the tracker's key ring: see
// internal/peerkeys). An empty Box holds no address. Whoever lacks the key
// learns from it only how many announces the batch holds.
type SealedAddrs struct {
	KeyID uint32
	Box   []byte // nonce ‖ ciphertext ‖ tag
}

// Sizes of the sealed form.
const (
	AddrKeySize   = 32 // AES-256
	AddrNonceSize = 12 // GCM's standard nonce
	addrSize      = 16 + 2
	addrTagSize   = 16
)

var (
	// ErrAddrsUnreadable is returned by Open for a box that does not open
	// with the key it is given: another key, or altered bytes.
	ErrAddrsUnreadable = errors.New("peer addresses: the box does not open with this key")
	addrLabel          = []byte("djembe peer addresses v1")
)

// SealAddrs seals addrs under key (AddrKeySize bytes), named keyID, with
// nonce (AddrNonceSize bytes, random, never used twice with one key). The
// box is appended to buf[:0] (scratch the caller may reuse once the box is
// encoded). The key id and the number of addresses are authenticated: a
// box cannot be relabelled or moved to a batch of another size unnoticed.
func SealAddrs(buf []byte, key, nonce []byte, keyID uint32, addrs []PeerAddr) (SealedAddrs, error) {
	aead, err := addrAEAD(key)
	if err != nil {
		return SealedAddrs{}, err
	}
	if len(nonce) != AddrNonceSize {
		return SealedAddrs{}, fmt.Errorf("peer addresses: nonce of %d bytes, want %d", len(nonce), AddrNonceSize)
	}
	need := AddrNonceSize + len(addrs)*addrSize + addrTagSize
	if cap(buf) < need {
		buf = make([]byte, 0, need)
	}
	box := append(buf[:0], nonce...)
	for i := range addrs {
		box = append(box, addrs[i].IP[:]...)
		box = binary.BigEndian.AppendUint16(box, addrs[i].Port)
	}
	plain := box[AddrNonceSize:]
	box = aead.Seal(box[:AddrNonceSize], nonce, plain, addrAD(keyID, len(addrs)))
	return SealedAddrs{KeyID: keyID, Box: box}, nil
}

// Open returns the n addresses sealed in s with key: ErrAddrsUnreadable if
// the box does not open with it (or was sealed for another count), an
// error if it is malformed. It never panics, whatever the box holds.
func (s SealedAddrs) Open(key []byte, n int) ([]PeerAddr, error) {
	aead, err := addrAEAD(key)
	if err != nil {
		return nil, err
	}
	if n < 0 || n > len(s.Box)/addrSize || len(s.Box) != AddrNonceSize+n*addrSize+addrTagSize {
		return nil, fmt.Errorf("peer addresses: a box of %d bytes cannot hold %d addresses", len(s.Box), n)
	}
	plain, err := aead.Open(nil, s.Box[:AddrNonceSize], s.Box[AddrNonceSize:], addrAD(s.KeyID, n))
	if err != nil {
		return nil, ErrAddrsUnreadable
	}
	addrs := make([]PeerAddr, n)
	for i := range addrs {
		p := plain[i*addrSize:]
		copy(addrs[i].IP[:], p[:16])
		addrs[i].Port = binary.BigEndian.Uint16(p[16:18])
	}
	return addrs, nil
}

func addrAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != AddrKeySize {
		return nil, fmt.Errorf("peer addresses: key of %d bytes, want %d", len(key), AddrKeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// addrAD is the additional data a box is authenticated with.
func addrAD(keyID uint32, n int) []byte {
	ad := append([]byte(nil), addrLabel...)
	ad = binary.BigEndian.AppendUint32(ad, keyID)
	return binary.BigEndian.AppendUint64(ad, uint64(n))
}
