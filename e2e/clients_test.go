package e2e

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// createTorrent writes a v1-only private .torrent of file with libtorrent and
// returns libtorrent's info hash for it.
func createTorrent(t *testing.T, file, out, announce string) string {
	t.Helper()
	cmd := exec.Command(systemPython, filepath.Join(e2eDir(t), "lt_client.py"),
		"--create", "--file", file, "--out", out, "--announce", announce)
	cmd.Env = childEnv()
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("create %s with libtorrent: %v\n%s", out, err, stderrOf(err))
	}
	var r struct {
		InfoHash string `json:"info_hash"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("lt_client.py --create printed %q: %v", b, err)
	}
	return r.InfoHash
}

// stderrOf is the standard error captured in err by exec.Cmd.Output.
func stderrOf(err error) []byte {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.Stderr
	}
	return nil
}

// ltClient is a libtorrent session (lt_client.py) holding one torrent,
// controlled over its standard input and output.
type ltClient struct {
	t       *testing.T
	name    string
	logPath string
	proc    *proc
	in      io.WriteCloser
	answers chan map[string]any
	port    int
}

// startLibtorrent starts lt_client.py with the torrent, seeding the data in
// saveDir (seed) or downloading into it, and waits for it to listen.
func startLibtorrent(t *testing.T, name, torrent, saveDir, logDir string, seed bool) *ltClient {
	t.Helper()
	mode := "--download"
	if seed {
		mode = "--seed"
	}
	c := &ltClient{t: t, name: name, logPath: filepath.Join(logDir, name+"-libtorrent.log"), answers: make(chan map[string]any, 16)}
	cmd := exec.Command(systemPython, filepath.Join(e2eDir(t), "lt_client.py"),
		"--torrent", torrent, "--save-dir", saveDir, mode, "--log", c.logPath)
	var err error
	if c.in, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := os.Create(c.logPath + ".stderr")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stderr.Close() })
	cmd.Stderr = stderr
	c.proc = startProc(t, name+"'s libtorrent", cmd)
	go c.readAnswers(out)
	ready := c.answer(30 * time.Second)
	port, _ := ready["port"].(float64)
	if ready["ready"] != true || port == 0 {
		t.Fatalf("%s's libtorrent did not start: %v", name, ready)
	}
	c.port = int(port)
	return c
}

// readAnswers forwards each JSON line the client prints.
func (c *ltClient) readAnswers(r io.Reader) {
	defer close(c.answers)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			m = map[string]any{"ok": false, "error": fmt.Sprintf("not JSON: %q", sc.Text())}
		}
		c.answers <- m
	}
}

// answer waits for the client's next line.
func (c *ltClient) answer(limit time.Duration) map[string]any {
	c.t.Helper()
	select {
	case m, ok := <-c.answers:
		if !ok {
			c.proc.wait(2 * time.Second)
			c.t.Fatalf("%s's libtorrent exited (%v):\n%s", c.name, c.proc.err, tail(c.logPath+".stderr", 30))
		}
		return m
	case <-time.After(limit):
		c.t.Fatalf("%s's libtorrent did not answer within %s", c.name, limit)
	}
	return nil
}

// command sends one control command and returns the answer.
func (c *ltClient) command(cmd string, limit time.Duration) map[string]any {
	c.t.Helper()
	if _, err := fmt.Fprintln(c.in, cmd); err != nil {
		c.t.Fatalf("send %q to %s's libtorrent: %v", cmd, c.name, err)
	}
	m := c.answer(limit)
	if m["ok"] != true {
		c.t.Fatalf("%s's libtorrent refused %q: %v", c.name, cmd, m)
	}
	return m
}

// reannounce makes the client announce now, so it learns new peers.
func (c *ltClient) reannounce() { c.command("reannounce", 10*time.Second) }

// stop pauses the torrent (libtorrent sends `stopped`), waits for the
// tracker's answer and for the client to exit; it returns the answer.
func (c *ltClient) stop() map[string]any {
	c.t.Helper()
	m := c.command("stop", 30*time.Second)
	c.in.Close()
	if exited, _ := c.proc.wait(15 * time.Second); !exited {
		c.t.Errorf("%s's libtorrent did not exit after stop", c.name)
	}
	return m
}

// aria2 is an aria2c process downloading (then seeding) one torrent.
type aria2 struct {
	name    string
	logPath string
	proc    *proc
}

// startAria2 starts aria2c on the torrent, saving into dir, alone on
// loopback: DHT, LPD and peer exchange off, seeding forever once complete.
func startAria2(t *testing.T, name, torrent, dir, logDir string) *aria2 {
	t.Helper()
	a := &aria2{name: name, logPath: filepath.Join(logDir, name+"-aria2.log")}
	console, err := os.Create(filepath.Join(logDir, name+"-aria2.console"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { console.Close() })
	cmd := exec.Command("aria2c", "--no-conf=true",
		"--dir="+dir, "--log="+a.logPath, "--log-level=info", "--console-log-level=warn", "--summary-interval=0",
		"--interface=127.0.0.1", "--disable-ipv6=true", "--listen-port="+strconv.Itoa(freePort(t)),
		"--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false",
		"--seed-ratio=0.0", "--disk-cache=0", "--file-allocation=none",
		"--bt-save-metadata=false", "--auto-file-renaming=false", "--allow-overwrite=true",
		"--stop-with-process="+strconv.Itoa(os.Getpid()),
		torrent)
	cmd.Stdout, cmd.Stderr = console, console
	a.proc = startProc(t, name+"'s aria2", cmd)
	return a
}

// stop interrupts aria2, which then announces `stopped` and exits; it
// returns aria2's exit code, or -1 if it had to be killed.
func (a *aria2) stop(limit time.Duration) int {
	if !a.proc.running() {
		return exitCode(a.proc.err)
	}
	_ = a.proc.signal(syscall.SIGINT)
	if exited, err := a.proc.wait(limit); exited {
		return exitCode(err)
	}
	a.proc.kill()
	return -1
}
