package movies

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	readmovies "github.com/djembe/djembe/projections/movies"
)

// hdrAny is the hdr parameter's value for "any HDR at all".
const hdrAny = "any"

// parseFilter reads a movie browse from URL parameters, the same for the
// page and the API: searchstr (titles and people), title, person, year
// ("1999" or "1990-1999"), source, codec, container, resolution, hdr (one
// of domain/movies.HDRs, "None" for SDR, or "any" for any HDR), kind
// (Encode, Remux or Disc), subtitle (an ISO 639-1 code), taglist (comma
// separated), tags_type (0 any, 1 all), order_by (one of
// projections/movies.Orders), order_way (asc, desc) and page. An empty
// parameter is no filter; a vocabulary's value is read in any case; a bad
// value is a KindInvalid error on its parameter.
func parseFilter(q url.Values) (readmovies.Filter, error) {
	const op = "browse movies"
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	f := readmovies.Filter{Search: get("searchstr"), Title: get("title"), Person: get("person")}
	bad := func(field, format string, args ...any) error {
		return domain.FieldE(op, field, domain.KindInvalid, format, args...)
	}
	if y := get("year"); y != "" {
		from, to, err := parseYears(y)
		if err != nil {
			return f, bad("year", "year is a year (1999) or a range (1990-1999)")
		}
		f.YearFrom, f.YearTo = from, to
	}
	for _, c := range []struct {
		key  string
		list []string
		dst  *string
	}{{"source", movies.Sources, &f.Source}, {"codec", movies.Codecs, &f.Codec}, {"container", movies.Containers, &f.Container},
		{"resolution", movies.Resolutions, &f.Resolution}, {"kind", movies.Kinds, &f.Kind}} {
		if v := get(c.key); v != "" {
			var err error
			if *c.dst, err = movies.Parse(c.list, c.key, v); err != nil {
				return f, bad(c.key, "%s is one of %s", c.key, strings.Join(c.list, ", "))
			}
		}
	}
	if err := parseHDR(get("hdr"), &f); err != nil {
		return f, bad("hdr", "hdr is any, or one of %s", strings.Join(movies.HDRs, ", "))
	}
	if s := strings.ToLower(get("subtitle")); s != "" {
		if !movies.IsLanguage(s) {
			return f, bad("subtitle", "subtitle is an ISO 639-1 language code such as en or fr")
		}
		f.Subtitle = s
	}
	if err := parseTags(get("taglist"), get("tags_type"), &f); err != nil {
		return f, err
	}
	if err := parseOrder(get("order_by"), get("order_way"), &f); err != nil {
		return f, err
	}
	if pg := get("page"); pg != "" {
		n, err := strconv.Atoi(pg)
		if err != nil || n < 1 || n > readmovies.MaxPage {
			return f, bad("page", "page is a number from 1 to %d", readmovies.MaxPage)
		}
		f.Page = n
	}
	return f, nil
}

// parseYears reads "1999" or "1990-1999" (either end may be left open:
// "1990-" or "-1999").
func parseYears(s string) (from, to int, err error) {
	a, b, isRange := strings.Cut(s, "-")
	num := func(s string) (int, error) {
		s = strings.TrimSpace(s)
		if s == "" && isRange {
			return 0, nil
		}
		n, err := strconv.Atoi(s)
		if err == nil && n < 0 {
			err = strconv.ErrRange
		}
		return n, err
	}
	if from, err = num(a); err != nil {
		return 0, 0, err
	}
	to = from
	if isRange {
		if to, err = num(b); err != nil {
			return 0, 0, err
		}
	}
	if to != 0 && to < from || from == 0 && to == 0 {
		return 0, 0, strconv.ErrRange
	}
	return from, to, nil
}

// parseHDR reads the hdr parameter into f.
func parseHDR(s string, f *readmovies.Filter) error {
	switch {
	case s == "":
	case strings.EqualFold(s, hdrAny):
		yes := true
		f.HasHDR = &yes
	default:
		v, err := movies.Parse(movies.HDRs, "HDR", s)
		if err != nil {
			return err
		}
		f.HDR = v
	}
	return nil
}

// parseTags reads taglist and tags_type into f.
func parseTags(list, match string, f *readmovies.Filter) error {
	if list != "" {
		tags, err := movies.NormalizeTags("browse movies", "taglist", movies.SplitList(list))
		if err != nil {
			return err
		}
		f.Tags = tags
	}
	switch match {
	case "", "0":
	case "1":
		f.TagsAll = true
	default:
		return domain.FieldE("browse movies", "tags_type", domain.KindInvalid, "tags_type is 0 (any tag) or 1 (every tag)")
	}
	return nil
}

// parseOrder reads order_by and order_way into f.
func parseOrder(by, way string, f *readmovies.Filter) error {
	const op = "browse movies"
	if by != "" {
		v, err := movies.Parse(readmovies.Orders, "order", by)
		if err != nil {
			return domain.FieldE(op, "order_by", domain.KindInvalid, "order_by is one of %s", strings.Join(readmovies.Orders, ", "))
		}
		f.Order = v
	}
	switch strings.ToLower(way) {
	case "", "desc":
	case "asc":
		f.Asc = true
	default:
		return domain.FieldE(op, "order_way", domain.KindInvalid, "order_way is asc or desc")
	}
	return nil
}
