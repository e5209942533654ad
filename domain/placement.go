package domain

import (
	"errors"
	"fmt"
	"strings"
)

// ErrMisplaced is the error of an event stored on a subject its type does
// not belong on: a UserRegistered outside its name's claim, a torrent's
// change on another torrent's subject. Consumers skip such an event as if
// it could not be decoded (it is quarantined), so a forged or mistaken
// append cannot change what they hold.
var ErrMisplaced = errors.New("event on a subject its type does not belong on")

// Placement says which subjects events of one type belong on.
type Placement struct {
	// Prefix begins every subject of the type, followed by a non-empty
	// rest (the aggregate's or claim's key). With Exact the subject is
	// Prefix itself.
	Prefix string
	Exact  bool
	// Subject is the one subject a decoded event belongs on, computed from
	// its own ids (a user id, an info hash, a name); nil when any subject
	// that Prefix allows will do (announce batches: one per tracker node).
	Subject func(Event) string
}

var placements = map[string]Placement{}

// RegisterPlacement says where events of type typ belong. Every event type
// has one (plugins register theirs beside their events); a type without
// one belongs nowhere. It panics when typ is placed twice.
func RegisterPlacement(typ string, p Placement) {
	if _, dup := placements[typ]; dup {
		panic("domain: placement of event type " + typ + " registered twice")
	}
	if !strings.HasPrefix(p.Prefix, SubjectPrefix) {
		panic("domain: placement of event type " + typ + " outside " + SubjectAll)
	}
	placements[typ] = p
}

// HasPlacement reports whether typ has a registered placement.
func HasPlacement(typ string) bool { _, ok := placements[typ]; return ok }

// CheckPlacement reports (ErrMisplaced) whether an event of type typ may be
// stored on subject, judging by their names alone: it needs no decoding,
// so a consumer can afford it for every record.
func CheckPlacement(typ, subject string) error {
	p, ok := placements[typ]
	switch {
	case !ok:
		return fmt.Errorf("%w: %s has no subject rule", ErrMisplaced, typ)
	case p.Exact && subject != p.Prefix:
		return fmt.Errorf("%w: %s belongs on %s, not %s", ErrMisplaced, typ, p.Prefix, subject)
	case !p.Exact && (!strings.HasPrefix(subject, p.Prefix) || len(subject) == len(p.Prefix)):
		return fmt.Errorf("%w: %s belongs on %s*, not %s", ErrMisplaced, typ, p.Prefix, subject)
	}
	return nil
}

// CheckEventPlacement is CheckPlacement for a decoded event, and also
// requires the ids the event names to agree with the subject (a user's
// change on that user's subject, a registration on its own name's claim).
func CheckEventPlacement(subject string, e Event) error {
	typ := e.EventType()
	if err := CheckPlacement(typ, subject); err != nil {
		return err
	}
	if p := placements[typ]; p.Subject != nil {
		if want := p.Subject(e); subject != want {
			return fmt.Errorf("%w: this %s belongs on %s, not %s", ErrMisplaced, typ, want, subject)
		}
	}
	return nil
}

// SubjectFor is the one subject e belongs on, when its type places each
// event on one (an aggregate's, a claim's, a setting's); ok is false for a
// type with several (announce batches) or none.
func SubjectFor(e Event) (subject string, ok bool) {
	p, found := placements[e.EventType()]
	switch {
	case !found:
		return "", false
	case p.Exact:
		return p.Prefix, true
	case p.Subject != nil:
		return p.Subject(e), true
	}
	return "", false
}

func init() {
	RegisterPlacement(TypeUserRegistered, Placement{Prefix: subjectName,
		Subject: func(e Event) string {
			r := e.(UserRegistered)
			if r.Claim == "" {
				return UsernameSubject(r.Name) // before v3
			}
			return ClaimSubject(r.Claim)
		}})
	for typ, id := range map[string]func(Event) UserID{
		TypePasskeyRotated: func(e Event) UserID { return e.(PasskeyRotated).UserID },
		TypeUserDisabled:   func(e Event) UserID { return e.(UserDisabled).UserID },
		TypeUserEnabled:    func(e Event) UserID { return e.(UserEnabled).UserID },
		TypeLeechingSet:    func(e Event) UserID { return e.(LeechingSet).UserID },
		TypeUserForgotten:  func(e Event) UserID { return e.(UserForgotten).UserID },
	} {
		RegisterPlacement(typ, Placement{Prefix: subjectUser, Subject: func(e Event) string { return UserSubject(id(e)) }})
	}
	for typ, hash := range map[string]func(Event) InfoHash{
		TypeTorrentRegistered: func(e Event) InfoHash { return e.(TorrentRegistered).InfoHash },
		TypeTorrentDeleted:    func(e Event) InfoHash { return e.(TorrentDeleted).InfoHash },
		TypeTorrentFactorsSet: func(e Event) InfoHash { return e.(TorrentFactorsSet).InfoHash },
	} {
		RegisterPlacement(typ, Placement{Prefix: subjectTorrent, Subject: func(e Event) string { return TorrentSubject(hash(e)) }})
	}
	RegisterPlacement(TypeClientAllowListSet, Placement{Prefix: SubjectClients, Exact: true})
	RegisterPlacement(TypeAnnounceBatch, Placement{Prefix: subjectAnnounce})
}
