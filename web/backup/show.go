package backup

import (
	"net/http"

	readbackup "github.com/djembe/djembe/projections/backup"
	"github.com/djembe/djembe/web"
	"github.com/google/uuid"
)

// chartVersions is how many of a backup's newest live versions its page
// draws a chart of.
const chartVersions = 3

// showForms are the forms of a backup's page, each shown again with its
// refusals after a POST; Needed is the bytes a quota refusal asks to back
// up first (0: none).
type showForms struct {
	Points, Redundancy, Upload, Delete, Edit web.Form
	Needed                                   uint64
}

// showView is a backup's page.
type showView struct {
	Backup  backupView
	Economy *economyView // the owner's, shown to the owner
	Owner   bool         // the viewer owns it: the forms
	Staff   bool
	Charts  []copiesChart
	Neutral string
	showForms
}

// E is the message beside field of form f.
func (showView) E(f web.Form, field string) string { return f.Errors[field] }

// show is /backup/{id}: a backup's page, for its owner and staff (another
// user sees what the queue shows, and the page too: a backup's data is
// what others are asked to keep, so it is no secret on the site).
func (p *pages) show(w http.ResponseWriter, r *http.Request) {
	v := p.s.SignedIn(w, r)
	if v == nil {
		return
	}
	id, ok := p.idParam(w, r)
	if !ok {
		return
	}
	p.renderShow(w, r, v, id, http.StatusOK, blankForms())
}

// renderShow draws backup id's page for v with forms f.
func (p *pages) renderShow(w http.ResponseWriter, r *http.Request, v *web.Viewer, id uuid.UUID, status int, f showForms) {
	ctx := r.Context()
	b, err := readbackup.Backup(ctx, p.s.Pool(), id)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	views, err := p.newBackupViews(ctx, []readbackup.BackupRow{b})
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	sv := showView{Backup: views[0], Owner: v.ID == b.Owner, Staff: v.Staff, Neutral: neutralNote, showForms: f}
	if sv.Owner || sv.Staff {
		e, err := readbackup.Economy(ctx, p.s.Pool(), b.Owner, allowance)
		if err != nil {
			p.s.Fail(w, r, err)
			return
		}
		sv.Economy = &economyView{e}
	}
	if _, set := f.Points.Values["points"]; !set {
		f.Points.Values["points"] = sv.Backup.Points()
	}
	if _, set := f.Redundancy.Values["redundancy"]; !set {
		f.Redundancy.Values["redundancy"] = itoa(b.Redundancy)
	}
	if _, set := f.Edit.Values["name"]; !set {
		f.Edit.Values["name"], f.Edit.Values["description"] = b.Name, b.Description
	}
	for i, ver := range sv.Backup.Live() {
		if i == chartVersions {
			break
		}
		pts, err := readbackup.CopiesHistory(ctx, p.s.Pool(), ver.InfoHash)
		if err != nil {
			p.s.Fail(w, r, err)
			return
		}
		sv.Charts = append(sv.Charts, newCopiesChart(ver.Number, pts, b.Redundancy, now()))
	}
	p.s.Render(w, r, status, "show", b.Name+" (backup)", sv)
}
