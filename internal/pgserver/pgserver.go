// Package pgserver runs a PostgreSQL server from the installed binaries in a
// data directory of Djembe's own: initdb on first start, loopback only, a
// generated password, stopped cleanly on exit, a stale lock left by a crash
// recovered. The caller must own the directory exclusively (Djembe holds a
// lock on its data directory).
package pgserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Superuser is the role initdb creates.
const Superuser = "djembe"

// Config of the embedded server.
type Config struct {
	Dir      string // the cluster's directory; created by initdb when it holds no cluster
	Port     int    // 0 picks a free loopback port
	LogPath  string // server log; default Dir + ".log"
	Settings map[string]string
}

// Server is a running PostgreSQL server that this process started.
type Server struct {
	cfg      Config
	port     int
	password string
	cmd      *exec.Cmd
	exited   chan struct{}
	exitErr  error
}

// Start initialises the cluster if needed, recovers a stale lock, starts the
// server on 127.0.0.1 and waits until it accepts connections.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	dir, err := filepath.Abs(cfg.Dir) // the server and initdb run from "/"
	if err != nil {
		return nil, err
	}
	cfg.Dir = dir
	bin, err := FindBinDir()
	if err != nil {
		return nil, err
	}
	who, err := currentRunAs()
	if err != nil {
		return nil, err
	}
	if err := who.letEnter(filepath.Dir(cfg.Dir)); err != nil {
		return nil, err
	}
	if err := who.checkReachable(cfg.Dir); err != nil {
		return nil, err
	}
	if cfg.LogPath == "" {
		cfg.LogPath = cfg.Dir + ".log"
	}
	password, err := ensureCluster(ctx, bin, cfg.Dir, who)
	if err != nil {
		return nil, err
	}
	if err := recoverStaleLock(cfg.Dir); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, password: password}
	for attempt := 0; ; attempt++ {
		port := cfg.Port
		if port == 0 {
			if port, err = freePort(); err != nil {
				return nil, err
			}
		}
		s.port = port
		err = s.start(ctx, bin, who)
		if err == nil || cfg.Port != 0 || attempt == 2 {
			return s, err
		}
	}
}

// ensureCluster runs initdb when dir holds no cluster, and returns the
// superuser's password (kept in dir's sibling file, readable by us only).
func ensureCluster(ctx context.Context, bin, dir string, who runAs) (string, error) {
	pwPath := dir + ".password"
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err == nil {
		pw, err := os.ReadFile(pwPath)
		if err != nil {
			return "", fmt.Errorf("PostgreSQL cluster in %s has no password file: %w", dir, err)
		}
		return strings.TrimSpace(string(pw)), nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create PostgreSQL directory: %w", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		return "", fmt.Errorf("%s is not empty but holds no PostgreSQL cluster: move it away", dir)
	}
	var b [18]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	pw := hex.EncodeToString(b[:])
	if err := os.WriteFile(pwPath, []byte(pw+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write PostgreSQL password file: %w", err)
	}
	tmp := filepath.Join(dir, "initdb.pw") // inside dir so only the server's account reads it
	if err := os.WriteFile(tmp, []byte(pw+"\n"), 0o600); err != nil {
		return "", err
	}
	if err := who.own(dir); err != nil {
		return "", fmt.Errorf("hand %s to user %s: %w", dir, who.name, err)
	}
	// initdb wants an empty directory: give it a subdirectory, then move it up.
	out, err := run(ctx, who, filepath.Join(bin, "initdb"), "-D", filepath.Join(dir, "cluster"),
		"-U", Superuser, "--auth=scram-sha-256", "--pwfile="+tmp, "-E", "UTF8", "--no-locale", "--no-instructions")
	os.Remove(tmp)
	if err != nil {
		os.RemoveAll(filepath.Join(dir, "cluster"))
		return "", fmt.Errorf("initdb: %w\n%s", err, out)
	}
	if err := promote(filepath.Join(dir, "cluster"), dir); err != nil {
		return "", err
	}
	return pw, nil
}

func promote(from, to string) error {
	entries, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.Rename(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
			return err
		}
	}
	return os.Remove(from)
}

func run(ctx context.Context, who runAs, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: who.cred}
	cmd.Dir = "/"
	return cmd.CombinedOutput()
}

// recoverStaleLock removes a postmaster.pid left by a server that is gone,
// and stops a server that a crashed Djembe left running on this directory.
func recoverStaleLock(dir string) error {
	pidFile := filepath.Join(dir, "postmaster.pid")
	b, err := os.ReadFile(pidFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if pid > 0 && isPostgresOn(pid, dir) {
		_ = syscall.Kill(pid, syscall.SIGINT) // fast shutdown
		for i := 0; i < 300 && processAlive(pid); i++ {
			time.Sleep(100 * time.Millisecond)
		}
		if processAlive(pid) {
			return fmt.Errorf("a PostgreSQL server (pid %d) left running on %s did not stop", pid, dir)
		}
	}
	if err := os.Remove(pidFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove stale %s: %w", pidFile, err)
	}
	return nil
}

func processAlive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// A zombie (state Z) is gone for our purposes.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) == 0 || fields[0] != "Z"
}

func isPostgresOn(pid int, dir string) bool {
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || !processAlive(pid) {
		return false
	}
	args := strings.Split(string(cmdline), "\x00")
	abs, _ := filepath.Abs(dir)
	isPG := len(args) > 0 && strings.HasSuffix(args[0], "postgres")
	for _, a := range args {
		if a == dir || a == abs {
			return isPG
		}
	}
	return false
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port for PostgreSQL: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) start(ctx context.Context, bin string, who runAs) error {
	logf, err := os.OpenFile(s.cfg.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("open PostgreSQL log: %w", err)
	}
	defer logf.Close()
	args := []string{"-D", s.cfg.Dir, "-c", "listen_addresses=127.0.0.1", "-c", "port=" + strconv.Itoa(s.port),
		"-c", "unix_socket_directories=", "-c", "synchronous_commit=off", "-c", "max_connections=200"}
	for k, v := range s.cfg.Settings {
		args = append(args, "-c", k+"="+v)
	}
	s.cmd = exec.Command(filepath.Join(bin, "postgres"), args...)
	s.cmd.Dir = "/"
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	// Pdeathsig: if Djembe dies, the server shuts down fast instead of lingering.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: who.cred, Pdeathsig: syscall.SIGINT, Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	s.exited = make(chan struct{})
	go func() { s.exitErr = s.cmd.Wait(); close(s.exited) }()
	if err := s.waitReady(ctx); err != nil {
		s.Stop()
		return fmt.Errorf("%w (log: %s)\n%s", err, s.cfg.LogPath, tail(s.cfg.LogPath, 10))
	}
	return nil
}

func (s *Server) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := pgx.Connect(ctx, s.URL("postgres"))
		if err == nil {
			c.Close(ctx)
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("postgres exited during start: %v", s.exitErr)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections within 60s: %w", err)
		}
	}
}

func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Port is the loopback port the server listens on.
func (s *Server) Port() int { return s.port }

// URL is a connection string for database db as the superuser.
func (s *Server) URL(db string) string {
	u := url.URL{Scheme: "postgres", User: url.UserPassword(Superuser, s.password),
		Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)), Path: "/" + db, RawQuery: "sslmode=disable"}
	return u.String()
}

// EnsureDatabase creates database db if it does not exist.
func (s *Server) EnsureDatabase(ctx context.Context, db string) error {
	c, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	var exists bool
	if err := c.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", db).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = c.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{db}.Sanitize())
	return err
}

// Stop shuts the server down (fast shutdown, then immediate, then kill) and
// waits for it to exit.
func (s *Server) Stop() error {
	if s.cmd == nil || s.cmd.Process == nil {
		return nil
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGQUIT, syscall.SIGKILL} {
		_ = s.cmd.Process.Signal(sig)
		select {
		case <-s.exited:
			return nil
		case <-time.After(20 * time.Second):
		}
	}
	return fmt.Errorf("postgres (pid %d) did not stop", s.cmd.Process.Pid)
}
