package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/internal/testenv"
)

// TestCLIAndCommandsAppendTheSameEvents runs a session of operator
// commands through the CLI and the same commands called directly on
// another log, and requires the same events (type, subject, actor and
// payload), up to the ids, passkeys and password hashes each draws at random.
func TestCLIAndCommandsAppendTheSameEvents(t *testing.T) {
	data := dataDir(t)
	file := filepath.Join(t.TempDir(), "album.torrent")
	os.WriteFile(file, torrentFile(t, false), 0o644)
	cli := func(args ...string) map[string]any { return decode(t, djembe(t, "", append(args, "--data", data)...)) }
	cli("user", "add", "alice", "--admin")
	cli("user", "add", "bob")
	hash := cli("torrent", "add", file, "--user", "alice")["info_hash"].(string)
	cli("torrent", "factors", hash, "--freeleech")
	cli("passkey", "rotate", "bob")
	cli("user", "disable", "bob", "--reason", "ratio")
	cli("user", "enable", "bob")
	cli("clients", "allow", "-TR", "-qB")
	cli("torrent", "delete", hash, "--reason", "dupe")

	ctx := context.Background()
	log := testenv.Log(t)
	c, op := commands.New(log, commands.Keys{Secret: domain.ServerSecret("a secret"), Vault: testenv.DB(t)}), commands.Operator
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.RegisterUser(ctx, op, commands.RegisterUser{Name: "alice", Admin: true}))
	must(c.RegisterUser(ctx, op, commands.RegisterUser{Name: "bob"}))
	added, err := c.AddTorrent(ctx, op, commands.AddTorrent{File: torrentFile(t, false), Uploader: "alice"})
	must(added, err)
	free, _ := domain.NewFactors(100, 0)
	must(c.SetTorrentFactors(ctx, op, added.Torrent.InfoHash, free))
	must(c.RotatePasskey(ctx, op, "bob"))
	must(c.DisableUser(ctx, op, "bob", "ratio"))
	must(c.EnableUser(ctx, op, "bob"))
	must(c.SetClientAllowList(ctx, op, []string{"-TR", "-qB"}))
	must(c.DeleteTorrent(ctx, op, added.Torrent.InfoHash, "dupe"))

	inst, err := instance.Open(ctx, instance.Config{DataDir: data}, instance.Client)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	fromCLI, direct := normalized(t, inst.Log), normalized(t, log)
	if len(fromCLI) != 9 {
		t.Fatalf("the CLI appended %d events, want 9:\n%v", len(fromCLI), fromCLI)
	}
	for i := range max(len(fromCLI), len(direct)) {
		if i >= len(fromCLI) || i >= len(direct) || fromCLI[i] != direct[i] {
			t.Fatalf("event %d differs:\n CLI    %v\n direct %v", i+1, fromCLI, direct)
		}
	}
}

// randomParts are the values each run draws afresh: uuids, passkey
// nonces, sealed personal data, and the name claims keyed by each data
// directory's own secret.
var randomParts = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|` +
	`"(passkey_nonce|nonce|claim)":"[0-9a-f]{32}"|"sealed":"[^"]*"|djembe\.username\.[0-9a-f]{32}`)

// normalized is every event of log as "type subject actor payload", with
// the random parts replaced by placeholders numbered in order of appearance.
func normalized(t *testing.T, log *eventlog.Log) []string {
	t.Helper()
	ctx := context.Background()
	last, err := log.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	var out []string
	err = log.Follow(ctx, eventlog.FollowOptions{From: 1, Until: last}, func(b eventlog.Batch) error {
		for _, rec := range b.Records {
			if rec.Subject == domain.SubjectSecret {
				continue // an instance records its secret's fingerprint; the direct log has none
			}
			e, err := rec.Decode()
			if err != nil {
				return err
			}
			payload, _ := json.Marshal(e)
			line := fmt.Sprintf("%s %s %s %s", rec.Meta.Type, rec.Subject, rec.Meta.Actor, payload)
			out = append(out, randomParts.ReplaceAllStringFunc(line, func(s string) string {
				if _, ok := seen[s]; !ok {
					seen[s] = fmt.Sprintf("<random %d>", len(seen)+1)
				}
				return seen[s]
			}))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
