package music

import (
	"slices"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// Artist is an artist's current state: its subject's events applied in
// order. It is the aggregate the write side decides on.
type Artist struct {
	ID      uuid.UUID
	Name    string
	Aliases []string
	Info    ArtistInfo
	// MergedInto is the artist this one was folded into; uuid.Nil if none.
	// A merged artist takes no more changes: they go to MergedInto.
	MergedInto uuid.UUID
}

// Exists reports whether the artist was created.
func (a Artist) Exists() bool { return a.ID != uuid.Nil }

// Apply applies one event of the artist's subject; others change nothing.
func (a *Artist) Apply(e domain.Event) {
	switch e := e.(type) {
	case ArtistCreated:
		*a = Artist{ID: e.Artist, Name: e.Name, Info: e.ArtistInfo}
	case ArtistEdited:
		if e.Artist == a.ID {
			a.Info = e.ArtistInfo
		}
	case ArtistAliasAdded:
		if e.Artist == a.ID {
			a.Aliases = append(a.Aliases, e.Alias)
		}
	case ArtistMerged:
		if e.Artist == a.ID {
			a.MergedInto = e.Into
		}
	}
}

// Names are the artist's name and aliases.
func (a Artist) Names() []string { return append([]string{a.Name}, a.Aliases...) }

// CheckMerge refuses to merge a into into: either missing or already
// merged, or the same artist.
func CheckMerge(op string, a, into Artist) error {
	switch {
	case !a.Exists() || !into.Exists():
		return domain.E(op, domain.KindNotFound, "no such artist")
	case a.ID == into.ID:
		return domain.FieldE(op, "into", domain.KindInvalid, "an artist cannot be merged into itself")
	case a.MergedInto != uuid.Nil:
		return domain.E(op, domain.KindConflict, "%s was already merged into another artist", a.Name)
	case into.MergedInto != uuid.Nil:
		return domain.FieldE(op, "into", domain.KindInvalid, "%s was merged into another artist: merge into that one", into.Name)
	}
	return nil
}

// Release is an edition of an album.
type Release struct {
	ID uuid.UUID
	ReleaseInfo
}

// Format is a release format: one torrent's audio in one edition.
type Format struct {
	InfoHash domain.InfoHash
	Release  uuid.UUID
	FormatInfo
}

// Album is an album's current state with its editions and formats: the
// aggregate the write side decides on (a format is refused as a
// duplicate on the album's state, under the album's subject sequence).
type Album struct {
	ID       uuid.UUID
	Info     AlbumInfo
	Releases []Release
	Formats  []Format
}

// Exists reports whether the album was created.
func (a Album) Exists() bool { return a.ID != uuid.Nil }

// Apply applies one event of the album's subject; others change nothing.
func (a *Album) Apply(e domain.Event) {
	switch e := e.(type) {
	case AlbumCreated:
		*a = Album{ID: e.Album, Info: e.AlbumInfo}
	case AlbumEdited:
		if e.Album == a.ID {
			a.Info = e.AlbumInfo
		}
	case ReleaseAdded:
		if e.Album == a.ID {
			a.Releases = append(a.Releases, Release{ID: e.Release, ReleaseInfo: e.ReleaseInfo})
		}
	case ReleaseEdited:
		if i := a.release(e.Release); e.Album == a.ID && i >= 0 {
			a.Releases[i].ReleaseInfo = e.ReleaseInfo
		}
	case FormatAdded:
		if e.Album == a.ID {
			a.Formats = append(a.Formats, Format{InfoHash: e.InfoHash, Release: e.Release, FormatInfo: e.FormatInfo})
		}
	case FormatEdited:
		if i := a.format(e.InfoHash); e.Album == a.ID && i >= 0 {
			a.Formats[i].FormatInfo = e.FormatInfo
		}
	}
}

func (a Album) release(id uuid.UUID) int {
	return slices.IndexFunc(a.Releases, func(r Release) bool { return r.ID == id })
}

func (a Album) format(h domain.InfoHash) int {
	return slices.IndexFunc(a.Formats, func(f Format) bool { return f.InfoHash == h })
}

// Release finds an edition by id.
func (a Album) Release(id uuid.UUID) (Release, bool) {
	if i := a.release(id); i >= 0 {
		return a.Releases[i], true
	}
	return Release{}, false
}

// Format finds a format by its torrent.
func (a Album) Format(h domain.InfoHash) (Format, bool) {
	if i := a.format(h); i >= 0 {
		return a.Formats[i], true
	}
	return Format{}, false
}

// SameRelease finds the edition info describes, if the album has it.
func (a Album) SameRelease(info ReleaseInfo) (Release, bool) {
	for _, r := range a.Releases {
		if r.Same(info) {
			return r, true
		}
	}
	return Release{}, false
}

// CheckNewFormat refuses format f with torrent h in edition release:
// the edition is not the album's, the torrent is already one of its
// formats, or the edition has that format already (a duplicate: the
// error names the torrent that has it, in its field "format").
func (a Album) CheckNewFormat(op string, release uuid.UUID, h domain.InfoHash, f FormatInfo) error {
	r, ok := a.Release(release)
	if !ok {
		return domain.FieldE(op, "release", domain.KindNotFound, "the album has no such edition")
	}
	if err := f.Check(op, r.Media); err != nil {
		return err
	}
	for _, have := range a.Formats {
		switch {
		case have.InfoHash == h:
			return domain.FieldE(op, "file", domain.KindConflict, "this torrent is already a format of the album")
		case have.Release == release && have.Duplicates(f):
			return &domain.Error{Op: op, Field: "format", Kind: domain.KindConflict, Err: &DuplicateError{Existing: have.InfoHash, Label: f.Format + " / " + f.Encoding}}
		}
	}
	return nil
}

// DuplicateError is a format refused because its edition has it already.
type DuplicateError struct {
	Existing domain.InfoHash // the torrent that has it
	Label    string          // "FLAC / Lossless"
}

func (e *DuplicateError) Error() string {
	return "this edition already has " + e.Label + ": add a different format, or seed the one that is there"
}
