package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djembe/djembe/internal/testenv"
)

// TestBackupCommands drives the backup commands without a serve: alice
// creates a backup wanting two copies and adds a version; show, standing
// and queue print it (no client seeds it: lost, and in the queue); every
// refusal says what to do and changes nothing.
func TestBackupCommands(t *testing.T) {
	data := dataDir(t)
	decode(t, djembe(t, "", "user", "add", "alice", "--data", data))
	decode(t, djembe(t, "", "user", "add", "bob", "--data", data))
	created := decode(t, djembe(t, "", "backup", "create", "--user", "alice", "--name", "Photos", "--redundancy", "2", "--data", data))
	id, _ := created["id"].(string)
	if len(id) != 36 || created["redundancy"] != 2.0 || created["name"] != "Photos" {
		t.Fatalf("backup create printed %v", created)
	}
	dir := t.TempDir()
	small, big := filepath.Join(dir, "small.torrent"), filepath.Join(dir, "big.torrent")
	os.WriteFile(small, testenv.TorrentFile(t, "photos.tar", false), 0o644)
	os.WriteFile(big, testenv.TorrentOfSize(t, "everything.tar", 600<<20, false), 0o644)

	added := decode(t, djembe(t, "", "backup", "add-version", "--backup", id, "--user", "alice", small, "--message", "first", "--data", data))
	if h, _ := added["info_hash"].(string); len(h) != 40 || added["number"] != 1.0 || added["size"] != 40000.0 || added["title"] != "Photos – version 1" {
		t.Fatalf("backup add-version printed %v", added)
	}
	shown := decode(t, djembe(t, "", "backup", "show", id, "--data", data))
	vs, _ := shown["versions"].([]any)
	if len(vs) != 1 || shown["obligation"] != 80000.0 {
		t.Fatalf("backup show printed %v", shown)
	}
	if v := vs[0].(map[string]any); v["info_hash"] != added["info_hash"] || v["state"] != "lost" || v["copies"] != 0.0 || v["deficit"] != 2.0 {
		t.Fatalf("backup show's version: %v", v)
	}
	st := decode(t, djembe(t, "", "backup", "standing", "alice", "--data", data))
	if st["credit"] != 0.0 || st["obligation"] != 80000.0 || st["balance_points"] != 100.0 {
		t.Fatalf("backup standing printed %v", st)
	}
	if q := decode(t, djembe(t, "", "backup", "queue", "--data", data)); q["total"] != 1.0 {
		t.Fatalf("backup queue printed %v", q)
	}

	before := logLength(t, data)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"backup", "create", "--name", "X"}, "--user NAME is required"},
		{[]string{"backup", "create", "--user", "alice", "--name", "X", "--redundancy", "0"}, "redundancy"},
		{[]string{"backup", "create", "--user", "nobody", "--name", "X"}, "nobody"},
		{[]string{"backup", "add-version", "--backup", "nope", "--user", "alice", small}, `"nope" is not a backup id`},
		{[]string{"backup", "add-version", "--backup", id, small}, "--user NAME (its owner) are required"},
		{[]string{"backup", "add-version", "--backup", id, "--user", "bob", small}, "only the backup's owner"},
		{[]string{"backup", "add-version", "--backup", id, "--user", "alice", big}, "back up"},
		{[]string{"backup", "show", "00000000-0000-0000-0000-000000000000"}, "no such backup"},
		{[]string{"backup", "standing", "nobody"}, `no user named "nobody"`},
		{[]string{"backup", "queue", "--page", "0"}, "pages count from 1"},
		{[]string{"backup", "frob"}, "use create, add-version, show, standing or queue"},
	} {
		r := djembe(t, "", append(tc.args, "--data", data)...)
		if r.code != exitInput || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("djembe %v: exit %d, stderr %q; want exit %d and %q", tc.args, r.code, r.stderr, exitInput, tc.want)
		}
	}
	if after := logLength(t, data); after != before {
		t.Errorf("the refusals appended %d events", after-before)
	}
}
