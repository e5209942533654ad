package movies

import (
	"slices"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// Person is a person's current state: its subject's events applied in
// order. It is the aggregate the write side decides on.
type Person struct {
	ID      uuid.UUID
	Name    string
	Aliases []string
	Info    PersonInfo
	// MergedInto is the person this one was folded into; uuid.Nil if none.
	// A merged person takes no more changes: they go to MergedInto.
	MergedInto uuid.UUID
}

// Exists reports whether the person was created.
func (p Person) Exists() bool { return p.ID != uuid.Nil }

// Apply applies one event of the person's subject; others change nothing.
func (p *Person) Apply(e domain.Event) {
	switch e := e.(type) {
	case PersonCreated:
		*p = Person{ID: e.Person, Name: e.Name, Info: e.PersonInfo}
	case PersonEdited:
		if e.Person == p.ID {
			p.Info = e.PersonInfo
		}
	case PersonAliasAdded:
		if e.Person == p.ID {
			p.Aliases = append(p.Aliases, e.Alias)
		}
	case PersonMerged:
		if e.Person == p.ID {
			p.MergedInto = e.Into
		}
	}
}

// Names are the person's name and aliases.
func (p Person) Names() []string { return append([]string{p.Name}, p.Aliases...) }

// CheckMerge refuses to merge p into into: either missing or already
// merged, or the same person.
func CheckMerge(op string, p, into Person) error {
	switch {
	case !p.Exists() || !into.Exists():
		return domain.E(op, domain.KindNotFound, "no such person")
	case p.ID == into.ID:
		return domain.FieldE(op, "into", domain.KindInvalid, "a person cannot be merged into themselves")
	case p.MergedInto != uuid.Nil:
		return domain.E(op, domain.KindConflict, "%s was already merged into another person", p.Name)
	case into.MergedInto != uuid.Nil:
		return domain.FieldE(op, "into", domain.KindInvalid, "%s was merged into another person: merge into that one", into.Name)
	}
	return nil
}

// Edition is an edition of a movie.
type Edition struct {
	ID uuid.UUID
	EditionInfo
}

// Format is a movie format: one torrent's video in one edition.
type Format struct {
	InfoHash domain.InfoHash
	Edition  uuid.UUID
	FormatInfo
}

// Movie is a movie's current state with its editions and formats: the
// aggregate the write side decides on (a format is refused as a
// duplicate on the movie's state, under the movie's subject sequence).
type Movie struct {
	ID       uuid.UUID
	Info     MovieInfo
	Editions []Edition
	Formats  []Format
	// MergedInto is the movie this one was merged into; uuid.Nil if none.
	// A merged movie takes no more changes: they go to MergedInto.
	MergedInto uuid.UUID
	// Absorbed are the movies merged into this one whose editions and
	// formats it took in (MovieAbsorbed).
	Absorbed []uuid.UUID
}

// Exists reports whether the movie was created.
func (m Movie) Exists() bool { return m.ID != uuid.Nil }

// Apply applies one event of the movie's subject; others change nothing.
func (m *Movie) Apply(e domain.Event) {
	switch e := e.(type) {
	case MovieCreated:
		*m = Movie{ID: e.Movie, Info: e.MovieInfo}
	case MovieEdited:
		if e.Movie == m.ID {
			m.Info = e.MovieInfo
		}
	case EditionAdded:
		if e.Movie == m.ID {
			m.Editions = append(m.Editions, Edition{ID: e.Edition, EditionInfo: e.EditionInfo})
		}
	case EditionEdited:
		if i := m.edition(e.Edition); e.Movie == m.ID && i >= 0 {
			m.Editions[i].EditionInfo = e.EditionInfo
		}
	case FormatAdded:
		if e.Movie == m.ID {
			m.Formats = append(m.Formats, Format{InfoHash: e.InfoHash, Edition: e.Edition, FormatInfo: e.FormatInfo})
		}
	case FormatEdited:
		if i := m.format(e.InfoHash); e.Movie == m.ID && i >= 0 {
			m.Formats[i].FormatInfo = e.FormatInfo
		}
	case MovieMerged:
		if e.Movie == m.ID {
			m.MergedInto = e.Into
		}
	case MovieAbsorbed:
		if e.Movie == m.ID {
			m.absorb(e)
		}
	}
}

// absorb applies a MovieAbsorbed of m: the editions that move as they are
// join m's, every format joins its edition, and m takes the IMDb id it
// carries when it had none.
func (m *Movie) absorb(e MovieAbsorbed) {
	for _, ed := range e.Editions {
		if ed.Into == ed.Edition && m.edition(ed.Edition) < 0 {
			m.Editions = append(m.Editions, Edition{ID: ed.Edition, EditionInfo: ed.EditionInfo})
		}
	}
	for _, f := range e.Formats {
		if m.format(f.InfoHash) < 0 {
			m.Formats = append(m.Formats, Format{InfoHash: f.InfoHash, Edition: f.Edition, FormatInfo: f.FormatInfo})
		}
	}
	if e.IMDbID != "" && m.Info.IMDbID == "" {
		m.Info.IMDbID = e.IMDbID
	}
	m.Absorbed = append(m.Absorbed, e.From)
}

func (m Movie) edition(id uuid.UUID) int {
	return slices.IndexFunc(m.Editions, func(e Edition) bool { return e.ID == id })
}

func (m Movie) format(h domain.InfoHash) int {
	return slices.IndexFunc(m.Formats, func(f Format) bool { return f.InfoHash == h })
}

// Edition finds an edition by id.
func (m Movie) Edition(id uuid.UUID) (Edition, bool) {
	if i := m.edition(id); i >= 0 {
		return m.Editions[i], true
	}
	return Edition{}, false
}

// Format finds a format by its torrent.
func (m Movie) Format(h domain.InfoHash) (Format, bool) {
	if i := m.format(h); i >= 0 {
		return m.Formats[i], true
	}
	return Format{}, false
}

// SameEdition finds the edition info describes, if the movie has it.
func (m Movie) SameEdition(info EditionInfo) (Edition, bool) {
	for _, e := range m.Editions {
		if e.Same(info) {
			return e, true
		}
	}
	return Edition{}, false
}

// CheckEditionEdit refuses to describe edition id as info: the movie has
// no such edition, or another of its editions is described so already.
func (m Movie) CheckEditionEdit(op string, id uuid.UUID, info EditionInfo) error {
	if _, ok := m.Edition(id); !ok {
		return domain.FieldE(op, "edition", domain.KindNotFound, "the movie has no such edition")
	}
	if other, ok := m.SameEdition(info); ok && other.ID != id {
		return domain.FieldE(op, "edition", domain.KindConflict, "the movie has the edition %s already", other.Label())
	}
	return nil
}

// CheckNewFormat refuses format f with torrent h in edition: the edition
// is not the movie's, f is not acceptable (FormatInfo.Check), the torrent
// is a format of the movie already (a torrent is one format, of one
// edition), or the edition has that format already: a format of the same
// source, resolution, codec, kind and HDR (Duplicates). A duplicate is a
// KindConflict on the field "format" wrapping a *DuplicateError that
// names the torrent which has it.
func (m Movie) CheckNewFormat(op string, edition uuid.UUID, h domain.InfoHash, f FormatInfo) error {
	if _, ok := m.Edition(edition); !ok {
		return domain.FieldE(op, "edition", domain.KindNotFound, "the movie has no such edition")
	}
	if err := f.Check(op); err != nil {
		return err
	}
	for _, have := range m.Formats {
		switch {
		case have.InfoHash == h:
			return domain.FieldE(op, "file", domain.KindConflict, "this torrent is already a format of the movie")
		case have.Edition == edition && have.Duplicates(f):
			return &domain.Error{Op: op, Field: "format", Kind: domain.KindConflict, Err: &DuplicateError{Existing: have.InfoHash, Key: f.Key()}}
		}
	}
	return nil
}

// DuplicateError is a format refused because its edition has it already:
// a format of the same source, resolution, codec, kind and HDR.
type DuplicateError struct {
	Existing domain.InfoHash // the torrent that has it
	Key      string          // "Blu-ray / 1080p / x264 / Encode"
}

func (e *DuplicateError) Error() string {
	return "this edition already has " + e.Key + " (the same source, resolution, codec, kind and HDR) in torrent " +
		e.Existing.String() + ": add a different format, or seed the one that is there"
}
