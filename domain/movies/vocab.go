// Package movies is the Movies plugin's domain: People are credited on
// Movies (as actors, each with the character played and a billing order,
// producers, writers and directors), a Movie has Editions (Theatrical,
// Director's Cut, ...), and an Edition has Formats, the plugin's atomic
// unit, each one torrent.
//
// A movie holds its editions and formats in one aggregate, so a format is
// decided on the movie's subject sequence: two uploads of the same format
// into one edition cannot both succeed.
package movies

import (
	"fmt"
	"slices"
	"strings"
)

// Sources are what a format was taken from.
var Sources = []string{"DVD", "Blu-ray", "UHD Blu-ray", "WEB", "HDTV", "VHS"}

// Codecs are a format's video codecs: encoders' names (x264, x265) for
// encodes, the standard's (H.264, H.265) for remuxes, discs and web files.
var Codecs = []string{"x264", "x265", "H.264", "H.265", "XviD", "DivX", "MPEG-2", "VC-1", "AV1"}

// Containers are a format's file or disc structures.
var Containers = []string{"MKV", "MP4", "AVI", "M2TS", "ISO", "VOB IFO"}

// Resolutions are a format's resolutions, lowest first.
var Resolutions = []string{"480p", "576p", "720p", "1080i", "1080p", "2160p"}

// HDR formats; HDRNone is a format in standard dynamic range.
const HDRNone = "None"

// HDRs are a format's dynamic ranges, HDRNone first.
var HDRs = []string{HDRNone, "HDR10", "HDR10+", "Dolby Vision", "HLG"}

// The kinds of a format.
const (
	KindEncode = "Encode" // re-encoded from its source
	KindRemux  = "Remux"  // a disc's streams, untouched, in another container
	KindDisc   = "Disc"   // the disc itself (an ISO, a BDMV's M2TS, a DVD's VOB IFO)
)

// Kinds are a format's kinds.
var Kinds = []string{KindEncode, KindRemux, KindDisc}

// EditionNames are the editions' names an upload form suggests; any other
// name is allowed.
var EditionNames = []string{"Theatrical", "Director's Cut", "Extended", "Unrated", "Special Edition", "Criterion Collection",
	"Remastered", "Final Cut", "Television Cut", "Workprint"}

// Parse reads a value of a vocabulary (Sources, Codecs, ...) whatever its
// case and surrounding spaces, returning the vocabulary's spelling; what
// names the vocabulary in the error ("source").
func Parse(list []string, what, s string) (string, error) {
	if v, ok := canonical(list, s); ok {
		return v, nil
	}
	return "", fmt.Errorf("unknown %s %q: one of %s", what, strings.TrimSpace(s), strings.Join(list, ", "))
}

// ParseHDR is Parse of HDRs, reading "" as HDRNone.
func ParseHDR(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return HDRNone, nil
	}
	return Parse(HDRs, "HDR", s)
}

// CreditKind is how a person is credited on a movie.
type CreditKind int

// The credit kinds.
const (
	CreditDirector CreditKind = 1
	CreditWriter   CreditKind = 2
	CreditProducer CreditKind = 3
	CreditActor    CreditKind = 4
)

// CreditKinds are the credit kinds in the order a movie's page lists them.
var CreditKinds = []CreditKind{CreditDirector, CreditWriter, CreditProducer, CreditActor}

var creditNames = map[CreditKind]string{CreditDirector: "Director", CreditWriter: "Writer", CreditProducer: "Producer", CreditActor: "Actor"}

// String is the kind's name in the singular ("Actor").
func (k CreditKind) String() string {
	if n, ok := creditNames[k]; ok {
		return n
	}
	return fmt.Sprintf("CreditKind(%d)", int(k))
}

// Plural is the kind's name as a heading ("Actors").
func (k CreditKind) Plural() string { return k.String() + "s" }

// Valid reports whether k is one of CreditKinds.
func (k CreditKind) Valid() bool { _, ok := creditNames[k]; return ok }

// ParseCreditKind reads a credit kind by its name, singular or plural
// (any case), or its number; "cast" is the actors.
func ParseCreditKind(s string) (CreditKind, error) {
	s = strings.TrimSpace(s)
	for _, k := range CreditKinds {
		if strings.EqualFold(s, k.String()) || strings.EqualFold(s, k.Plural()) || s == fmt.Sprint(int(k)) {
			return k, nil
		}
	}
	if strings.EqualFold(s, "cast") {
		return CreditActor, nil
	}
	return 0, fmt.Errorf("unknown credit %q: one of Director, Writer, Producer, Actor", s)
}

// canonical returns the member of list equal to s without regard to case
// or surrounding spaces.
func canonical(list []string, s string) (string, bool) {
	s = strings.TrimSpace(s)
	i := slices.IndexFunc(list, func(v string) bool { return strings.EqualFold(v, s) })
	if i < 0 {
		return "", false
	}
	return list[i], true
}

// rank is s's position in list, -1 if absent.
func rank(list []string, s string) int { return slices.Index(list, s) }
