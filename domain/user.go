package domain

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// UserID identifies a user for life; names and passkeys may change.
type UserID = uuid.UUID

// Passkey is the 32-hex-character secret in a user's announce URL.
type Passkey string

// NewPasskey returns 128 random bits from crypto/rand as 32 lowercase hex characters.
func NewPasskey() (Passkey, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generate passkey: %w", err)
	}
	return Passkey(hex.EncodeToString(b[:])), nil
}

// ValidPasskey reports whether s has the shape of a passkey: 32 lowercase hex characters.
func ValidPasskey(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Username limits.
const (
	MinUsernameLen = 2
	MaxUsernameLen = 32
)

// ValidateUsername returns nil for a name of 2 to 32 ASCII letters, digits,
// '_' or '-', starting with a letter or digit; otherwise an error saying what
// is wrong. Names are unique without regard to case (see UsernameKey).
func ValidateUsername(name string) error {
	if len(name) < MinUsernameLen || len(name) > MaxUsernameLen {
		return fmt.Errorf("username must be %d to %d characters long, got %d", MinUsernameLen, MaxUsernameLen, len(name))
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if i == 0 && !alnum {
			return fmt.Errorf("username must start with a letter or digit")
		}
		if !alnum && c != '_' && c != '-' {
			return fmt.Errorf("username may contain only letters, digits, '_' and '-' (found %q)", c)
		}
	}
	return nil
}

// UsernameKey is the case-folded form under which a name is claimed.
func UsernameKey(name string) string { return strings.ToLower(name) }

// UserRegistered creates a user. It is appended to the name's claim
// subject with an expected last sequence of 0, so a name is taken once.
//
// v3 holds nothing secret or personal in plain: the passkey's nonce
// instead of the passkey, the name's keyed hash (Claim, the key of its
// claim subject) instead of the name, and the name and password hash
// Sealed with the user's own key (see Personal), which forgetting the user
// destroys. v2 and v1 (upcast unchanged) hold Name, Passkey and
// PasswordHash in plain, on the plain name's claim subject.
type UserRegistered struct {
	UserID       UserID       `json:"user_id"`
	Admin        bool         `json:"admin"`
	PasskeyNonce PasskeyNonce `json:"passkey_nonce,omitempty"`
	Claim        string       `json:"claim,omitempty"`
	Sealed       []byte       `json:"sealed,omitempty"`
	Name         string       `json:"name,omitempty"`          // before v3 only
	Passkey      Passkey      `json:"passkey,omitempty"`       // before v3 only
	PasswordHash string       `json:"password_hash,omitempty"` // before v3 only
}

// Personal is what the log holds of a user only sealed: their name and
// password hash (and, when the site asks for one, an email address).
type Personal struct {
	Name         string `json:"name"`
	PasswordHash string `json:"password_hash"`
}

// Personal is the registration's personal data when it holds it in plain
// (before v3); ok is false for a sealed one.
func (r UserRegistered) Personal() (p Personal, ok bool) {
	return Personal{Name: r.Name, PasswordHash: r.PasswordHash}, len(r.Sealed) == 0
}

// UserForgotten records that a user asked to be forgotten: their key is
// destroyed, so their sealed personal data never opens again, and from
// here on they are AnonymousName(id), disabled for good.
type UserForgotten struct {
	UserID UserID `json:"user_id"`
}

func (UserForgotten) EventType() string { return TypeUserForgotten }

// AnonymousName is what a forgotten user (or one whose personal data does
// not open) is called: it holds a ':' no username may have, so it never
// collides with one.
func AnonymousName(id UserID) string { return "forgotten:" + id.String() }

// Event types of users.
const (
	TypeUserRegistered = "UserRegistered"
	TypePasskeyRotated = "PasskeyRotated"
	TypeUserDisabled   = "UserDisabled"
	TypeUserEnabled    = "UserEnabled"
	TypeLeechingSet    = "LeechingSet"
	TypeUserForgotten  = "UserForgotten"
)

func (UserRegistered) EventType() string { return TypeUserRegistered }

// userRegisteredV1toV2 upcasts the first shape, which called the name
// "username" and had no admin flag (false).
func userRegisteredV1toV2(p []byte) ([]byte, error) {
	var v1 struct {
		UserID       UserID  `json:"user_id"`
		Username     string  `json:"username"`
		Passkey      Passkey `json:"passkey"`
		PasswordHash string  `json:"password_hash"`
	}
	if err := json.Unmarshal(p, &v1); err != nil {
		return nil, err
	}
	return json.Marshal(UserRegistered{UserID: v1.UserID, Name: v1.Username, Passkey: v1.Passkey, PasswordHash: v1.PasswordHash})
}

// PasskeyRotated replaces a user's passkey; the old one stops working. v2
// holds the new passkey's nonce; v1 (upcast unchanged) the passkey itself.
type PasskeyRotated struct {
	UserID  UserID       `json:"user_id"`
	Nonce   PasskeyNonce `json:"nonce,omitempty"`
	Passkey Passkey      `json:"passkey,omitempty"` // v1 only
}

func (PasskeyRotated) EventType() string { return TypePasskeyRotated }

// UserDisabled stops a user from announcing and logging in.
type UserDisabled struct {
	UserID UserID `json:"user_id"`
	Reason string `json:"reason,omitempty"`
}

func (UserDisabled) EventType() string { return TypeUserDisabled }

// UserEnabled lifts UserDisabled.
type UserEnabled struct {
	UserID UserID `json:"user_id"`
}

func (UserEnabled) EventType() string { return TypeUserEnabled }

// LeechingSet allows or forbids a user to download (Gazelle's "can leech").
// ByRatioWatch marks the ratio watch's own (see DecideRatioWatch), which
// it may undo; staff's it never undoes. Reason says why, for people. v2
// added ByRatioWatch and Reason; v1 is upcast unchanged (staff's).
type LeechingSet struct {
	UserID       UserID `json:"user_id"`
	CanLeech     bool   `json:"can_leech"`
	ByRatioWatch bool   `json:"by_ratio_watch,omitempty"`
	Reason       string `json:"reason,omitempty"`
}

func (LeechingSet) EventType() string { return TypeLeechingSet }

func init() {
	RegisterJSON[UserRegistered](3, map[int]Upcast{1: userRegisteredV1toV2, 2: Unchanged})
	RegisterJSON[PasskeyRotated](2, map[int]Upcast{1: Unchanged})
	RegisterJSON[UserDisabled](1, nil)
	RegisterJSON[UserEnabled](1, nil)
	RegisterJSON[LeechingSet](2, map[int]Upcast{1: Unchanged})
	RegisterJSON[UserForgotten](1, nil)
}

// Password limits: bcrypt reads at most 72 bytes.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 72
)

// ValidatePassword returns nil for a password of 8 to 72 bytes.
func ValidatePassword(password string) error {
	switch {
	case len(password) < MinPasswordLen:
		return fmt.Errorf("password must be at least %d characters", MinPasswordLen)
	case len(password) > MaxPasswordLen:
		return fmt.Errorf("password must be at most %d bytes", MaxPasswordLen)
	}
	return nil
}

// User is a user's current state: its registration with the changes on its
// subject applied in order. It is the aggregate the write side decides on.
type User struct {
	ID    UserID
	Name  string
	Class Class // staff when Class.Staff()
	// PasskeyNonce is what the passkey is derived from; Passkey is the
	// passkey itself only when the nonce is empty (an old event). Use
	// ServerSecret.UserPasskey for the passkey.
	PasskeyNonce   PasskeyNonce
	Passkey        Passkey
	PasswordHash   string
	Disabled       bool
	DisabledReason string
	CanLeech       bool
	Forgotten      bool
	RatioWatch     RatioWatch
}

// Staff reports whether the user is staff (a Moderator or Administrator).
func (u User) Staff() bool { return u.Class.Staff() }

// NewUser is the state a registration creates: enabled, allowed to leech,
// of class Administrator when registered as an administrator, else User,
// with p its personal data (opened from the registration's seal, or its
// own plain fields from before v3).
func NewUser(r UserRegistered, p Personal) User {
	return User{ID: r.UserID, Name: p.Name, Class: RegisteredClass(r.Admin), PasskeyNonce: r.PasskeyNonce, Passkey: r.Passkey,
		PasswordHash: p.PasswordHash, CanLeech: true}
}

// NewForgottenUser is the state of a registration whose personal data
// does not open: the user was forgotten.
func NewForgottenUser(r UserRegistered) User {
	u := NewUser(r, Personal{})
	u.Apply(UserForgotten{UserID: r.UserID})
	return u
}

// Apply applies one change of the user's subject. Events of other types
// and of other users change nothing.
func (u *User) Apply(e Event) {
	switch e := e.(type) {
	case PasskeyRotated:
		if e.UserID == u.ID {
			u.PasskeyNonce, u.Passkey = e.Nonce, e.Passkey
		}
	case UserDisabled:
		if e.UserID == u.ID {
			u.Disabled, u.DisabledReason = true, e.Reason
		}
	case UserClassSet:
		if e.UserID == u.ID {
			u.Class = e.Class
		}
	case UserEnabled:
		if e.UserID == u.ID {
			u.Disabled, u.DisabledReason = false, ""
		}
	case LeechingSet:
		if e.UserID == u.ID {
			u.CanLeech = e.CanLeech
			u.RatioWatch.LeechingDisabled = !e.CanLeech && e.ByRatioWatch
		}
	case RatioWatchStarted, RatioWatchEnded:
		u.applyRatioWatch(e)
	case UserForgotten:
		if e.UserID == u.ID {
			u.Forgotten, u.Name, u.PasswordHash = true, AnonymousName(u.ID), ""
			u.Disabled, u.DisabledReason = true, "forgotten at the user's request"
		}
	}
}
