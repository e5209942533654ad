package demo

import (
	"bytes"
	"fmt"
	"math/rand/v2"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
)

// File is one file of a sample torrent: its path under the torrent's
// folder (a single-file torrent has one File whose path is its name).
type File struct {
	Path   []string
	Length int64
}

// minPiece and maxPiece bound the piece length; maxPieces is the most
// pieces a piece length above minPiece leaves (clients make torrents so).
const (
	minPiece  = 16 << 10
	maxPiece  = 16 << 20
	maxPieces = 1500
)

// PieceLength is the piece length a client would choose for size bytes:
// the smallest power of two of at least 16 KiB that needs at most 1500
// pieces, but at most 16 MiB.
func PieceLength(size int64) int64 {
	piece := int64(minPiece)
	for piece < maxPiece && (size+piece-1)/piece > maxPieces {
		piece *= 2
	}
	return piece
}

// BuildTorrent makes the bytes of a private v1 .torrent named name holding
// files (one file with a nil path: a single-file torrent named name), with
// piece hashes drawn from rng, one per piece of the total length.
func BuildTorrent(rng *rand.Rand, name string, files []File) ([]byte, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("torrent %q has no files", name)
	}
	private := true
	info := metainfo.Info{Name: name, Private: &private}
	var total int64
	if len(files) == 1 && files[0].Path == nil {
		info.Length = files[0].Length
		total = files[0].Length
	} else {
		for _, f := range files {
			info.Files = append(info.Files, metainfo.FileInfo{Length: f.Length, Path: f.Path})
			total += f.Length
		}
	}
	if total <= 0 {
		return nil, fmt.Errorf("torrent %q holds no data", name)
	}
	info.PieceLength = PieceLength(total)
	info.Pieces = make([]byte, 20*((total+info.PieceLength-1)/info.PieceLength))
	for i := range info.Pieces {
		info.Pieces[i] = byte(rng.Uint32())
	}
	ib, err := bencode.Marshal(info)
	if err != nil {
		return nil, fmt.Errorf("torrent %q: %w", name, err)
	}
	var buf bytes.Buffer
	mi := metainfo.MetaInfo{InfoBytes: ib, Announce: "http://tracker.invalid/announce", CreatedBy: "djembe demo"}
	if err := mi.Write(&buf); err != nil {
		return nil, fmt.Errorf("torrent %q: %w", name, err)
	}
	return buf.Bytes(), nil
}
