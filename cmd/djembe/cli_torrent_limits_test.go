package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTorrentAddRefusesOversizedFilesUnread: a .torrent above the size
// limit is refused (exit 2) after reading one byte past the limit, before
// any server starts: the data directory is never created, so nothing can
// have been appended. /dev/zero, read whole, would never end.
func TestTorrentAddRefusesOversizedFilesUnread(t *testing.T) {
	data := dataDir(t)
	dir := t.TempDir()
	big := filepath.Join(dir, "big.torrent")
	if err := os.WriteFile(big, make([]byte, 8<<20+1), 0o644); err != nil {
		t.Fatal(err)
	}
	small := filepath.Join(dir, "album.torrent")
	if err := os.WriteFile(small, torrentFile(t, false), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{big}, big + ": add torrent: the .torrent is larger than 8 MiB, the most this site accepts"},
		{[]string{small, "--max-torrent-bytes", "100"}, "the .torrent is larger than 100 bytes"},
		{[]string{small, "--max-torrent-bytes", "0"}, `--max-torrent-bytes (or DJEMBE_MAX_TORRENT_BYTES): "0" is not a positive number of bytes`},
		{[]string{small, "--max-torrent-files", "x"}, `--max-torrent-files (or DJEMBE_MAX_TORRENT_FILES): "x" is not a positive number`},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		cases = append(cases, struct {
			args []string
			want string
		}{[]string{"/dev/zero"}, "/dev/zero: add torrent: the .torrent is larger than 8 MiB"})
	}
	for _, tc := range cases {
		args := append(append([]string{"torrent", "add"}, tc.args...), "--user", "alice", "--data", data)
		if r := djembe(t, "", args...); r.code != exitInput || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("djembe %v: exit %d, %q; want exit %d and %q", tc.args, r.code, r.stderr, exitInput, tc.want)
		}
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Fatalf("a refused torrent add opened the data directory (%v)", err)
	}
}
