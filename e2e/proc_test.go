package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// systemPython is the Debian interpreter, the one that sees python3-libtorrent
// (a python3 earlier on PATH may not).
const systemPython = "/usr/bin/python3"

// osPackages are the packages the end-to-end tests need, as in scripts/deps.sh test.
var osPackages = []struct {
	name    string
	present func() bool
}{
	{"postgresql", havePostgres},
	{"python3-libtorrent", func() bool { return exec.Command(systemPython, "-c", "import libtorrent").Run() == nil }},
	{"aria2", func() bool { _, err := exec.LookPath("aria2c"); return err == nil }},
	{"rtorrent", func() bool { _, err := exec.LookPath("rtorrent"); return err == nil }},
}

// havePostgres reports whether the PostgreSQL server binaries djembe starts
// for its embedded database are installed.
func havePostgres() bool {
	if d := os.Getenv("DJEMBE_PG_BIN"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "postgres")); err == nil {
			return true
		}
	}
	_, e1 := exec.LookPath("initdb")
	_, e2 := exec.LookPath("postgres")
	if e1 == nil && e2 == nil {
		return true
	}
	m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	return len(m) > 0
}

func missingPackages() []string {
	var missing []string
	for _, p := range osPackages {
		if !p.present() {
			missing = append(missing, p.name)
		}
	}
	return missing
}

// requirePackages makes sure the OS packages are installed: as root it runs
// scripts/deps.sh test; otherwise it skips the test with the command to run.
func requirePackages(t *testing.T) {
	t.Helper()
	missing := missingPackages()
	if len(missing) == 0 {
		return
	}
	if os.Geteuid() != 0 {
		t.Skipf("missing OS packages %s: install them with  sudo apt-get install -y %s",
			strings.Join(missing, ", "), strings.Join(missing, " "))
	}
	out, err := exec.Command(filepath.Join(moduleRoot(t), "scripts", "deps.sh"), "test").CombinedOutput()
	if missing = missingPackages(); len(missing) > 0 {
		t.Fatalf("scripts/deps.sh test did not install %s (err %v):\n%s", strings.Join(missing, ", "), err, out)
	}
}

// moduleRoot is the directory holding go.mod, found from this file's path.
func moduleRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the test's source file")
	}
	for dir := filepath.Dir(file); ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		if filepath.Dir(dir) == dir {
			t.Fatalf("no go.mod above %s", file)
		}
	}
}

// e2eDir is the directory of this package, holding the helper scripts.
func e2eDir(t *testing.T) string {
	return filepath.Join(moduleRoot(t), "e2e")
}

// goTool is the go command: the one on PATH, else the one this test was built with.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// childEnv is the environment for djembe and the clients: this process's,
// without settings that would point djembe at other servers or data.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "NATS_URL" || k == "DATABASE_URL" || strings.HasPrefix(k, "DJEMBE_") && k != "DJEMBE_PG_BIN" {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// proc is a long-running child in a process group of its own.
type proc struct {
	name   string
	cmd    *exec.Cmd
	exited chan struct{}
	err    error // the exit status, once exited is closed
}

// startProc starts cmd in its own process group, and kills that group when
// the test ends if it is still running. A cmd without Env gets childEnv().
func startProc(t *testing.T, name string, cmd *exec.Cmd) *proc {
	t.Helper()
	if cmd.Env == nil {
		cmd.Env = childEnv()
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	p := &proc{name: name, cmd: cmd, exited: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() { p.kill() })
	return p
}

// running reports whether the process has not exited yet.
func (p *proc) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// signal sends sig to the process itself (not its group).
func (p *proc) signal(sig syscall.Signal) error {
	return p.cmd.Process.Signal(sig)
}

// wait waits up to d for the process to exit and returns its exit status.
func (p *proc) wait(d time.Duration) (exited bool, err error) {
	select {
	case <-p.exited:
		return true, p.err
	case <-time.After(d):
		return false, nil
	}
}

// kill ends the whole process group, if the process still runs.
func (p *proc) kill() {
	if !p.running() {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	p.wait(5 * time.Second)
}

// exitCode is err's process exit code (0 for nil, -1 when not an exit).
func exitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	return -1
}

// postmastersOn returns the pids of postgres servers whose arguments name a
// path under dir.
func postmastersOn(dir string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		raw, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || len(raw) == 0 {
			continue
		}
		args := strings.Split(strings.TrimRight(string(raw), "\x00"), "\x00")
		if !strings.HasSuffix(args[0], "postgres") {
			continue
		}
		for _, a := range args[1:] {
			if a == dir || strings.HasPrefix(a, dir+string(filepath.Separator)) {
				pids = append(pids, pid)
				break
			}
		}
	}
	return pids
}

// tail returns the last n lines of a file, or a note saying why it cannot.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", path, err)
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = append([][]byte{[]byte(fmt.Sprintf("... (%d lines before)", len(lines)-n))}, lines[len(lines)-n:]...)
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// grepLines returns the lines of a file that contain any of words, at most n (the last ones).
func grepLines(path string, n int, words ...string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", path, err)
	}
	var hits []string
	for _, line := range strings.Split(string(b), "\n") {
		for _, w := range words {
			if strings.Contains(line, w) {
				hits = append(hits, line)
				break
			}
		}
	}
	if len(hits) > n {
		hits = hits[len(hits)-n:]
	}
	return strings.Join(hits, "\n")
}
