package web

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Session settings: a sign-in lasts SessionLifetime; the cookie is
// HttpOnly and SameSite=Lax, and Secure when the site is served over https.
const (
	SessionLifetime   = 30 * 24 * time.Hour
	SessionCookieName = "djembe_session"
	sessionUserKey    = "user_id" // the signed-in user's id, as a string
)

// NewSessions returns the site's session manager, keeping sessions in
// pool's sessions table (migrations/sql/00004_sessions.sql) through scs's
// pgx store. The store's own cleanup goroutine is off: CleanSessions,
// which stops with its context, deletes expired sessions instead. secure
// marks the cookie Secure (the site's public URL is https).
func NewSessions(pool *pgxpool.Pool, secure bool) *scs.SessionManager {
	sm := newSessionManager(secure)
	sm.Store = pgxstore.NewWithCleanupInterval(pool, 0)
	return sm
}

// newSessionManager is the session manager with the site's cookie and
// lifetime, on scs's in-memory store (tests replace it).
func newSessionManager(secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Lifetime = SessionLifetime
	sm.Cookie.Name = SessionCookieName
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Path = "/"
	sm.Cookie.Persist = true
	return sm
}

// SecureCookies reports whether cookies for the site at siteURL must be
// Secure: the site is served over https.
func SecureCookies(siteURL string) bool {
	return strings.HasPrefix(strings.ToLower(siteURL), "https://")
}

// CleanSessions deletes expired sessions every interval until ctx ends.
func CleanSessions(ctx context.Context, pool *pgxpool.Pool, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := pool.Exec(ctx, `DELETE FROM sessions WHERE expiry < now()`); err != nil && ctx.Err() == nil {
				log.Warn("delete expired sessions", "err", err)
			}
		}
	}
}

// currentUser is the id of the user r's session is signed in as; false
// when nobody is, or r has no session loaded (a static file, /healthz).
func (s *site) currentUser(r *http.Request) (domain.UserID, bool) {
	if r.Context().Value(sessionLoaded{}) == nil {
		return domain.UserID{}, false
	}
	v := s.sessions.GetString(r.Context(), sessionUserKey)
	if v == "" {
		return domain.UserID{}, false
	}
	id, err := uuid.Parse(v)
	if err != nil {
		return domain.UserID{}, false
	}
	return id, true
}

// signIn makes r's session signed in as id, under a new session token (so
// a token planted before the sign-in is worth nothing after it).
func (s *site) signIn(r *http.Request, id domain.UserID) error {
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionUserKey, id.String())
	return nil
}

// SessionFor stores a new session in sm signed in as id, and returns its
// token, the session cookie's value: what signing in leaves behind, for
// tests and tools that need a signed-in browser without the login form.
func SessionFor(ctx context.Context, sm *scs.SessionManager, id domain.UserID) (string, error) {
	ctx, err := sm.Load(ctx, "")
	if err != nil {
		return "", err
	}
	sm.Put(ctx, sessionUserKey, id.String())
	token, _, err := sm.Commit(ctx)
	return token, err
}

// signOut ends r's session: its row is deleted and the cookie expired.
func (s *site) signOut(r *http.Request) error {
	return s.sessions.Destroy(r.Context())
}

// sessionFailed answers a request whose session could not be loaded or
// saved (the store is down): 503, the page shown as to someone signed out.
func (s *site) sessionFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("session store", "method", r.Method, "err", err)
	r = r.WithContext(context.WithValue(r.Context(), sessionLoaded{}, nil)) // currentUser must not read it
	s.fail(w, r, http.StatusServiceUnavailable, domain.KindUnavailable.String(), "Your session cannot be read right now; try again in a minute.")
}

// sessionLoaded marks a request context whose session loadSession loaded.
type sessionLoaded struct{}

// loadSession loads the session of every request but the static files'
// and the health check's, which need none (and must not cost a query).
func (s *site) loadSession(next http.Handler) http.Handler {
	withSession := s.sessions.LoadAndSave(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		withSession.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionLoaded{}, true)))
	})
}
