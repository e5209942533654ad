package movies

import (
	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// A movie merge folds a duplicate movie into the movie it duplicates, in
// two events: MovieMerged on the duplicate's subject (which then takes no
// more changes: they go to the movie it was merged into, and its page
// redirects there), then MovieAbsorbed on the other's subject, moving the
// duplicate's editions and formats (their torrents with them). An edition
// of the duplicate that is the same edition as one the movie has
// (EditionInfo.Same) joins it, so the movie page shows one Theatrical, not
// two; the others move as they are. Formats move whatever they are: a
// merge never deletes a torrent, and two formats of one edition that
// duplicate each other are left for staff to trump, as after any merge.

// MovieMerged folds Movie into Into. Appended to Movie's subject.
type MovieMerged struct {
	Movie uuid.UUID `json:"movie"`
	Into  uuid.UUID `json:"into"`
}

// MergedEdition is a merged movie's edition as it joins the movie it was
// merged into: Into is that movie's edition it joins, or Edition itself
// when it moves as it is.
type MergedEdition struct {
	Edition uuid.UUID `json:"edition"`
	Into    uuid.UUID `json:"into"`
	EditionInfo
}

// MergedFormat is a merged movie's format as it moves: Edition is the
// edition it is in from then on.
type MergedFormat struct {
	InfoHash domain.InfoHash `json:"info_hash"`
	Edition  uuid.UUID       `json:"edition"`
	FormatInfo
}

// MovieAbsorbed moves the editions and formats of From, merged into
// Movie, into Movie. IMDbID is From's IMDb id when Movie had none and
// takes it with From's claim ("" otherwise). Appended to Movie's subject.
type MovieAbsorbed struct {
	Movie    uuid.UUID       `json:"movie"`
	From     uuid.UUID       `json:"from"`
	IMDbID   string          `json:"imdb_id,omitempty"`
	Editions []MergedEdition `json:"editions"`
	Formats  []MergedFormat  `json:"formats"`
}

// CheckMovieMerge refuses to merge movie from into movie into: either
// missing, the same movie, from merged already, or into merged (merge
// into the movie it was merged into instead).
func CheckMovieMerge(op string, from, into Movie) error {
	switch {
	case !from.Exists():
		return domain.E(op, domain.KindNotFound, "no such movie")
	case !into.Exists():
		return domain.FieldE(op, "into", domain.KindNotFound, "no movie here has that id")
	case from.ID == into.ID:
		return domain.FieldE(op, "into", domain.KindInvalid, "a movie cannot be merged into itself")
	case from.MergedInto != uuid.Nil:
		return domain.E(op, domain.KindConflict, "%s (%d) was already merged into another movie", from.Info.Title, from.Info.Year)
	case into.MergedInto != uuid.Nil:
		return domain.FieldE(op, "into", domain.KindInvalid, "%s (%d) was merged into another movie: merge into that one",
			into.Info.Title, into.Info.Year)
	}
	return nil
}

// Absorb is the MovieAbsorbed that moves from's editions and formats
// into into: each edition joins into's same edition, or moves as it is.
func Absorb(from, into Movie, imdb string) MovieAbsorbed {
	out := MovieAbsorbed{Movie: into.ID, From: from.ID, IMDbID: imdb, Editions: []MergedEdition{}, Formats: []MergedFormat{}}
	target := into
	to := map[uuid.UUID]uuid.UUID{}
	for _, e := range from.Editions {
		join := e.ID
		if same, ok := target.SameEdition(e.EditionInfo); ok {
			join = same.ID
		} else {
			target.Editions = append(target.Editions, e)
		}
		to[e.ID] = join
		out.Editions = append(out.Editions, MergedEdition{Edition: e.ID, Into: join, EditionInfo: e.EditionInfo})
	}
	for _, f := range from.Formats {
		ed, ok := to[f.Edition]
		if !ok {
			ed = f.Edition
		}
		out.Formats = append(out.Formats, MergedFormat{InfoHash: f.InfoHash, Edition: ed, FormatInfo: f.FormatInfo})
	}
	return out
}

// HasAbsorbed reports whether m took in the editions and formats of the
// movie from, merged into it.
func (m Movie) HasAbsorbed(from uuid.UUID) bool {
	for _, id := range m.Absorbed {
		if id == from {
			return true
		}
	}
	return false
}
