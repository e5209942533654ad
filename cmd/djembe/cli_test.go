package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/internal/testenv"
)

// dataDir is a data directory PostgreSQL can use when it runs as user postgres.
func dataDir(t *testing.T) string {
	t.Helper()
	base, err := os.MkdirTemp("", "djembe-cli-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(base, 0o755)
	t.Cleanup(func() { os.RemoveAll(base) })
	return filepath.Join(base, "data")
}

type result struct {
	code           int
	stdout, stderr string
}

// djembe runs a subcommand in-process, as the binary would.
func djembe(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string {
		if k == "NATS_URL" || k == "DATABASE_URL" || strings.HasPrefix(k, "DJEMBE_") {
			return ""
		}
		return os.Getenv(k)
	}}
	code := run(context.Background(), e, args)
	return result{code, out.String(), errb.String()}
}

func decode(t *testing.T, r result) map[string]any {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.stdout)
	}
	return m
}

// logLength reads how many events the data directory's log holds.
func logLength(t *testing.T, data string) uint64 {
	t.Helper()
	m := decode(t, djembe(t, "", "status", "--data", data))
	return uint64(m["log"].(map[string]any)["last_seq"].(float64))
}

func TestUserAddAndShowWithoutServe(t *testing.T) {
	data := dataDir(t)
	added := decode(t, djembe(t, "", "user", "add", "alice", "--data", data))
	pk, _ := added["passkey"].(string)
	if added["name"] != "alice" || len(pk) != 32 || added["password"] == "" || added["password"] == nil {
		t.Fatalf("user add printed %v", added)
	}
	decode(t, djembe(t, "correct horse battery\n", "user", "add", "bob", "--admin", "--password-stdin", "--data", data))
	shown := decode(t, djembe(t, "", "user", "show", "bob", "--data", data))
	if shown["name"] != "bob" || shown["admin"] != true || shown["uploaded"] != 0.0 || shown["downloaded"] != 0.0 || shown["ratio"] != 0.0 {
		t.Fatalf("user show printed %v", shown)
	}
	if _, ok := shown["password"]; ok {
		t.Fatal("user show prints a password")
	}
	if _, ok := shown["user_id"]; ok || shown["id"] == nil || shown["id"] == "" {
		t.Fatalf("user show prints the id as %v and user_id as %v; want id once", shown["id"], shown["user_id"])
	}
}

func TestUserAddRefusesBadNamesAndChangesNothing(t *testing.T) {
	data := dataDir(t)
	decode(t, djembe(t, "", "user", "add", "alice", "--data", data))
	before := logLength(t, data)
	if before != 2 { // the server secret's fingerprint, alice
		t.Fatalf("the log holds %d events after one registration, want 2", before)
	}
	for _, tc := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"user", "add", "alice"}, "", `username "alice" is taken`},
		{[]string{"user", "add", "ALICE"}, "", `username "ALICE" is taken`},
		{[]string{"user", "add", "a"}, "", "invalid username"},
		{[]string{"user", "add", "bad name"}, "", "invalid username"},
		{[]string{"user", "add", "_x"}, "", "invalid username"},
		{[]string{"user", "add", "carol", "--password-stdin"}, "short\n", "at least 8 characters"},
		{[]string{"user", "add"}, "", "usage"},
		{[]string{"user", "show", "nobody"}, "", `no user named "nobody"`},
		{[]string{"torrent", "add", "/nonexistent.torrent", "--user", "alice"}, "", "cannot read"},
	} {
		r := djembe(t, tc.stdin, append(tc.args, "--data", data)...)
		if r.code != exitInput || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("djembe %v: exit %d, stderr %q; want exit %d and %q", tc.args, r.code, r.stderr, exitInput, tc.want)
		}
	}
	if after := logLength(t, data); after != before {
		t.Fatalf("refused commands appended %d events", after-before)
	}
}

func TestTorrentAddRefusesMalformedFile(t *testing.T) {
	data := dataDir(t)
	decode(t, djembe(t, "", "user", "add", "alice", "--data", data))
	before := logLength(t, data)
	bad := filepath.Join(t.TempDir(), "bad.torrent")
	for _, body := range []string{"not bencode", "d4:infod4:name1:xee", "de"} {
		os.WriteFile(bad, []byte(body), 0o644)
		r := djembe(t, "", "torrent", "add", bad, "--user", "alice", "--data", data)
		if r.code != exitInput || !strings.Contains(r.stderr, "is not a valid .torrent") {
			t.Errorf("torrent add of %q: exit %d, stderr %q", body, r.code, r.stderr)
		}
	}
	if after := logLength(t, data); after != before {
		t.Fatalf("refused uploads appended %d events", after-before)
	}
}

func TestServeRefusesUnusableDataDirectory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	for _, dir := range []string{filepath.Join(file, "data"), "/proc/djembe-data"} {
		r := djembe(t, "", "serve", "--data", dir, "--web", "127.0.0.1:0", "--ops", "127.0.0.1:0", "--tracker", "127.0.0.1:0")
		if r.code != exitFailure || !strings.Contains(r.stderr, "data directory "+dir) {
			t.Errorf("serve --data %s: exit %d, stderr %q", dir, r.code, r.stderr)
		}
	}
}

func TestServeRefusesPortInUseAndStartsNothing(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	data := dataDir(t)
	for _, flag := range []string{"--web", "--ops", "--tracker"} {
		args := []string{"serve", "--data", data, "--web", "127.0.0.1:0", "--ops", "127.0.0.1:0", "--tracker", "127.0.0.1:0", flag, busy.Addr().String()}
		r := djembe(t, "", args...)
		if r.code != exitFailure || !strings.Contains(r.stderr, "cannot listen on "+busy.Addr().String()) {
			t.Errorf("serve %s busy port: exit %d, stderr %q", flag, r.code, r.stderr)
		}
	}
	for _, started := range []string{"nats", "pg", "runtime.json"} {
		if _, err := os.Stat(filepath.Join(data, started)); err == nil {
			t.Errorf("a refused serve left %s behind", started)
		}
	}
}

// startServe runs `djembe serve` in-process, with extra flags, until the
// test ends, and returns what it published once /healthz answers 200.
func startServe(t *testing.T, data string, extra ...string) instance.Runtime {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	errb := &syncWriter{w: &bytes.Buffer{}}
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: errb, getenv: func(string) string { return "" }}
	args := append([]string{"serve", "--data", data, "--web", "127.0.0.1:0", "--ops", "127.0.0.1:0", "--tracker", "127.0.0.1:0", "--interval", "1m", "--min-interval", "1s"}, extra...)
	go func() { done <- run(ctx, e, args) }()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d:\n%s", code, errb.String())
		}
	})
	var rt instance.Runtime
	testenv.EventuallyWithin(t, 2*time.Minute, "serve healthy", func() bool { // initdb and PostgreSQL's start take long on a busy machine
		var err error
		if rt, err = instance.ReadRuntime(data); err != nil || rt.WebAddr == "" {
			return false
		}
		resp, err := http.Get("http://" + rt.WebAddr + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	return rt
}

type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.String()
}

func TestServeWithOperatorCommandsAndReplayWhileServing(t *testing.T) {
	data := dataDir(t)
	rt := startServe(t, data)
	web, ops := "http://"+rt.WebAddr, "http://"+rt.OpsAddr

	if r := djembe(t, "", "serve", "--data", data, "--web", "127.0.0.1:0", "--ops", "127.0.0.1:0", "--tracker", "127.0.0.1:0"); r.code != exitFailure ||
		!strings.Contains(r.stderr, "another djembe") {
		t.Fatalf("a second serve on the same data: exit %d, %q", r.code, r.stderr)
	}
	for i := 0; i < 20; i++ {
		decode(t, djembe(t, "", "user", "add", fmt.Sprintf("user%02d", i), "--data", data))
	}
	rotated := decode(t, djembe(t, "", "passkey", "rotate", "user03", "--data", data))
	decode(t, djembe(t, "", "user", "disable", "user04", "--reason", "test", "--data", data))
	shown := decode(t, djembe(t, "", "user", "show", "user03", "--data", data))
	if shown["passkey"] != rotated["passkey"] {
		t.Fatalf("user show has passkey %v after rotation to %v", shown["passkey"], rotated["passkey"])
	}

	// The web keeps answering while every read model is rebuilt.
	stop := make(chan struct{})
	var answered, failed atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, u := range []string{web + "/healthz", ops + "/api/ops/projections"} {
				resp, err := http.Get(u)
				if err != nil || resp.StatusCode != 200 {
					failed.Add(1)
				} else {
					answered.Add(1)
				}
				if resp != nil {
					resp.Body.Close()
				}
			}
		}
	}()
	replayed := decode(t, djembe(t, "", "replay", "--all", "--data", data))
	close(stop)
	wg.Wait()
	if failed.Load() > 0 || answered.Load() == 0 {
		t.Fatalf("during replay the web answered %d requests and failed %d", answered.Load(), failed.Load())
	}
	if len(replayed["replayed"].(map[string]any)) == 0 {
		t.Fatalf("replay printed %v", replayed)
	}
	again := decode(t, djembe(t, "", "user", "show", "user04", "--data", data))
	if again["disabled"] != true {
		t.Fatalf("after replay user04 reads %v", again)
	}
}

func TestExternalServersAreUsedAndNoneStarted(t *testing.T) {
	data := dataDir(t)
	natsURL, dbURL := testenv.NATS(t).URL(), testenv.DatabaseURL(t)
	var out, errb bytes.Buffer
	secretFile := ""
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string {
		switch k {
		case "NATS_URL":
			return natsURL
		case "DATABASE_URL":
			return dbURL
		case "DJEMBE_SECRET_FILE":
			return secretFile
		}
		return ""
	}}
	if code := run(context.Background(), e, []string{"user", "add", "dora", "--data", data}); code != 0 {
		t.Fatalf("user add on external servers: exit %d: %s", code, errb.String())
	}
	for _, embedded := range []string{"nats", "pg"} {
		if _, err := os.Stat(filepath.Join(data, embedded)); err == nil {
			t.Errorf("with external servers set, an embedded %s was started", embedded)
		}
	}
	// Another data directory generates a secret of its own, which the log
	// refuses: its passkeys and name claims would match nobody's.
	other := dataDir(t)
	if code := run(context.Background(), e, []string{"user", "add", "dora", "--data", other}); code != exitInput ||
		!strings.Contains(errb.String(), "another server secret than "+filepath.Join(other, "server.secret")) {
		t.Fatalf("a client with another secret on the external log: exit %d: %s", code, errb.String())
	}
	// Given the log's secret, it is a client of the same log: it sees the name taken.
	errb.Reset()
	secretFile = filepath.Join(data, "server.secret")
	if code := run(context.Background(), e, []string{"user", "add", "dora", "--data", other}); code != exitInput ||
		!strings.Contains(errb.String(), "taken") {
		t.Fatalf("second add on the external log: exit %d: %s", code, errb.String())
	}
}

func TestServeRoles(t *testing.T) {
	if r := djembe(t, "", "serve", "--roles", "tracker,bogus", "--data", dataDir(t)); r.code != exitInput || !strings.Contains(r.stderr, `unknown role "bogus"`) {
		t.Fatalf("serve --roles bogus: exit %d, %q", r.code, r.stderr)
	}
	if rt := startServe(t, dataDir(t), "--roles", "projectors"); rt.TrackerAddr != "" {
		t.Fatalf("a projectors-only serve published a tracker at %s", rt.TrackerAddr)
	}
}

func TestHelpAndUnknownFlags(t *testing.T) {
	if r := djembe(t, "", "serve", "--help"); r.code != exitOK || !strings.Contains(r.stdout, "-tracker string") {
		t.Fatalf("serve --help: exit %d, %q", r.code, r.stdout)
	}
	if r := djembe(t, "", "user", "add", "x", "--bogus"); r.code != exitInput || !strings.Contains(r.stderr, "-bogus") {
		t.Fatalf("unknown flag: exit %d, %q", r.code, r.stderr)
	}
	if r := djembe(t, "", "help"); r.code != exitOK || strings.Contains(r.stdout, "bench-baseline") {
		t.Fatalf("help: exit %d, lists internal commands: %q", r.code, r.stdout)
	}
}
