package web

import (
	"net/http"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
)

// browseView is what templates/browse.html shows: the query, one page of
// torrents, and a refused parameter's message.
type browseView struct {
	Query    projections.BrowseQuery
	Torrents []projections.BrowseTorrent
	Mine     map[domain.InfoHash]string // what the viewer is to each (projections.Mark*)
	More     bool
	Error    string // a refused parameter, said for people
}

// Categories are the categories the search form offers.
func (browseView) Categories() []string { return commands.Categories }

// browseColumn is one sortable column of the browse table.
type browseColumn struct {
	Sort, Label, Class string
}

// Columns are the browse table's sortable columns, in order.
func (browseView) Columns() []browseColumn {
	return []browseColumn{
		{projections.SortSize, "Size", "number"},
		{projections.SortSnatches, "Snatches", "number"},
		{projections.SortSeeders, "Seeders", "number"},
		{projections.SortLeechers, "Leechers", "number"},
		{projections.SortAdded, "Added", "nowrap"},
	}
}

// SortURL is the list sorted by sort: the other order when it is sorted
// so already, else the sort's natural order, from the first page.
func (v browseView) SortURL(sort string) string {
	q := v.Query
	if q.Sort == sort {
		q.Desc = !q.Desc
	} else {
		q.Sort, q.Desc = sort, sort != projections.SortName
	}
	q.Page = 1
	return browseURL(q)
}

// Arrow marks the column the list is sorted by with its order.
func (v browseView) Arrow(sort string) string {
	switch {
	case v.Query.Sort != sort:
		return ""
	case v.Query.Desc:
		return " ▼"
	default:
		return " ▲"
	}
}

// PageURL is the list at page n.
func (v browseView) PageURL(n int) string {
	q := v.Query
	q.Page = n
	return browseURL(q)
}

func (v browseView) Prev() int { return v.Query.Page - 1 }
func (v browseView) Next() int { return v.Query.Page + 1 }

// First is the 1-based position of the page's first torrent.
func (v browseView) First() int { return (v.Query.Page-1)*projections.BrowsePageSize + 1 }

// Last is the position of the page's last torrent.
func (v browseView) Last() int { return v.First() + len(v.Torrents) - 1 }

// Paged reports whether the list has more than one page.
func (v browseView) Paged() bool { return v.Query.Page > 1 || v.More }

// sentence is msg with its first letter upper case: the read side's
// messages start in lower case.
func sentence(msg string) string {
	if r, n := utf8.DecodeRuneInString(msg); n > 0 {
		return string(unicode.ToUpper(r)) + msg[n:]
	}
	return msg
}

func browseURL(q projections.BrowseQuery) string {
	if e := q.Values().Encode(); e != "" {
		return "/torrents?" + e
	}
	return "/torrents"
}

// browseRow is a torrent as the table shows it, with what the viewer is
// to it (projections.Mark*, "" for nothing).
type browseRow struct {
	projections.BrowseTorrent
	Mine string
}

// MineText is Mine as the row says it, as Gazelle marks a list.
func (t browseRow) MineText() string {
	switch t.Mine {
	case projections.MarkSeeding:
		return "Seeding"
	case projections.MarkLeeching:
		return "Leeching"
	case projections.MarkSnatched:
		return "Snatched"
	}
	return ""
}

func (t browseRow) Hash() string      { return t.InfoHash.String() }
func (t browseRow) Marks() []string   { return factorMarks(t.Factors) }
func (t browseRow) SizeText() string  { return formatBytes(uint64(max(t.Size, 0))) }
func (t browseRow) AddedText() string { return t.Added.Format("2006-01-02 15:04") }

// Rows are the page's torrents as the table shows them.
func (v browseView) Rows() []browseRow {
	rows := make([]browseRow, len(v.Torrents))
	for i, t := range v.Torrents {
		rows[i] = browseRow{t, v.Mine[t.InfoHash]}
	}
	return rows
}

// browseShow is /torrents: the torrents, searched (q), in a category
// (category), sorted (sort, order) and paged (page), each marked with
// what the viewer is to it (seeding, leeching, snatched). A parameter that is not one offered is refused
// with a 400 page saying which values it takes; the search box keeps the
// search.
func (s *site) browseShow(w http.ResponseWriter, r *http.Request) {
	v := s.signedIn(w, r)
	if v == nil {
		return
	}
	q, err := projections.ParseBrowse(r.URL.Query())
	if err != nil {
		q.Q, q.Category = r.URL.Query().Get("q"), ""
		p := s.page(r, "Torrents", "torrents")
		p.Data = browseView{Query: q, Error: sentence(domain.Message(err))}
		s.render(w, r, http.StatusBadRequest, "browse", p)
		return
	}
	res, err := projections.Browse(r.Context(), s.Pool, q)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	mine, err := s.viewerMarks(r, v, res.Torrents)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	title := "Torrents"
	if q.Q != "" {
		title = "Torrents matching " + strconv.Quote(q.Q)
	}
	p := s.page(r, title, "torrents")
	p.Data = browseView{Query: q, Torrents: res.Torrents, Mine: mine, More: res.More}
	s.render(w, r, http.StatusOK, "browse", p)
}

// viewerMarks are what v is to each torrent of lists (projections.Mark*),
// read in one query.
func (s *site) viewerMarks(r *http.Request, v *Viewer, lists ...[]projections.BrowseTorrent) (map[domain.InfoHash]string, error) {
	var hashes []domain.InfoHash
	for _, l := range lists {
		for _, t := range l {
			hashes = append(hashes, t.InfoHash)
		}
	}
	return projections.UserMarks(r.Context(), s.Pool, v.ID, hashes)
}
