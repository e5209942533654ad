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

func (UserRegistered) EventType() string { return "UserRegistered" }

// userRegisteredV1 is the first shape: "username", no admin flag.
type userRegisteredV1 struct {
	UserID       UserID  `json:"user_id"`
	Username     string  `json:"username"`
	Passkey      Passkey `json:"passkey"`
	PasswordHash string  `json:"password_hash"`
}

func decodeUserRegistered(version int, p []byte) (Event, error) {
	switch version {
	case 1:
		var v1 userRegisteredV1
		if err := json.Unmarshal(p, &v1); err != nil {
			return nil, fmt.Errorf("decode UserRegistered v1: %w", err)
		}
		return UserRegistered{UserID: v1.UserID, Name: v1.Username, Passkey: v1.Passkey, PasswordHash: v1.PasswordHash}, nil
	case 2:
		var e UserRegistered
		if err := json.Unmarshal(p, &e); err != nil {
			return nil, fmt.Errorf("decode UserRegistered v2: %w", err)
		}
		return e, nil
	}
	return nil, fmt.Errorf("%w: UserRegistered v%d", ErrUnknownEvent, version)
}

// PasskeyRotated replaces a user's passkey; the old one stops working.
type PasskeyRotated struct {
	UserID  UserID  `json:"user_id"`
	Passkey Passkey `json:"passkey"`
}

func (PasskeyRotated) EventType() string { return "PasskeyRotated" }

// UserDisabled stops a user from announcing and logging in.
type UserDisabled struct {
	UserID UserID `json:"user_id"`
	Reason string `json:"reason,omitempty"`
}

func (UserDisabled) EventType() string { return "UserDisabled" }

// UserEnabled lifts UserDisabled.
type UserEnabled struct {
	UserID UserID `json:"user_id"`
}

func (UserEnabled) EventType() string { return "UserEnabled" }

// LeechingSet allows or forbids a user to download (Gazelle's "can leech").
type LeechingSet struct {
	UserID   UserID `json:"user_id"`
	CanLeech bool   `json:"can_leech"`
}

func (LeechingSet) EventType() string { return "LeechingSet" }

func init() {
	codecs["UserRegistered"] = codec{version: 2, decode: decodeUserRegistered}
	registerJSON[PasskeyRotated](1)
	registerJSON[UserDisabled](1)
	registerJSON[UserEnabled](1)
	registerJSON[LeechingSet](1)
}
