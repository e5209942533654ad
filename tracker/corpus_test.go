package tracker

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// realClients name the seeds of the fuzz corpora that are real clients'
// queries (see shared/notes/real-clients.md), as opposed to edge cases.
var realClients = []string{"libtorrent", "qbittorrent", "transmission", "aria2", "rtorrent"}

// TestRealClientCorpus: every real client's seed in the committed fuzz
// corpora is a query the tracker accepts, for the sample info hash, so the
// corpora start the fuzzers from what clients really send.
func TestRealClientCorpus(t *testing.T) {
	for _, c := range realClients {
		for _, q := range corpusStrings(t, "FuzzParseAnnounce", c+"-*") {
			var r announceRequest
			if err := parseAnnounce(q, &r); err != nil || r.infoHash != sampleHash {
				t.Errorf("%s announce %q: %v, info hash %x", c, q, err, r.infoHash)
			}
		}
		for _, q := range corpusStrings(t, "FuzzParseScrape", c+"-*") {
			var s scrapeRequest
			if err := parseScrape(q, &s); err != nil || s.hashes[0] != sampleHash {
				t.Errorf("%s scrape %q: %v, first hash %x", c, q, err, s.hashes[0])
			}
		}
	}
}

// corpusStrings reads the string argument of each corpus file of target
// matching glob; it fails the test when there is none.
func corpusStrings(t *testing.T, target, glob string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz", target, glob))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files %s/%s (%v)", target, glob, err)
	}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) != 2 || lines[0] != "go test fuzz v1" || !strings.HasPrefix(lines[1], "string(") {
			t.Fatalf("%s: not a one-string corpus file", f)
		}
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")"))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, s)
	}
	return out
}
