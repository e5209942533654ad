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

// staffTorrentRow is a live torrent with the factors in force.
type staffTorrentRow struct{ projections.StaffTorrent }

// factorsText names factors as staff set them: Freeleech, Neutral, Double
// upload, Normal, or the percentages.
func factorsText(f domain.Factors) string {
	for _, p := range factorPresets {
		if p.Factors == f && p.Name != "custom" {
			return p.Label
		}
	}
	return "up " + strconv.Itoa(int(f.UploadPercent)) + "%, down " + strconv.Itoa(int(f.DownloadPercent)) + "%"
}

// factorPreset is one choice of the factors form.
type factorPreset struct {
	Name, Label string
	Factors     domain.Factors
}

var factorPresets = []factorPreset{
	{"normal", "Normal", domain.NormalFactors},
	{"freeleech", "Freeleech", domain.Factors{UploadPercent: 100, DownloadPercent: 0}},
	{"neutral", "Neutral", domain.Factors{UploadPercent: 0, DownloadPercent: 0}},
	{"double", "Double upload", domain.Factors{UploadPercent: 200, DownloadPercent: 100}},
	{"custom", "Custom", domain.Factors{}},
}

// staffTorrentsView is the staff torrents list: a search by name or info
// hash and a page of live torrents, newest first.
type staffTorrentsView struct {
	Torrents []staffTorrentRow
	Pager    pager
}

// staffTorrentsShow lists live torrents whose name contains ?q= (or whose
// info hash it is).
func (s *site) staffTorrentsShow(w http.ResponseWriter, r *http.Request) {
	s.showStaffTorrents(w, r, http.StatusOK, staffPage{Form: newForm()})
}

func (s *site) showStaffTorrents(w http.ResponseWriter, r *http.Request, status int, d staffPage) {
	q, n := strings.TrimSpace(r.URL.Query().Get("q")), pageParam(r)
	list, err := projections.StaffTorrents(r.Context(), s.Pool, q, staffPageSize+1, (n-1)*staffPageSize)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	v := staffTorrentsView{Pager: pager{Page: n, Query: q, QueryName: "q"}}
	if len(list) > staffPageSize {
		list, v.Pager.More = list[:staffPageSize], true
	}
	for _, t := range list {
		v.Torrents = append(v.Torrents, staffTorrentRow{StaffTorrent: t})
	}
	d.Tab, d.View = "torrents", v
	s.renderStaff(w, r, status, "staff_torrents", "Staff: torrents", d)
}

// staffTorrentView is one torrent's staff page: its figures, the factors
// in force and the forms that change or delete it.
type staffTorrentView struct {
	Torrent staffTorrentRow
	Presets []factorPreset
	Preset  string // the preset the form has chosen
}

func (s *site) staffTorrentShow(w http.ResponseWriter, r *http.Request) {
	s.showStaffTorrent(w, r, http.StatusOK, staffPage{Form: newForm()})
}

// showStaffTorrent renders the staff page of the torrent the URL names; one
// that is unknown or deleted is the torrents list with the message.
func (s *site) showStaffTorrent(w http.ResponseWriter, r *http.Request, status int, d staffPage) {
	h, err := domain.ParseInfoHash(chi.URLParam(r, "infohash"))
	if err != nil {
		d.Form.fail("", "There is no torrent with that info hash: an info hash is 40 hexadecimal digits.")
		s.showStaffTorrents(w, r, http.StatusNotFound, d)
		return
	}
	tor, err := s.Commands.Torrent(r.Context(), h)
	if err == nil && tor.Deleted {
		err = domain.E("find torrent", domain.KindNotFound, "torrent %s (%s) was deleted: %s", h, tor.Name, tor.DeleteReason)
	}
	if domain.KindOf(err) == domain.KindNotFound {
		if d.Form.Errors[""] == "" {
			d.Form.fail("", domain.Message(err))
		}
		s.showStaffTorrents(w, r, http.StatusNotFound, d)
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	// The log has the torrent and its factors at once; the catalog and
	// swarm read models add the title and the live counts when they have it.
	row := staffTorrentRow{projections.StaffTorrent{InfoHash: h, Name: tor.DisplayName(), Size: uint64(max(tor.Size, 0)), Factors: tor.Factors}}
	if list, err := projections.StaffTorrents(r.Context(), s.Pool, h.String(), 1, 0); err == nil && len(list) == 1 && list[0].InfoHash == h {
		row.StaffTorrent = list[0]
		row.Factors = tor.Factors
	}
	v := staffTorrentView{Torrent: row, Presets: factorPresets, Preset: d.Form.Values["preset"]}
	if v.Preset == "" {
		v.Preset = "custom"
		for _, p := range factorPresets {
			if p.Factors == tor.Factors {
				v.Preset = p.Name
				break
			}
		}
	}
	if d.Form.Values["up"] == "" && d.Form.Values["down"] == "" {
		d.Form.Values["up"], d.Form.Values["down"] = strconv.Itoa(int(tor.Factors.UploadPercent)), strconv.Itoa(int(tor.Factors.DownloadPercent))
	}
	d.Tab, d.View = "torrents", v
	s.renderStaff(w, r, status, "staff_torrent", "Staff: "+tor.Name, d)
}

// postedForm is r's posted values, as a form shows them again.
func postedForm(r *http.Request) form {
	r.ParseForm()
	f := newForm()
	for k := range r.PostForm {
		f.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	return f
}

// staffTorrentFactors sets the torrent's factors: a preset, or custom
// percentages (0 to domain.MaxFactorPercent) of upload and download.
func (s *site) staffTorrentFactors(w http.ResponseWriter, r *http.Request) {
	f := postedForm(r)
	h, err := domain.ParseInfoHash(chi.URLParam(r, "infohash"))
	if err != nil {
		s.showStaffTorrent(w, r, http.StatusNotFound, staffPage{Form: f})
		return
	}
	factors, ok := domain.Factors{}, false
	for _, p := range factorPresets {
		if p.Name == f.Values["preset"] && p.Name != "custom" {
			factors, ok = p.Factors, true
		}
	}
	if !ok && f.Values["preset"] != "custom" {
		f.fail("preset", "choose one of the factors")
	}
	if !ok && f.Values["preset"] == "custom" {
		up, errUp := strconv.Atoi(f.Values["up"])
		down, errDown := strconv.Atoi(f.Values["down"])
		switch {
		case errUp != nil || up < 0 || up > domain.MaxFactorPercent:
			f.fail("up", "the upload factor must be a whole percent from 0 to "+strconv.Itoa(domain.MaxFactorPercent))
		case errDown != nil || down < 0 || down > domain.MaxFactorPercent:
			f.fail("down", "the download factor must be a whole percent from 0 to "+strconv.Itoa(domain.MaxFactorPercent))
		default:
			factors, _ = domain.NewFactors(up, down)
		}
	}
	if !f.ok() {
		s.showStaffTorrent(w, r, http.StatusBadRequest, staffPage{Form: f})
		return
	}
	if _, err := s.Commands.SetTorrentFactors(r.Context(), staffActor(r), h, factors); err != nil {
		s.refusedStaffTorrent(w, r, f, err)
		return
	}
	readYourWrite(r.Context(), func(ctx context.Context) bool {
		list, err := projections.StaffTorrents(ctx, s.Pool, h.String(), 1, 0)
		return err == nil && len(list) == 1 && list[0].Factors == factors
	})
	s.showStaffTorrent(w, r, http.StatusOK, staffPage{Form: newForm(), Notice: "Factors set: " + factorsText(factors) + "."})
}

// staffTorrentDelete deletes the torrent, with a reason.
func (s *site) staffTorrentDelete(w http.ResponseWriter, r *http.Request) {
	f := postedForm(r)
	h, err := domain.ParseInfoHash(chi.URLParam(r, "infohash"))
	if err != nil {
		s.showStaffTorrent(w, r, http.StatusNotFound, staffPage{Form: f})
		return
	}
	if f.Values["reason"] == "" {
		f.fail("reason", "say why the torrent is deleted")
		s.showStaffTorrent(w, r, http.StatusBadRequest, staffPage{Form: f})
		return
	}
	ev, err := s.Commands.DeleteTorrent(r.Context(), staffActor(r), h, f.Values["reason"])
	if err != nil {
		s.refusedStaffTorrent(w, r, f, err)
		return
	}
	readYourWrite(r.Context(), func(ctx context.Context) bool {
		list, err := projections.StaffTorrents(ctx, s.Pool, h.String(), 1, 0)
		return err == nil && len(list) == 0
	})
	s.showStaffTorrents(w, r, http.StatusOK, staffPage{Form: newForm(), Notice: "Torrent " + ev.InfoHash.String() + " deleted: " + ev.Reason})
}

// refusedStaffTorrent shows the torrent's page again with the write side's
// refusal.
func (s *site) refusedStaffTorrent(w http.ResponseWriter, r *http.Request, f form, err error) {
	if domain.KindOf(err) == domain.KindInternal {
		s.internalError(w, r, err)
		return
	}
	f.refuse(err, "preset", "up", "down", "reason")
	s.showStaffTorrent(w, r, refusedStatus(err), staffPage{Form: f})
}

// FactorsLabel names the row's factors (factorsText).
func (t staffTorrentRow) FactorsLabel() string { return factorsText(t.Factors) }

// Special reports whether the factors are other than normal.
func (t staffTorrentRow) Special() bool { return t.Factors != domain.NormalFactors }
