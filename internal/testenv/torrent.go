package testenv

import (
	"bytes"
	"testing"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
)

// TorrentFile makes a valid .torrent of one 40,000-byte file named name,
// private or not, announcing to a tracker elsewhere.
func TorrentFile(t testing.TB, name string, private bool) []byte {
	return TorrentOfSize(t, name, 40000, private)
}

// TorrentOfSize makes a valid .torrent of one file of size bytes, in the
// smallest power-of-two pieces of 16 KiB or more that need at most 2000
// piece hashes.
func TorrentOfSize(t testing.TB, name string, size int64, private bool) []byte {
	t.Helper()
	piece := int64(16 << 10)
	for size/piece > 2000 {
		piece *= 2
	}
	info := metainfo.Info{Name: name, PieceLength: piece, Length: size, Pieces: make([]byte, 20*((size+piece-1)/piece))}
	if private {
		p := true
		info.Private = &p
	}
	ib, err := bencode.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := (&metainfo.MetaInfo{InfoBytes: ib, Announce: "http://elsewhere/announce"}).Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
