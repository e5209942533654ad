package music

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// Limits of the catalogue's fields.
const (
	MaxName        = 100  // an artist's name or alias
	MaxTitle       = 200  // an album's or edition's title
	MaxText        = 8000 // a description
	MaxURL         = 500
	MaxTags        = 20
	MaxTag         = 32
	MaxLabel       = 100 // record label, catalogue number
	MaxSimilar     = 20
	MaxCredits     = 50
	FirstYear      = 1800 // the oldest year a recording may carry
	LastYear       = 2200
	PerfectLog     = 100
	releaseYearMin = FirstYear
)

// invalid is a refusal of one field.
func invalid(op, field, format string, args ...any) error {
	return domain.FieldE(op, field, domain.KindInvalid, format, args...)
}

// checkText refuses a required or optional one-line text that is empty
// (when required), too long, or holds control characters.
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

// checkDescription refuses a description that is too long or not UTF-8;
// it may hold line breaks and tabs.
func checkDescription(op, field, s string) error {
	switch {
	case !utf8.ValidString(s):
		return invalid(op, field, "the description is not valid UTF-8")
	case utf8.RuneCountInString(s) > MaxText:
		return invalid(op, field, "the description is %d characters long: at most %d", utf8.RuneCountInString(s), MaxText)
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) >= 0:
		return invalid(op, field, "the description holds a control character")
	}
	return nil
}

// CheckURL refuses a link that is not an absolute http or https URL (an
// image or a cover is shown from it: no javascript:, no data:).
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

// CheckYear refuses a year outside FirstYear..LastYear; 0 is allowed
// when optional (an edition without its own year).
func CheckYear(op, field string, year int, optional bool) error {
	if year == 0 && optional {
		return nil
	}
	if year < FirstYear || year > LastYear {
		return invalid(op, field, "the year %d is not between %d and %d", year, FirstYear, LastYear)
	}
	return nil
}

var tagPattern = regexp.MustCompile(`^[a-z0-9]+(\.[a-z0-9]+)*$`)

// NormalizeTags turns tags as people type them ("Hip Hop, jazz ,
// post-rock") into what.cd's form: lower case, words joined by dots
// ("hip.hop", "jazz", "post.rock"), duplicates dropped, in the order
// given. It refuses a tag with other characters, too long a tag, and more
// than MaxTags tags.
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

// SplitTags splits a comma-separated tag list as a form gives it.
func SplitTags(s string) []string { return strings.Split(s, ",") }

// NameKey is the form of an artist's name or alias two names are the same
// artist by: case folded, inner runs of spaces as one.
func NameKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// ArtistInfo is what describes an artist.
type ArtistInfo struct {
	Description string      `json:"description,omitempty"`
	ImageURL    string      `json:"image_url,omitempty"`
	Similar     []uuid.UUID `json:"similar,omitempty"` // other artists, by id
}

// Check refuses a description or image link that is not acceptable, more
// than MaxSimilar similar artists, and a similar artist named twice or
// not named (uuid.Nil).
func (a ArtistInfo) Check(op string) error {
	var errs []error
	errs = append(errs, checkDescription(op, "description", a.Description), CheckURL(op, "image", a.ImageURL))
	seen := map[uuid.UUID]bool{}
	for _, s := range a.Similar {
		if s == uuid.Nil || seen[s] {
			errs = append(errs, invalid(op, "similar", "that artist is already one of the similar artists"))
			break
		}
		seen[s] = true
	}
	if len(a.Similar) > MaxSimilar {
		errs = append(errs, invalid(op, "similar", "%d similar artists: at most %d", len(a.Similar), MaxSimilar))
	}
	return errors.Join(errs...)
}

// CheckArtistName refuses an artist's name or alias that is empty, too
// long or holds control characters.
func CheckArtistName(op, field, name string) error {
	return checkText(op, field, "artist's name", name, MaxName, true)
}

// Credit names an artist on an album in a role.
type Credit struct {
	Artist uuid.UUID `json:"artist"`
	Role   Role      `json:"role"`
}

// AlbumInfo is what describes an album (a release group), its credits
// included.
type AlbumInfo struct {
	Title       string      `json:"title"`
	Year        int         `json:"year"`
	ReleaseType ReleaseType `json:"release_type"`
	Tags        []string    `json:"tags,omitempty"`
	Description string      `json:"description,omitempty"`
	CoverURL    string      `json:"cover_url,omitempty"`
	Credits     []Credit    `json:"credits"`
}

// Check refuses an album without a title, a year in range or a known
// release type, with tags not in normal form (NormalizeTags), a bad
// cover link, or credits that name no main artist, composer or DJ (an
// album is listed under them), repeat an artist in one role, or hold an
// unknown role. Every problem is returned, each with its field.
func (a AlbumInfo) Check(op string) error {
	errs := []error{checkText(op, "title", "album's title", a.Title, MaxTitle, true), CheckYear(op, "year", a.Year, false),
		checkDescription(op, "description", a.Description), CheckURL(op, "cover", a.CoverURL)}
	if !a.ReleaseType.Valid() {
		errs = append(errs, invalid(op, "release_type", "choose the release type: one of %s", names(ReleaseTypes)))
	}
	if norm, err := NormalizeTags(op, "tags", a.Tags); err != nil {
		errs = append(errs, err)
	} else if !slicesEqual(norm, a.Tags) {
		errs = append(errs, invalid(op, "tags", "tags must be normalized first (NormalizeTags)"))
	}
	errs = append(errs, checkCredits(op, a.Credits))
	return errors.Join(errs...)
}

func checkCredits(op string, credits []Credit) error {
	if len(credits) > MaxCredits {
		return invalid(op, "artists", "%d artist credits: at most %d", len(credits), MaxCredits)
	}
	lead := false
	seen := map[Credit]bool{}
	for _, c := range credits {
		switch {
		case !c.Role.Valid():
			return invalid(op, "artists", "unknown artist role %d", int(c.Role))
		case c.Artist == uuid.Nil:
			return invalid(op, "artists", "a credit names no artist")
		case seen[c]:
			return invalid(op, "artists", "an artist is credited twice as %s", c.Role)
		}
		seen[c] = true
		lead = lead || c.Role == RoleMain || c.Role == RoleComposer || c.Role == RoleDJ || c.Role == RoleConductor
	}
	if !lead {
		return invalid(op, "artists", "credit at least one main artist (or a composer, conductor or DJ)")
	}
	return nil
}

// ReleaseInfo is what describes an edition of an album.
type ReleaseInfo struct {
	Year            int    `json:"year,omitempty"` // 0: the album's year
	RecordLabel     string `json:"record_label,omitempty"`
	CatalogueNumber string `json:"catalogue_number,omitempty"`
	EditionTitle    string `json:"edition_title,omitempty"`
	Media           string `json:"media"`
}

// Check refuses an edition with an unknown medium, a year out of range,
// or over-long texts.
func (r ReleaseInfo) Check(op string) error {
	errs := []error{CheckYear(op, "release_year", r.Year, true),
		checkText(op, "record_label", "record label", r.RecordLabel, MaxLabel, false),
		checkText(op, "catalogue_number", "catalogue number", r.CatalogueNumber, MaxLabel, false),
		checkText(op, "edition_title", "edition title", r.EditionTitle, MaxTitle, false)}
	if m, ok := canonical(Media, r.Media); !ok || m != r.Media {
		errs = append(errs, invalid(op, "media", "choose the medium: one of %s", strings.Join(Media, ", ")))
	}
	return errors.Join(errs...)
}

// Same reports whether r and o describe the same edition: an upload that
// names an edition already there adds its format to it.
func (r ReleaseInfo) Same(o ReleaseInfo) bool {
	return r.Year == o.Year && r.Media == o.Media && NameKey(r.RecordLabel) == NameKey(o.RecordLabel) &&
		NameKey(r.CatalogueNumber) == NameKey(o.CatalogueNumber) && NameKey(r.EditionTitle) == NameKey(o.EditionTitle)
}

// FormatInfo is what describes a release format, the atomic unit: one
// torrent's audio.
type FormatInfo struct {
	Format   string `json:"format"`
	Encoding string `json:"encoding"`
	HasLog   bool   `json:"has_log,omitempty"`
	LogScore int    `json:"log_score,omitempty"` // 0-100, with HasLog
	HasCue   bool   `json:"has_cue,omitempty"`
	Scene    bool   `json:"scene,omitempty"`
}

// Check refuses an unknown format or encoding, an encoding the format
// cannot have (FLAC is lossless, MP3 and the others are not), a log or cue
// on anything but a CD rip in FLAC, and a log score outside 0-100. An
// empty media (the edition's is not known yet) skips the log and cue rule.
func (f FormatInfo) Check(op, media string) error {
	var errs []error
	format, okF := canonical(Formats, f.Format)
	encoding, okE := canonical(Encodings, f.Encoding)
	if !okF || format != f.Format {
		errs = append(errs, invalid(op, "format", "choose the format: one of %s", strings.Join(Formats, ", ")))
	}
	if !okE || encoding != f.Encoding {
		errs = append(errs, invalid(op, "encoding", "choose the encoding: one of %s", strings.Join(Encodings, ", ")))
	}
	if okF && okE {
		isLossless := encoding == "Lossless" || encoding == "24bit Lossless"
		switch {
		case format == "FLAC" && !isLossless:
			errs = append(errs, invalid(op, "encoding", "FLAC is lossless: choose %s", strings.Join(lossless, " or ")))
		case format != "FLAC" && isLossless && format != "DTS" && format != "AC3":
			errs = append(errs, invalid(op, "encoding", "%s is lossy: choose a bitrate, not %s", format, encoding))
		}
	}
	if (f.HasLog || f.HasCue) && (f.Format != "FLAC" || (media != "CD" && media != "")) {
		errs = append(errs, invalid(op, "has_log", "a log or cue comes only with a CD ripped to FLAC"))
	}
	if !f.HasLog && f.LogScore != 0 {
		errs = append(errs, invalid(op, "log_score", "a log score needs a log"))
	}
	if f.LogScore < 0 || f.LogScore > PerfectLog {
		errs = append(errs, invalid(op, "log_score", "the log score %d is not between 0 and %d", f.LogScore, PerfectLog))
	}
	return errors.Join(errs...)
}

// Label is how a format row names the format: "FLAC / Lossless / Log
// (100%) / Cue", "MP3 / V0 (VBR) / Scene".
func (f FormatInfo) Label() string {
	parts := []string{f.Format, f.Encoding}
	if f.HasLog {
		parts = append(parts, fmt.Sprintf("Log (%d%%)", f.LogScore))
	}
	if f.HasCue {
		parts = append(parts, "Cue")
	}
	if f.Scene {
		parts = append(parts, "Scene")
	}
	return strings.Join(parts, " / ")
}

// Duplicates reports whether f and o are the same format in one edition:
// the same format and encoding (what.cd keeps one of each per edition).
func (f FormatInfo) Duplicates(o FormatInfo) bool {
	return f.Format == o.Format && f.Encoding == o.Encoding
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
