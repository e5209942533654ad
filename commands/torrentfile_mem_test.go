package commands

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
)

// tinyFilesTorrent is a .torrent of about size bytes listing one-byte
// files, the most files a .torrent of that size can hold (about 280,000 in
// 8 MiB), and how many it lists.
func tinyFilesTorrent(size int) ([]byte, int) {
	var files bytes.Buffer
	n := 0
	for ; files.Len() < size-1000; n++ {
		fmt.Fprintf(&files, "d6:lengthi1e4:pathl8:%08dee", n)
	}
	pieces := (n + 16383) / 16384
	return []byte(fmt.Sprintf("d4:infod5:filesl%se4:name4:tiny12:piece lengthi16384e6:pieces%d:%s7:privatei1eee",
		files.Bytes(), 20*pieces, bytes.Repeat([]byte{0}, 20*pieces))), n
}

// allocated is what fn allocates, in bytes (all of it: an upper bound on
// the heap it adds at its peak).
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestParseTorrentMemoryIsBounded: an 8 MiB .torrent of tiny files is
// refused by its count of files at the cost of a few allocations, before
// anything is decoded; with the limit lifted it parses in memory of the
// order of its size. (anacrolix's decoding, used before, allocated 947 MB
// for it, with 260-330 MB of heap in use at its peak.)
func TestParseTorrentMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an 8 MiB .torrent")
	}
	data, n := tinyFilesTorrent(MaxTorrentFile)
	var err error
	refused := allocated(func() { _, err = ParseTorrent(data) })
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte(fmt.Sprintf("lists %d files", n))) {
		t.Fatalf("%d files: %v", n, err)
	}
	var p ParsedTorrent
	accepted := allocated(func() { p, err = Limits{MaxFiles: n}.ParseTorrent(data) })
	if err != nil || len(p.Registered.Files) != n {
		t.Fatalf("with the limit lifted: %v", err)
	}
	t.Logf("%d bytes, %d files: refused after %d bytes allocated; accepted (limit lifted) after %.1f MB", len(data), n, refused, float64(accepted)/1e6)
	if refused > 64<<10 {
		t.Errorf("refusing %d files allocated %d bytes, want at most 64 KiB", n, refused)
	}
	if accepted > 4*uint64(len(data)) {
		t.Errorf("accepting %d files allocated %d bytes, want at most 4 times the .torrent's %d", n, accepted, len(data))
	}
}
