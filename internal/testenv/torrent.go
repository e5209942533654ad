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
	t.Helper()
	info := metainfo.Info{Name: name, PieceLength: 16384, Length: 40000, Pieces: make([]byte, 60)}
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
