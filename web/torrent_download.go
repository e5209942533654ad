package web

import (
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
)

// downloader is who asks for a personal .torrent: the session's user, the
// owner of an API token (Authorization: Bearer), or of an RSS key (?key=).
// ok is false when the request names nobody; err is a refused token or key.
func (s *site) downloader(r *http.Request) (id domain.UserID, name string, staff, ok bool, err error) {
	if auth := r.Header.Get("Authorization"); auth != "" {
		token, found := strings.CutPrefix(auth, "Bearer ")
		if !found {
			return id, "", false, false, domain.E("download", domain.KindForbidden, "the Authorization header must be Bearer TOKEN")
		}
		u, err := projections.UserByToken(r.Context(), s.Pool, strings.TrimSpace(token))
		return u.ID, u.Name, false, err == nil, err
	}
	if key := r.URL.Query().Get("key"); key != "" {
		u, err := projections.UserByRSSKey(r.Context(), s.Pool, s.Secret, key)
		return u.ID, u.Name, false, err == nil, err
	}
	v, err := s.viewer(r)
	if err != nil || v == nil {
		return id, "", false, false, err
	}
	return v.ID, v.Name, v.Staff, true, nil
}

// torrentDownload sends the requesting user's personal .torrent of the
// route's torrent (commands.Download): their passkey in the announce URL,
// the torrent's page as comment, named after the torrent. Without a
// session, token or key: a browser is sent to log in, anything else 401.
func (s *site) torrentDownload(w http.ResponseWriter, r *http.Request) {
	h, ok := s.routeInfoHash(w, r)
	if !ok {
		return
	}
	id, name, staff, ok, err := s.downloader(r)
	if err != nil && domain.KindOf(err) != domain.KindForbidden {
		s.failErr(w, r, err)
		return
	}
	if !ok {
		if err == nil && r.Header.Get("Authorization") == "" && r.URL.Query().Get("key") == "" && !wantsJSON(r) {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(torrentPath(h)), http.StatusSeeOther)
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+SiteName+`"`)
		msg := "sign in, or give an API token (Authorization: Bearer) or your RSS key (?key=), to download a .torrent"
		if err != nil {
			msg = domain.Message(err)
		}
		s.fail(w, r, http.StatusUnauthorized, "unauthorized", msg)
		return
	}
	d, err := s.Commands.Download(r.Context(), commands.UserActor(id, staff), commands.Download{
		InfoHash: h, User: name, PublicURL: s.trackerURL(), PageURL: strings.TrimRight(s.SiteURL, "/") + torrentPath(h),
	})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/x-bittorrent")
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.FileName}))
	hd.Set("Content-Length", strconv.Itoa(len(d.Body)))
	hd.Set("Cache-Control", "no-store")
	w.Write(d.Body)
}
