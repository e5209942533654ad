package movies

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	"github.com/djembe/djembe/projections"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// PageSize is how many movies a browse page lists.
const PageSize = 25

// MaxPage bounds the page number, as the core browse does.
const MaxPage = 200

// The orders of a browse.
const (
	OrderTime     = "time"
	OrderYear     = "year"
	OrderSize     = "size"
	OrderSnatched = "snatched"
	OrderSeeders  = "seeders"
	OrderLeechers = "leechers"
	OrderName     = "name"
	OrderRuntime  = "runtime"
)

// Orders are the orders browse offers.
var Orders = []string{OrderTime, OrderYear, OrderSize, OrderSnatched, OrderSeeders, OrderLeechers, OrderName, OrderRuntime}

// orderColumns are what each order sorts the page's movies (g, mv) by.
var orderColumns = map[string]string{OrderTime: "g.key", OrderYear: "mv.year", OrderSize: "g.key",
	OrderSnatched: "g.key", OrderSeeders: "g.key", OrderLeechers: "g.key", OrderName: "lower(mv.title)",
	OrderRuntime: "mv.runtime"}

// orderAggregates is how a page's order is computed per movie from its
// matching formats (m), and whether it needs the swarm's live counts.
var orderAggregates = map[string]struct {
	agg  string
	live bool
}{
	OrderTime: {"max(m.added_at)", false}, OrderYear: {"max(m.added_at)", false}, OrderName: {"max(m.added_at)", false},
	OrderRuntime: {"max(m.added_at)", false}, OrderSize: {"sum(m.size)", false}, OrderSnatched: {"sum(m.snatches)", true},
	OrderSeeders: {"sum(m.seeders)", true}, OrderLeechers: {"sum(m.leechers)", true},
}

// Filter is a movie browse: every field set narrows it, and it lists the
// movies with at least one matching format, each with its matching
// formats only (grouped by movie, as what.cd's torrents.php groups).
type Filter struct {
	Search     string // in titles, original titles, and people's names and aliases
	Title      string // in titles and original titles
	Person     string // in the names and aliases of anyone credited
	YearFrom   int    // the movie's year
	YearTo     int    // 0: no bound
	Source     string // each of these one of its vocabulary (domain/movies)
	Codec      string
	Container  string
	Resolution string
	HDR        string
	HasHDR     *bool  // any HDR but HDRNone, or none
	Kind       string // Encode, Remux or Disc
	Subtitle   string // an ISO 639-1 code
	Tags       []string
	TagsAll    bool   // every tag, else any
	Order      string // one of Orders; "" is time
	Asc        bool
	Page       int // from 1
}

// Result is one page of a browse.
type Result struct {
	Movies []MovieRow `json:"movies"`
	Total  int        `json:"total"` // movies matching, over every page
	Page   int        `json:"page"`
	Pages  int        `json:"pages"`
}

// where builds the conditions a format (f, its movie mv) must meet, with
// their arguments.
func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	like := func(s string) string { return arg("%" + escapeLike(strings.ToLower(strings.TrimSpace(s))) + "%") }
	title := func(p string) string {
		return "(lower(mv.title) LIKE " + p + " OR lower(mv.original_title) LIKE " + p + ")"
	}
	// Uncorrelated, so PostgreSQL finds the movies once (by the names'
	// trigram index) and hashes them, instead of probing per format.
	person := func(p string) string {
		return `mv.id IN (SELECT cr.movie FROM movies.credits cr JOIN movies.person_names n ON n.person = cr.person
			WHERE n.name_key LIKE ` + p + `)`
	}
	if f.Search != "" {
		p := like(f.Search)
		conds = append(conds, "("+title(p)+" OR "+person(p)+")")
	}
	if f.Title != "" {
		conds = append(conds, title(like(f.Title)))
	}
	if f.Person != "" {
		conds = append(conds, person(like(f.Person)))
	}
	if f.YearFrom > 0 {
		conds = append(conds, "mv.year >= "+arg(f.YearFrom))
	}
	if f.YearTo > 0 {
		conds = append(conds, "mv.year <= "+arg(f.YearTo))
	}
	for _, c := range []struct{ col, v string }{{"f.source", f.Source}, {"f.codec", f.Codec}, {"f.container", f.Container},
		{"f.resolution", f.Resolution}, {"f.hdr", f.HDR}, {"f.kind", f.Kind}} {
		if c.v != "" {
			conds = append(conds, c.col+" = "+arg(c.v))
		}
	}
	if f.HasHDR != nil {
		op := "="
		if *f.HasHDR {
			op = "<>"
		}
		conds = append(conds, "f.hdr "+op+" "+arg(movies.HDRNone))
	}
	if f.Subtitle != "" {
		conds = append(conds, arg(strings.ToLower(strings.TrimSpace(f.Subtitle)))+" = ANY(f.subtitles)")
	}
	if len(f.Tags) > 0 {
		op := "&&"
		if f.TagsAll {
			op = "@>"
		}
		conds = append(conds, "mv.tags "+op+" "+arg(f.Tags)+"::text[]")
	}
	if len(conds) == 0 {
		return "true", args
	}
	return strings.Join(conds, " AND "), args
}

// escapeLike escapes LIKE's wildcards in s.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// query is the SQL of f's page: each matching movie (in the page's order)
// and the count of matching movies; page is the page number it lists.
// Only the order's aggregate is computed over the matching formats, and
// the swarm is joined only for an order by live counts.
func (f Filter) query() (sql string, args []any, page int, err error) {
	const op = "browse movies"
	order := f.Order
	if order == "" {
		order = OrderTime
	}
	o, ok := orderAggregates[order]
	if !ok {
		return "", nil, 0, domain.FieldE(op, "order_by", domain.KindInvalid, "order by one of %s", strings.Join(Orders, ", "))
	}
	page = max(f.Page, 1)
	if page > MaxPage {
		return "", nil, 0, domain.FieldE(op, "page", domain.KindInvalid, "pages go up to %d: narrow the search", MaxPage)
	}
	dir := "DESC"
	if f.Asc {
		dir = "ASC"
	}
	where, args := f.where()
	args = append(args, PageSize, (page-1)*PageSize)
	n := len(args)
	live, counts := "", "0 AS seeders, 0 AS leechers, 0 AS snatches"
	if o.live {
		live = "LEFT JOIN swarm.torrents s ON s.info_hash = f.info_hash"
		counts = "COALESCE(s.seeders, 0) AS seeders, COALESCE(s.leechers, 0) AS leechers, COALESCE(s.snatches, 0) AS snatches"
	}
	sql = fmt.Sprintf(`WITH g AS (
			SELECT m.movie, %s AS key, max(m.added_at) AS added FROM (
				SELECT f.movie, c.added_at, c.size, %s
				FROM movies.formats f %s JOIN catalog.torrents c ON c.info_hash = f.info_hash AND NOT c.deleted %s
				WHERE %s) m
			GROUP BY m.movie
		)
		SELECT g.movie, count(*) OVER () FROM g JOIN movies.movies mv ON mv.id = g.movie
		ORDER BY %s %s, g.added DESC, mv.id LIMIT $%d OFFSET $%d`, o.agg, counts, joinsFor(where), live, where, orderColumns[order], dir, n-1, n)
	return sql, args, page, nil
}

// matchingFormats is the SQL of the formats of movies ($n) that f matches.
func (f Filter) matchingFormats() (string, []any) {
	where, args := f.where()
	return fmt.Sprintf(`SELECT f.info_hash FROM movies.formats f %s WHERE f.movie = ANY($%d::uuid[]) AND %s`,
		joinsFor(where), len(args)+1, where), args
}

var usesMovie = regexp.MustCompile(`\bmv\.`)

// joinsFor joins formats (f) to their movie (mv) when the conditions
// where name it: an unfiltered browse does not read it.
func joinsFor(where string) string {
	if usesMovie.MatchString(where) {
		return " JOIN movies.movies mv ON mv.id = f.movie"
	}
	return ""
}

// Browse lists the page of movies f asks for.
func Browse(ctx context.Context, q projections.RowQuerier, f Filter) (Result, error) {
	sql, args, page, err := f.query()
	if err != nil {
		return Result{}, err
	}
	type hit struct {
		movie uuid.UUID
		total int
	}
	hits, err := collect(ctx, q, sql, func(r pgx.Rows) (hit, error) {
		var h hit
		return h, r.Scan(&h.movie, &h.total)
	}, args...)
	if err != nil || len(hits) == 0 {
		return Result{Page: page}, err
	}
	ids := make([]uuid.UUID, len(hits))
	for i, h := range hits {
		ids[i] = h.movie
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
	if res.Movies, err = loadMovies(ctx, q, ids, only); err != nil {
		return Result{}, err
	}
	return res, nil
}
