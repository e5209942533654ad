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
const BrowseMaxPage = 1000

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

// browseColumns maps each sort to its column in swarm.torrents (names
// ignoring case, as people read them).
var browseColumns = map[string]string{
	SortName: "lower(name)", SortSize: "size", SortSeeders: "seeders", SortLeechers: "leechers",
	SortSnatches: "snatches", SortAdded: "registered_at",
}

// BrowseQuery is one browse request: Q searches in names (case-insensitive,
// a substring), Sort is one of BrowseSorts, Desc the order, Page from 1.
type BrowseQuery struct {
	Q    string
	Sort string
	Desc bool
	Page int
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

// ParseBrowse reads a browse request's parameters (q, sort, order, page);
// a missing one takes DefaultBrowse's value. A value that is not one of
// those offered is refused with a KindInvalid error naming the field.
func ParseBrowse(v url.Values) (BrowseQuery, error) {
	const op = "browse torrents"
	b := DefaultBrowse
	b.Q = strings.TrimSpace(v.Get("q"))
	if len(b.Q) > 200 {
		return DefaultBrowse, domain.FieldE(op, "q", domain.KindInvalid, "a search is at most 200 bytes long")
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
	if b.Sort != DefaultBrowse.Sort || b.Desc != DefaultBrowse.Desc {
		v.Set("sort", b.Sort)
		v.Set("order", b.Order())
	}
	if b.Page > 1 {
		v.Set("page", strconv.Itoa(b.Page))
	}
	return v
}

// BrowseTorrent is one row of the browse list.
type BrowseTorrent struct {
	InfoHash domain.InfoHash
	Name     string
	Size     int64
	Seeders  int
	Leechers int
	Snatches int
	Added    time.Time
}

// BrowseResult is one page of the list; More says a next page exists.
type BrowseResult struct {
	Torrents []BrowseTorrent
	More     bool
}

// Browse lists the registered torrents that are not deleted, from
// swarm.torrents: those whose name contains b.Q (ignoring case), ordered
// by b.Sort (ties by info hash, so pages never overlap), page b.Page.
// Each sort has its own partial index (sql/swarm.sql), so a page reads at
// most its offset plus one page of index entries.
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
	where := "NOT deleted AND registered_at IS NOT NULL"
	if b.Q != "" {
		args = append(args, "%"+likeEscape(b.Q)+"%")
		where += " AND name ILIKE $3"
	}
	sql := fmt.Sprintf(`SELECT info_hash, name, size, seeders, leechers, snatches, registered_at
		FROM swarm.torrents WHERE %s ORDER BY %s %s, info_hash %s LIMIT $1 OFFSET $2`, where, col, dir, dir)
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return BrowseResult{}, fmt.Errorf("browse torrents: %w", err)
	}
	defer rows.Close()
	var res BrowseResult
	for rows.Next() {
		var t BrowseTorrent
		var h []byte
		if err := rows.Scan(&h, &t.Name, &t.Size, &t.Seeders, &t.Leechers, &t.Snatches, &t.Added); err != nil {
			return BrowseResult{}, fmt.Errorf("browse torrents: %w", err)
		}
		copy(t.InfoHash[:], h)
		t.Added = t.Added.UTC()
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

// BrowseOne is the browse row of the torrent h (registered, not deleted).
func BrowseOne(ctx context.Context, q RowQuerier, h domain.InfoHash) (BrowseTorrent, error) {
	t := BrowseTorrent{InfoHash: h}
	err := q.QueryRow(ctx, `SELECT name, size, seeders, leechers, snatches, registered_at FROM swarm.torrents
		WHERE info_hash = $1 AND NOT deleted AND registered_at IS NOT NULL`, h[:]).
		Scan(&t.Name, &t.Size, &t.Seeders, &t.Leechers, &t.Snatches, &t.Added)
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return t, domain.E("read torrent", domain.KindNotFound, "no torrent %x", h[:])
		}
		return t, fmt.Errorf("read torrent %x: %w", h[:], err)
	}
	t.Added = t.Added.UTC()
	return t, nil
}

// likeEscape escapes LIKE's wildcards and its escape character in s.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
