package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/go-chi/chi/v5"
)

// staffRoutes mounts the staff pages under /staff/. Every one, GET and
// POST, needs a signed-in staff user: a visitor is sent to log in, anyone
// else gets the 403 page (staffGate); the commands check staff again. The
// exceptions are the two public pages the tracker's refusals name:
// /clients (the allow-list) and /staff/contact.
func (s *site) staffRoutes(r chi.Router) {
	// The pages the tracker's refusals send anyone to.
	r.Get("/clients", s.clientsShow)
	r.Get("/staff/contact", s.staffContact)
	r.Route("/staff", func(r chi.Router) {
		r.Use(s.staffGate)
		r.Get("/", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/staff/users", http.StatusSeeOther) })
		r.Get("/users", s.staffUsersShow)
		r.Get("/users/{name}", s.staffUserShow)
		r.Post("/users/{name}/disable", s.staffUserDisable)
		r.Post("/users/{name}/enable", s.staffUserEnable)
		r.Post("/users/{name}/leeching", s.staffUserLeeching)
		r.Post("/users/{name}/invites", s.staffUserInvites)
		r.Post("/users/{name}/class", s.staffUserClass)
		r.Get("/torrents", s.staffTorrentsShow)
		r.Get("/torrents/{infohash}", s.staffTorrentShow)
		r.Post("/torrents/{infohash}/factors", s.staffTorrentFactors)
		r.Post("/torrents/{infohash}/delete", s.staffTorrentDelete)
		r.Get("/clients", s.staffClientsShow)
		r.Post("/clients", s.staffClientsSet)
		r.Get("/cheats", s.staffCheatsShow)
		r.Get("/projections", s.staffProjectionsShow)
		r.Get("/quarantine", s.staffQuarantineShow)
	})
}

type staffKey struct{}

// staffGate lets a signed-in staff user through, with their viewer in the
// request's context (staffViewer); sends a visitor to log in; answers
// anyone else with the 403 page.
func (s *site) staffGate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := s.signedIn(w, r)
		if v == nil {
			return
		}
		if !v.Staff {
			s.fail(w, r, http.StatusForbidden, "forbidden", "The staff pages are for staff only.")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), staffKey{}, v)))
	})
}

// staffViewer is the staff user staffGate let through.
func staffViewer(r *http.Request) *Viewer { return r.Context().Value(staffKey{}).(*Viewer) }

// staffActor is the staff user as the write side records them, with
// their class (which decides what class they may give).
func staffActor(r *http.Request) commands.Actor {
	v := staffViewer(r)
	return commands.ClassActor(v.ID, v.Class)
}

// staffPage is a staff view's data: the staff section it is in (for the
// staff navigation), a message saying what an action did, and the view's
// own data.
type staffPage struct {
	Tab    string
	Notice string
	Form   form
	View   any
}

// renderStaff renders a staff view.
func (s *site) renderStaff(w http.ResponseWriter, r *http.Request, status int, view, title string, d staffPage) {
	p := s.page(r, title, "staff")
	p.Viewer = staffViewer(r)
	p.Data = d
	s.render(w, r, status, view, p)
}

// staffPageSize is how many rows a staff list shows at a time.
const staffPageSize = 50

// pageParam is r's ?page= (1 and up; anything else is 1), bounded so its
// offset stays small.
func pageParam(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 100000)
}

// pager is a list's paging, as the staff lists link it.
type pager struct {
	Page      int
	More      bool
	Query     string // the search, kept in the links
	QueryName string
}

func (p pager) Prev() int { return p.Page - 1 }
func (p pager) Next() int { return p.Page + 1 }

// staffTab is one item of the staff pages' own navigation.
type staffTab struct{ Name, Href, Label string }

// Tabs are the staff pages, in the order the staff navigation shows them.
func (staffPage) Tabs() []staffTab {
	return []staffTab{
		{"users", "/staff/users", "Users"},
		{"torrents", "/staff/torrents", "Torrents"},
		{"clients", "/staff/clients", "Client allow-list"},
		{"cheats", "/staff/cheats", "Cheat signals"},
		{"projections", "/staff/projections", "Projections"},
		{"quarantine", "/staff/quarantine", "Quarantine"},
	}
}

// refusedStatus is the status a page refused with err is shown with: its
// kind's (statusOf), else 400.
func refusedStatus(err error) int {
	if st, ok := statusOf[domain.KindOf(err)]; ok {
		return st
	}
	return http.StatusBadRequest
}
