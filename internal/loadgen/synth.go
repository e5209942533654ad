package loadgen

import (
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
)

// Synthetic users and torrents have deterministic names (and torrents
// deterministic info dictionaries, hence info hashes), so a second run finds
// the first run's registrations instead of adding new ones.

// UserName is the name of simulated user i (0-based): bench-u-000001, ...
func UserName(i int) string { return fmt.Sprintf("bench-u-%06d", i+1) }

// TorrentName is the name of simulated torrent i (0-based): bench-t-000001, ...
func TorrentName(i int) string { return fmt.Sprintf("bench-t-%06d", i+1) }

// Size bounds of synthetic torrents: log-uniform between 50 MB and ~4 GB.
const (
	minTorrentSize  = 50 << 20
	sizeDoublings   = 6.3
	minPieceLength  = 256 << 10
	maxPiecesPerTor = 64
)

// Torrent is a simulated torrent: a valid single-file, private v1 info
// dictionary and its info hash.
type Torrent struct {
	Name     string
	Size     int64
	Info     []byte   // bencoded info dictionary (private=1)
	InfoHash [20]byte // SHA-1 of Info
	escHash  string   // InfoHash percent-encoded for a query string
}

// SynthTorrent returns simulated torrent i. The same i always gives the same
// bytes and so the same info hash.
func SynthTorrent(i int) Torrent {
	name := TorrentName(i)
	h := splitmix64(uint64(i) ^ 0x6a09e667f3bcc908)
	frac := float64(h>>11) / float64(1<<53)
	size := int64(float64(minTorrentSize) * math.Exp2(frac*sizeDoublings))
	pl := int64(minPieceLength)
	for (size+pl-1)/pl > maxPiecesPerTor {
		pl *= 2
	}
	pieces := make([]byte, 20*((size+pl-1)/pl))
	for j := 0; j < len(pieces); j += 8 {
		h = splitmix64(h)
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], h)
		copy(pieces[j:], w[:])
	}
	info := bencodeInfo(name, size, pl, pieces)
	t := Torrent{Name: name, Size: size, Info: info, InfoHash: sha1.Sum(info)}
	t.escHash = string(appendEscaped(nil, t.InfoHash[:]))
	return t
}

// NewTorrent wraps an existing torrent (name, size, info hash) for load.
func NewTorrent(name string, size int64, infoHash [20]byte) Torrent {
	return Torrent{Name: name, Size: size, InfoHash: infoHash, escHash: string(appendEscaped(nil, infoHash[:]))}
}

// bencodeInfo writes a single-file info dictionary with its keys in the
// canonical (sorted) order.
func bencodeInfo(name string, size, pieceLen int64, pieces []byte) []byte {
	b := make([]byte, 0, 96+len(name)+len(pieces))
	b = append(b, "d6:lengthi"...)
	b = strconv.AppendInt(b, size, 10)
	b = append(b, "e4:name"...)
	b = strconv.AppendInt(b, int64(len(name)), 10)
	b = append(b, ':')
	b = append(b, name...)
	b = append(b, "12:piece lengthi"...)
	b = strconv.AppendInt(b, pieceLen, 10)
	b = append(b, "e6:pieces"...)
	b = strconv.AppendInt(b, int64(len(pieces)), 10)
	b = append(b, ':')
	b = append(b, pieces...)
	return append(b, "7:privatei1ee"...)
}

// splitmix64 is a fast deterministic 64-bit mixer.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
