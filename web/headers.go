package web

import (
	"fmt"
	"net/http"
	"net/url"
	"runtime/debug"

	"github.com/go-chi/chi/v5"
)

// ContentSecurityPolicy is sent with every response of the site: nothing
// inline (no script, no style attribute or element), nothing from another
// origin, no framing, forms posted only to the site itself.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// securityHeaders sets the headers every response of the site carries.
// Referrer-Policy no-referrer keeps a passkey or key in a page's URL out of
// the Referer of every link and resource it loads.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses, with crossOriginRefused, every state-changing
// request (not GET, HEAD or OPTIONS) a browser sends from another origin
// (Go's http.CrossOriginProtection: Sec-Fetch-Site, else Origin against
// Host). siteURL's origin is trusted too, for a proxy that rewrites Host.
func (s *site) crossOrigin(siteURL string) (func(http.Handler) http.Handler, error) {
	cop := http.NewCrossOriginProtection()
	if siteURL != "" {
		u, err := url.Parse(siteURL)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("site URL %q: want scheme://host[:port]", siteURL)
		}
		if err := cop.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
			return nil, fmt.Errorf("site URL %q: %w", siteURL, err)
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginRefused))
	return cop.Handler, nil
}

// recoverer turns a panic in a handler into a logged error and the 500
// page. http.ErrAbortHandler still aborts the response, as net/http means it to.
func (s *site) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("site handler panicked", "method", r.Method, "route", routeOf(r), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			s.fail(w, r, http.StatusInternalServerError, "internal", "something went wrong on the server; try again later")
		}()
		next.ServeHTTP(w, r)
	})
}

// routeOf is r's route pattern ("/torrents/{infohash}"), which a log line
// may name: the path itself may hold a passkey or an RSS key.
func routeOf(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
		return rc.RoutePattern()
	}
	return "(no route)"
}
