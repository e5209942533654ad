package web

import (
	"encoding/json"
	"net/http"

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
