package web

import (
	"net/http"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
)

// invitesPage is what the invites view shows: how many invites are left
// (staff have no limit), the code just created (shown this once, with
// its registration link), and the invites created, unused ones first.
type invitesPage struct {
	Form      form
	Left      int
	Unlimited bool
	Code      string // the invite just created, or ""
	Link      string // SiteURL/register?invite=Code
	Invites   []projections.InviteRow
}

// CanCreate reports whether the viewer may create another invite.
func (p invitesPage) CanCreate() bool { return p.Unlimited || p.Left > 0 }

// Unused is how many of the invites listed are still unused.
func (p invitesPage) Unused() int {
	n := 0
	for _, i := range p.Invites {
		if i.UsedBy == nil {
			n++
		}
	}
	return n
}

// invitesShow is the signed-in user's invites.
func (s *site) invitesShow(w http.ResponseWriter, r *http.Request) {
	v := s.signedIn(w, r)
	if v == nil {
		return
	}
	s.showInvites(w, r, v, http.StatusOK, newForm(), "")
}

// showInvites renders the invites view of v, with f's error and the code
// just created, if any.
func (s *site) showInvites(w http.ResponseWriter, r *http.Request, v *Viewer, status int, f form, code string) {
	left, err := projections.InvitesLeft(r.Context(), s.Pool, v.ID)
	if domain.KindOf(err) == domain.KindNotFound { // an account the read model has not caught up with: none yet
		left, err = 0, nil
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	list, err := projections.Invites(r.Context(), s.Pool, v.ID)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	d := invitesPage{Form: f, Left: left, Unlimited: v.Staff, Code: code, Invites: list}
	if code != "" {
		d.Link = s.baseURL(r) + "/register?invite=" + code
	}
	p := s.page(r, "Invites", "invites")
	p.Viewer = v
	p.Data = d
	s.render(w, r, status, "invites", p)
}

// baseURL is the site's public URL (Deps.SiteURL), or else the one r was
// sent to.
func (s *site) baseURL(r *http.Request) string {
	if s.SiteURL != "" {
		return strings.TrimRight(s.SiteURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
