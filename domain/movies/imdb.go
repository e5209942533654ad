package movies

import (
	"fmt"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// An IMDb id names at most one movie. The write side decides it on the
// claim subject IMDbSubject(id), whose events are IMDbClaimed and
// IMDbReleased: the claim's Holder is the movie the last IMDbClaimed named,
// until an IMDbReleased of that movie. A claim is taken with the subject's
// last sequence as expected (0 for an id never claimed), so two writers
// never both take it.
//
// A claim is appended before the change that gives its movie the id (a
// MovieCreated, a MovieEdited), so a writer that stops between the two
// leaves a claim whose holder does not carry the id. Such a claim does
// not hold (HoldsIMDb); whoever wants the id then appends MovieIMDbVoided
// to the holder's subject at the holder's last sequence, which makes the
// holder's pending change fail its own expectation, and only then takes
// the claim over. One of the two changes wins; never both.

// IMDbClaimed gives IMDb id IMDbID to Movie, on IMDbSubject(IMDbID).
type IMDbClaimed struct {
	IMDbID string    `json:"imdb_id"`
	Movie  uuid.UUID `json:"movie"`
}

// IMDbReleased gives the id up: the movie no longer carries it (an edit
// changed or cleared it, a merge dropped it). A release of a movie that is
// not the holder changes nothing.
type IMDbReleased struct {
	IMDbID string    `json:"imdb_id"`
	Movie  uuid.UUID `json:"movie"`
}

// MovieIMDbVoided is appended to a movie's subject by a writer taking over
// a claim of IMDbID that the movie holds without carrying the id (its
// writer stopped, or is between the claim and the change): the movie's
// pending change, expected at the sequence before it, then fails. It
// changes nothing else; on the subject of a movie never created it keeps
// that movie from being created.
type MovieIMDbVoided struct {
	Movie  uuid.UUID `json:"movie"`
	IMDbID string    `json:"imdb_id"`
}

// IMDbClaim is a claim subject's state: the aggregate a claim is decided
// on.
type IMDbClaim struct {
	IMDbID string
	Holder uuid.UUID // uuid.Nil: nobody holds it
}

// Apply applies one event of the claim subject.
func (c *IMDbClaim) Apply(e domain.Event) {
	switch e := e.(type) {
	case IMDbClaimed:
		c.IMDbID, c.Holder = e.IMDbID, e.Movie
	case IMDbReleased:
		if e.Movie == c.Holder {
			c.Holder = uuid.Nil
		}
	}
}

// HoldsIMDb reports whether movie m (the claim's holder, as its subject
// has it) holds imdb: it exists, was not merged away, and carries the id.
// A holder that does not is a claim left pending, which may be voided.
func HoldsIMDb(m Movie, imdb string) bool {
	return m.Exists() && m.MergedInto == uuid.Nil && m.Info.IMDbID == imdb
}

// IMDbTakenError is a movie refused an IMDb id another movie holds.
type IMDbTakenError struct {
	IMDbID string
	Movie  uuid.UUID // the movie that holds it
	Title  string
	Year   int
	Advice string // what to do instead, after the message
}

func (e *IMDbTakenError) Error() string {
	return fmt.Sprintf("IMDb id %s is %s (%d), here already: %s", e.IMDbID, e.Title, e.Year, e.Advice)
}

// IMDbTaken is the refusal, on the field imdb_id, of an IMDb id that
// movie holder holds: an upload (op "upload movie") is told to add its
// format to that movie, a staff edit to merge the movie into it.
func IMDbTaken(op, imdb string, holder Movie) error {
	advice := "add your format to that movie"
	if op == "edit movie" {
		advice = "if this is the same film, merge this movie into it"
	}
	return &domain.Error{Op: op, Field: "imdb_id", Kind: domain.KindConflict,
		Err: &IMDbTakenError{IMDbID: imdb, Movie: holder.ID, Title: holder.Info.Title, Year: holder.Info.Year, Advice: advice}}
}
