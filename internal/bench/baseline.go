package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/djembe/djembe/internal/loadgen"
)

// BaselineSubcommand is the (hidden) subcommand of this binary that runs
// ServeBaseline with flags --addr and --size: Run starts it in a child
// process for --baseline, so the binary that calls Run must have it.
const BaselineSubcommand = "bench-baseline"

// ServeBaseline serves the trivial net/http server `bench --baseline`
// compares the tracker with: every request is answered with a fixed
// bencoded body of size bytes. It listens on addr, which must be a loopback
// address (else it refuses, domain.KindInvalid), prints the address it
// listens on as the first line of stdout and runs until stdin closes (its
// parent bench exited) or ctx ends.
func ServeBaseline(ctx context.Context, addr string, size int, stdin io.Reader, stdout io.Writer) error {
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return refuse("bench-baseline: --addr must be a loopback address")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	// A trivial server: no timeouts, nothing but the handler.
	srv := &http.Server{Handler: loadgen.BaselineHandler(loadgen.BaselineBody(size))}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	fmt.Fprintln(stdout, ln.Addr().String())
	stdinClosed := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, stdin); close(stdinClosed) }()
	select {
	case <-ctx.Done():
	case <-stdinClosed:
	case err := <-done:
		return err
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	return nil
}

// baselineServer is a running BaselineSubcommand child process.
type baselineServer struct {
	addr  string
	pid   int
	cmd   *exec.Cmd
	stdin io.Closer
}

// startBaseline runs this binary's BaselineSubcommand on a free loopback
// port, its stderr going to stderr.
func startBaseline(ctx context.Context, size int, stderr io.Writer) (*baselineServer, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	cmd := exec.Command(exe, BaselineSubcommand, "--addr", "127.0.0.1:0", "--size", strconv.Itoa(size))
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("baseline: start %s: %w", exe, err)
	}
	s := &baselineServer{pid: cmd.Process.Pid, cmd: cmd, stdin: stdin}
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- strings.TrimSpace(l)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case s.addr = <-line:
	case <-time.After(10 * time.Second):
	case <-ctx.Done():
	}
	if _, _, err := net.SplitHostPort(s.addr); err != nil {
		s.stop()
		return nil, errors.New("baseline: the bench-baseline process did not report its address")
	}
	return s, nil
}

// stop closes the child's stdin (it shuts down) and reaps it, killing it
// if it lingers.
func (s *baselineServer) stop() {
	s.stdin.Close()
	waited := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-waited
	}
}
