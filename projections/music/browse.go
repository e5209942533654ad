package music

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/projections"
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

// orders are how each order sorts albums (g: the aggregate over their
// matching formats as key; al: the album).
var orders = map[string]projections.GroupOrder{
	OrderTime:     {Aggregate: "max(m.added_at)", Column: "g.key", Summary: "al.last_added"},
	OrderYear:     {Aggregate: "max(m.added_at)", Column: "al.year", Summary: "al.year"},
	OrderName:     {Aggregate: "max(m.added_at)", Column: "lower(al.title)", Summary: "lower(al.title)"},
	OrderSize:     {Aggregate: "sum(m.size)", Column: "g.key"},
	OrderSnatched: {Aggregate: "sum(m.snatches)", Column: "g.key", Live: true},
	OrderSeeders:  {Aggregate: "sum(m.seeders)", Column: "g.key", Live: true},
	OrderLeechers: {Aggregate: "sum(m.leechers)", Column: "g.key", Live: true},
}

// albumBrowse pages albums by their formats; an unfiltered page reads the
// albums' summary of their live formats.
var albumBrowse = projections.GroupedBrowse{Units: "music.formats", GroupKey: "album", Groups: "music.albums", Alias: "al",
	Joins: joinsFor, Listed: "al.live_formats > 0", ListedAdded: "al.last_added"}

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
	order := f.Order
	if order == "" {
		order = OrderTime
	}
	o, ok := orders[order]
	if !ok {
		return Result{}, domain.FieldE("browse music", "order_by", domain.KindInvalid, "order by one of %s", strings.Join(Orders, ", "))
	}
	page := max(f.Page, 1)
	if page > MaxPage {
		return Result{}, domain.FieldE("browse music", "page", domain.KindInvalid, "pages go up to %d: narrow the search", MaxPage)
	}
	where, args := f.where()
	p, err := albumBrowse.Page(ctx, q, where, args, o, f.Asc, page, PageSize)
	if err != nil || len(p.Groups) == 0 {
		return Result{Page: page}, err
	}
	res := Result{Page: page, Total: p.Total, Pages: (p.Total + PageSize - 1) / PageSize}
	res.Albums, err = loadAlbums(ctx, q, p.Groups, p.Units)
	return res, err
}
