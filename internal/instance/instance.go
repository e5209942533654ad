// Package instance finds or starts the servers a Djembe process works with.
//
// A data directory belongs to one process at a time, the one holding the
// lock on DIR/djembe.lock. `djembe serve` takes the lock and starts the
// embedded NATS and PostgreSQL servers (unless NATS_URL / DATABASE_URL name
// external ones), and writes their addresses to DIR/runtime.json. An
// operator command given the same directory connects to those servers when
// a serve holds the lock, and otherwise takes the lock and starts the
// embedded servers itself for the length of the command.
package instance

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/natsd"
	"github.com/djembe/djembe/internal/pgserver"
	"github.com/djembe/djembe/migrations"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
)

// Config says where the data lives and which servers are external.
type Config struct {
	DataDir     string // default ./data
	NATSURL     string // external NATS; empty starts the embedded server
	DatabaseURL string // external PostgreSQL; empty starts the embedded server
	Name        string // client name for NATS
	// NATSAuth authenticates to the external NATS (NATS_CREDS, or
	// NATS_USER and NATS_PASSWORD); every role then uses it, and that
	// server's own permissions decide what it may do.
	NATSAuth []nats.Option
	// SecretFile is the server secret passkeys are derived with (default
	// DIR/server.secret, generated on first start).
	SecretFile string
	// TrackerNode is the node whose announce subject the embedded server
	// lets the tracker role publish to (default any node's).
	TrackerNode string
	// BackgroundConns bounds the background pool (projectors and
	// rebuilds, at the lowest CPU priority); 0 is DefaultBackgroundConns.
	// Each projector holds one connection for a lock while it prepares or
	// rebuilds and needs another meanwhile: give two per projection.
	BackgroundConns int32
}

// DefaultBackgroundConns is the background pool's size when Config sets none.
const DefaultBackgroundConns = 8

// Mode says whether the process must own the data directory.
type Mode int

const (
	// Serve owns the data directory for its whole life, or fails.
	Serve Mode = iota
	// Client uses a running serve's servers, or owns the directory briefly.
	Client
)

// Runtime is what a serve publishes about itself in runtime.json.
type Runtime struct {
	PID     int    `json:"pid"`
	NATSURL string `json:"nats_url"`
	// NATSOperator is the embedded NATS server's operator password, for
	// operator commands (this file is readable by its owner only).
	NATSOperator string `json:"nats_operator,omitempty"`
	DatabaseURL  string `json:"database_url"`
	WebAddr      string `json:"web_addr,omitempty"`
	OpsAddr      string `json:"ops_addr,omitempty"` // the operator listener: health, metrics, operator pages
	TrackerAddr  string `json:"tracker_addr,omitempty"`
	TrackerURL   string `json:"tracker_url,omitempty"` // public base URL for announce URLs
	// EmbeddedDB says DatabaseURL is the PostgreSQL the serve started on this machine.
	EmbeddedDB bool      `json:"embedded_db,omitempty"`
	StartedAt  time.Time `json:"started_at"`
}

// Instance is an open connection to the log and the database.
type Instance struct {
	Log  *eventlog.Log
	Pool *pgxpool.Pool
	// Background is for work that may wait when the machine is busy:
	// projectors and replays. With the embedded PostgreSQL its backends run
	// at the lowest CPU priority (pgserver.LowerPriority), so the announce
	// path and the web come first; otherwise it is Pool.
	Background *pgxpool.Pool
	Owner      bool // this process holds the data directory
	// Secret derives passkeys from the nonces the log holds.
	Secret  domain.ServerSecret
	Runtime Runtime
	nats    *natsd.Server // the embedded server, when this process started it
	dir     string
	closers []func()
}

// ErrBusy is returned to a serve when another process holds the data directory.
var ErrBusy = errors.New("data directory in use")

// Open connects (and, when it owns the directory, starts servers) as mode says.
// On error everything it started is stopped again.
func Open(ctx context.Context, cfg Config, mode Mode) (_ *Instance, err error) {
	if cfg.DataDir == "" {
		cfg.DataDir = "data"
	}
	if cfg.Name == "" {
		cfg.Name = "djembe"
	}
	if err := CheckWritable(cfg.DataDir); err != nil {
		return nil, err
	}
	inst := &Instance{dir: cfg.DataDir}
	defer func() {
		if err != nil {
			inst.Close()
		}
	}()
	release, locked, err := lock(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if locked {
		inst.Owner = true
		inst.closers = append(inst.closers, release)
		os.Remove(filepath.Join(cfg.DataDir, "runtime.json")) // left by a crashed owner
		if err := inst.startServers(ctx, cfg); err != nil {
			return nil, err
		}
	} else {
		if mode == Serve {
			rt, _ := ReadRuntime(cfg.DataDir)
			return nil, fmt.Errorf("%w: another djembe (pid %d) is serving %s; stop it first or use another --data directory",
				ErrBusy, rt.PID, cfg.DataDir)
		}
		rt, err := waitRuntime(ctx, cfg.DataDir)
		if err != nil {
			return nil, err
		}
		inst.Runtime = rt
	}
	if cfg.NATSURL != "" {
		inst.Runtime.NATSURL = cfg.NATSURL
	}
	if cfg.DatabaseURL != "" {
		inst.Runtime.DatabaseURL, inst.Runtime.EmbeddedDB = cfg.DatabaseURL, false
	}
	if inst.Secret, err = loadSecret(cfg); err != nil {
		return nil, err
	}
	if err := inst.connect(ctx, cfg, mode); err != nil {
		return nil, err
	}
	if inst.Owner {
		inst.Runtime.PID = os.Getpid()
		inst.Runtime.StartedAt = time.Now().UTC()
		if err := inst.WriteRuntime(); err != nil {
			return nil, err
		}
	}
	return inst, nil
}

func (inst *Instance) startServers(ctx context.Context, cfg Config) error {
	if cfg.NATSURL == "" {
		creds, err := natsd.LoadCredentials(filepath.Join(cfg.DataDir, CredentialsFile))
		if err != nil {
			return err
		}
		ns, err := natsd.Start(natsd.Config{StoreDir: filepath.Join(cfg.DataDir, "nats"), Credentials: creds, TrackerNode: cfg.TrackerNode})
		if err != nil {
			return err
		}
		inst.closers = append(inst.closers, ns.Shutdown)
		inst.nats, inst.Runtime.NATSURL, inst.Runtime.NATSOperator = ns, ns.URL(), creds[natsd.Operator]
	}
	if cfg.DatabaseURL == "" {
		ps, err := pgserver.Start(ctx, pgserver.Config{Dir: filepath.Join(cfg.DataDir, "pg")})
		if err != nil {
			return fmt.Errorf("start PostgreSQL: %w", err)
		}
		inst.closers = append(inst.closers, func() { _ = ps.Stop() })
		// The application connects as a role without superuser rights that
		// owns the database; the superuser only prepares it.
		appURL, err := ps.EnsureAppDatabase(ctx, "djembe")
		if err != nil {
			return fmt.Errorf("prepare database: %w", err)
		}
		inst.Runtime.DatabaseURL, inst.Runtime.EmbeddedDB = appURL, true
	}
	return nil
}

func (inst *Instance) connect(ctx context.Context, cfg Config, mode Mode) error {
	err := inst.openLog(ctx, cfg, mode)
	if err != nil {
		return err
	}
	if inst.Pool, err = inst.newPool(ctx, 16, nil); err != nil {
		return err
	}
	inst.Background = inst.Pool
	if inst.Runtime.EmbeddedDB {
		lower := func(_ context.Context, c *pgx.Conn) error {
			_ = pgserver.LowerPriority(c) // best effort: priority is an optimisation
			return nil
		}
		if inst.Background, err = inst.newPool(ctx, cmp.Or(cfg.BackgroundConns, DefaultBackgroundConns), lower); err != nil {
			return err
		}
	}
	return migrations.Up(ctx, inst.Pool)
}

func (inst *Instance) newPool(ctx context.Context, size int32, afterConnect func(context.Context, *pgx.Conn) error) (*pgxpool.Pool, error) {
	pcfg, err := pgxpool.ParseConfig(inst.Runtime.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	pcfg.MaxConns, pcfg.AfterConnect = size, afterConnect
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	inst.closers = append(inst.closers, pool.Close)
	if err := pool.Ping(ctx); err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return pool, nil
}

// WriteRuntime publishes Runtime in DIR/runtime.json (readable by the owner only:
// it holds the database password).
func (inst *Instance) WriteRuntime() error {
	b, _ := json.MarshalIndent(inst.Runtime, "", "  ")
	tmp := filepath.Join(inst.dir, "runtime.json.tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("write runtime.json: %w", err)
	}
	return os.Rename(tmp, filepath.Join(inst.dir, "runtime.json"))
}

// ReadRuntime reads what the serve holding dir published.
func ReadRuntime(dir string) (Runtime, error) {
	var rt Runtime
	b, err := os.ReadFile(filepath.Join(dir, "runtime.json"))
	if err != nil {
		return rt, err
	}
	return rt, json.Unmarshal(b, &rt)
}

// waitRuntime reads the runtime.json of the process holding dir, waiting
// while that process is still starting its servers.
func waitRuntime(ctx context.Context, dir string) (Runtime, error) {
	deadline := time.Now().Add(60 * time.Second)
	for {
		rt, err := ReadRuntime(dir)
		if err == nil && rt.NATSURL != "" && rt.DatabaseURL != "" {
			return rt, nil
		}
		if time.Now().After(deadline) {
			return rt, fmt.Errorf("djembe (pid %d) holds %s but has not published its servers in runtime.json: %v",
				HolderPID(dir), dir, err)
		}
		select {
		case <-ctx.Done():
			return rt, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Close stops what Open started, in reverse order.
func (inst *Instance) Close() {
	if inst.Owner {
		os.Remove(filepath.Join(inst.dir, "runtime.json"))
	}
	for i := len(inst.closers) - 1; i >= 0; i-- {
		inst.closers[i]()
	}
	inst.closers = nil
}

// CheckWritable creates dir if needed (mode 0700), narrows an existing one
// that other users may read, write or enter (see narrowDir), and proves a
// file can be written in it.
func CheckWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data directory %s cannot be created: %w", dir, unwrapPath(err))
	}
	if err := narrowDir(dir); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".write-test-")
	if err != nil {
		return fmt.Errorf("data directory %s is not writable: %w", dir, unwrapPath(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// lock takes DIR/djembe.lock (mode 0600, narrowed if wider) without
// waiting. locked is false when another process holds it.
func lock(dir string) (release func(), locked bool, err error) {
	f, err := os.OpenFile(filepath.Join(dir, "djembe.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("data directory %s: %w", dir, unwrapPath(err))
	}
	if err := narrowFile(f); err != nil {
		f.Close()
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("lock %s: %w", dir, err)
	}
	f.Truncate(0)
	f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, true, nil
}

// Held reports whether a process holds dir's lock, without taking it or
// starting anything.
func Held(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "djembe.lock"))
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		return errors.Is(err, syscall.EWOULDBLOCK)
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return false
}

// CheckFree returns ErrBusy, naming the process, when another process
// holds dir: a serve checks it before opening anything.
func CheckFree(dir string) error {
	if !Held(dir) {
		return nil
	}
	pid := HolderPID(dir)
	if rt, err := ReadRuntime(dir); err == nil && rt.PID != 0 {
		pid = rt.PID
	}
	return fmt.Errorf("%w: another djembe (pid %d) is serving %s; stop it first or use another --data directory", ErrBusy, pid, dir)
}

// HolderPID reads the pid of the process that last took dir's lock.
func HolderPID(dir string) int {
	b, _ := os.ReadFile(filepath.Join(dir, "djembe.lock"))
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}
