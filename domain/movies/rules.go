package movies

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// Limits of the catalogue's fields.
const (
	MaxName        = 100  // a person's name or alias
	MaxTitle       = 200  // a movie's title or original title
	MaxEdition     = 100  // an edition's name, a distributor
	MaxRole        = 200  // the character an actor plays
	MaxText        = 8000 // a synopsis, a biography
	MaxURL         = 500
	MaxTags        = 20
	MaxTag         = 32
	MaxCredits     = 200
	MaxRuntime     = 1000 // minutes
	FirstYear      = 1870 // the oldest year a movie may carry
	FirstBirthYear = 1800
	LastYear       = 2200
)

// invalid is a refusal of one field.
func invalid(op, field, format string, args ...any) error {
	return domain.FieldE(op, field, domain.KindInvalid, format, args...)
}

// checkText refuses a one-line text that is empty (when required), too
// long, not UTF-8, holds control characters or begins or ends with spaces.
func checkText(op, field, what, s string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(s) == "":
		return invalid(op, field, "give the %s", what)
	case !utf8.ValidString(s):
		return invalid(op, field, "the %s is not valid UTF-8", what)
	case utf8.RuneCountInString(s) > max:
		return invalid(op, field, "the %s is %d characters long: at most %d", what, utf8.RuneCountInString(s), max)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return invalid(op, field, "the %s holds a control character", what)
	case s != strings.TrimSpace(s):
		return invalid(op, field, "the %s begins or ends with spaces", what)
	}
	return nil
}

// checkLongText refuses a synopsis or biography that is too long or not
// UTF-8; it may hold line breaks and tabs.
func checkLongText(op, field, what, s string) error {
	switch {
	case !utf8.ValidString(s):
		return invalid(op, field, "the %s is not valid UTF-8", what)
	case utf8.RuneCountInString(s) > MaxText:
		return invalid(op, field, "the %s is %d characters long: at most %d", what, utf8.RuneCountInString(s), MaxText)
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) >= 0:
		return invalid(op, field, "the %s holds a control character", what)
	}
	return nil
}

// CheckURL refuses a link that is not an absolute http or https URL (a
// poster is shown from it: no javascript:, no data:). "" is no link.
func CheckURL(op, field, s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	switch {
	case len(s) > MaxURL:
		return invalid(op, field, "the link is %d characters long: at most %d", len(s), MaxURL)
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(s, " \t\r\n\"'<>"):
		return invalid(op, field, "give a link that begins with https:// (or http://)")
	}
	return nil
}

// checkYear refuses a year outside first..LastYear; 0 is allowed when
// optional (unknown, or the movie's).
func checkYear(op, field string, year, first int, optional bool) error {
	if year == 0 && optional {
		return nil
	}
	if year < first || year > LastYear {
		return invalid(op, field, "the year %d is not between %d and %d", year, first, LastYear)
	}
	return nil
}

var imdbPattern = regexp.MustCompile(`^tt[0-9]{7,8}$`)

// CheckIMDbID refuses an IMDb id that is not "tt" and 7 or 8 digits
// ("tt0133093"); "" is none.
func CheckIMDbID(op, field, id string) error {
	if id != "" && !imdbPattern.MatchString(id) {
		return invalid(op, field, "an IMDb id is tt and 7 or 8 digits, as in tt0133093")
	}
	return nil
}

var tagPattern = regexp.MustCompile(`^[a-z0-9]+(\.[a-z0-9]+)*$`)

// NormalizeTags turns tags as people type them ("Science Fiction, noir ,
// neo-noir") into their normal form: lower case, words joined by dots
// ("science.fiction", "noir", "neo.noir"), duplicates dropped, in the
// order given. It refuses a tag with other characters, too long a tag,
// and more than MaxTags tags.
func NormalizeTags(op, field string, tags []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		t = strings.Join(strings.FieldsFunc(t, func(r rune) bool { return r == ' ' || r == '-' || r == '_' || r == '.' }), ".")
		if t == "" || seen[t] {
			continue
		}
		if !tagPattern.MatchString(t) {
			return nil, invalid(op, field, "the tag %q may hold only letters a-z, digits and dots", t)
		}
		if len(t) > MaxTag {
			return nil, invalid(op, field, "the tag %q is longer than %d characters", t, MaxTag)
		}
		seen[t] = true
		out = append(out, t)
	}
	if len(out) > MaxTags {
		return nil, invalid(op, field, "%d tags: at most %d", len(out), MaxTags)
	}
	return out, nil
}

// NameKey is the form of a person's name or alias two names are the same
// person by: case folded, inner runs of spaces as one.
func NameKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// CheckPersonName refuses a person's name or alias that is empty, too
// long or holds control characters.
func CheckPersonName(op, field, name string) error {
	return checkText(op, field, "person's name", name, MaxName, true)
}

// PersonInfo is what describes a person.
type PersonInfo struct {
	BirthYear int    `json:"birth_year,omitempty"` // 0: unknown
	Biography string `json:"biography,omitempty"`
}

// Check refuses a birth year out of range and a biography too long.
func (p PersonInfo) Check(op string) error {
	return errors.Join(checkYear(op, "birth_year", p.BirthYear, FirstBirthYear, true),
		checkLongText(op, "biography", "biography", p.Biography))
}

// Credit names a person on a movie: as an actor (playing Role, billed
// at Billing, from 1), or as a producer, writer or director.
type Credit struct {
	Person  uuid.UUID  `json:"person"`
	Kind    CreditKind `json:"kind"`
	Role    string     `json:"role,omitempty"`
	Billing int        `json:"billing,omitempty"`
}

// MovieInfo is what describes a movie, its credits included.
type MovieInfo struct {
	Title         string   `json:"title"`
	OriginalTitle string   `json:"original_title,omitempty"` // in its own language, when it differs
	Year          int      `json:"year"`
	Synopsis      string   `json:"synopsis,omitempty"`
	IMDbID        string   `json:"imdb_id,omitempty"`
	Runtime       int      `json:"runtime,omitempty"` // minutes; 0: unknown
	Tags          []string `json:"tags,omitempty"`
	PosterURL     string   `json:"poster_url,omitempty"`
	Credits       []Credit `json:"credits"`
}

// Check refuses a movie without a title or a year in range, with a bad
// IMDb id, a runtime outside 1..MaxRuntime minutes (0 is unknown), tags
// not in normal form (NormalizeTags), a bad poster link, or credits that
// name no director and no actor, repeat a credit, or are malformed
// (CheckCredits). Every problem is returned, each with its field.
func (m MovieInfo) Check(op string) error {
	errs := []error{checkText(op, "title", "movie's title", m.Title, MaxTitle, true),
		checkText(op, "original_title", "original title", m.OriginalTitle, MaxTitle, false),
		checkYear(op, "year", m.Year, FirstYear, false),
		checkLongText(op, "synopsis", "synopsis", m.Synopsis),
		CheckIMDbID(op, "imdb_id", m.IMDbID), CheckURL(op, "poster", m.PosterURL)}
	if m.Runtime < 0 || m.Runtime > MaxRuntime {
		errs = append(errs, invalid(op, "runtime", "the runtime %d is not between 1 and %d minutes", m.Runtime, MaxRuntime))
	}
	if norm, err := NormalizeTags(op, "tags", m.Tags); err != nil {
		errs = append(errs, err)
	} else if !slices.Equal(norm, m.Tags) {
		errs = append(errs, invalid(op, "tags", "tags must be normalized first (NormalizeTags)"))
	}
	errs = append(errs, CheckCredits(op, m.Credits))
	return errors.Join(errs...)
}

// CheckCredits refuses, on the field "credits": more than MaxCredits, an
// unknown kind, a credit naming nobody, an actor without a billing order
// (from 1) or with one another actor's credit has, a role or billing on a
// credit that is not an actor's, a role not acceptable as text, a person
// credited twice in one kind (an actor twice in one role), and credits
// with neither a director nor an actor (a movie is listed under them).
func CheckCredits(op string, credits []Credit) error {
	if len(credits) > MaxCredits {
		return invalid(op, "credits", "%d credits: at most %d", len(credits), MaxCredits)
	}
	lead := false
	type key struct {
		person uuid.UUID
		kind   CreditKind
		role   string
	}
	seen := map[key]bool{}
	billed := map[int]bool{}
	for _, c := range credits {
		k := key{c.Person, c.Kind, NameKey(c.Role)}
		switch {
		case !c.Kind.Valid():
			return invalid(op, "credits", "unknown credit kind %d", int(c.Kind))
		case c.Person == uuid.Nil:
			return invalid(op, "credits", "a credit names nobody")
		case c.Kind != CreditActor && (c.Role != "" || c.Billing != 0):
			return invalid(op, "credits", "only an actor has a role and a billing order, not a %s", strings.ToLower(c.Kind.String()))
		case c.Kind == CreditActor && c.Billing < 1:
			return invalid(op, "credits", "an actor's billing order is 1 or more")
		case c.Kind == CreditActor && billed[c.Billing]:
			return invalid(op, "credits", "two actors are billed %d: give each actor its own place", c.Billing)
		case seen[k] && c.Kind == CreditActor:
			return invalid(op, "credits", "an actor is credited twice as %q", c.Role)
		case seen[k]:
			return invalid(op, "credits", "a person is credited twice as %s", strings.ToLower(c.Kind.String()))
		}
		if err := checkText(op, "credits", "role", c.Role, MaxRole, false); err != nil {
			return err
		}
		seen[k] = true
		if c.Kind == CreditActor {
			billed[c.Billing] = true
		}
		lead = lead || c.Kind == CreditDirector || c.Kind == CreditActor
	}
	if !lead {
		return invalid(op, "credits", "credit at least one director or one actor")
	}
	return nil
}

// EditionInfo is what describes an edition of a movie.
type EditionInfo struct {
	Name        string `json:"name"`           // Theatrical, Director's Cut, Extended, ...
	Year        int    `json:"year,omitempty"` // 0: the movie's
	Distributor string `json:"distributor,omitempty"`
}

// Check refuses an edition without a name, with a year out of range or
// over-long texts.
func (e EditionInfo) Check(op string) error {
	return errors.Join(checkText(op, "edition", "edition's name", e.Name, MaxEdition, true),
		checkYear(op, "edition_year", e.Year, FirstYear, true),
		checkText(op, "distributor", "distributor", e.Distributor, MaxEdition, false))
}

// Same reports whether e and o describe the same edition: an upload that
// describes an edition the movie has adds its format to it.
func (e EditionInfo) Same(o EditionInfo) bool {
	return NameKey(e.Name) == NameKey(o.Name) && e.Year == o.Year && NameKey(e.Distributor) == NameKey(o.Distributor)
}

// Label is how pages name the edition: "Director's Cut (2007, Warner)".
func (e EditionInfo) Label() string {
	var extra []string
	if e.Year != 0 {
		extra = append(extra, fmt.Sprint(e.Year))
	}
	if e.Distributor != "" {
		extra = append(extra, e.Distributor)
	}
	if len(extra) == 0 {
		return e.Name
	}
	return e.Name + " (" + strings.Join(extra, ", ") + ")"
}

// FormatInfo is what describes a movie format, the atomic unit: one
// torrent's video.
type FormatInfo struct {
	Source     string   `json:"source"`
	Codec      string   `json:"codec"`
	Container  string   `json:"container"`
	Resolution string   `json:"resolution"`
	HDR        string   `json:"hdr"` // one of HDRs; HDRNone for SDR
	Kind       string   `json:"kind"`
	Subtitles  []string `json:"subtitles,omitempty"` // ISO 639-1, normalized (NormalizeSubtitles)
}

// maxResolution is the highest resolution a source carries (a DVD or VHS
// is standard definition, a Blu-ray at most 1080p).
var maxResolution = map[string]string{"DVD": "576p", "VHS": "576p", "Blu-ray": "1080p"}

// discSources are the sources a remux or a disc comes from.
var discSources = []string{"DVD", "Blu-ray", "UHD Blu-ray"}

// Check refuses, each on its field, a value outside its vocabulary (in
// the vocabulary's spelling), a resolution above its source's (a DVD or
// VHS at most 576p, a Blu-ray at most 1080p), a remux or disc not from a
// disc source, a container its kind does not come in (an encode in MKV,
// MP4 or AVI; a remux in MKV, MP4 or M2TS; a disc as ISO, M2TS, or VOB
// IFO for a DVD), HDR in a codec that cannot carry it (only H.265, x265
// and AV1 do) or from a DVD or VHS, and subtitles not normalized.
func (f FormatInfo) Check(op string) error {
	var errs []error
	ok := true
	for _, v := range []struct {
		field, what, value string
		list               []string
	}{{"source", "source", f.Source, Sources}, {"codec", "codec", f.Codec, Codecs}, {"container", "container", f.Container, Containers},
		{"resolution", "resolution", f.Resolution, Resolutions}, {"hdr", "HDR", f.HDR, HDRs}, {"kind", "kind", f.Kind, Kinds}} {
		if c, found := canonical(v.list, v.value); !found || c != v.value {
			errs = append(errs, invalid(op, v.field, "choose the %s: one of %s", v.what, strings.Join(v.list, ", ")))
			ok = false
		}
	}
	if ok {
		errs = append(errs, f.checkCombination(op))
	}
	if norm, err := NormalizeSubtitles(op, "subtitles", f.Subtitles); err != nil {
		errs = append(errs, err)
	} else if !slices.Equal(norm, f.Subtitles) {
		errs = append(errs, invalid(op, "subtitles", "subtitle languages must be normalized first (NormalizeSubtitles)"))
	}
	return errors.Join(errs...)
}

// checkCombination holds the rules between a format's values, all of
// them in their vocabularies.
func (f FormatInfo) checkCombination(op string) error {
	var errs []error
	if top, ok := maxResolution[f.Source]; ok && rank(Resolutions, f.Resolution) > rank(Resolutions, top) {
		errs = append(errs, invalid(op, "resolution", "a %s is at most %s, not %s", f.Source, top, f.Resolution))
	}
	disc := slices.Contains(discSources, f.Source)
	switch f.Kind {
	case KindEncode:
		if !slices.Contains([]string{"MKV", "MP4", "AVI"}, f.Container) {
			errs = append(errs, invalid(op, "container", "an encode comes in MKV, MP4 or AVI, not %s", f.Container))
		}
	case KindRemux:
		if !disc {
			errs = append(errs, invalid(op, "kind", "a remux is of a disc: its source is a DVD, Blu-ray or UHD Blu-ray"))
		} else if !slices.Contains([]string{"MKV", "MP4", "M2TS"}, f.Container) {
			errs = append(errs, invalid(op, "container", "a remux comes in MKV, MP4 or M2TS, not %s", f.Container))
		}
	case KindDisc:
		switch {
		case !disc:
			errs = append(errs, invalid(op, "kind", "a disc is a DVD, Blu-ray or UHD Blu-ray"))
		case f.Container == "VOB IFO" && f.Source != "DVD":
			errs = append(errs, invalid(op, "container", "VOB IFO is a DVD's structure: a %s is ISO or M2TS", f.Source))
		case f.Container == "M2TS" && f.Source == "DVD":
			errs = append(errs, invalid(op, "container", "M2TS is a Blu-ray's structure: a DVD is ISO or VOB IFO"))
		case !slices.Contains([]string{"ISO", "M2TS", "VOB IFO"}, f.Container):
			errs = append(errs, invalid(op, "container", "a disc comes as ISO, M2TS (Blu-ray) or VOB IFO (DVD), not %s", f.Container))
		}
	}
	if f.HDR != HDRNone {
		switch {
		case f.Source == "DVD" || f.Source == "VHS":
			errs = append(errs, invalid(op, "hdr", "a %s has no HDR", f.Source))
		case !slices.Contains([]string{"H.265", "x265", "AV1"}, f.Codec):
			errs = append(errs, invalid(op, "hdr", "%s is carried in H.265, x265 or AV1, not %s", f.HDR, f.Codec))
		}
	}
	return errors.Join(errs...)
}

// Label is how a format row names the format: "Blu-ray / 1080p / x264 /
// MKV / Encode", with its HDR when it has one ("UHD Blu-ray / 2160p /
// H.265 / M2TS / Disc / Dolby Vision").
func (f FormatInfo) Label() string {
	parts := []string{f.Source, f.Resolution, f.Codec, f.Container, f.Kind}
	if f.HDR != HDRNone && f.HDR != "" {
		parts = append(parts, f.HDR)
	}
	return strings.Join(parts, " / ")
}

// Key is what makes two formats of one edition the same (Duplicates):
// "Blu-ray / 1080p / x264 / Encode", with its HDR when it has one.
func (f FormatInfo) Key() string {
	parts := []string{f.Source, f.Resolution, f.Codec, f.Kind}
	if f.HDR != HDRNone && f.HDR != "" {
		parts = append(parts, f.HDR)
	}
	return strings.Join(parts, " / ")
}

// Duplicates reports whether f and o are the same format in one edition:
// the same source, resolution, codec, kind and HDR. The container and the
// subtitles do not make another format (an MKV and an MP4 of one encode
// are one format twice).
func (f FormatInfo) Duplicates(o FormatInfo) bool {
	return f.Source == o.Source && f.Resolution == o.Resolution && f.Codec == o.Codec && f.Kind == o.Kind && f.HDR == o.HDR
}
