package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
	"github.com/go-chi/chi/v5"
)

// staffUsersView is the staff users list: a search by name and a page of
// the users it finds.
type staffUsersView struct {
	Users []projections.StaffUser
	Pager pager
}

// staffUsersShow lists the users whose name contains ?q=.
func (s *site) staffUsersShow(w http.ResponseWriter, r *http.Request) {
	s.showStaffUsers(w, r, http.StatusOK, staffPage{Form: newForm()})
}

func (s *site) showStaffUsers(w http.ResponseWriter, r *http.Request, status int, d staffPage) {
	q, n := strings.TrimSpace(r.URL.Query().Get("q")), pageParam(r)
	users, err := projections.StaffUsers(r.Context(), s.Pool, q, staffPageSize+1, (n-1)*staffPageSize)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	v := staffUsersView{Pager: pager{Page: n, Query: q, QueryName: "q"}}
	if len(users) > staffPageSize {
		users, v.Pager.More = users[:staffPageSize], true
	}
	v.Users = users
	d.Tab, d.View = "users", v
	s.renderStaff(w, r, status, "staff_users", "Staff: users", d)
}

// staffUserShow is one user's staff page: their standing and the forms
// that change it.
func (s *site) staffUserShow(w http.ResponseWriter, r *http.Request) {
	s.showStaffUser(w, r, http.StatusOK, staffPage{Form: newForm()})
}

// showStaffUser renders the staff page of the user the URL names; one the
// read models do not know is the users list with the message instead.
func (s *site) showStaffUser(w http.ResponseWriter, r *http.Request, status int, d staffPage) {
	name := chi.URLParam(r, "name")
	u, err := projections.StaffUserNamed(r.Context(), s.Pool, name)
	if domain.KindOf(err) == domain.KindNotFound {
		d.Form.fail("", domain.Message(err))
		s.showStaffUsers(w, r, http.StatusNotFound, d)
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	d.Tab, d.View = "users", staffUserView{u}
	s.renderStaff(w, r, status, "staff_user", "Staff: "+u.Name, d)
}

// staffUserAction runs one staff command on the user the URL names and
// shows their page again: with notice once the users read model shows
// the change (shown reports that), or with the write side's refusal
// beside field.
func (s *site) staffUserAction(w http.ResponseWriter, r *http.Request, field, notice string,
	run func(name string) error, shown func(projections.StaffUser) bool) {
	name := chi.URLParam(r, "name")
	f := newForm()
	for k := range r.PostForm {
		f.Values[k] = r.PostForm.Get(k)
	}
	if err := run(name); err != nil {
		if domain.KindOf(err) == domain.KindInternal {
			s.internalError(w, r, err)
			return
		}
		f.refuse(err, field)
		s.showStaffUser(w, r, refusedStatus(err), staffPage{Form: f})
		return
	}
	readYourWrite(r.Context(), func(ctx context.Context) bool {
		u, err := projections.StaffUserNamed(ctx, s.Pool, name)
		return err == nil && shown(u)
	})
	s.showStaffUser(w, r, http.StatusOK, staffPage{Form: newForm(), Notice: notice})
}

// staffUserDisable disables the user, with the reason their client is told.
func (s *site) staffUserDisable(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	s.staffUserAction(w, r, "reason", "The account is disabled.", func(name string) error {
		if reason == "" {
			return domain.FieldE("disable user", "reason", domain.KindInvalid, "say why the account is disabled: the user's client is told")
		}
		_, err := s.Commands.DisableUser(r.Context(), staffActor(r), name, reason)
		return err
	}, func(u projections.StaffUser) bool { return u.Disabled })
}

// staffUserEnable enables the user again.
func (s *site) staffUserEnable(w http.ResponseWriter, r *http.Request) {
	s.staffUserAction(w, r, "", "The account is enabled.", func(name string) error {
		_, err := s.Commands.EnableUser(r.Context(), staffActor(r), name)
		return err
	}, func(u projections.StaffUser) bool { return !u.Disabled })
}

// staffUserLeeching allows (leech=on) or forbids (leech=off) downloading.
func (s *site) staffUserLeeching(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	leech := r.PostForm.Get("leech")
	notice := "Leeching is allowed."
	if leech == "off" {
		notice = "Leeching is forbidden: the user may still seed."
	}
	s.staffUserAction(w, r, "leech", notice, func(name string) error {
		if leech != "on" && leech != "off" {
			return domain.FieldE("set leeching", "leech", domain.KindInvalid, "choose on or off")
		}
		_, err := s.Commands.SetLeeching(r.Context(), staffActor(r), name, leech == "on")
		return err
	}, func(u projections.StaffUser) bool { return u.CanLeech == (leech == "on") })
}

// staffUserInvites grants the user count invites (negative takes some back).
func (s *site) staffUserInvites(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	raw := strings.TrimSpace(r.PostForm.Get("count"))
	count, convErr := strconv.Atoi(raw)
	var before int
	if u, err := projections.StaffUserNamed(r.Context(), s.Pool, chi.URLParam(r, "name")); err == nil {
		before = u.InvitesLeft
	}
	s.staffUserAction(w, r, "count", "Invites changed by "+raw+".", func(name string) error {
		if convErr != nil {
			return domain.FieldE("grant invites", "count", domain.KindInvalid, "the count must be a whole number, such as 2 or -1")
		}
		_, err := s.Commands.GrantInvites(r.Context(), staffActor(r), name, count)
		return err
	}, func(u projections.StaffUser) bool { return u.InvitesLeft == max(0, before+count) })
}

// staffUserClass sets the user's class (class = a class's code, as the
// select sends it); the write side refuses what the staff member may not
// set (domain.CheckClassChange), shown beside the select.
func (s *site) staffUserClass(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	var class domain.Class
	bad := class.UnmarshalText([]byte(r.PostForm.Get("class")))
	s.staffUserAction(w, r, "class", "The class is now "+class.String()+".", func(name string) error {
		if bad != nil {
			return domain.FieldE("set class", "class", domain.KindInvalid, "choose one of %s", domain.ClassNames())
		}
		_, err := s.Commands.SetClass(r.Context(), staffActor(r), name, class)
		return err
	}, func(u projections.StaffUser) bool { return u.Class == class })
}

// staffUserView is one user's staff page: the user, with the classes the
// class select offers.
type staffUserView struct{ projections.StaffUser }

// Classes are the classes the class select offers, lowest first (the
// write side refuses those the staff member may not give).
func (staffUserView) Classes() []domain.Class { return domain.Classes() }
