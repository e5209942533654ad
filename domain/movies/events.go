package movies

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// Subjects of the Movies plugin. A person's and a movie's changes each go
// to the aggregate's own subject (a movie's editions and formats on the
// movie's); a name (a person's or an alias) is claimed once on its own
// subject, so two people never share a name, and an IMDb id is held by at
// most one movie on its own subject (see IMDbClaim).
const (
	SubjectAll    = "djembe.movies.>"
	subjectPerson = "djembe.movies.person."
	subjectMovie  = "djembe.movies.movie."
	subjectName   = "djembe.movies.personname."
	subjectIMDb   = "djembe.movies.imdb."
)

// PersonSubject holds a person's changes.
func PersonSubject(id uuid.UUID) string { return subjectPerson + id.String() }

// MovieSubject holds a movie's changes, its editions' and formats'.
func MovieSubject(id uuid.UUID) string { return subjectMovie + id.String() }

// NameSubject is the claim of a person's name or alias (by NameKey).
func NameSubject(name string) string {
	sum := sha256.Sum256([]byte(NameKey(name)))
	return subjectName + hex.EncodeToString(sum[:16])
}

// IMDbSubject is the claim of an IMDb id (CheckIMDbID: "tt" and digits,
// a subject token as it is): the events that give it to one movie.
func IMDbSubject(imdb string) string { return subjectIMDb + imdb }

// Event types.
const (
	TypePersonNameClaimed = "MoviesPersonNameClaimed"
	TypePersonCreated     = "MoviesPersonCreated"
	TypePersonEdited      = "MoviesPersonEdited"
	TypePersonAliasAdded  = "MoviesPersonAliasAdded"
	TypePersonMerged      = "MoviesPersonMerged"
	TypeMovieCreated      = "MoviesMovieCreated"
	TypeMovieEdited       = "MoviesMovieEdited"
	TypeEditionAdded      = "MoviesEditionAdded"
	TypeEditionEdited     = "MoviesEditionEdited"
	TypeFormatAdded       = "MoviesFormatAdded"
	TypeFormatEdited      = "MoviesFormatEdited"
	TypeIMDbClaimed       = "MoviesIMDbClaimed"
	TypeIMDbReleased      = "MoviesIMDbReleased"
	TypeMovieIMDbVoided   = "MoviesMovieIMDbVoided"
	TypeMovieMerged       = "MoviesMovieMerged"
	TypeMovieAbsorbed     = "MoviesMovieAbsorbed"
)

// PersonNameClaimed takes a name (a person's own or an alias) for a
// person, on NameSubject(Name) with expected sequence 0. A merge leaves
// it: the name then leads to the merged person, which redirects.
type PersonNameClaimed struct {
	Name   string    `json:"name"`
	Person uuid.UUID `json:"person"`
}

// PersonCreated adds a person, after the name was claimed.
type PersonCreated struct {
	Person uuid.UUID `json:"person"`
	Name   string    `json:"name"`
	PersonInfo
}

// PersonEdited replaces a person's birth year and biography.
type PersonEdited struct {
	Person uuid.UUID `json:"person"`
	PersonInfo
}

// PersonAliasAdded gives a person another name, claimed like its own: a
// search or a link by the alias leads to the person.
type PersonAliasAdded struct {
	Person uuid.UUID `json:"person"`
	Alias  string    `json:"alias"`
}

// PersonMerged folds a person into another (a duplicate, a misspelling):
// its name and aliases become aliases of Into, its credits move to Into,
// and its page redirects there. Appended to the merged person's subject.
type PersonMerged struct {
	Person uuid.UUID `json:"person"`
	Into   uuid.UUID `json:"into"`
}

// MovieCreated adds a movie with its credits.
type MovieCreated struct {
	Movie uuid.UUID `json:"movie"`
	MovieInfo
}

// MovieEdited replaces what describes a movie, its credits included.
type MovieEdited struct {
	Movie uuid.UUID `json:"movie"`
	MovieInfo
}

// EditionAdded adds an edition to a movie.
type EditionAdded struct {
	Movie   uuid.UUID `json:"movie"`
	Edition uuid.UUID `json:"edition"`
	EditionInfo
}

// EditionEdited replaces what describes an edition.
type EditionEdited struct {
	Movie   uuid.UUID `json:"movie"`
	Edition uuid.UUID `json:"edition"`
	EditionInfo
}

// FormatAdded makes a registered torrent (category Movies) a format of
// an edition: the plugin's atomic unit, one to one with the torrent.
type FormatAdded struct {
	Movie    uuid.UUID       `json:"movie"`
	Edition  uuid.UUID       `json:"edition"`
	InfoHash domain.InfoHash `json:"info_hash"`
	FormatInfo
}

// FormatEdited replaces what describes a format (not its torrent or
// edition).
type FormatEdited struct {
	Movie    uuid.UUID       `json:"movie"`
	InfoHash domain.InfoHash `json:"info_hash"`
	FormatInfo
}

func (PersonNameClaimed) EventType() string { return TypePersonNameClaimed }
func (PersonCreated) EventType() string     { return TypePersonCreated }
func (PersonEdited) EventType() string      { return TypePersonEdited }
func (PersonAliasAdded) EventType() string  { return TypePersonAliasAdded }
func (PersonMerged) EventType() string      { return TypePersonMerged }
func (MovieCreated) EventType() string      { return TypeMovieCreated }
func (MovieEdited) EventType() string       { return TypeMovieEdited }
func (EditionAdded) EventType() string      { return TypeEditionAdded }
func (EditionEdited) EventType() string     { return TypeEditionEdited }
func (FormatAdded) EventType() string       { return TypeFormatAdded }
func (FormatEdited) EventType() string      { return TypeFormatEdited }
func (IMDbClaimed) EventType() string       { return TypeIMDbClaimed }
func (IMDbReleased) EventType() string      { return TypeIMDbReleased }
func (MovieIMDbVoided) EventType() string   { return TypeMovieIMDbVoided }
func (MovieMerged) EventType() string       { return TypeMovieMerged }
func (MovieAbsorbed) EventType() string     { return TypeMovieAbsorbed }

// Types are the plugin's event types, which its read models consume.
var Types = []string{TypePersonNameClaimed, TypePersonCreated, TypePersonEdited, TypePersonAliasAdded, TypePersonMerged,
	TypeMovieCreated, TypeMovieEdited, TypeEditionAdded, TypeEditionEdited, TypeFormatAdded, TypeFormatEdited,
	TypeIMDbClaimed, TypeIMDbReleased, TypeMovieIMDbVoided, TypeMovieMerged, TypeMovieAbsorbed}

func init() {
	domain.RegisterJSON[PersonNameClaimed](1, nil)
	domain.RegisterJSON[PersonCreated](1, nil)
	domain.RegisterJSON[PersonEdited](1, nil)
	domain.RegisterJSON[PersonAliasAdded](1, nil)
	domain.RegisterJSON[PersonMerged](1, nil)
	domain.RegisterJSON[MovieCreated](1, nil)
	domain.RegisterJSON[MovieEdited](1, nil)
	domain.RegisterJSON[EditionAdded](1, nil)
	domain.RegisterJSON[EditionEdited](1, nil)
	domain.RegisterJSON[FormatAdded](1, nil)
	domain.RegisterJSON[FormatEdited](1, nil)
	domain.RegisterJSON[IMDbClaimed](1, nil)
	domain.RegisterJSON[IMDbReleased](1, nil)
	domain.RegisterJSON[MovieIMDbVoided](1, nil)
	domain.RegisterJSON[MovieMerged](1, nil)
	domain.RegisterJSON[MovieAbsorbed](1, nil)

	place := func(typ, prefix string, subject func(domain.Event) string) {
		domain.RegisterPlacement(typ, domain.Placement{Prefix: prefix, Subject: subject})
	}
	place(TypePersonNameClaimed, subjectName, func(e domain.Event) string { return NameSubject(e.(PersonNameClaimed).Name) })
	person := func(id func(domain.Event) uuid.UUID) func(domain.Event) string {
		return func(e domain.Event) string { return PersonSubject(id(e)) }
	}
	place(TypePersonCreated, subjectPerson, person(func(e domain.Event) uuid.UUID { return e.(PersonCreated).Person }))
	place(TypePersonEdited, subjectPerson, person(func(e domain.Event) uuid.UUID { return e.(PersonEdited).Person }))
	place(TypePersonAliasAdded, subjectPerson, person(func(e domain.Event) uuid.UUID { return e.(PersonAliasAdded).Person }))
	place(TypePersonMerged, subjectPerson, person(func(e domain.Event) uuid.UUID { return e.(PersonMerged).Person }))
	movie := func(id func(domain.Event) uuid.UUID) func(domain.Event) string {
		return func(e domain.Event) string { return MovieSubject(id(e)) }
	}
	place(TypeMovieCreated, subjectMovie, movie(func(e domain.Event) uuid.UUID { return e.(MovieCreated).Movie }))
	place(TypeMovieEdited, subjectMovie, movie(func(e domain.Event) uuid.UUID { return e.(MovieEdited).Movie }))
	place(TypeEditionAdded, subjectMovie, movie(func(e domain.Event) uuid.UUID { return e.(EditionAdded).Movie }))
	place(TypeEditionEdited, subjectMovie, movie(func(e domain.Event) uuid.UUID { return e.(EditionEdited).Movie }))
	place(TypeFormatAdded, subjectMovie, movie(func(e domain.Event) uuid.UUID { return e.(FormatAdded).Movie }))
	place(TypeFormatEdited, subjectMovie, movie(func(e domain.Event) uuid.UUID { return e.(FormatEdited).Movie }))
	place(TypeMovieIMDbVoided, subjectMovie, movie(func(e domain.Event) uuid.UUID { return e.(MovieIMDbVoided).Movie }))
	place(TypeMovieMerged, subjectMovie, movie(func(e domain.Event) uuid.UUID { return e.(MovieMerged).Movie }))
	place(TypeMovieAbsorbed, subjectMovie, movie(func(e domain.Event) uuid.UUID { return e.(MovieAbsorbed).Movie }))
	place(TypeIMDbClaimed, subjectIMDb, func(e domain.Event) string { return IMDbSubject(e.(IMDbClaimed).IMDbID) })
	place(TypeIMDbReleased, subjectIMDb, func(e domain.Event) string { return IMDbSubject(e.(IMDbReleased).IMDbID) })
}
