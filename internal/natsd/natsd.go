// Package natsd runs an in-process NATS server with JetStream, for the
// embedded default and for tests.
package natsd

import (
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Config of the embedded server.
type Config struct {
	StoreDir string // JetStream's file store
	Host     string // default 127.0.0.1
	Port     int    // 0 picks a free port
	// Credentials, when set, are the only way in: one user per role with
	// its permissions, and no client without a password. Tests leave it
	// nil for an open server.
	Credentials Credentials
	// TrackerNode is the node whose announce subject the tracker role may
	// publish to; default "*", any node's.
	TrackerNode string
}

// Server is a running in-process NATS server.
type Server struct {
	srv   *server.Server
	creds Credentials
}

// Start starts the server and waits until it accepts connections.
func Start(cfg Config) (*Server, error) {
	if cfg.Host == "" {
		cfg.Host = "127.0.0.1"
	}
	if cfg.Port == 0 {
		cfg.Port = server.RANDOM_PORT
	}
	if err := os.MkdirAll(cfg.StoreDir, 0o700); err != nil {
		return nil, fmt.Errorf("nats store %s: %w", cfg.StoreDir, err)
	}
	opts := &server.Options{
		ServerName: "djembe-embedded",
		Host:       cfg.Host,
		Port:       cfg.Port,
		JetStream:  true,
		StoreDir:   cfg.StoreDir,
		MaxPayload: 8 << 20,
		NoSigs:     true,
		NoLog:      true,
	}
	if cfg.Credentials != nil {
		if cfg.TrackerNode == "" {
			cfg.TrackerNode = "*"
		}
		opts.Users = cfg.Credentials.users(cfg.TrackerNode)
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("nats server: %w", err)
	}
	srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		return nil, fmt.Errorf("nats server did not become ready (store %s)", cfg.StoreDir)
	}
	return &Server{srv: srv, creds: cfg.Credentials}, nil
}

// URL is the client URL of the server.
func (s *Server) URL() string { return s.srv.ClientURL() }

// Connect opens a client connection to the server's port (it reconnects
// to a server restarted there), as the operator when the server has
// credentials.
func (s *Server) Connect(name string) (*nats.Conn, error) {
	if s.creds != nil {
		return Connect(s.URL(), name, As(Operator, s.creds[Operator]))
	}
	return Connect(s.URL(), name)
}

// ConnectAs opens an in-process connection (no socket) with role's
// credential: for roles in the process that runs the server, which lives
// as long as they do.
func (s *Server) ConnectAs(r Role, name string) (*nats.Conn, error) {
	opts := []nats.Option{nats.InProcessServer(s.srv)}
	if s.creds != nil {
		opts = append(opts, As(r, s.creds[r]))
	}
	return Connect(s.URL(), name, opts...)
}

// Shutdown stops the server and waits for it.
func (s *Server) Shutdown() {
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
}

// As authenticates a connection as role r with its password, and keeps
// its replies under the role's inbox prefix (the only one it may read).
func As(r Role, password string) nats.Option {
	return func(o *nats.Options) error {
		o.User, o.Password, o.InboxPrefix = string(r), password, InboxPrefix(r)
		return nil
	}
}

// Connect dials url with reconnects that never give up; opts add
// credentials.
func Connect(url, name string, opts ...nats.Option) (*nats.Conn, error) {
	opts = append([]nats.Option{nats.Name(name), nats.MaxReconnects(-1), nats.ReconnectWait(100 * time.Millisecond)}, opts...)
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to NATS at %s: %w", url, err)
	}
	return nc, nil
}
