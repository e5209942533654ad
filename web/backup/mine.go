package backup

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/backup"
	readbackup "github.com/djembe/djembe/projections/backup"
	"github.com/djembe/djembe/web"
)

// createFields are the create form's fields, which refusals are shown
// beside (commands/backup.CreateBackup's field names).
var createFields = []string{"name", "description", "redundancy"}

// economyView is a user's standing as the pages show it.
type economyView struct {
	readbackup.EconomyRow
}

// Balance, Earned and Assigned are the points, in points.
func (e economyView) Balance() string  { return backup.FormatPoints(e.BalanceMilli) }
func (e economyView) Earned() string   { return backup.FormatPoints(e.EarnedMilli) }
func (e economyView) Assigned() string { return backup.FormatPoints(e.AssignedMilli) }

// Starting is every user's grant of points.
func (e economyView) Starting() string { return backup.FormatPoints(backup.StartingPoints) }

// Limit is credit plus the starter allowance: the most obligation the
// user may hold.
func (e economyView) Limit() uint64 { return e.Credit + e.Allowance }

// backupView is a backup with its versions as the pages show it.
type backupView struct {
	readbackup.BackupRow
	OwnerName string
	Versions  []versionView
}

// URL is the backup's page.
func (b backupView) URL() string { return backupURL(b.ID) }

// Points is the backup's points.
func (b backupView) Points() string { return backup.FormatPoints(b.PointsMilli) }

// Live is the backup's live versions, newest first.
func (b backupView) Live() []versionView {
	var out []versionView
	for i := len(b.Versions) - 1; i >= 0; i-- {
		if !b.Versions[i].Deleted {
			out = append(out, b.Versions[i])
		}
	}
	return out
}

// Obligation is what the backup asks of its owner: its live size × N.
func (b backupView) Obligation() uint64 { return backup.Obligation(b.LiveSize(), b.Redundancy) }

// newBackupViews reads the owners' names of bs.
func (p *pages) newBackupViews(ctx context.Context, bs []readbackup.BackupRow) ([]backupView, error) {
	var ids []domain.UserID
	for _, b := range bs {
		ids = append(ids, b.Owner)
	}
	ns, err := names(ctx, p.s.Pool(), ids)
	if err != nil {
		return nil, err
	}
	out := make([]backupView, len(bs))
	for i, b := range bs {
		out[i] = backupView{BackupRow: b, OwnerName: ns[b.Owner]}
		for _, v := range b.Versions {
			out[i].Versions = append(out[i].Versions, versionView{VersionRow: v, OwnerName: ns[b.Owner]})
		}
	}
	return out, nil
}

// mineView is /backup/: the signed-in user's Backup User profile.
type mineView struct {
	Economy economyView
	Backups []backupView
	Kept    []versionView // other users' versions the user keeps a copy of
	Form    web.Form
	Neutral string
	Staff   bool
}

// V is a field's value to show again; E the message beside it.
func (v mineView) V(name string) string { return v.Form.Values[name] }
func (v mineView) E(name string) string { return v.Form.Errors[name] }

// mine is /backup/: my backups.
func (p *pages) mine(w http.ResponseWriter, r *http.Request) {
	v := p.s.SignedIn(w, r)
	if v == nil {
		return
	}
	f := web.NewForm()
	f.Values["redundancy"] = "2"
	p.renderMine(w, r, v, http.StatusOK, f)
}

func (p *pages) renderMine(w http.ResponseWriter, r *http.Request, v *web.Viewer, status int, f web.Form) {
	ctx := r.Context()
	e, err := readbackup.Economy(ctx, p.s.Pool(), v.ID, allowance)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	bs, err := readbackup.BackupsOf(ctx, p.s.Pool(), v.ID)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	views, err := p.newBackupViews(ctx, bs)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	kept, err := p.keptBy(ctx, v.ID)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	p.s.Render(w, r, status, "mine", "My backups", mineView{Economy: economyView{e}, Backups: views, Kept: kept, Form: f,
		Neutral: neutralNote, Staff: v.Staff})
}

// create is POST /backup/: a new backup of the signed-in user, each
// refusal beside its field on /backup/ again (422); done, it waits for
// the read model and goes to the backup's page.
func (p *pages) create(w http.ResponseWriter, r *http.Request) {
	v := p.s.SignedIn(w, r)
	if v == nil || p.readOnly(w, r) {
		return
	}
	r.ParseForm()
	f := web.NewForm()
	for _, k := range createFields {
		f.Values[k] = r.PostForm.Get(k)
	}
	n, err := strconv.Atoi(strings.TrimSpace(f.Values["redundancy"]))
	if err != nil {
		n = 0 // refused beside the field by the write side, with the range
	}
	ctx := r.Context()
	id, err := p.cmds.CreateBackup(ctx, p.s.Actor(v), v.Name, backup.Info{Name: f.Values["name"], Description: f.Values["description"], Redundancy: n})
	switch {
	case err != nil && !domain.KindOf(err).Refused():
		p.s.Fail(w, r, err)
		return
	case err != nil:
		f.RefuseAll(err, createFields...)
		p.renderMine(w, r, v, http.StatusUnprocessableEntity, f)
		return
	}
	p.s.ReadYourWrite(ctx, func(ctx context.Context) bool {
		_, err := readbackup.Backup(ctx, p.s.Pool(), id)
		return err == nil
	})
	http.Redirect(w, r, backupURL(id), http.StatusSeeOther)
}

// keptBy reads the other users' versions user keeps a copy of, with their
// owners' names.
func (p *pages) keptBy(ctx context.Context, user domain.UserID) ([]versionView, error) {
	rows, err := readbackup.KeptBy(ctx, p.s.Pool(), user)
	if err != nil {
		return nil, err
	}
	var ids []domain.UserID
	for _, v := range rows {
		ids = append(ids, v.Owner)
	}
	ns, err := names(ctx, p.s.Pool(), ids)
	out := make([]versionView, len(rows))
	for i, v := range rows {
		out[i] = versionView{VersionRow: v, OwnerName: ns[v.Owner]}
	}
	return out, err
}
