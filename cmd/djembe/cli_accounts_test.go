package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAccountCommandsWithoutServe runs the invite, registration, token and
// RSS key commands on a data directory no serve holds: each change that
// must be in effect at once (a revocation, a rotation) catches the accounts
// read model up before it returns. The codes, tokens and keys printed are
// nowhere in the log's store.
func TestAccountCommandsWithoutServe(t *testing.T) {
	data := dataDir(t)
	decode(t, djembe(t, "", "user", "add", "alice", "--data", data))
	var secrets []string

	inv := decode(t, djembe(t, "", "invite", "create", "--user", "alice", "--data", data))
	code, _ := inv["code"].(string)
	if len(code) != 43 {
		t.Fatalf("invite create printed %v", inv)
	}
	secrets = append(secrets, code)
	list := decode(t, djembe(t, "", "invite", "list", "--user", "alice", "--data", data))
	if invites, _ := list["invites"].([]any); len(invites) != 1 || list["invites_left"] != 0.0 {
		t.Fatalf("invite list printed %v", list)
	}
	if got := decode(t, djembe(t, "", "invite", "grant", "--user", "alice", "--count", "2", "--data", data)); got["invites_left"] != 2.0 {
		t.Fatalf("invite grant printed %v", got)
	}

	if got := decode(t, djembe(t, "", "registration", "show", "--data", data)); got["registration"] != "closed" {
		t.Fatalf("registration is %v by default, want closed", got)
	}
	decode(t, djembe(t, "", "registration", "open", "--data", data))
	if got := decode(t, djembe(t, "", "registration", "show", "--data", data)); got["registration"] != "open" {
		t.Fatalf("registration after open: %v", got)
	}
	decode(t, djembe(t, "", "registration", "close", "--data", data))

	tok := decode(t, djembe(t, "", "token", "create", "--user", "alice", "--name", "seedbox", "--data", data))
	token, _ := tok["token"].(string)
	id, _ := tok["id"].(string)
	if !strings.HasPrefix(token, "djt_") || id == "" {
		t.Fatalf("token create printed %v", tok)
	}
	secrets = append(secrets, token)
	decode(t, djembe(t, "", "token", "revoke", id, "--user", "alice", "--data", data))
	tokens := decode(t, djembe(t, "", "token", "list", "--user", "alice", "--data", data))["tokens"].([]any)
	if len(tokens) != 1 || tokens[0].(map[string]any)["revoked_at"] == nil || tokens[0].(map[string]any)["label"] != "seedbox" {
		t.Fatalf("token list after the revocation: %v", tokens)
	}
	if strings.Contains(djembe(t, "", "token", "list", "--user", "alice", "--data", data).stdout, "djt_") {
		t.Fatal("token list prints a token")
	}

	first := decode(t, djembe(t, "", "rsskey", "show", "alice", "--data", data))["rss_key"].(string)
	rotated := decode(t, djembe(t, "", "rsskey", "rotate", "alice", "--data", data))["rss_key"].(string)
	shown := decode(t, djembe(t, "", "rsskey", "show", "alice", "--data", data))["rss_key"].(string)
	if len(first) != 64 || rotated == first || shown != rotated {
		t.Fatalf("RSS keys: first %q, rotated %q, shown after %q", first, rotated, shown)
	}
	secrets = append(secrets, first[32:], rotated[32:])

	before := logLength(t, data)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"token", "revoke", id, "--user", "alice"}, "revoked already"},
		{[]string{"token", "revoke", "nope", "--user", "alice"}, "not a token id"},
		{[]string{"token", "create", "--user", "alice"}, "--name LABEL is required"},
		{[]string{"token", "create", "--user", "nobody", "--name", "x"}, `no user named "nobody"`},
		{[]string{"invite", "create"}, "--user NAME is required"},
		{[]string{"invite", "grant", "--user", "alice", "--count", "0"}, "not 0"},
		{[]string{"registration", "maybe"}, "use open, close or show"},
		{[]string{"rsskey", "rotate", "nobody"}, `no user named "nobody"`},
	} {
		r := djembe(t, "", append(tc.args, "--data", data)...)
		if r.code != exitInput || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("djembe %v: exit %d, stderr %q; want exit %d and %q", tc.args, r.code, r.stderr, exitInput, tc.want)
		}
	}
	if after := logLength(t, data); after != before {
		t.Fatalf("refused commands appended %d events", after-before)
	}

	var found []string
	sawToken := false
	err := filepath.WalkDir(filepath.Join(data, "nats"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		sawToken = sawToken || bytes.Contains(b, []byte("TokenCreated"))
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				found = append(found, s+" in "+path)
			}
		}
		return err
	})
	if err != nil || !sawToken {
		t.Fatalf("scan the store: %v (saw a TokenCreated: %v)", err, sawToken)
	}
	if len(found) > 0 {
		t.Fatalf("the log's store holds secrets:\n%s", strings.Join(found, "\n"))
	}
}
