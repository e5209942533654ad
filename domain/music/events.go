package music

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// Subjects of the Music plugin. An artist's and an album's changes each
// go to the aggregate's own subject; a name (an artist's or an alias) is
// claimed once on its own subject, so two artists never share a name.
const (
	SubjectAll    = "djembe.music.>"
	subjectArtist = "djembe.music.artist."
	subjectAlbum  = "djembe.music.album."
	subjectName   = "djembe.music.artistname."
	subjectKey    = "djembe.music.albumkey."
)

// ArtistSubject holds an artist's changes.
func ArtistSubject(id uuid.UUID) string { return subjectArtist + id.String() }

// AlbumSubject holds an album's changes, its editions' and formats'.
func AlbumSubject(id uuid.UUID) string { return subjectAlbum + id.String() }

// NameSubject is the claim of an artist's name or alias (by NameKey).
func NameSubject(name string) string {
	sum := sha256.Sum256([]byte(NameKey(name)))
	return subjectName + hex.EncodeToString(sum[:16])
}

// AlbumKey is what makes two uploads the same album: its main artists
// (by id, in any order), its title (by NameKey) and its year. An upload of
// a "new" album that has the key of one already here goes into that one.
func AlbumKey(mainArtists []uuid.UUID, title string, year int) string {
	ids := make([]string, len(mainArtists))
	for i, id := range mainArtists {
		ids[i] = id.String()
	}
	slices.Sort(ids)
	sum := sha256.Sum256([]byte(strings.Join(ids, ",") + "\x00" + NameKey(title) + "\x00" + strconv.Itoa(year)))
	return hex.EncodeToString(sum[:16])
}

// AlbumKeySubject is the claim of an album's key.
func AlbumKeySubject(key string) string { return subjectKey + key }

// Event types.
const (
	TypeArtistNameClaimed = "MusicArtistNameClaimed"
	TypeArtistCreated     = "MusicArtistCreated"
	TypeArtistEdited      = "MusicArtistEdited"
	TypeArtistAliasAdded  = "MusicArtistAliasAdded"
	TypeArtistMerged      = "MusicArtistMerged"
	TypeAlbumKeyClaimed   = "MusicAlbumKeyClaimed"
	TypeAlbumCreated      = "MusicAlbumCreated"
	TypeAlbumEdited       = "MusicAlbumEdited"
	TypeReleaseAdded      = "MusicReleaseAdded"
	TypeReleaseEdited     = "MusicReleaseEdited"
	TypeFormatAdded       = "MusicFormatAdded"
	TypeFormatEdited      = "MusicFormatEdited"
)

// ArtistNameClaimed takes a name (an artist's own or an alias) for an
// artist, on NameSubject(Name) with expected sequence 0. A merge leaves
// it: the name then leads to the merged artist, which redirects.
type ArtistNameClaimed struct {
	Name   string    `json:"name"`
	Artist uuid.UUID `json:"artist"`
}

// ArtistCreated adds an artist, after its name was claimed.
type ArtistCreated struct {
	Artist uuid.UUID `json:"artist"`
	Name   string    `json:"name"`
	ArtistInfo
}

// ArtistEdited replaces an artist's description, image and similar artists.
type ArtistEdited struct {
	Artist uuid.UUID `json:"artist"`
	ArtistInfo
}

// ArtistAliasAdded gives an artist another name, claimed like its own: a
// search or a link by the alias leads to the artist.
type ArtistAliasAdded struct {
	Artist uuid.UUID `json:"artist"`
	Alias  string    `json:"alias"`
}

// ArtistMerged folds an artist into another (a duplicate, a misspelling):
// its name and aliases become aliases of Into, its credits move to Into,
// and its page redirects there. Appended to the merged artist's subject;
// it changes nothing more.
type ArtistMerged struct {
	Artist uuid.UUID `json:"artist"`
	Into   uuid.UUID `json:"into"`
}

// AlbumKeyClaimed takes an album's key (AlbumKey) for the album, on
// AlbumKeySubject with expected sequence 0, before the album is created:
// two uploads of the same album become one album.
type AlbumKeyClaimed struct {
	Key   string    `json:"key"`
	Album uuid.UUID `json:"album"`
}

// AlbumCreated adds an album (a release group) with its credits.
type AlbumCreated struct {
	Album uuid.UUID `json:"album"`
	AlbumInfo
}

// AlbumEdited replaces what describes an album, its credits included.
type AlbumEdited struct {
	Album uuid.UUID `json:"album"`
	AlbumInfo
}

// ReleaseAdded adds an edition to an album.
type ReleaseAdded struct {
	Album   uuid.UUID `json:"album"`
	Release uuid.UUID `json:"release"`
	ReleaseInfo
}

// ReleaseEdited replaces what describes an edition.
type ReleaseEdited struct {
	Album   uuid.UUID `json:"album"`
	Release uuid.UUID `json:"release"`
	ReleaseInfo
}

// FormatAdded makes a registered torrent (category Music) a format of an
// edition: the plugin's atomic unit, one to one with the torrent.
type FormatAdded struct {
	Album    uuid.UUID       `json:"album"`
	Release  uuid.UUID       `json:"release"`
	InfoHash domain.InfoHash `json:"info_hash"`
	FormatInfo
}

// FormatEdited replaces what describes a format (not its torrent).
type FormatEdited struct {
	Album    uuid.UUID       `json:"album"`
	InfoHash domain.InfoHash `json:"info_hash"`
	FormatInfo
}

func (ArtistNameClaimed) EventType() string { return TypeArtistNameClaimed }
func (ArtistCreated) EventType() string     { return TypeArtistCreated }
func (ArtistEdited) EventType() string      { return TypeArtistEdited }
func (ArtistAliasAdded) EventType() string  { return TypeArtistAliasAdded }
func (ArtistMerged) EventType() string      { return TypeArtistMerged }
func (AlbumKeyClaimed) EventType() string   { return TypeAlbumKeyClaimed }
func (AlbumCreated) EventType() string      { return TypeAlbumCreated }
func (AlbumEdited) EventType() string       { return TypeAlbumEdited }
func (ReleaseAdded) EventType() string      { return TypeReleaseAdded }
func (ReleaseEdited) EventType() string     { return TypeReleaseEdited }
func (FormatAdded) EventType() string       { return TypeFormatAdded }
func (FormatEdited) EventType() string      { return TypeFormatEdited }

// Types are the plugin's event types, which its read models consume.
var Types = []string{TypeArtistNameClaimed, TypeArtistCreated, TypeArtistEdited, TypeArtistAliasAdded, TypeArtistMerged,
	TypeAlbumKeyClaimed, TypeAlbumCreated, TypeAlbumEdited, TypeReleaseAdded, TypeReleaseEdited, TypeFormatAdded, TypeFormatEdited}

func init() {
	domain.RegisterJSON[ArtistNameClaimed](1, nil)
	domain.RegisterJSON[ArtistCreated](1, nil)
	domain.RegisterJSON[ArtistEdited](1, nil)
	domain.RegisterJSON[ArtistAliasAdded](1, nil)
	domain.RegisterJSON[ArtistMerged](1, nil)
	domain.RegisterJSON[AlbumKeyClaimed](1, nil)
	domain.RegisterJSON[AlbumCreated](1, nil)
	domain.RegisterJSON[AlbumEdited](1, nil)
	domain.RegisterJSON[ReleaseAdded](1, nil)
	domain.RegisterJSON[ReleaseEdited](1, nil)
	domain.RegisterJSON[FormatAdded](1, nil)
	domain.RegisterJSON[FormatEdited](1, nil)

	place := func(typ, prefix string, subject func(domain.Event) string) {
		domain.RegisterPlacement(typ, domain.Placement{Prefix: prefix, Subject: subject})
	}
	place(TypeArtistNameClaimed, subjectName, func(e domain.Event) string { return NameSubject(e.(ArtistNameClaimed).Name) })
	artist := func(id func(domain.Event) uuid.UUID) func(domain.Event) string {
		return func(e domain.Event) string { return ArtistSubject(id(e)) }
	}
	place(TypeArtistCreated, subjectArtist, artist(func(e domain.Event) uuid.UUID { return e.(ArtistCreated).Artist }))
	place(TypeArtistEdited, subjectArtist, artist(func(e domain.Event) uuid.UUID { return e.(ArtistEdited).Artist }))
	place(TypeArtistAliasAdded, subjectArtist, artist(func(e domain.Event) uuid.UUID { return e.(ArtistAliasAdded).Artist }))
	place(TypeArtistMerged, subjectArtist, artist(func(e domain.Event) uuid.UUID { return e.(ArtistMerged).Artist }))
	album := func(id func(domain.Event) uuid.UUID) func(domain.Event) string {
		return func(e domain.Event) string { return AlbumSubject(id(e)) }
	}
	place(TypeAlbumKeyClaimed, subjectKey, func(e domain.Event) string { return AlbumKeySubject(e.(AlbumKeyClaimed).Key) })
	place(TypeAlbumCreated, subjectAlbum, album(func(e domain.Event) uuid.UUID { return e.(AlbumCreated).Album }))
	place(TypeAlbumEdited, subjectAlbum, album(func(e domain.Event) uuid.UUID { return e.(AlbumEdited).Album }))
	place(TypeReleaseAdded, subjectAlbum, album(func(e domain.Event) uuid.UUID { return e.(ReleaseAdded).Album }))
	place(TypeReleaseEdited, subjectAlbum, album(func(e domain.Event) uuid.UUID { return e.(ReleaseEdited).Album }))
	place(TypeFormatAdded, subjectAlbum, album(func(e domain.Event) uuid.UUID { return e.(FormatAdded).Album }))
	place(TypeFormatEdited, subjectAlbum, album(func(e domain.Event) uuid.UUID { return e.(FormatEdited).Album }))
}
