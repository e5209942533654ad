package music

import (
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/web"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"
)

// AjaxLimit is how many /ajax.php requests one API token may make in
// AjaxWindow: the JSON API's 60 a minute, kept apart from its count. OPS
// asks clients for no more than 5 in 10 seconds, which autobrr and the
// transcode helpers already keep to, so they never meet this limit.
const (
	AjaxLimit  = 60
	AjaxWindow = time.Minute
)

// mountAjax mounts Gazelle's /ajax.php for the music catalogue: the
// actions index, browse, torrentgroup, torrent, artist and download, with
// field names and nesting as OPS's documented API (docs/07-API.md of
// OPSnet/Gazelle), so autobrr, Prowlarr's Gazelle indexers and the
// transcode helpers can use Djembe.
//
// Ids are integers, as Gazelle's clients parse them (Prowlarr into 32-bit
// ints): artists, groups (albums) and torrents are numbered in the order
// the log created them (projections/music's num), and hash= takes a
// torrent's info hash in any case. A user's id is userNum of their UUID.
// Release types are Gazelle's numbers (a string name in browse, as
// Gazelle's browse sends it) and musicInfo's keys Gazelle's roles.
//
// Every request carries an API token (the profile's, or `djembe token
// create`) as "Authorization: token TOKEN", "Authorization: TOKEN" or
// "Authorization: Bearer TOKEN"; session cookies are not accepted. Answers
// are {"status":"success","response":...} or {"status":"failure",
// "error":...}, with HTTP 200 as OPS answers, except a missing, unknown or
// revoked token (401), a disabled account (403), and a token over its
// limit (429 with Retry-After).
func mountAjax(r chi.Router, s *web.Site) {
	a := &ajax{s: s}
	limiter := httprate.Limit(AjaxLimit, AjaxWindow,
		httprate.WithKeyFuncs(func(r *http.Request) (string, error) { return ajaxUser(r).TokenID.String(), nil }),
		httprate.WithLimitHandler(func(w http.ResponseWriter, r *http.Request) {
			ajaxFailure(w, http.StatusTooManyRequests, "Rate limit exceeded")
		}))
	r.With(a.auth, limiter).Get("/ajax.php", a.serve)
}

// ajax is /ajax.php's handlers.
type ajax struct{ s *web.Site }

type ajaxUserKey struct{}

// ajaxUser is the owner of the token a.auth accepted for r.
func ajaxUser(r *http.Request) projections.AccountUser {
	u, _ := r.Context().Value(ajaxUserKey{}).(projections.AccountUser)
	return u
}

// ajaxToken reads the token from an Authorization header as OPS does
// ("token TOKEN", or a bare TOKEN as RED), and as our JSON API ("Bearer
// TOKEN"); ok is false for another scheme.
func ajaxToken(h string) (token string, ok bool) {
	parts := strings.Fields(h)
	switch {
	case len(parts) == 1:
		return parts[0], true
	case len(parts) == 2 && (strings.EqualFold(parts[0], "token") || strings.EqualFold(parts[0], "Bearer")):
		return parts[1], true
	}
	return "", false
}

// auth accepts a request whose token is live and whose user may act.
func (a *ajax) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			ajaxFailure(w, http.StatusUnauthorized, "bad credentials")
			return
		}
		token, ok := ajaxToken(h)
		if !ok {
			ajaxFailure(w, http.StatusUnauthorized, `invalid authorization type, must be "token"`)
			return
		}
		u, err := projections.UserByToken(r.Context(), a.s.Pool(), token)
		switch {
		case errors.Is(err, projections.ErrBadToken):
			ajaxFailure(w, http.StatusUnauthorized, "invalid token")
			return
		case domain.KindOf(err) == domain.KindForbidden:
			ajaxFailure(w, http.StatusForbidden, domain.Message(err))
			return
		case err != nil:
			a.internal(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ajaxUserKey{}, u)))
	})
}

// ajaxResponse is every JSON answer of /ajax.php.
type ajaxResponse struct {
	Status   string       `json:"status"`
	Response any          `json:"response"`
	Error    string       `json:"error,omitempty"`
	Info     ajaxInfoPart `json:"info"`
}

// ajaxInfoPart is the "info" Gazelle adds to every answer.
type ajaxInfoPart struct {
	Source  string `json:"source"`
	Version int    `json:"version"`
}

func writeAjax(w http.ResponseWriter, status int, v ajaxResponse) {
	v.Info = ajaxInfoPart{Source: web.SiteName, Version: 1}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// ajaxFailure answers {"status":"failure","error":msg} (with an empty
// response, as Gazelle's json_error).
func ajaxFailure(w http.ResponseWriter, status int, msg string) {
	writeAjax(w, status, ajaxResponse{Status: "failure", Error: msg, Response: []any{}})
}

func ajaxSuccess(w http.ResponseWriter, v any) {
	writeAjax(w, http.StatusOK, ajaxResponse{Status: "success", Response: v})
}

// internal logs err and answers a failure without its text.
func (a *ajax) internal(w http.ResponseWriter, r *http.Request, err error) {
	a.s.Logger().Error("ajax request failed", "action", r.URL.Query().Get("action"), "err", err)
	ajaxFailure(w, http.StatusInternalServerError, "internal error")
}

// fail answers err: a refusal (not found, invalid) is Gazelle's HTTP 200
// failure with its message; anything else is internal.
func (a *ajax) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch domain.KindOf(err) {
	case domain.KindNotFound, domain.KindInvalid, domain.KindConflict:
		ajaxFailure(w, http.StatusOK, domain.Message(err))
	case domain.KindForbidden:
		ajaxFailure(w, http.StatusForbidden, domain.Message(err))
	default:
		a.internal(w, r, err)
	}
}

// serve dispatches on action; an unknown one is Gazelle's "bad parameters".
func (a *ajax) serve(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Query().Get("action") {
	case "index":
		a.index(w, r)
	case "browse":
		a.browse(w, r)
	case "torrentgroup":
		a.torrentGroup(w, r)
	case "torrent":
		a.torrent(w, r)
	case "artist":
		a.artist(w, r)
	case "download":
		a.download(w, r)
	default:
		ajaxFailure(w, http.StatusOK, "bad parameters")
	}
}

// download sends the user's personal .torrent (their passkey in announce)
// of the music torrent id (its info hash), named as the site names it.
func (a *ajax) download(w http.ResponseWriter, r *http.Request) {
	h, _, ok := a.torrentParam(w, r)
	if !ok {
		return
	}
	u := ajaxUser(r)
	d, err := a.s.Commands().Download(r.Context(), commands.UserActor(u.ID, u.Admin), commands.Download{
		InfoHash: h, User: u.Name, PublicURL: a.s.TrackerURL(),
		PageURL: strings.TrimRight(a.s.SiteURL(), "/") + "/torrents/" + h.String(),
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/x-bittorrent")
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.FileName}))
	hd.Set("Content-Length", strconv.Itoa(len(d.Body)))
	hd.Set("Cache-Control", "no-store")
	w.Write(d.Body)
}
