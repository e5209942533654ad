package backup

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/djembe/djembe/domain"
	readbackup "github.com/djembe/djembe/projections/backup"
	"github.com/djembe/djembe/web"
	"github.com/google/uuid"
)

func itoa(n int) string { return strconv.Itoa(n) }

// blankForms are a backup page's forms with nothing sent.
func blankForms() showForms {
	return showForms{Points: web.NewForm(), Redundancy: web.NewForm(), Upload: web.NewForm(), Delete: web.NewForm(), Edit: web.NewForm()}
}

// parsePoints reads points as the form writes them (12.5) into
// thousandths; ok is false for what is no number of points.
func parsePoints(s string) (milli int64, ok bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e12 {
		return 0, false
	}
	return int64(math.Round(f * 1000)), true
}

// points is POST /backup/{id}/points: the owner (or staff) sets the points
// the backup holds, which every version inherits and the queue orders by;
// a refusal is shown beside the field (422). Done, it waits until the read
// model holds the points and shows the page again.
func (p *pages) points(w http.ResponseWriter, r *http.Request) {
	v := p.s.SignedIn(w, r)
	if v == nil || p.readOnly(w, r) {
		return
	}
	id, ok := p.idParam(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	f := blankForms()
	f.Points.Values["points"] = r.PostForm.Get("points")
	milli, ok := parsePoints(f.Points.Values["points"])
	if !ok {
		f.Points.Fail("points", "give a number of points, such as 10 or 2.5")
		p.renderShow(w, r, v, id, http.StatusUnprocessableEntity, f)
		return
	}
	ctx := r.Context()
	if err := p.cmds.AssignPoints(ctx, p.s.Actor(v), id, milli); err != nil {
		p.refused(w, r, v, id, err, &f, &f.Points, "points")
		return
	}
	p.s.ReadYourWrite(ctx, func(ctx context.Context) bool {
		b, err := readbackup.Backup(ctx, p.s.Pool(), id)
		return err == nil && b.PointsMilli == milli
	})
	http.Redirect(w, r, backupURL(id), http.StatusSeeOther)
}

// redundancy is POST /backup/{id}/redundancy: the owner (or staff) sets
// N; a higher N past the owner's room is refused beside the field with the
// bytes to back up first (422), a lower one frees obligation at once.
func (p *pages) redundancy(w http.ResponseWriter, r *http.Request) {
	v := p.s.SignedIn(w, r)
	if v == nil || p.readOnly(w, r) {
		return
	}
	id, ok := p.idParam(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	f := blankForms()
	f.Redundancy.Values["redundancy"] = r.PostForm.Get("redundancy")
	n, err := strconv.Atoi(strings.TrimSpace(f.Redundancy.Values["redundancy"]))
	if err != nil {
		n = 0 // refused by the write side beside the field, with the range
	}
	ctx := r.Context()
	if err := p.cmds.SetRedundancy(ctx, p.s.Actor(v), id, n); err != nil {
		p.refused(w, r, v, id, err, &f, &f.Redundancy, "redundancy")
		return
	}
	p.s.ReadYourWrite(ctx, func(ctx context.Context) bool {
		b, err := readbackup.Backup(ctx, p.s.Pool(), id)
		return err == nil && b.Redundancy == n
	})
	http.Redirect(w, r, backupURL(id), http.StatusSeeOther)
}

// refused shows backup id's page again with err's refusals beside the
// fields of form into (a quota refusal's bytes in f.Needed), or err's
// error page when it is no refusal.
func (p *pages) refused(w http.ResponseWriter, r *http.Request, v *web.Viewer, id uuid.UUID, err error, f *showForms, into *web.Form, fields ...string) {
	k, field := domain.KindOf(err), domain.FieldOf(err)
	if !k.Refused() || k == domain.KindNotFound && field == "backup" || k == domain.KindForbidden && field == "" {
		p.s.Fail(w, r, err)
		return
	}
	if q := quotaOf(err); q != nil {
		f.Needed = q.Needed
	}
	into.RefuseAll(err, fields...)
	p.renderShow(w, r, v, id, http.StatusUnprocessableEntity, *f)
}
