package music

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/projections"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// PageSize is how many albums a browse page lists.
const PageSize = 25

// MaxPage bounds the page number, as the core browse does.
const MaxPage = 200

// The orders of a browse, as Gazelle's order_by names them.
const (
	OrderTime     = "time"
	OrderYear     = "year"
	OrderSize     = "size"
	OrderSnatched = "snatched"
	OrderSeeders  = "seeders"
	OrderLeechers = "leechers"
	OrderName     = "name"
)

// Orders are the orders browse offers.
var Orders = []string{OrderTime, OrderYear, OrderSize, OrderSnatched, OrderSeeders, OrderLeechers, OrderName}

// orderColumns are what each order sorts the page's albums (g, al) by.
var orderColumns = map[string]string{OrderTime: "g.key", OrderYear: "al.year", OrderSize: "g.key",
	OrderSnatched: "g.key", OrderSeeders: "g.key", OrderLeechers: "g.key", OrderName: "lower(al.title)"}

// Filter is a music browse: every field set narrows it, and it lists the
// albums with at least one matching format, each with its matching
// formats only (as what.cd's torrents.php does).
type Filter struct {
	Search          string // in album titles and artists' names and aliases
	Artist          string // in artists' names and aliases
	Album           string // in album titles
	YearFrom        int
	YearTo          int // 0: no bound
	ReleaseType     music.ReleaseType
	Format          string
	Encoding        string
	Media           string
	RecordLabel     string
	CatalogueNumber string
	Tags            []string // normalized (music.NormalizeTags)
	TagsAll         bool     // every tag, else any
	HasLog          *bool
	HasCue          *bool
	Scene           *bool
	Order           string // one of Orders; "" is time
	Asc             bool
	Page            int // from 1
}

// Result is one page of a browse.
type Result struct {
	Albums []AlbumRow `json:"albums"`
	Total  int        `json:"total"` // albums matching, over every page
	Page   int        `json:"page"`
	Pages  int        `json:"pages"`
}

// where builds the conditions a format (f, its edition r, album al) must
// meet, with their arguments.
func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	like := func(s string) string { return arg("%" + escapeLike(strings.ToLower(strings.TrimSpace(s))) + "%") }
	// Uncorrelated, so PostgreSQL finds the albums once (by the names'
	// trigram index) and hashes them, instead of probing per format.
	artistLike := func(p string) string {
		return `al.id IN (SELECT cr.album FROM music.credits cr JOIN music.artist_names n ON n.artist = cr.artist
			WHERE n.name_key LIKE ` + p + `)`
	}
	if f.Search != "" {
		p := like(f.Search)
		conds = append(conds, "(lower(al.title) LIKE "+p+" OR "+artistLike(p)+")")
	}
	if f.Artist != "" {
		conds = append(conds, artistLike(like(f.Artist)))
	}
	if f.Album != "" {
		conds = append(conds, "lower(al.title) LIKE "+like(f.Album))
	}
	year := "COALESCE(NULLIF(r.year, 0), al.year)"
	if f.YearFrom > 0 {
		conds = append(conds, year+" >= "+arg(f.YearFrom))
	}
	if f.YearTo > 0 {
		conds = append(conds, year+" <= "+arg(f.YearTo))
	}
	if f.ReleaseType != 0 {
		conds = append(conds, "al.release_type = "+arg(int(f.ReleaseType)))
	}
	for col, v := range map[string]string{"f.format": f.Format, "f.encoding": f.Encoding, "r.media": f.Media} {
		if v != "" {
			conds = append(conds, col+" = "+arg(v))
		}
	}
	if f.RecordLabel != "" {
		conds = append(conds, "lower(r.record_label) LIKE "+like(f.RecordLabel))
	}
	if f.CatalogueNumber != "" {
		conds = append(conds, "lower(r.catalogue_number) LIKE "+like(f.CatalogueNumber))
	}
	if len(f.Tags) > 0 {
		op := "&&"
		if f.TagsAll {
			op = "@>"
		}
		conds = append(conds, "al.tags "+op+" "+arg(f.Tags)+"::text[]")
	}
	for col, v := range map[string]*bool{"f.has_log": f.HasLog, "f.has_cue": f.HasCue, "f.scene": f.Scene} {
		if v != nil {
			conds = append(conds, col+" = "+arg(*v))
		}
	}
	if len(conds) == 0 {
		return "true", args
	}
	return strings.Join(conds, " AND "), args
}

// orderAggregates is how a page's order is computed per album from its
// matching formats (m), and whether it needs the swarm's live counts.
var orderAggregates = map[string]struct {
	agg  string
	live bool
}{
	OrderTime: {"max(m.added_at)", false}, OrderYear: {"max(m.added_at)", false}, OrderName: {"max(m.added_at)", false},
	OrderSize: {"sum(m.size)", false}, OrderSnatched: {"sum(m.snatches)", true}, OrderSeeders: {"sum(m.seeders)", true},
	OrderLeechers: {"sum(m.leechers)", true},
}

// summaryOrders are the orders an unfiltered browse reads from the
// albums' own summary (live_formats, last_added), in the same order as
// the aggregate over their formats would give.
var summaryOrders = map[string]string{OrderTime: "al.last_added", OrderYear: "al.year", OrderName: "lower(al.title)"}

// query is the SQL of f's page: each matching album (in the page's order)
// and the count of matching albums; page is the page number it lists.
// Only the order's aggregate is computed over the matching formats, and
// the swarm is joined only for an order by live counts; an unfiltered
// browse by time, year or name reads the albums alone.
func (f Filter) query() (sql string, args []any, page int, err error) {
	order := f.Order
	if order == "" {
		order = OrderTime
	}
	o, ok := orderAggregates[order]
	if !ok {
		return "", nil, 0, domain.FieldE("browse music", "order_by", domain.KindInvalid, "order by one of %s", strings.Join(Orders, ", "))
	}
	page = max(f.Page, 1)
	if page > MaxPage {
		return "", nil, 0, domain.FieldE("browse music", "page", domain.KindInvalid, "pages go up to %d: narrow the search", MaxPage)
	}
	dir := "DESC"
	if f.Asc {
		dir = "ASC"
	}
	where, args := f.where()
	args = append(args, PageSize, (page-1)*PageSize)
	n := len(args)
	if col, ok := summaryOrders[order]; ok && where == "true" {
		return fmt.Sprintf(`SELECT al.id, count(*) OVER () FROM music.albums al WHERE al.live_formats > 0
			ORDER BY %s %s, al.last_added DESC, al.id LIMIT $%d OFFSET $%d`, col, dir, n-1, n), args, page, nil
	}
	live, counts := "", "0 AS seeders, 0 AS leechers, 0 AS snatches"
	if o.live {
		live = "LEFT JOIN swarm.torrents s ON s.info_hash = f.info_hash"
		counts = "COALESCE(s.seeders, 0) AS seeders, COALESCE(s.leechers, 0) AS leechers, COALESCE(s.snatches, 0) AS snatches"
	}
	sql = fmt.Sprintf(`WITH g AS (
			SELECT m.album, %s AS key, max(m.added_at) AS added FROM (
				SELECT f.album, f.added_at, c.size, %s
				FROM music.formats f %s JOIN catalog.torrents c ON c.info_hash = f.info_hash AND NOT c.deleted %s
				WHERE %s) m
			GROUP BY m.album
		)
		SELECT g.album, count(*) OVER () FROM g JOIN music.albums al ON al.id = g.album
		ORDER BY %s %s, g.added DESC, al.id LIMIT $%d OFFSET $%d`, o.agg, counts, joinsFor(where), live, where, orderColumns[order], dir, n-1, n)
	return sql, args, page, nil
}

// matchingFormats is the SQL of the formats of albums ($1) that f matches.
func (f Filter) matchingFormats() (string, []any) {
	where, args := f.where()
	return fmt.Sprintf(`SELECT f.info_hash FROM music.formats f %s WHERE f.album = ANY($%d::uuid[]) AND %s`,
		joinsFor(where), len(args)+1, where), args
}

var (
	usesRelease = regexp.MustCompile(`\br\.`)
	usesAlbum   = regexp.MustCompile(`\bal\.`)
)

// joinsFor joins formats (f) to their edition (r) and album (al) when the
// conditions where name them: an unfiltered browse reads neither.
func joinsFor(where string) string {
	var j string
	if usesRelease.MatchString(where) {
		j += " JOIN music.releases r ON r.id = f.release"
	}
	if usesAlbum.MatchString(where) {
		j += " JOIN music.albums al ON al.id = f.album"
	}
	return j
}

// escapeLike escapes LIKE's wildcards in s.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Browse lists the page of albums f asks for.
func Browse(ctx context.Context, q projections.RowQuerier, f Filter) (Result, error) {
	sql, args, page, err := f.query()
	if err != nil {
		return Result{}, err
	}
	type hit struct {
		album uuid.UUID
		total int
	}
	hits, err := collect(ctx, q, sql, func(r pgx.Rows) (hit, error) {
		var h hit
		return h, r.Scan(&h.album, &h.total)
	}, args...)
	if err != nil || len(hits) == 0 {
		return Result{Page: page}, err
	}
	ids := make([]uuid.UUID, len(hits))
	for i, h := range hits {
		ids[i] = h.album
	}
	sql, args = f.matchingFormats()
	only, err := collect(ctx, q, sql, func(r pgx.Rows) (domain.InfoHash, error) {
		var b []byte
		err := r.Scan(&b)
		return domain.InfoHash(b), err
	}, append(args, ids)...)
	if err != nil {
		return Result{}, err
	}
	res := Result{Page: page, Total: hits[0].total, Pages: (hits[0].total + PageSize - 1) / PageSize}
	if res.Albums, err = loadAlbums(ctx, q, ids, only); err != nil {
		return Result{}, err
	}
	return res, nil
}
