package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// serve refuses an operator listener that is not loopback unless a token
// file is given, and a token file that holds no usable token; either way
// it starts no server.
func TestServeRefusesAPublicOperatorListenerWithoutToken(t *testing.T) {
	data := dataDir(t)
	short := filepath.Join(t.TempDir(), "short")
	os.WriteFile(short, []byte("tooshort\n"), 0o600)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--ops", "0.0.0.0:0"}, "not a loopback address: give --ops-token-file"},
		{[]string{"--ops", "127.0.0.1:0", "--ops-token-file", short}, "want one token of at least 16 characters"},
		{[]string{"--ops", "127.0.0.1:0", "--ops-token-file", filepath.Join(data, "missing")}, "no such file"},
	} {
		args := append([]string{"serve", "--data", data, "--web", "127.0.0.1:0", "--tracker", "127.0.0.1:0"}, tc.args...)
		if r := djembe(t, "", args...); r.code != exitInput || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("serve %v: exit %d, stderr %q; want %d saying %q", tc.args, r.code, r.stderr, exitInput, tc.want)
		}
	}
	for _, started := range []string{"nats", "pg", "runtime.json"} {
		if _, err := os.Stat(filepath.Join(data, started)); err == nil {
			t.Errorf("a refused serve left %s behind", started)
		}
	}
}
