package music

import (
	"context"
	"fmt"
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

var orderColumns = map[string]string{OrderTime: "g.added", OrderYear: "al.year", OrderSize: "g.size",
	OrderSnatched: "g.snatches", OrderSeeders: "g.seeders", OrderLeechers: "g.leechers", OrderName: "lower(al.title)"}

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
	artistLike := func(p string) string {
		return `EXISTS (SELECT 1 FROM music.credits cr JOIN music.artist_names n ON n.artist = cr.artist
			WHERE cr.album = al.id AND n.name_key LIKE ` + p + `)`
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

// escapeLike escapes LIKE's wildcards in s.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Browse lists the page of albums f asks for.
func Browse(ctx context.Context, q projections.RowQuerier, f Filter) (Result, error) {
	col, ok := orderColumns[f.Order]
	if f.Order == "" {
		col, ok = orderColumns[OrderTime], true
	}
	if !ok {
		return Result{}, domain.FieldE("browse music", "order_by", domain.KindInvalid, "order by one of %s", strings.Join(Orders, ", "))
	}
	page := max(f.Page, 1)
	if page > MaxPage {
		return Result{}, domain.FieldE("browse music", "page", domain.KindInvalid, "pages go up to %d: narrow the search", MaxPage)
	}
	dir := "DESC"
	if f.Asc {
		dir = "ASC"
	}
	where, args := f.where()
	args = append(args, PageSize, (page-1)*PageSize)
	n := len(args)
	sql := fmt.Sprintf(`WITH m AS (
			SELECT f.album, f.info_hash, c.added_at, c.size, COALESCE(s.seeders, 0) AS seeders,
				COALESCE(s.leechers, 0) AS leechers, COALESCE(s.snatches, 0) AS snatches
			FROM music.formats f JOIN music.releases r ON r.id = f.release JOIN music.albums al ON al.id = f.album
			JOIN catalog.torrents c ON c.info_hash = f.info_hash AND NOT c.deleted
			LEFT JOIN swarm.torrents s ON s.info_hash = f.info_hash
			WHERE %s
		), g AS (
			SELECT album, max(added_at) AS added, sum(size) AS size, sum(seeders) AS seeders, sum(leechers) AS leechers,
				sum(snatches) AS snatches, array_agg(info_hash) AS hashes
			FROM m GROUP BY album
		)
		SELECT g.album, g.hashes, count(*) OVER () FROM g JOIN music.albums al ON al.id = g.album
		ORDER BY %s %s, g.added DESC, al.id LIMIT $%d OFFSET $%d`, where, col, dir, n-1, n)
	type hit struct {
		album  uuid.UUID
		hashes [][]byte
		total  int
	}
	hits, err := collect(ctx, q, sql, func(r pgx.Rows) (hit, error) {
		var h hit
		return h, r.Scan(&h.album, &h.hashes, &h.total)
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
		ids[i] = h.album
		for _, b := range h.hashes {
			only = append(only, domain.InfoHash(b))
		}
	}
	if res.Albums, err = loadAlbums(ctx, q, ids, only); err != nil {
		return Result{}, err
	}
	res.Total = hits[0].total
	res.Pages = (res.Total + PageSize - 1) / PageSize
	return res, nil
}
