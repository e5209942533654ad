package loadgen

import (
	"bytes"
	"crypto/sha1"
	"testing"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
)

func TestSynthTorrentIsAValidPrivateInfo(t *testing.T) {
	seen := map[[20]byte]bool{}
	for i := range 200 {
		tor := SynthTorrent(i)
		if tor.InfoHash != sha1.Sum(tor.Info) {
			t.Fatalf("torrent %d: info hash is not SHA-1 of its info", i)
		}
		if seen[tor.InfoHash] {
			t.Fatalf("torrent %d: duplicate info hash", i)
		}
		seen[tor.InfoHash] = true
		var info metainfo.Info
		if err := bencode.Unmarshal(tor.Info, &info); err != nil {
			t.Fatalf("torrent %d: %v", i, err)
		}
		if info.Name != TorrentName(i) || info.TotalLength() != tor.Size || info.Private == nil || !*info.Private {
			t.Fatalf("torrent %d: name %q length %d private %v", i, info.Name, info.TotalLength(), info.Private)
		}
		if n := (tor.Size + info.PieceLength - 1) / info.PieceLength; int64(len(info.Pieces)) != 20*n || n > maxPiecesPerTor {
			t.Fatalf("torrent %d: %d piece hash bytes for %d pieces", i, len(info.Pieces), n)
		}
		if tor.Size < minTorrentSize || tor.Size > 5<<30 {
			t.Fatalf("torrent %d: size %d out of range", i, tor.Size)
		}
		again, err := bencode.Marshal(info)
		if err != nil || !bytes.Equal(again, tor.Info) {
			t.Fatalf("torrent %d: info is not canonical bencoding (%v)", i, err)
		}
	}
	if a, b := SynthTorrent(7), SynthTorrent(7); !bytes.Equal(a.Info, b.Info) {
		t.Error("SynthTorrent must be deterministic")
	}
	if UserName(0) != "bench-u-000001" || TorrentName(41) != "bench-t-000042" {
		t.Errorf("names %q %q", UserName(0), TorrentName(41))
	}
}
