package movies

import (
	"context"
	"fmt"
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

var orderColumns = map[string]string{OrderTime: "g.added", OrderYear: "mv.year", OrderSize: "g.size",
	OrderSnatched: "g.snatches", OrderSeeders: "g.seeders", OrderLeechers: "g.leechers", OrderName: "lower(mv.title)",
	OrderRuntime: "mv.runtime"}

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
	person := func(p string) string {
		return `EXISTS (SELECT 1 FROM movies.credits cr JOIN movies.person_names n ON n.person = cr.person
			WHERE cr.movie = mv.id AND n.name_key LIKE ` + p + `)`
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

// Browse lists the page of movies f asks for.
func Browse(ctx context.Context, q projections.RowQuerier, f Filter) (Result, error) {
	const op = "browse movies"
	col, ok := orderColumns[f.Order]
	if f.Order == "" {
		col, ok = orderColumns[OrderTime], true
	}
	if !ok {
		return Result{}, domain.FieldE(op, "order_by", domain.KindInvalid, "order by one of %s", strings.Join(Orders, ", "))
	}
	page := max(f.Page, 1)
	if page > MaxPage {
		return Result{}, domain.FieldE(op, "page", domain.KindInvalid, "pages go up to %d: narrow the search", MaxPage)
	}
	dir := "DESC"
	if f.Asc {
		dir = "ASC"
	}
	where, args := f.where()
	args = append(args, PageSize, (page-1)*PageSize)
	n := len(args)
	sql := fmt.Sprintf(`WITH m AS (
			SELECT f.movie, f.info_hash, c.added_at, c.size, COALESCE(s.seeders, 0) AS seeders,
				COALESCE(s.leechers, 0) AS leechers, COALESCE(s.snatches, 0) AS snatches
			FROM movies.formats f JOIN movies.movies mv ON mv.id = f.movie
			JOIN catalog.torrents c ON c.info_hash = f.info_hash AND NOT c.deleted
			LEFT JOIN swarm.torrents s ON s.info_hash = f.info_hash
			WHERE %s
		), g AS (
			SELECT movie, max(added_at) AS added, sum(size) AS size, sum(seeders) AS seeders, sum(leechers) AS leechers,
				sum(snatches) AS snatches, array_agg(info_hash) AS hashes
			FROM m GROUP BY movie
		)
		SELECT g.movie, g.hashes, count(*) OVER () FROM g JOIN movies.movies mv ON mv.id = g.movie
		ORDER BY %s %s, g.added DESC, mv.id LIMIT $%d OFFSET $%d`, where, col, dir, n-1, n)
	type hit struct {
		movie  uuid.UUID
		hashes [][]byte
		total  int
	}
	hits, err := collect(ctx, q, sql, func(r pgx.Rows) (hit, error) {
		var h hit
		return h, r.Scan(&h.movie, &h.hashes, &h.total)
	}, args...)
	if err != nil {
		return Result{}, err
	}
	res := Result{Page: page}
	if len(hits) == 0 {
		return res, nil
	}
	ids := make([]uuid.UUID, len(hits))
	var only []domain.InfoHash
	for i, h := range hits {
		ids[i] = h.movie
		for _, b := range h.hashes {
			only = append(only, domain.InfoHash(b))
		}
	}
	if res.Movies, err = loadMovies(ctx, q, ids, only); err != nil {
		return Result{}, err
	}
	res.Total = hits[0].total
	res.Pages = (res.Total + PageSize - 1) / PageSize
	return res, nil
}
