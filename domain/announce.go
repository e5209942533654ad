package domain

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// AnnounceEvent is the event parameter of an announce, plus Reaped for a peer
// the tracker dropped after it went silent.
type AnnounceEvent uint8

const (
	EventNone AnnounceEvent = iota
	EventStarted
	EventCompleted
	EventStopped
	EventPaused // BEP 21
	EventReaped // the tracker removed a peer silent for two intervals
	eventLimit
)

var announceEventNames = [...]string{"", "started", "completed", "stopped", "paused", "reaped"}

func (e AnnounceEvent) String() string {
	if e < eventLimit {
		return announceEventNames[e]
	}
	return fmt.Sprintf("event(%d)", uint8(e))
}

// Announce is one accepted announce (or reap) with the credit the tracker
// decided for it. Uploaded, Downloaded and Left are as the client reported
// them; the Credit is final and is never recomputed downstream. The peer's
// address is not in it: its batch holds the addresses sealed (Addrs).
type Announce struct {
	TimeMillis int64 // unix milliseconds
	InfoHash   InfoHash
	UserID     UserID
	PeerID     [20]byte
	Event      AnnounceEvent
	Uploaded   uint64
	Downloaded uint64
	Left       uint64
	Credit
	// Prev is the peer's state just before this announce, as the tracker
	// that decided it held it; StateAfter is the state after. Read models
	// count seeders and leechers from these transitions alone.
	Prev PeerState
	// SeedMillis is the seed time this announce ends (SeedTime), decided
	// once by the tracker like the credit.
	SeedMillis uint64
	// Snatch: with this announce the user completed the torrent for the
	// first time, whatever event the client sent (a session that began
	// with something left reported left = 0). Decided by the tracker.
	Snatch bool
}

// Seeder reports whether the peer has the whole torrent.
func (a *Announce) Seeder() bool { return a.Left == 0 }

// AnnounceBatch is many announces in one message, the volume of the log. It
// is encoded in a compact binary form and decoded without reflection.
//
// Addrs holds the peers' addresses, one per announce, sealed: everything
// the read models count is in plain, and no address is ever written in
// plain (a batch stored before version 4 holds them in plain; PlainAddrs
// gives them, and encoding such a batch again drops them).
type AnnounceBatch struct {
	Node      string
	Announces []Announce
	Addrs     SealedAddrs

	plain []PeerAddr // from a batch stored before version 4
}

// PlainAddrs returns the addresses of a batch stored before version 4, in
// plain, one per announce; nil for a newer batch (see Addrs).
func (b *AnnounceBatch) PlainAddrs() []PeerAddr { return b.plain }

// TypeAnnounceBatch is AnnounceBatch's event type.
const TypeAnnounceBatch = "AnnounceBatch"

func (*AnnounceBatch) EventType() string { return TypeAnnounceBatch }

// Version 4 moved the addresses (IP and port) out of each announce into
// the batch's sealed block (Addrs); an older batch's plain addresses are
// kept aside (PlainAddrs).
// Version 3 added Snatch (flag bit 3) and Caps (flag bits 4-7); a version 2
// announce is a snatch exactly when its event is "completed" (the tracker
// then sent only a user's first "completed") and was never capped.
// Version 2 added Prev (flag bits 1-2) and SeedMillis (an eighth uvarint).
// Version 1 was written only by pre-release builds and cannot be upcast:
// the peer's previous state it lacks is not in the event.
const (
	announceBatchVersion = 4
	announceFixedSize    = 8 + 20 + 16 + 20 + 1 + 1 // time, hashes, ids, event, flags
	announceFixedSizeV3  = announceFixedSize + addrSize
	announceVarints      = 8
	maxNodeName          = 255
	flagNewSession       = 1
	flagPrevShift        = 1 // two bits: PeerState
	flagSnatch           = 1 << 3
	flagCapsShift        = 4 // four bits: Caps
	flagsKnownV2         = flagNewSession | 3<<flagPrevShift
	flagsKnown           = flagsKnownV2 | flagSnatch | 0xf<<flagCapsShift
)

var (
	errShortBatch      = errors.New("announce batch: truncated")
	errAnnounceBatchV1 = errors.New("AnnounceBatch v1 comes from a pre-release build and cannot be read: " +
		"it lacks the peers' previous states; start this data directory afresh")
)

// MarshalBinary encodes the batch: a node name, a count, each announce's
// fixed fields followed by eight uvarints, then the sealed addresses (a
// key id and a length-prefixed box).
func (b *AnnounceBatch) MarshalBinary() []byte {
	buf := make([]byte, 0, 1+len(b.Node)+3*binary.MaxVarintLen64+len(b.Announces)*(announceFixedSize+24)+len(b.Addrs.Box))
	return b.AppendBinary(buf)
}

// AppendBinary appends the encoding of b to buf.
func (b *AnnounceBatch) AppendBinary(buf []byte) []byte {
	node := b.Node
	if len(node) > maxNodeName {
		node = node[:maxNodeName]
	}
	buf = append(buf, byte(len(node)))
	buf = append(buf, node...)
	buf = binary.AppendUvarint(buf, uint64(len(b.Announces)))
	for i := range b.Announces {
		buf = b.Announces[i].appendBinary(buf)
	}
	buf = binary.AppendUvarint(buf, uint64(b.Addrs.KeyID))
	buf = binary.AppendUvarint(buf, uint64(len(b.Addrs.Box)))
	return append(buf, b.Addrs.Box...)
}

func (a *Announce) appendBinary(buf []byte) []byte {
	buf = binary.BigEndian.AppendUint64(buf, uint64(a.TimeMillis))
	buf = append(buf, a.InfoHash[:]...)
	buf = append(buf, a.UserID[:]...)
	buf = append(buf, a.PeerID[:]...)
	flags := byte(a.Prev&3)<<flagPrevShift | byte(a.Caps&0xf)<<flagCapsShift
	if a.NewSession {
		flags |= flagNewSession
	}
	if a.Snatch {
		flags |= flagSnatch
	}
	buf = append(buf, byte(a.Event), flags)
	for _, v := range [...]uint64{a.Uploaded, a.Downloaded, a.Left, a.RawUp, a.RawDown, a.CreditedUp, a.CreditedDown, a.SeedMillis} {
		buf = binary.AppendUvarint(buf, v)
	}
	return buf
}

// UnmarshalBinary decodes what MarshalBinary wrote. Malformed input is an
// error, never a panic.
func (b *AnnounceBatch) UnmarshalBinary(p []byte) error {
	return b.unmarshal(p, announceBatchVersion)
}

// unmarshal decodes a batch stored with schema version (2 to 4) into the
// newest shape.
func (b *AnnounceBatch) unmarshal(p []byte, version int) error {
	fixed := announceFixedSize
	if version < 4 {
		fixed = announceFixedSizeV3
	}
	if len(p) < 1 || len(p) < 1+int(p[0]) {
		return errShortBatch
	}
	b.Node = string(p[1 : 1+int(p[0])])
	p = p[1+int(p[0]):]
	n, k := binary.Uvarint(p)
	if k <= 0 {
		return errShortBatch
	}
	p = p[k:]
	if n > uint64(len(p)/(fixed+announceVarints)) {
		return fmt.Errorf("announce batch: count %d exceeds payload", n)
	}
	b.Announces = make([]Announce, n)
	if version < 4 {
		b.plain = make([]PeerAddr, n)
	}
	for i := range b.Announces {
		var addr *PeerAddr
		if version < 4 {
			addr = &b.plain[i]
		}
		var err error
		if p, err = b.Announces[i].decode(p, version, addr); err != nil {
			return err
		}
	}
	if version >= 4 {
		var err error
		if p, err = b.Addrs.decode(p); err != nil {
			return err
		}
	}
	if len(p) != 0 {
		return fmt.Errorf("announce batch: %d trailing bytes", len(p))
	}
	return nil
}

// decode reads one announce stored with version; before version 4 its
// address, between the peer id and the event, goes to addr.
func (a *Announce) decode(p []byte, version int, addr *PeerAddr) ([]byte, error) {
	fixed := announceFixedSize
	if version < 4 {
		fixed = announceFixedSizeV3
	}
	if len(p) < fixed {
		return nil, errShortBatch
	}
	a.TimeMillis = int64(binary.BigEndian.Uint64(p))
	copy(a.InfoHash[:], p[8:28])
	copy(a.UserID[:], p[28:44])
	copy(a.PeerID[:], p[44:64])
	tail := p[64:fixed]
	if version < 4 {
		copy(addr.IP[:], tail[:16])
		addr.Port = binary.BigEndian.Uint16(tail[16:18])
		tail = tail[addrSize:]
	}
	a.Event = AnnounceEvent(tail[0])
	if a.Event >= eventLimit {
		return nil, fmt.Errorf("announce batch: unknown event %d", tail[0])
	}
	flags := tail[1]
	known := byte(flagsKnown)
	if version == 2 {
		known = flagsKnownV2
	}
	a.NewSession = flags&flagNewSession != 0
	a.Prev = PeerState(flags>>flagPrevShift) & 3
	a.Snatch = flags&flagSnatch != 0 || (version == 2 && a.Event == EventCompleted)
	a.Caps = Caps(flags >> flagCapsShift)
	if flags&^known != 0 || a.Prev >= peerStateLimit || a.Caps >= capsLimit {
		return nil, fmt.Errorf("announce batch: unknown flags %#x", flags)
	}
	p = p[fixed:]
	for _, dst := range [...]*uint64{&a.Uploaded, &a.Downloaded, &a.Left, &a.RawUp, &a.RawDown, &a.CreditedUp, &a.CreditedDown, &a.SeedMillis} {
		v, k := binary.Uvarint(p)
		if k <= 0 {
			return nil, errShortBatch
		}
		*dst, p = v, p[k:]
	}
	return p, nil
}

// decode reads a sealed address block (a key id and a length-prefixed
// box), copying the box out of p.
func (s *SealedAddrs) decode(p []byte) ([]byte, error) {
	id, k := binary.Uvarint(p)
	if k <= 0 || id > math.MaxUint32 {
		return nil, errors.New("announce batch: malformed address key id")
	}
	p = p[k:]
	n, k := binary.Uvarint(p)
	if k <= 0 || n > uint64(len(p)-k) {
		return nil, errShortBatch
	}
	p = p[k:]
	s.KeyID = uint32(id)
	if n > 0 {
		s.Box = append([]byte(nil), p[:n]...)
	}
	return p[n:], nil
}

func init() {
	Register(TypeAnnounceBatch, announceBatchVersion, func() Event { return new(AnnounceBatch) },
		func(e Event) ([]byte, error) { return e.(*AnnounceBatch).MarshalBinary(), nil },
		func(version int, p []byte) (Event, error) {
			if version == 1 {
				return nil, errAnnounceBatchV1
			}
			if version < 2 || version > announceBatchVersion {
				return nil, fmt.Errorf("%w: AnnounceBatch v%d", ErrUnknownEvent, version)
			}
			b := new(AnnounceBatch)
			if err := b.unmarshal(p, version); err != nil {
				return nil, err
			}
			return b, nil
		})
}

// AnnounceCount reads how many announces an encoded batch holds without
// decoding them (0 if the header is malformed).
func AnnounceCount(p []byte) int {
	if len(p) < 1 || len(p) < 1+int(p[0]) {
		return 0
	}
	n, k := binary.Uvarint(p[1+int(p[0]):])
	if k <= 0 {
		return 0
	}
	return int(n)
}
