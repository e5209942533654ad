package e2e

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// djembe is a built djembe binary and the data directory its serve owns.
type djembe struct {
	t       *testing.T
	bin     string
	data    string // the --data directory
	logPath string // serve's stdout and stderr
	webURL  string
	opsURL  string // the operator listener: metrics, operator pages
	tracker string // the tracker's base URL
	serve   *proc
	budget  budget // bounds each operator command too
}

// buildDjembe compiles ./cmd/djembe into dir.
func buildDjembe(t *testing.T, dir string, limit time.Duration) string {
	t.Helper()
	bin := filepath.Join(dir, "djembe")
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool(), "build", "-o", bin, "./cmd/djembe")
	cmd.Dir = moduleRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/djembe: %v\n%s", err, out)
	}
	return bin
}

// startServe runs `djembe serve` on free loopback ports with short announce
// intervals, and waits until /healthz answers 200.
func startServe(t *testing.T, bin, data, logDir string, b budget) *djembe {
	t.Helper()
	d := &djembe{t: t, bin: bin, data: data, logPath: filepath.Join(logDir, "serve.log"), budget: b}
	webAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	opsAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	trackerAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	d.webURL, d.opsURL, d.tracker = "http://"+webAddr, "http://"+opsAddr, "http://"+trackerAddr
	logf, err := os.Create(d.logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(bin, "serve", "--data", data, "--web", webAddr, "--ops", opsAddr, "--tracker", trackerAddr,
		"--interval", "20s", "--min-interval", "2s")
	cmd.Stdout, cmd.Stderr = logf, logf
	t.Cleanup(func() { killPostmasters(data) }) // registered first: runs after serve is killed
	d.serve = startProc(t, "djembe serve", cmd)
	d.waitHealthy(b.cap(90 * time.Second))
	return d
}

// waitHealthy polls GET /healthz until it answers 200.
func (d *djembe) waitHealthy(limit time.Duration) {
	d.t.Helper()
	deadline := time.Now().Add(limit)
	client := &http.Client{Timeout: 2 * time.Second}
	last := "no answer yet"
	for time.Now().Before(deadline) {
		if !d.serve.running() {
			d.t.Fatalf("djembe serve exited during start (%v):\n%s", d.serve.err, tail(d.logPath, 60))
		}
		resp, err := client.Get(d.webURL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		time.Sleep(200 * time.Millisecond)
	}
	d.t.Fatalf("djembe serve not healthy within %s (last: %s):\n%s", limit, last, tail(d.logPath, 60))
}

// run runs an operator command against the serve's data directory and
// returns its standard output; it fails the test when the command fails.
func (d *djembe) run(args ...string) []byte {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d.budget.cap(60*time.Second))
	defer cancel()
	args = append(args, "--data", d.data)
	cmd := exec.CommandContext(ctx, d.bin, args...)
	cmd.Env = childEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		d.t.Fatalf("djembe %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	return stdout.Bytes()
}

// runJSON runs an operator command and decodes the JSON it prints into v.
func (d *djembe) runJSON(v any, args ...string) {
	d.t.Helper()
	out := d.run(args...)
	if err := json.Unmarshal(out, v); err != nil {
		d.t.Fatalf("djembe %s printed no JSON object (%v):\n%s", strings.Join(args, " "), err, out)
	}
}

// newUser is what `djembe user add` prints.
type newUser struct {
	Name     string `json:"name"`
	Passkey  string `json:"passkey"`
	Password string `json:"password"`
}

// addUser registers a user and checks the answer names it and holds a passkey.
func (d *djembe) addUser(name string) newUser {
	d.t.Helper()
	var u newUser
	d.runJSON(&u, "user", "add", name)
	if u.Name != name || u.Passkey == "" {
		d.t.Fatalf("djembe user add %s printed name %q, passkey %q", name, u.Name, u.Passkey)
	}
	return u
}

// addTorrent registers a .torrent as uploaded by user and returns the info
// hash djembe prints (the private flag it sets may change the hash).
func (d *djembe) addTorrent(path, user string) string {
	d.t.Helper()
	var r struct {
		InfoHash string `json:"info_hash"`
	}
	d.runJSON(&r, "torrent", "add", path, "--user", user)
	if len(r.InfoHash) != 40 {
		d.t.Fatalf("djembe torrent add printed info_hash %q, want 40 hex digits", r.InfoHash)
	}
	return r.InfoHash
}

// getTorrent writes user's personal .torrent for infoHash to out.
func (d *djembe) getTorrent(infoHash, user, out string) {
	d.t.Helper()
	d.run("torrent", "get", infoHash, "--user", user, "-o", out)
	if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
		d.t.Fatalf("djembe torrent get %s --user %s wrote no file %s (%v)", infoHash, user, out, err)
	}
}

// credit is a user's credited transfer and snatches as `djembe user show` prints them.
type credit struct {
	Uploaded   int64 `json:"uploaded"`
	Downloaded int64 `json:"downloaded"`
	Snatches   int   `json:"snatches"`
	raw        string
}

// showUser returns what `djembe user show NAME` prints.
func (d *djembe) showUser(name string) credit {
	d.t.Helper()
	out := d.run("user", "show", name)
	var c credit
	if err := json.Unmarshal(out, &c); err != nil {
		d.t.Fatalf("djembe user show %s printed no JSON object (%v):\n%s", name, err, out)
	}
	c.raw = strings.TrimSpace(string(out))
	return c
}

// scrapeCounts are a torrent's counts in a scrape: seeders, leechers and
// snatches (`downloaded`).
type scrapeCounts struct{ complete, incomplete, downloaded int }

var scrapeCount = regexp.MustCompile(`(8:complete|10:downloaded|10:incomplete)i(\d+)e`)

// scrape asks the tracker for infoHash's counts with passkey, as a client would.
func (d *djembe) scrape(passkey, infoHash string) scrapeCounts {
	d.t.Helper()
	raw, err := hex.DecodeString(infoHash)
	if err != nil || len(raw) != 20 {
		d.t.Fatalf("scrape: info hash %q is not 40 hex digits", infoHash)
	}
	var q strings.Builder
	for _, c := range raw {
		fmt.Fprintf(&q, "%%%02X", c)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(d.tracker + "/scrape/" + passkey + "?info_hash=" + q.String())
	if err != nil {
		d.t.Fatalf("scrape %s: %v", infoHash, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		d.t.Fatalf("scrape %s: %v", infoHash, err)
	}
	var c scrapeCounts
	found := 0
	for _, m := range scrapeCount.FindAllSubmatch(body, -1) {
		n, _ := strconv.Atoi(string(m[2]))
		switch string(m[1]) {
		case "8:complete":
			c.complete = n
		case "10:incomplete":
			c.incomplete = n
		case "10:downloaded":
			c.downloaded = n
		}
		found++
	}
	if resp.StatusCode != http.StatusOK || found != 3 {
		d.t.Fatalf("scrape %s answered %s: %q", infoHash, resp.Status, body)
	}
	return c
}

// stop interrupts serve as Ctrl-C would and returns its exit code, failing
// the test if it does not exit in time.
func (d *djembe) stop(limit time.Duration) int {
	d.t.Helper()
	if err := d.serve.signal(syscall.SIGINT); err != nil {
		d.t.Fatalf("interrupt djembe serve: %v", err)
	}
	exited, err := d.serve.wait(limit)
	if !exited {
		d.t.Fatalf("djembe serve still running %s after SIGINT:\n%s", limit, tail(d.logPath, 40))
	}
	return exitCode(err)
}

// killPostmasters ends postgres servers left on dir (only after a failure:
// a clean serve stops its own).
func killPostmasters(dir string) {
	pids := postmastersOn(dir)
	if len(pids) == 0 {
		return
	}
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGQUIT)
	}
	time.Sleep(time.Second)
	for _, pid := range postmastersOn(dir) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// budget is the time left for the whole test: every wait is capped by it,
// so the test ends in bounded time whatever hangs.
type budget struct{ end time.Time }

// newBudget gives the test total, or less if go test's -timeout comes sooner.
func newBudget(t *testing.T, total time.Duration) budget {
	end := time.Now().Add(total)
	if d, ok := t.Deadline(); ok && d.Add(-10*time.Second).Before(end) {
		end = d.Add(-10 * time.Second)
	}
	return budget{end: end}
}

// cap is d, or the time left if that is shorter (at least a second).
func (b budget) cap(d time.Duration) time.Duration {
	return max(min(d, time.Until(b.end)), time.Second)
}
