package web

import (
	"net/http"
	"strings"

	"github.com/djembe/djembe/domain"
)

// staffClientsView is the client allow-list: the peer_id prefixes the
// tracker allows now, and the defaults.
type staffClientsView struct {
	Prefixes []string
	Defaults []string
}

// staffClientsShow is the client allow-list with the form that replaces it.
func (s *site) staffClientsShow(w http.ResponseWriter, r *http.Request) {
	s.showStaffClients(w, r, http.StatusOK, staffPage{Form: newForm()})
}

func (s *site) showStaffClients(w http.ResponseWriter, r *http.Request, status int, d staffPage) {
	prefixes, err := s.Commands.ClientAllowList(r.Context())
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if _, typed := d.Form.Values["prefixes"]; !typed {
		d.Form.Values["prefixes"] = strings.Join(prefixes, " ")
	}
	d.Tab, d.View = "clients", staffClientsView{Prefixes: prefixes, Defaults: domain.DefaultClientPrefixes}
	s.renderStaff(w, r, status, "staff_clients", "Staff: client allow-list", d)
}

// staffClientsSet replaces the allow-list with the prefixes typed,
// separated by spaces, commas or lines.
func (s *site) staffClientsSet(w http.ResponseWriter, r *http.Request) {
	f := postedForm(r)
	prefixes := strings.FieldsFunc(f.Values["prefixes"], func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t' })
	if _, err := s.Commands.SetClientAllowList(r.Context(), staffActor(r), prefixes); err != nil {
		if domain.KindOf(err) == domain.KindInternal {
			s.internalError(w, r, err)
			return
		}
		f.refuse(err, "prefixes")
		s.showStaffClients(w, r, refusedStatus(err), staffPage{Form: f})
		return
	}
	s.showStaffClients(w, r, http.StatusOK, staffPage{Form: newForm(), Notice: "The allow-list is replaced; the tracker applies it within a second."})
}
