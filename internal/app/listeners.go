package app

import (
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/opstoken"
)

// Timeouts of the web and operator listeners' HTTP servers: a client that
// is slower than these to send its request, or sits idle between requests
// for longer, is cut off, so slow clients cannot hold connections open.
// The tracker's listeners have timeouts of their own (tracker.Config.Conns).
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = time.Minute
	idleTimeout       = 2 * time.Minute
)

// newWebServer is the site's server.
func (m *Main) newWebServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		WriteTimeout: writeTimeout, IdleTimeout: idleTimeout, ErrorLog: slog.NewLogLogger(m.logger.Handler(), slog.LevelWarn)}
}

// newOpsServer is the operator listener's server. It has no WriteTimeout:
// web.NewOps sets each request's write deadline, longer for a profile.
func (m *Main) newOpsServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		IdleTimeout: idleTimeout, ErrorLog: slog.NewLogLogger(m.logger.Handler(), slog.LevelWarn)}
}

// listenOps opens the operator listener. It refuses an address that is
// not loopback unless a token file is configured: metrics, the operator
// pages and profiles are for the operator only.
func (m *Main) listenOps() (err error) {
	if m.cfg.OpsTokenFile != "" {
		if m.opsToken, err = opstoken.Read(m.cfg.OpsTokenFile); err != nil {
			return err
		}
	}
	if m.opsLn, err = listen("ops", m.cfg.Ops); err != nil {
		return err
	}
	if ip := m.opsLn.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() && m.opsToken == "" {
		return domain.E("", domain.KindInvalid, "the operator listener %s is not a loopback address: give --ops-token-file FILE "+
			"(a bearer token that every operator request must carry), or listen on 127.0.0.1 or [::1]", m.cfg.Ops)
	}
	return nil
}

// OpsURL is the operator listener's base URL.
func (m *Main) OpsURL() string { return "http://" + m.opsLn.Addr().String() }
