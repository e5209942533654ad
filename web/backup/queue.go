package backup

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/backup"
	"github.com/djembe/djembe/projections"
	readbackup "github.com/djembe/djembe/projections/backup"
)

// queueRows reads a page of the queue with its owners' names.
func (p *pages) queueRows(ctx context.Context, limit, offset int) ([]versionView, int, error) {
	rows, total, err := readbackup.Queue(ctx, p.s.Pool(), limit, offset)
	if err != nil {
		return nil, 0, err
	}
	var ids []domain.UserID
	for _, v := range rows {
		ids = append(ids, v.Owner)
	}
	ns, err := names(ctx, p.s.Pool(), ids)
	out := make([]versionView, len(rows))
	for i, v := range rows {
		out[i] = versionView{VersionRow: v, OwnerName: ns[v.Owner], Pos: offset + i + 1}
	}
	return out, total, err
}

// pager is a page of a paged list.
type pager struct {
	Page, Total, First, Last int
	Base                     string
}

func newPager(base string, page, total, shown int) pager {
	first := (page-1)*readbackup.PageSize + 1
	if shown == 0 {
		first = 0
	}
	return pager{Page: page, Total: total, First: first, Last: (page-1)*readbackup.PageSize + shown, Base: base}
}

// Paged reports whether there is more than one page.
func (p pager) Paged() bool { return p.Total > readbackup.PageSize }

// More reports whether a page follows.
func (p pager) More() bool { return p.Last < p.Total }

// URL is page n.
func (p pager) URL(n int) string {
	return p.Base + "?" + url.Values{"page": {strconv.Itoa(n)}}.Encode()
}

// Prev and Next are the neighbouring pages.
func (p pager) Prev() int { return p.Page - 1 }
func (p pager) Next() int { return p.Page + 1 }

// queueView is /backup/queue.
type queueView struct {
	Rows    []versionView
	Pager   pager
	Totals  totalsView
	RSS     string // the feed with the viewer's RSS key ("" when it cannot be read)
	Neutral string
	Start   string // every user's starting grant of points
}

// queue is /backup/queue: what to back up next, in the queue's order, a
// page of readbackup.PageSize at a time, with the site's totals and the
// feed a client can follow.
func (p *pages) queue(w http.ResponseWriter, r *http.Request) {
	v := p.s.SignedIn(w, r)
	if v == nil {
		return
	}
	ctx, page := r.Context(), pageParam(r)
	rows, total, err := p.queueRows(ctx, readbackup.PageSize, (page-1)*readbackup.PageSize)
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	t, err := readbackup.Totals(ctx, p.s.Pool())
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	qv := queueView{Rows: rows, Pager: newPager("/backup/queue", page, total, len(rows)), Totals: totalsView{t},
		Neutral: neutralNote, Start: backup.FormatPoints(backup.StartingPoints)}
	if a, err := projections.Account(ctx, p.s.Pool(), p.s.Secret(), v.ID); err == nil {
		qv.RSS = "/backup/queue.rss?" + url.Values{"key": {string(a.RSSKey)}}.Encode()
	}
	p.s.Render(w, r, http.StatusOK, "queue", "What to back up next", qv)
}

// totalsView is the site's backup totals as the pages show them.
type totalsView struct{ readbackup.TotalsRow }

// Healthy, Under, AtRisk and Lost are the live versions per state.
func (t totalsView) Healthy() int { return t.States[backup.Healthy] }
func (t totalsView) Under() int   { return t.States[backup.UnderReplicated] }
func (t totalsView) AtRisk() int  { return t.States[backup.AtRisk] }
func (t totalsView) Lost() int    { return t.States[backup.Lost] }

// stats is /backup/stats: the site's totals.
func (p *pages) stats(w http.ResponseWriter, r *http.Request) {
	if p.s.SignedIn(w, r) == nil {
		return
	}
	t, err := readbackup.Totals(r.Context(), p.s.Pool())
	if err != nil {
		p.s.Fail(w, r, err)
		return
	}
	p.s.Render(w, r, http.StatusOK, "stats", "Backup totals", totalsView{t})
}
