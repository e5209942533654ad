package projections

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/jackc/pgx/v5"
)

// BrowsePageSize is how many torrents a browse page lists.
const BrowsePageSize = 50

// BrowseMaxPage bounds the page number, so OFFSET never walks more than
// BrowseMaxPage*BrowsePageSize index entries; a list longer than that is
// reached by reversing the order or narrowing the search.
const BrowseMaxPage = 200

// The sorts browse offers (BrowseQuery.Sort).
const (
	SortName     = "name"
	SortSize     = "size"
	SortSeeders  = "seeders"
	SortLeechers = "leechers"
	SortSnatches = "snatches"
	SortAdded    = "added"
)

// BrowseSorts are the sorts in the order the browse table shows them.
var BrowseSorts = []string{SortName, SortSize, SortSnatches, SortSeeders, SortLeechers, SortAdded}

// browseColumns maps each sort to its column: the catalog's title (ignoring
// case, as people read them), size and time added, the swarm's counts.
var browseColumns = map[string]string{
	SortName: "lower(c.title)", SortSize: "c.size", SortSeeders: "s.seeders", SortLeechers: "s.leechers",
	SortSnatches: "s.snatches", SortAdded: "c.added_at",
}

// BrowseQuery is one browse request: Q searches in titles (case-insensitive,
// a substring), Category keeps one category (empty: all), Sort is one of
// BrowseSorts, Desc the order, Page from 1.
type BrowseQuery struct {
	Q        string
	Category string
	Sort     string
	Desc     bool
	Page     int
}

// DefaultBrowse is the newest torrents first.
var DefaultBrowse = BrowseQuery{Sort: SortAdded, Desc: true, Page: 1}

// Order is "desc" or "asc".
func (b BrowseQuery) Order() string {
	if b.Desc {
		return "desc"
	}
	return "asc"
}

// ParseBrowse reads a browse request's parameters (q, category, sort,
// order, page);
// a missing one takes DefaultBrowse's value. A value that is not one of
// those offered is refused with a KindInvalid error naming the field.
func ParseBrowse(v url.Values) (BrowseQuery, error) {
	const op = "browse torrents"
	b := DefaultBrowse
	b.Q = strings.TrimSpace(v.Get("q"))
	if len(b.Q) > 200 {
		return DefaultBrowse, domain.FieldE(op, "q", domain.KindInvalid, "a search is at most 200 bytes long")
	}
	b.Category = v.Get("category")
	if len(b.Category) > 64 {
		return DefaultBrowse, domain.FieldE(op, "category", domain.KindInvalid, "a category is at most 64 bytes long")
	}
	if s := v.Get("sort"); s != "" {
		if _, ok := browseColumns[s]; !ok {
			return DefaultBrowse, domain.FieldE(op, "sort", domain.KindInvalid, "sort must be one of %s", strings.Join(BrowseSorts, ", "))
		}
		b.Sort = s
		// A sort chosen without an order starts from the name's A or the
		// largest figure.
		b.Desc = s != SortName
	}
	switch v.Get("order") {
	case "":
	case "asc":
		b.Desc = false
	case "desc":
		b.Desc = true
	default:
		return DefaultBrowse, domain.FieldE(op, "order", domain.KindInvalid, "order must be asc or desc")
	}
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > BrowseMaxPage {
			return DefaultBrowse, domain.FieldE(op, "page", domain.KindInvalid,
				"page must be a number from 1 to %d; to reach further, reverse the order or narrow the search", BrowseMaxPage)
		}
		b.Page = n
	}
	return b, nil
}

// Values is b as URL parameters, leaving out the defaults; with page 0 it
// leaves the page out.
func (b BrowseQuery) Values() url.Values {
	v := url.Values{}
	if b.Q != "" {
		v.Set("q", b.Q)
	}
	if b.Category != "" {
		v.Set("category", b.Category)
	}
	if b.Sort != DefaultBrowse.Sort || b.Desc != DefaultBrowse.Desc {
		v.Set("sort", b.Sort)
		v.Set("order", b.Order())
	}
	if b.Page > 1 {
		v.Set("page", strconv.Itoa(b.Page))
	}
	return v
}

// BrowseTorrent is one row of the browse list: Name is the title the site
// shows.
type BrowseTorrent struct {
	InfoHash domain.InfoHash
	Name     string
	Category string
	Factors  domain.Factors
	Size     int64
	Seeders  int
	Leechers int
	Snatches int
	Added    time.Time
}

// browseSelect reads BrowseTorrent's columns from the catalog (c) and the
// swarm (s), in scanBrowse's order.
const browseSelect = `SELECT c.info_hash, c.title, c.category, c.upload_percent, c.download_percent, c.size,
	s.seeders, s.leechers, s.snatches, c.added_at
	FROM catalog.torrents c JOIN swarm.torrents s ON s.info_hash = c.info_hash AND NOT s.deleted AND s.registered_at IS NOT NULL
	WHERE NOT c.deleted`

func scanBrowse(row pgx.Row) (BrowseTorrent, error) {
	var t BrowseTorrent
	var h []byte
	var up, down int16
	err := row.Scan(&h, &t.Name, &t.Category, &up, &down, &t.Size, &t.Seeders, &t.Leechers, &t.Snatches, &t.Added)
	copy(t.InfoHash[:], h)
	t.Factors = domain.Factors{UploadPercent: uint16(up), DownloadPercent: uint16(down)}
	t.Added = t.Added.UTC()
	return t, err
}

// BrowseResult is one page of the list; More says a next page exists.
type BrowseResult struct {
	Torrents []BrowseTorrent
	More     bool
}

// Browse lists the torrents in the catalog that are not deleted, with the
// swarm's live counts: those whose title contains b.Q (ignoring case) in
// b.Category (if set), ordered by b.Sort (ties by info hash, so pages never
// overlap), page b.Page. Each sort has its own index (the title, size and
// time in sql/catalog.sql, the counts in sql/swarm.sql), so a page reads
// at most its offset plus one page of index entries.
func Browse(ctx context.Context, q RowQuerier, b BrowseQuery) (BrowseResult, error) {
	col, ok := browseColumns[b.Sort]
	if !ok {
		return BrowseResult{}, domain.FieldE("browse torrents", "sort", domain.KindInvalid, "no sort %q", b.Sort)
	}
	page := max(b.Page, 1)
	dir := "ASC"
	if b.Desc {
		dir = "DESC"
	}
	args := []any{BrowsePageSize + 1, (page - 1) * BrowsePageSize}
	where := ""
	if b.Q != "" {
		args = append(args, "%"+likeEscape(b.Q)+"%")
		where += fmt.Sprintf(" AND c.title ILIKE $%d", len(args))
	}
	if b.Category != "" {
		args = append(args, b.Category)
		where += fmt.Sprintf(" AND c.category = $%d", len(args))
	}
	// Planned for these values each time (QueryExecModeExec: no cached
	// generic plan), since how many titles a search matches decides
	// between walking the sort's index and gathering the matches first.
	args = append([]any{pgx.QueryExecModeExec}, args...)
	rows, err := q.Query(ctx, fmt.Sprintf(`%s%s ORDER BY %s %s, c.info_hash %s LIMIT $1 OFFSET $2`, browseSelect, where, col, dir, dir), args...)
	if err != nil {
		return BrowseResult{}, fmt.Errorf("browse torrents: %w", err)
	}
	defer rows.Close()
	var res BrowseResult
	for rows.Next() {
		t, err := scanBrowse(rows)
		if err != nil {
			return BrowseResult{}, fmt.Errorf("browse torrents: %w", err)
		}
		res.Torrents = append(res.Torrents, t)
	}
	if err := rows.Err(); err != nil {
		return BrowseResult{}, fmt.Errorf("browse torrents: %w", err)
	}
	if len(res.Torrents) > BrowsePageSize {
		res.Torrents, res.More = res.Torrents[:BrowsePageSize], true
	}
	return res, nil
}

// BrowseOne is the browse row of the torrent h (in the catalog, not deleted).
func BrowseOne(ctx context.Context, q RowQuerier, h domain.InfoHash) (BrowseTorrent, error) {
	t, err := scanBrowse(q.QueryRow(ctx, browseSelect+` AND c.info_hash = $1`, h[:]))
	if errors.Is(err, pgx.ErrNoRows) {
		return t, domain.E("read torrent", domain.KindNotFound, "no torrent %x", h[:])
	}
	if err != nil {
		return t, fmt.Errorf("read torrent %x: %w", h[:], err)
	}
	return t, nil
}

// likeEscape escapes LIKE's wildcards and its escape character in s.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
