package web

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/djembe/djembe/domain"
)

// statusOf is the one place error kinds become HTTP statuses. The JSON
// code is the kind's stable name (domain.Kind.String).
var statusOf = map[domain.Kind]int{
	domain.KindInternal:    http.StatusInternalServerError,
	domain.KindInvalid:     http.StatusBadRequest,
	domain.KindNotFound:    http.StatusNotFound,
	domain.KindConflict:    http.StatusConflict,
	domain.KindForbidden:   http.StatusForbidden,
	domain.KindUnavailable: http.StatusServiceUnavailable,
}

// writeError answers an API request that failed with err: the status and
// stable code of its kind, and its message for people. An internal error's
// text stays in the server: the client is told only that it happened.
func writeError(w http.ResponseWriter, err error) {
	kind := domain.KindOf(err)
	msg := domain.Message(err)
	if kind == domain.KindInternal {
		msg = "something went wrong on the server; try again later"
	}
	status, ok := statusOf[kind]
	if !ok {
		status = http.StatusInternalServerError
	}
	writeJSONError(w, status, kind.String(), msg)
}

// writeJSONError answers an API error: {"error": {"code": ..., "message": ...}}.
// Codes are stable; messages are for people.
func writeJSONError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

// wantsJSON reports whether r should be answered in JSON rather than with a
// page: everything under /api/, and a request whose Accept names JSON but
// not HTML. A browser (Accept: text/html) and a client that states no
// preference get a page.
func wantsJSON(r *http.Request) bool {
	if r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") {
		return true
	}
	accept := strings.ToLower(r.Header.Get("Accept"))
	return strings.Contains(accept, "json") && !strings.Contains(accept, "text/html")
}

// errorPage is what the error view shows.
type errorPage struct {
	Status  int
	Heading string
	Message string
	Path    string
}

// fail answers r with an error of status: JSON {"error":{"code","message"}}
// where wantsJSON, else the error page in the site's look.
func (s *site) fail(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	if wantsJSON(r) {
		writeJSONError(w, status, code, msg)
		return
	}
	p := s.page(r, http.StatusText(status), "")
	p.Data = errorPage{Status: status, Heading: http.StatusText(status), Message: msg, Path: r.URL.Path}
	s.render(w, r, status, "error", p)
}

// failErr answers r with err: its kind's status and code, and its message
// for people (an internal error's text stays in the server log).
func (s *site) failErr(w http.ResponseWriter, r *http.Request, err error) {
	kind := domain.KindOf(err)
	if kind == domain.KindInternal {
		s.internalError(w, r, err)
		return
	}
	status, ok := statusOf[kind]
	if !ok {
		status = http.StatusInternalServerError
	}
	s.fail(w, r, status, kind.String(), domain.Message(err))
}

// internalError logs err with the route (never the URL: it may hold a
// passkey or key) and answers 500 without err's text.
func (s *site) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("site request failed", "method", r.Method, "route", routeOf(r), "err", err)
	s.fail(w, r, http.StatusInternalServerError, domain.KindInternal.String(), "something went wrong on the server; try again later")
}

func (s *site) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound, "not_found", "There is no page at this address. It may have been moved or deleted, or the link may be mistyped.")
}

func (s *site) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed on this page.")
}

// crossOriginRefused answers a state-changing request that came from
// another site (http.CrossOriginProtection).
func (s *site) crossOriginRefused(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusForbidden, "cross_origin", "This form was sent from another site, so it was refused. "+
		"If you sent it yourself, go back to the page, reload it, and send it again.")
}

// notFound is the operator listener's 404, always JSON.
func notFound(w http.ResponseWriter, r *http.Request) {
	writeJSONError(w, http.StatusNotFound, "not_found", "no such page: "+r.URL.Path)
}
