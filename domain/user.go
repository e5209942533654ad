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

// UserRegistered (v2) creates a user. It is appended to the name's claim
// subject with an expected last sequence of 0, so a name is taken once.
type UserRegistered struct {
	UserID       UserID  `json:"user_id"`
	Name         string  `json:"name"`
	Admin        bool    `json:"admin"`
	Passkey      Passkey `json:"passkey"`
	PasswordHash string  `json:"password_hash"`
}

// Event types of users.
const (
	TypeUserRegistered = "UserRegistered"
	TypePasskeyRotated = "PasskeyRotated"
	TypeUserDisabled   = "UserDisabled"
	TypeUserEnabled    = "UserEnabled"
	TypeLeechingSet    = "LeechingSet"
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

// PasskeyRotated replaces a user's passkey; the old one stops working.
type PasskeyRotated struct {
	UserID  UserID  `json:"user_id"`
	Passkey Passkey `json:"passkey"`
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
type LeechingSet struct {
	UserID   UserID `json:"user_id"`
	CanLeech bool   `json:"can_leech"`
}

func (LeechingSet) EventType() string { return TypeLeechingSet }

func init() {
	RegisterJSON[UserRegistered](2, map[int]Upcast{1: userRegisteredV1toV2})
	RegisterJSON[PasskeyRotated](1, nil)
	RegisterJSON[UserDisabled](1, nil)
	RegisterJSON[UserEnabled](1, nil)
	RegisterJSON[LeechingSet](1, nil)
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
	ID             UserID
	Name           string
	Admin          bool
	Passkey        Passkey
	PasswordHash   string
	Disabled       bool
	DisabledReason string
	CanLeech       bool
}

// NewUser is the state a registration creates: enabled, allowed to leech.
func NewUser(r UserRegistered) User {
	return User{ID: r.UserID, Name: r.Name, Admin: r.Admin, Passkey: r.Passkey, PasswordHash: r.PasswordHash, CanLeech: true}
}

// Apply applies one change of the user's subject. Events of other types
// and of other users change nothing.
func (u *User) Apply(e Event) {
	switch e := e.(type) {
	case PasskeyRotated:
		if e.UserID == u.ID {
			u.Passkey = e.Passkey
		}
	case UserDisabled:
		if e.UserID == u.ID {
			u.Disabled, u.DisabledReason = true, e.Reason
		}
	case UserEnabled:
		if e.UserID == u.ID {
			u.Disabled, u.DisabledReason = false, ""
		}
	case LeechingSet:
		if e.UserID == u.ID {
			u.CanLeech = e.CanLeech
		}
	}
}
