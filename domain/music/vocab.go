// Package music is the Music plugin's domain, after what.cd: an Artist
// has Albums (release groups), an Album has Releases (editions), and a
// Release has Formats, the plugin's atomic unit, each one torrent.
//
// Its vocabularies (release types, media, formats, encodings, credit
// roles) use what.cd's names and numbers, so Gazelle's API answers in the
// shapes the tools that talk to what.cd-style sites expect.
package music

import (
	"fmt"
	"slices"
	"strings"
)

// ReleaseType is an album's kind, numbered as Gazelle numbers them.
type ReleaseType int

// Gazelle's release types.
const (
	TypeAlbum       ReleaseType = 1
	TypeSoundtrack  ReleaseType = 3
	TypeEP          ReleaseType = 5
	TypeAnthology   ReleaseType = 6
	TypeCompilation ReleaseType = 7
	TypeSingle      ReleaseType = 9
	TypeLiveAlbum   ReleaseType = 11
	TypeRemix       ReleaseType = 13
	TypeBootleg     ReleaseType = 14
	TypeInterview   ReleaseType = 15
	TypeMixtape     ReleaseType = 16
	TypeUnknown     ReleaseType = 21
)

// ReleaseTypes are the release types in the order an artist's page
// groups albums by them.
var ReleaseTypes = []ReleaseType{TypeAlbum, TypeSoundtrack, TypeEP, TypeAnthology, TypeCompilation, TypeSingle,
	TypeLiveAlbum, TypeRemix, TypeBootleg, TypeInterview, TypeMixtape, TypeUnknown}

var releaseTypeNames = map[ReleaseType]string{
	TypeAlbum: "Album", TypeSoundtrack: "Soundtrack", TypeEP: "EP", TypeAnthology: "Anthology",
	TypeCompilation: "Compilation", TypeSingle: "Single", TypeLiveAlbum: "Live album", TypeRemix: "Remix",
	TypeBootleg: "Bootleg", TypeInterview: "Interview", TypeMixtape: "Mixtape", TypeUnknown: "Unknown",
}

// String is the type's name as what.cd shows it ("Live album").
func (t ReleaseType) String() string {
	if n, ok := releaseTypeNames[t]; ok {
		return n
	}
	return fmt.Sprintf("ReleaseType(%d)", int(t))
}

// Valid reports whether t is one of ReleaseTypes.
func (t ReleaseType) Valid() bool { _, ok := releaseTypeNames[t]; return ok }

// ParseReleaseType reads a release type by its name (any case) or its
// Gazelle number.
func ParseReleaseType(s string) (ReleaseType, error) {
	s = strings.TrimSpace(s)
	for _, t := range ReleaseTypes {
		if strings.EqualFold(s, t.String()) || s == fmt.Sprint(int(t)) {
			return t, nil
		}
	}
	return 0, fmt.Errorf("unknown release type %q: one of %s", s, names(ReleaseTypes))
}

// Media are the media an edition comes on, as what.cd names them.
var Media = []string{"CD", "DVD", "Vinyl", "Soundboard", "SACD", "DAT", "Cassette", "WEB", "Blu-Ray"}

// Formats are the audio formats of a release format.
var Formats = []string{"MP3", "FLAC", "AAC", "AC3", "DTS", "Ogg"}

// Encodings are the bitrates and kinds of a release format, as what.cd
// names them.
var Encodings = []string{"192", "256", "320", "V0 (VBR)", "V1 (VBR)", "V2 (VBR)", "Lossless", "24bit Lossless", "Other"}

// lossless are the encodings of a lossless format.
var lossless = []string{"Lossless", "24bit Lossless"}

// Role is how an artist is credited on an album, numbered as Gazelle's
// "importance".
type Role int

// Gazelle's artist roles.
const (
	RoleMain      Role = 1
	RoleGuest     Role = 2
	RoleRemixer   Role = 3
	RoleComposer  Role = 4
	RoleConductor Role = 5
	RoleDJ        Role = 6
	RoleProducer  Role = 7
	RoleArranger  Role = 8
)

// Roles are the credit roles in the order an album lists them.
var Roles = []Role{RoleMain, RoleGuest, RoleComposer, RoleConductor, RoleDJ, RoleRemixer, RoleProducer, RoleArranger}

var roleNames = map[Role]string{RoleMain: "Main", RoleGuest: "Guest", RoleRemixer: "Remixer", RoleComposer: "Composer",
	RoleConductor: "Conductor", RoleDJ: "DJ / Compiler", RoleProducer: "Producer", RoleArranger: "Arranger"}

// roleKeys are the roles as Gazelle's API names their lists.
var roleKeys = map[Role]string{RoleMain: "artists", RoleGuest: "with", RoleRemixer: "remixedBy", RoleComposer: "composers",
	RoleConductor: "conductor", RoleDJ: "dj", RoleProducer: "producer", RoleArranger: "arranger"}

func (r Role) String() string {
	if n, ok := roleNames[r]; ok {
		return n
	}
	return fmt.Sprintf("Role(%d)", int(r))
}

// Key is the role's list name in Gazelle's API ("artists", "with", ...).
func (r Role) Key() string { return roleKeys[r] }

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { _, ok := roleNames[r]; return ok }

// ParseRole reads a role by its name, its API key (any case) or its
// Gazelle number; "dj" and "compiler" both name the DJ / Compiler.
func ParseRole(s string) (Role, error) {
	s = strings.TrimSpace(s)
	for _, r := range Roles {
		if strings.EqualFold(s, r.String()) || strings.EqualFold(s, r.Key()) || s == fmt.Sprint(int(r)) {
			return r, nil
		}
	}
	switch strings.ToLower(s) {
	case "dj", "compiler":
		return RoleDJ, nil
	case "with":
		return RoleGuest, nil
	}
	return 0, fmt.Errorf("unknown artist role %q: one of %s", s, names(Roles))
}

// canonical returns the member of list equal to s without regard to case.
func canonical(list []string, s string) (string, bool) {
	s = strings.TrimSpace(s)
	i := slices.IndexFunc(list, func(v string) bool { return strings.EqualFold(v, s) })
	if i < 0 {
		return "", false
	}
	return list[i], true
}

// names lists the String of each of vs, comma-separated.
func names[T fmt.Stringer](vs []T) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.String()
	}
	return strings.Join(out, ", ")
}
