package music

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	readmusic "github.com/djembe/djembe/projections/music"
)

// parseFilter reads a music browse from URL parameters named as Gazelle's
// torrents.php and ajax.php?action=browse name them: searchstr,
// artistname, groupname, year ("1998" or "1990-1999"), releasetype,
// format, encoding, media, recordlabel, cataloguenumber, taglist (comma
// separated), tags_type (0 any, 1 all), haslog, hascue, scene (1 yes, 0
// no), order_by (time, year, size, snatched, seeders, leechers, name),
// order_way (asc, desc) and page. An empty parameter is no filter; a bad
// value is a KindInvalid error on its parameter.
func parseFilter(q url.Values) (readmusic.Filter, error) {
	const op = "browse music"
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	f := readmusic.Filter{Search: get("searchstr"), Artist: get("artistname"), Album: get("groupname"),
		RecordLabel: get("recordlabel"), CatalogueNumber: get("cataloguenumber")}
	bad := func(field, format string, args ...any) error {
		return domain.FieldE(op, field, domain.KindInvalid, format, args...)
	}
	if y := get("year"); y != "" {
		from, to, isRange := strings.Cut(y, "-")
		a, errA := strconv.Atoi(strings.TrimSpace(from))
		b, errB := a, error(nil)
		if isRange {
			b, errB = strconv.Atoi(strings.TrimSpace(to))
		}
		if errA != nil || errB != nil || a < 0 || b < a {
			return f, bad("year", "year is a year (1998) or a range (1990-1999)")
		}
		f.YearFrom, f.YearTo = a, b
	}
	if t := get("releasetype"); t != "" {
		rt, err := music.ParseReleaseType(t)
		if err != nil {
			return f, bad("releasetype", "%v", err)
		}
		f.ReleaseType = rt
	}
	for _, c := range []struct {
		key  string
		list []string
		dst  *string
	}{{"format", music.Formats, &f.Format}, {"encoding", music.Encodings, &f.Encoding}, {"media", music.Media, &f.Media}} {
		v := get(c.key)
		if v == "" {
			continue
		}
		i := indexFold(c.list, v)
		if i < 0 {
			return f, bad(c.key, "%s is one of %s", c.key, strings.Join(c.list, ", "))
		}
		*c.dst = c.list[i]
	}
	if tl := get("taglist"); tl != "" {
		tags, err := music.NormalizeTags(op, "taglist", music.SplitTags(tl))
		if err != nil {
			return f, err
		}
		f.Tags = tags
	}
	switch get("tags_type") {
	case "", "0":
	case "1":
		f.TagsAll = true
	default:
		return f, bad("tags_type", "tags_type is 0 (any tag) or 1 (every tag)")
	}
	for key, dst := range map[string]**bool{"haslog": &f.HasLog, "hascue": &f.HasCue, "scene": &f.Scene} {
		switch get(key) {
		case "":
		case "1":
			yes := true
			*dst = &yes
		case "0":
			no := false
			*dst = &no
		default:
			return f, bad(key, "%s is 1 (yes) or 0 (no)", key)
		}
	}
	if o := get("order_by"); o != "" {
		if indexFold(readmusic.Orders, o) < 0 {
			return f, bad("order_by", "order_by is one of %s", strings.Join(readmusic.Orders, ", "))
		}
		f.Order = strings.ToLower(o)
	}
	switch strings.ToLower(get("order_way")) {
	case "", "desc":
	case "asc":
		f.Asc = true
	default:
		return f, bad("order_way", "order_way is asc or desc")
	}
	if pg := get("page"); pg != "" {
		n, err := strconv.Atoi(pg)
		if err != nil || n < 1 || n > readmusic.MaxPage {
			return f, bad("page", "page is a number from 1 to %d", readmusic.MaxPage)
		}
		f.Page = n
	}
	return f, nil
}

func indexFold(list []string, s string) int {
	for i, v := range list {
		if strings.EqualFold(v, s) {
			return i
		}
	}
	return -1
}
