package web

import (
	"net/http"

	"github.com/djembe/djembe/projections"
)

// homeLatest is how many torrents each of the front page's lists shows.
const homeLatest = 10

// homeView is the front page of a signed-in user, as Gazelle's index: the
// newest torrents and the best seeded, with the site's figures beside.
type homeView struct {
	Latest, Popular []browseRow
	Totals          projections.SiteTotals
}

// homeShow is the front page: a welcome with the way in for visitors; for
// a signed-in user the newest and best seeded torrents (marked with what
// they are to each, as browse marks them) and the site's figures.
func (s *site) homeShow(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "", "")
	if p.Viewer != nil {
		ctx := r.Context()
		latest, err := projections.Browse(ctx, s.Pool, projections.DefaultBrowse)
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		popular, err := projections.Browse(ctx, s.Pool, projections.BrowseQuery{Sort: projections.SortSeeders, Desc: true, Page: 1})
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		totals, err := projections.Totals(ctx, s.Pool)
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		latestTs, popularTs := latest.Torrents[:min(len(latest.Torrents), homeLatest)], popular.Torrents[:min(len(popular.Torrents), homeLatest)]
		mine, err := s.viewerMarks(r, p.Viewer, latestTs, popularTs)
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		p.Data = homeView{Latest: browseView{Torrents: latestTs, Mine: mine}.Rows(), Popular: browseView{Torrents: popularTs, Mine: mine}.Rows(), Totals: totals}
	}
	s.render(w, r, http.StatusOK, "home", p)
}

// homeBox is one list of torrents on the front page.
type homeBox struct {
	Title, More string // its heading, and the browse that lists more
	Rows        []browseRow
}

// Boxes are the front page's lists, in order.
func (v homeView) Boxes() []homeBox {
	return []homeBox{{"Latest torrents", "/torrents", v.Latest}, {"Best seeded", "/torrents?sort=seeders&order=desc", v.Popular}}
}
