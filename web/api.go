package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"
)

// DefaultAPILimit is how many API requests a token may make a minute.
const DefaultAPILimit = 60

// apiRoutes mounts the JSON API: every request carries an API token as
// "Authorization: Bearer TOKEN" (a session cookie is not enough), checked
// against the accounts read model on each request so a revoked token fails
// at once, and is limited per token (Deps.APILimit a minute; over it a 429
// with Retry-After). Errors are {"error":{"code","message"}} with the codes
// unauthorized, forbidden, not_found, invalid and rate_limited. Each
// plugin's API (Plugin.API) is mounted under /NAME behind the same token
// check and limit.
func (s *site) apiRoutes(r chi.Router) {
	limit := s.APILimit
	if limit <= 0 {
		limit = DefaultAPILimit
	}
	limiter := httprate.Limit(limit, time.Minute,
		httprate.WithKeyFuncs(func(r *http.Request) (string, error) { return apiUser(r).TokenID.String(), nil }),
		httprate.WithLimitHandler(func(w http.ResponseWriter, r *http.Request) {
			writeJSONError(w, http.StatusTooManyRequests, "rate_limited",
				"this token made too many requests; try again after the seconds in Retry-After")
		}))
	// A group, so a path that is no endpoint is a 404 before any token.
	r.Group(func(r chi.Router) {
		r.Use(s.apiAuth, limiter)
		r.Get("/me", s.apiMe)
		r.Get("/torrents", s.apiTorrents)
		r.Get("/torrents/{infohash}", s.apiTorrent)
		r.Get("/torrents/{infohash}/download", s.torrentDownload) // by the bearer token
		for _, p := range s.Plugins {
			if p.API != nil && p.Name != "" {
				ps := &Site{s: s, plugin: p.Name}
				r.Route("/"+p.Name, func(r chi.Router) { p.API(r, ps) })
			}
		}
	})
}

type apiUserKey struct{}

// apiUser is the user whose token apiAuth accepted for r.
func apiUser(r *http.Request) projections.AccountUser {
	u, _ := r.Context().Value(apiUserKey{}).(projections.AccountUser)
	return u
}

// apiAuth accepts a request whose bearer token is live and whose user may
// act; no token, a malformed header, or an unknown or revoked token is a
// 401, a disabled or closed account a 403.
func (s *site) apiAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		unauthorized := func(msg string) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
			writeJSONError(w, http.StatusUnauthorized, "unauthorized", msg)
		}
		h := r.Header.Get("Authorization")
		if h == "" {
			unauthorized("send an API token as \"Authorization: Bearer TOKEN\"; create one on your profile")
			return
		}
		scheme, token, ok := strings.Cut(h, " ")
		token = strings.TrimSpace(token)
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			unauthorized("the Authorization header must be \"Bearer TOKEN\"")
			return
		}
		u, err := projections.UserByToken(r.Context(), s.Pool, token)
		switch {
		case errors.Is(err, projections.ErrBadToken):
			unauthorized("this token is unknown or revoked")
			return
		case domain.KindOf(err) == domain.KindForbidden:
			writeJSONError(w, http.StatusForbidden, "forbidden", domain.Message(err))
			return
		case err != nil:
			s.apiInternal(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), apiUserKey{}, u)))
	})
}

// apiInternal logs err with the route and answers 500 without its text.
func (s *site) apiInternal(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("api request failed", "method", r.Method, "route", routeOf(r), "err", err)
	writeError(w, err)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// apiMeView is GET /api/v1/me.
type apiMeView struct {
	Name          string       `json:"name"`
	Uploaded      uint64       `json:"uploaded"`   // credited, bytes
	Downloaded    uint64       `json:"downloaded"` // credited, bytes
	Ratio         domain.Ratio `json:"ratio"`      // "inf" with nothing downloaded
	RequiredRatio domain.Ratio `json:"required_ratio"`
	Seeding       int          `json:"seeding"`
	Leeching      int          `json:"leeching"`
}

func (s *site) apiMe(w http.ResponseWriter, r *http.Request) {
	u := apiUser(r)
	st, err := projections.UserStanding(r.Context(), s.Pool, nil, u.ID)
	if err != nil {
		s.apiInternal(w, r, err)
		return
	}
	ts, err := projections.ProfileTorrents(r.Context(), s.Pool, u.ID)
	if err != nil {
		s.apiInternal(w, r, err)
		return
	}
	me := apiMeView{Name: u.Name, Uploaded: st.Uploaded, Downloaded: st.Downloaded, Ratio: st.Ratio, RequiredRatio: st.Required, Seeding: st.Seeding}
	for _, t := range ts {
		if t.Leeching() {
			me.Leeching++
		}
	}
	writeJSON(w, me)
}

// apiTorrent is a torrent as the API shows it.
type apiTorrent struct {
	InfoHash string    `json:"info_hash"` // hex
	Name     string    `json:"name"`
	Size     int64     `json:"size"`
	Seeders  int       `json:"seeders"`
	Leechers int       `json:"leechers"`
	Snatches int       `json:"snatches"`
	Added    time.Time `json:"added"`
	Category string    `json:"category"` // "" for none
	// Factors are the percents of the transfer credited: upload 200 is
	// double upload, download 0 freeleech, both 0 neutral.
	Factors domain.Factors `json:"factors"`
}

func toAPITorrent(t projections.BrowseTorrent) apiTorrent {
	return apiTorrent{InfoHash: t.InfoHash.String(), Name: t.Name, Size: t.Size, Seeders: t.Seeders, Leechers: t.Leechers, Snatches: t.Snatches, Added: t.Added,
		Category: t.Category, Factors: t.Factors}
}

// apiTorrentsView is GET /api/v1/torrents: one page of the browse list.
type apiTorrentsView struct {
	Torrents []apiTorrent `json:"torrents"`
	Page     int          `json:"page"`
	PerPage  int          `json:"per_page"`
	More     bool         `json:"more"` // a next page exists
}

// apiTorrents is the browse list (q, category, sort, order, page as
// /torrents);
// a bad parameter is a 400 "invalid" naming it.
func (s *site) apiTorrents(w http.ResponseWriter, r *http.Request) {
	q, err := projections.ParseBrowse(r.URL.Query())
	if err != nil {
		writeError(w, err)
		return
	}
	res, err := projections.Browse(r.Context(), s.Pool, q)
	if err != nil {
		s.apiInternal(w, r, err)
		return
	}
	v := apiTorrentsView{Torrents: []apiTorrent{}, Page: q.Page, PerPage: projections.BrowsePageSize, More: res.More}
	for _, t := range res.Torrents {
		v.Torrents = append(v.Torrents, toAPITorrent(t))
	}
	writeJSON(w, v)
}

func (s *site) apiTorrent(w http.ResponseWriter, r *http.Request) {
	h, err := domain.ParseInfoHash(chi.URLParam(r, "infohash"))
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, "invalid", "an info hash is 40 hexadecimal digits")
		return
	}
	t, err := projections.BrowseOne(r.Context(), s.Pool, h)
	if domain.KindOf(err) == domain.KindNotFound {
		writeJSONError(w, http.StatusNotFound, "not_found", "no torrent has this info hash")
		return
	}
	if err != nil {
		s.apiInternal(w, r, err)
		return
	}
	writeJSON(w, toAPITorrent(t))
}
