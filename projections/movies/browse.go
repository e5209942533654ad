package movies

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	"github.com/djembe/djembe/projections"
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

// orders are how each order sorts movies (g: the aggregate over their
// matching formats as key; mv: the movie).
var orders = map[string]projections.GroupOrder{
	OrderTime:     {Aggregate: "max(m.added_at)", Column: "g.key"},
	OrderYear:     {Aggregate: "max(m.added_at)", Column: "mv.year"},
	OrderName:     {Aggregate: "max(m.added_at)", Column: "lower(mv.title)"},
	OrderRuntime:  {Aggregate: "max(m.added_at)", Column: "mv.runtime"},
	OrderSize:     {Aggregate: "sum(m.size)", Column: "g.key"},
	OrderSnatched: {Aggregate: "sum(m.snatches)", Column: "g.key", Live: true},
	OrderSeeders:  {Aggregate: "sum(m.seeders)", Column: "g.key", Live: true},
	OrderLeechers: {Aggregate: "sum(m.leechers)", Column: "g.key", Live: true},
}

// movieBrowse pages movies by their formats.
var movieBrowse = projections.GroupedBrowse{Units: "movies.formats", GroupKey: "movie", Groups: "movies.movies", Alias: "mv", Joins: joinsFor}

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
	const op = "browse movies"
	order := f.Order
	if order == "" {
		order = OrderTime
	}
	o, ok := orders[order]
	if !ok {
		return Result{}, domain.FieldE(op, "order_by", domain.KindInvalid, "order by one of %s", strings.Join(Orders, ", "))
	}
	page := max(f.Page, 1)
	if page > MaxPage {
		return Result{}, domain.FieldE(op, "page", domain.KindInvalid, "pages go up to %d: narrow the search", MaxPage)
	}
	where, args := f.where()
	p, err := movieBrowse.Page(ctx, q, where, args, o, f.Asc, page, PageSize)
	if err != nil || len(p.Groups) == 0 {
		return Result{Page: page}, err
	}
	res := Result{Page: page, Total: p.Total, Pages: (p.Total + PageSize - 1) / PageSize}
	res.Movies, err = loadMovies(ctx, q, p.Groups, p.Units)
	return res, err
}
