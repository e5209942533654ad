package backup

import (
	"net/http"

	"github.com/djembe/djembe/domain"
	readbackup "github.com/djembe/djembe/projections/backup"
)

// allView is /backup/all.
type allView struct {
	Backups []backupView
	Pager   pager
}

// all is /backup/all: every backup, newest first, a page at a time; staff
// only (anyone else gets the 403 page).
func (p *pages) all(w http.ResponseWriter, r *http.Request) {
	v := p.s.SignedIn(w, r)
	if v == nil {
		return
	}
	if !v.Staff {
		p.s.Fail(w, r, domain.E("list backups", domain.KindForbidden, "only staff see every backup"))
		return
	}
	ctx, page := r.Context(), pageParam(r)
	bs, total, err := readbackup.AllBackups(ctx, p.s.Pool(), page)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	views, err := p.newBackupViews(ctx, bs)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	p.s.Render(w, r, http.StatusOK, "all", "Every backup", allView{Backups: views, Pager: newPager("/backup/all", page, total, len(bs))})
}
