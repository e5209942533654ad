package domain

import (
	"fmt"

	"github.com/google/uuid"
)

// Account events: what a user holds besides their registration (a changed
// password, invites, API tokens, their RSS key) and the site's
// registration setting. None carries a secret in plain: a password hash
// travels sealed with the user's key, an invite code or API token only as
// its SHA-256 (the code or token itself is shown once, to whoever created
// it), and the RSS key only as a nonce it is derived from with the server
// secret.
const (
	TypePasswordChanged = "PasswordChanged"
	TypeInvitesGranted  = "InvitesGranted"
	TypeInviteCreated   = "InviteCreated"
	TypeInviteUsed      = "InviteUsed"
	TypeInviteReturned  = "InviteReturned"
	TypeTokenCreated    = "TokenCreated"
	TypeTokenRevoked    = "TokenRevoked"
	TypeRSSKeyRotated   = "RSSKeyRotated"
	TypeRegistrationSet = "RegistrationSet"
)

// Subjects of account events besides the user's own.
const (
	// subjectInvite + an invite's code hash holds the invite's uses: its
	// first InviteUsed is appended with an expected last sequence of 0, so
	// two registrations cannot both use it.
	subjectInvite = "djembe.invite."
	// SubjectRegistration holds the RegistrationSet events: the last one
	// says whether anyone may register without an invite (none: closed).
	SubjectRegistration = "djembe.admin.registration"
)

// InviteSubject is the subject of the uses of the invite whose code hashes to hash.
func InviteSubject(hash string) string { return subjectInvite + hash }

// PasswordChanged replaces a user's password hash. Sealed is a Personal
// holding only PasswordHash, sealed with the user's key like their
// registration's, so the log holds no hash in plain and forgetting the
// user makes it unreadable.
type PasswordChanged struct {
	UserID UserID `json:"user_id"`
	Sealed []byte `json:"sealed"`
}

// InvitesGranted changes how many invites a user may still create, by
// Count (negative: staff take some back). The count never goes below 0.
type InvitesGranted struct {
	UserID UserID `json:"user_id"`
	Count  int    `json:"count"`
}

// MaxInviteGrant bounds one InvitesGranted's Count either way.
const MaxInviteGrant = 1000

// ValidateInviteGrant returns nil for a non-zero count of at most
// MaxInviteGrant either way.
func ValidateInviteGrant(count int) error {
	if count == 0 || count > MaxInviteGrant || count < -MaxInviteGrant {
		return fmt.Errorf("the count must be between -%d and %d, and not 0", MaxInviteGrant, MaxInviteGrant)
	}
	return nil
}

// InviteCreated records an invite that user UserID may hand to someone,
// on UserID's subject (so that two creations cannot both spend their last
// invite). The log holds only CodeHash, the SHA-256 of the code. Free is
// an invite staff created, which the user's count does not pay for.
type InviteCreated struct {
	UserID   UserID    `json:"user_id"`
	InviteID uuid.UUID `json:"invite_id"`
	CodeHash string    `json:"code_hash"`
	Free     bool      `json:"free,omitempty"`
}

// InviteUsed records that the invite (By's, InviteID) registered user
// UserID. It is appended on InviteSubject(CodeHash) before that user's
// registration, expecting the invite unused, so an invite registers one
// user.
type InviteUsed struct {
	CodeHash string    `json:"code_hash"`
	InviteID uuid.UUID `json:"invite_id"`
	By       UserID    `json:"by"`
	UserID   UserID    `json:"user_id"`
}

// InviteReturned gives an invite back after its InviteUsed when the
// registration it was used for did not happen (the name was taken
// meanwhile): the invite may be used again.
type InviteReturned struct {
	CodeHash string `json:"code_hash"`
	UserID   UserID `json:"user_id"` // the registration that did not happen
}

// TokenCreated records an API token of user UserID. The log holds only
// Hash, the SHA-256 of the token (TokenHash); Label is the name the user
// gave it.
type TokenCreated struct {
	UserID  UserID    `json:"user_id"`
	TokenID uuid.UUID `json:"token_id"`
	Label   string    `json:"label"`
	Hash    string    `json:"hash"`
}

// TokenRevoked ends an API token for good.
type TokenRevoked struct {
	UserID  UserID    `json:"user_id"`
	TokenID uuid.UUID `json:"token_id"`
}

// RSSKeyRotated gives a user a new RSS key, derived from Nonce
// (ServerSecret.RSSKey); the old one stops working.
type RSSKeyRotated struct {
	UserID UserID   `json:"user_id"`
	Nonce  RSSNonce `json:"nonce"`
}

// RegistrationSet opens or closes registration without an invite. Before
// the first one it is closed.
type RegistrationSet struct {
	Open bool `json:"open"`
}

func (PasswordChanged) EventType() string { return TypePasswordChanged }
func (InvitesGranted) EventType() string  { return TypeInvitesGranted }
func (InviteCreated) EventType() string   { return TypeInviteCreated }
func (InviteUsed) EventType() string      { return TypeInviteUsed }
func (InviteReturned) EventType() string  { return TypeInviteReturned }
func (TokenCreated) EventType() string    { return TypeTokenCreated }
func (TokenRevoked) EventType() string    { return TypeTokenRevoked }
func (RSSKeyRotated) EventType() string   { return TypeRSSKeyRotated }
func (RegistrationSet) EventType() string { return TypeRegistrationSet }

// Token limits.
const (
	MaxTokenLabelLen = 64
	MaxTokens        = 50 // live (unrevoked) tokens per user
)

// ValidateTokenLabel returns nil for a label of 1 to 64 printable
// characters without control characters.
func ValidateTokenLabel(label string) error {
	if label == "" || len(label) > MaxTokenLabelLen {
		return fmt.Errorf("a token's name must be 1 to %d bytes long", MaxTokenLabelLen)
	}
	for _, r := range label {
		if r < 0x20 || r == 0x7f || r == '\uFFFD' {
			return fmt.Errorf("a token's name may not hold control characters or invalid UTF-8")
		}
	}
	return nil
}

// Account is what a user's subject says of their account besides the
// User aggregate: invites, tokens and RSS key. It is folded from the same
// events, in order.
type Account struct {
	UserID UserID
	// InvitesLeft is how many invites the user may still create (staff
	// create as many as they like).
	InvitesLeft int
	// Invites are the invites the user created, oldest first.
	Invites []InviteCreated
	// Tokens are the user's API tokens, oldest first.
	Tokens []Token
	// RSSNonce derives the RSS key; empty until the first rotation (the
	// key is then derived from the user id, see ServerSecret.RSSKey).
	RSSNonce RSSNonce
}

// Token is one API token as the write side knows it.
type Token struct {
	ID      uuid.UUID
	Label   string
	Hash    string
	Revoked bool
}

// Apply applies one event of the user's subject; other events and other
// users' change nothing.
func (a *Account) Apply(e Event) {
	switch e := e.(type) {
	case InvitesGranted:
		if e.UserID == a.UserID {
			a.InvitesLeft = max(0, a.InvitesLeft+e.Count)
		}
	case InviteCreated:
		if e.UserID == a.UserID {
			a.Invites = append(a.Invites, e)
			if !e.Free {
				a.InvitesLeft = max(0, a.InvitesLeft-1)
			}
		}
	case TokenCreated:
		if e.UserID == a.UserID {
			a.Tokens = append(a.Tokens, Token{ID: e.TokenID, Label: e.Label, Hash: e.Hash})
		}
	case TokenRevoked:
		if e.UserID == a.UserID {
			for i := range a.Tokens {
				if a.Tokens[i].ID == e.TokenID {
					a.Tokens[i].Revoked = true
				}
			}
		}
	case RSSKeyRotated:
		if e.UserID == a.UserID {
			a.RSSNonce = e.Nonce
		}
	}
}

// Invite is the invite of a.UserID whose code hashes to hash, if any.
func (a *Account) Invite(hash string) (InviteCreated, bool) {
	for _, inv := range a.Invites {
		if inv.CodeHash == hash {
			return inv, true
		}
	}
	return InviteCreated{}, false
}

// LiveTokens counts the tokens not revoked.
func (a *Account) LiveTokens() int {
	n := 0
	for _, t := range a.Tokens {
		if !t.Revoked {
			n++
		}
	}
	return n
}

// InviteState is where an invite's subject leaves it: Used when its last
// event is an InviteUsed (by UsedBy), unused otherwise.
type InviteState struct {
	Used   bool
	UsedBy UserID
}

// Apply applies one event of the invite's subject.
func (s *InviteState) Apply(e Event) {
	switch e := e.(type) {
	case InviteUsed:
		s.Used, s.UsedBy = true, e.UserID
	case InviteReturned:
		s.Used, s.UsedBy = false, uuid.Nil
	}
}

func init() {
	RegisterJSON[PasswordChanged](1, nil)
	RegisterJSON[InvitesGranted](1, nil)
	RegisterJSON[InviteCreated](1, nil)
	RegisterJSON[InviteUsed](1, nil)
	RegisterJSON[InviteReturned](1, nil)
	RegisterJSON[TokenCreated](1, nil)
	RegisterJSON[TokenRevoked](1, nil)
	RegisterJSON[RSSKeyRotated](1, nil)
	RegisterJSON[RegistrationSet](1, nil)

	for typ, id := range map[string]func(Event) UserID{
		TypePasswordChanged: func(e Event) UserID { return e.(PasswordChanged).UserID },
		TypeInvitesGranted:  func(e Event) UserID { return e.(InvitesGranted).UserID },
		TypeInviteCreated:   func(e Event) UserID { return e.(InviteCreated).UserID },
		TypeTokenCreated:    func(e Event) UserID { return e.(TokenCreated).UserID },
		TypeTokenRevoked:    func(e Event) UserID { return e.(TokenRevoked).UserID },
		TypeRSSKeyRotated:   func(e Event) UserID { return e.(RSSKeyRotated).UserID },
	} {
		RegisterPlacement(typ, Placement{Prefix: subjectUser, Subject: func(e Event) string { return UserSubject(id(e)) }})
	}
	for typ, hash := range map[string]func(Event) string{
		TypeInviteUsed:     func(e Event) string { return e.(InviteUsed).CodeHash },
		TypeInviteReturned: func(e Event) string { return e.(InviteReturned).CodeHash },
	} {
		RegisterPlacement(typ, Placement{Prefix: subjectInvite, Subject: func(e Event) string { return InviteSubject(hash(e)) }})
	}
	RegisterPlacement(TypeRegistrationSet, Placement{Prefix: SubjectRegistration, Exact: true})
}
