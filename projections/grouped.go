package projections

import (
	"context"
	"fmt"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// GroupedBrowse pages a plugin's catalogue grouped by the level above its
// atomic unit (an album's formats, a movie's formats), as what.cd's
// torrents.php groups: a page lists the groups with at least one matching
// unit, ordered by an aggregate over their matching units, and with them
// the matching units only. Every field is the plugin's own SQL (fixed
// strings, never a user's input); conditions refer to the units as f, to
// the groups as Alias, and bind their values as $1, $2, ...
type GroupedBrowse struct {
	Units    string // the units' table, e.g. "music.formats" (aliased f); it has info_hash and added_at
	GroupKey string // the units' column naming their group, e.g. "album"
	Groups   string // the groups' table, e.g. "music.albums"; its key is id
	Alias    string // the groups' alias in conditions and orders, e.g. "al"
	// Joins joins f to the tables where names (the group, a level
	// between): an unfiltered browse reads the units and the catalog only.
	Joins func(where string) string
	// Listed, when set, is the condition on the groups alone under which a
	// group has a unit not deleted, and ListedAdded its newest such unit's
	// added_at (a summary the projection keeps): an unfiltered page in a
	// Summary order then reads the groups alone, in the same order.
	Listed, ListedAdded string
}

// GroupOrder is what a page is sorted by.
type GroupOrder struct {
	// Aggregate over a group's matching units m (m.added_at, m.size,
	// m.seeders, m.leechers, m.snatches), as g.key.
	Aggregate string
	Live      bool   // the aggregate needs the swarm's live counts
	Column    string // what groups are sorted by: g.key, or an expression of the group's own columns
	// Summary, when set, is the same order read off the groups alone for
	// an unfiltered page (see GroupedBrowse.Listed).
	Summary string
}

// GroupPage is one page: the groups in order, the units of theirs that
// matched, and how many groups match over every page.
type GroupPage struct {
	Groups []uuid.UUID
	Units  []domain.InfoHash
	Total  int
}

// Page reads the page of groups whose units meet where (with args),
// sorted by o (ascending if asc; ties newest first, then by id), size
// groups a page, page numbered from 1.
func (b GroupedBrowse) Page(ctx context.Context, q RowQuerier, where string, args []any, o GroupOrder, asc bool, page, size int) (GroupPage, error) {
	op := "browse " + b.Groups
	type hit struct {
		id    uuid.UUID
		total int
	}
	hits, err := Collect(ctx, q, op, b.pageSQL(where, len(args), o, asc), func(r pgx.Rows) (hit, error) {
		var h hit
		return h, r.Scan(&h.id, &h.total)
	}, append(args, size, (page-1)*size)...)
	if err != nil || len(hits) == 0 {
		return GroupPage{}, err
	}
	p := GroupPage{Total: hits[0].total}
	for _, h := range hits {
		p.Groups = append(p.Groups, h.id)
	}
	units := fmt.Sprintf(`SELECT f.info_hash FROM %s f %s WHERE f.%s = ANY($%d::uuid[]) AND %s`,
		b.Units, b.Joins(where), b.GroupKey, len(args)+1, where)
	p.Units, err = Collect(ctx, q, op, units, func(r pgx.Rows) (domain.InfoHash, error) {
		var h []byte
		err := r.Scan(&h)
		return domain.InfoHash(h), err
	}, append(args, p.Groups)...)
	return p, err
}

// pageSQL is the query of a page's groups and their total; its last two
// parameters, after the conditions' n, are the page's size and offset.
func (b GroupedBrowse) pageSQL(where string, n int, o GroupOrder, asc bool) string {
	dir := "DESC"
	if asc {
		dir = "ASC"
	}
	limit := fmt.Sprintf("LIMIT $%d OFFSET $%d", n+1, n+2)
	if o.Summary != "" && b.Listed != "" && where == "true" {
		return fmt.Sprintf(`SELECT %[1]s.id, count(*) OVER () FROM %[2]s %[1]s WHERE %[3]s ORDER BY %[4]s %[5]s, %[6]s DESC, %[1]s.id %[7]s`,
			b.Alias, b.Groups, b.Listed, o.Summary, dir, b.ListedAdded, limit)
	}
	live, counts := "", "0 AS seeders, 0 AS leechers, 0 AS snatches"
	if o.Live {
		live = "LEFT JOIN swarm.torrents s ON s.info_hash = f.info_hash"
		counts = "COALESCE(s.seeders, 0) AS seeders, COALESCE(s.leechers, 0) AS leechers, COALESCE(s.snatches, 0) AS snatches"
	}
	return fmt.Sprintf(`WITH g AS (
			SELECT m.grp, %[1]s AS key, max(m.added_at) AS added FROM (
				SELECT f.%[2]s AS grp, f.added_at, c.size, %[3]s
				FROM %[4]s f %[5]s JOIN catalog.torrents c ON c.info_hash = f.info_hash AND NOT c.deleted %[6]s
				WHERE %[7]s) m
			GROUP BY m.grp
		)
		SELECT %[8]s.id, count(*) OVER () FROM g JOIN %[9]s %[8]s ON %[8]s.id = g.grp
		ORDER BY %[10]s %[11]s, g.added DESC, %[8]s.id %[12]s`,
		o.Aggregate, b.GroupKey, counts, b.Units, b.Joins(where), live, where, b.Alias, b.Groups, o.Column, dir, limit)
}
