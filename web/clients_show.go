package web

import "net/http"

// clientsShow is the clients the tracker allows, to anyone: the tracker's
// refusal of another client sends people here (tracker's pageClients).
func (s *site) clientsShow(w http.ResponseWriter, r *http.Request) {
	prefixes, err := s.Commands.ClientAllowList(r.Context())
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	rows := make([]clientRow, len(prefixes))
	for i, pr := range prefixes {
		rows[i] = clientRow{Prefix: pr, Name: clientNames[pr]}
	}
	p := s.page(r, "Allowed clients", "")
	p.Data = rows
	s.render(w, r, http.StatusOK, "clients", p)
}

// staffContact tells anyone, signed in or not, how to reach the staff: a
// disabled account's client is sent here (tracker's pageStaff), and such
// a user cannot log in, so it is outside staffGate.
func (s *site) staffContact(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "contact", s.page(r, "Contact the staff", ""))
}

// clientRow is one allowed peer_id prefix and the client known to use it.
type clientRow struct{ Prefix, Name string }

// clientNames are the clients behind common peer_id prefixes.
var clientNames = map[string]string{
	"-LT": "libtorrent (Rasterbar)", "-lt": "libTorrent (rakshasa): rTorrent",
	"-qB": "qBittorrent", "-TR": "Transmission", "-DE": "Deluge", "A2-": "aria2", "-BI": "BiglyBT", "-AZ": "Vuze (Azureus)",
}
