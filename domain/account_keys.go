package domain

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/google/uuid"
)

// Invite codes, API tokens and RSS keys: the secrets of an account besides
// its password and passkey, and what the log keeps of each.

// NewInviteCode returns a code for an invite of user by, and its hash (what
// the log keeps). The code is 43 URL-safe characters: by's id and 128
// random bits, base64url. The id lets the write side find the invite
// (InviteCreated, on by's subject) from the code; the random bits make it
// unguessable, and the log holds only SHA-256 of the whole code.
func NewInviteCode(by UserID) (code, hash string) {
	var b [32]byte
	copy(b[:16], by[:])
	rand.Read(b[16:]) // never fails (crypto/rand)
	code = base64.RawURLEncoding.EncodeToString(b[:])
	return code, SecretHash(code)
}

// ParseInviteCode is the user whose invite code is, if code has the shape
// of one.
func ParseInviteCode(code string) (by UserID, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(code)
	if err != nil || len(b) != 32 {
		return uuid.Nil, false
	}
	copy(by[:], b[:16])
	return by, true
}

// SecretHash is what the log and the read models keep of a random secret
// of at least 128 bits (an invite code, an API token): SHA-256 as 64 hex
// characters. Unsalted is enough for secrets nobody chose: a guess costs
// as much as guessing the secret itself.
func SecretHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// tokenPrefix begins every API token, so a leaked one is recognisable (by
// secret scanners, in logs).
const tokenPrefix = "djt_"

// NewToken returns an API token and its hash (what the log keeps): "djt_"
// and 256 random bits, base64url (47 characters in all).
func NewToken() (token, hash string) {
	var b [32]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	token = tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return token, SecretHash(token)
}

// ValidToken reports whether s has the shape of an API token.
func ValidToken(s string) bool {
	rest, ok := strings.CutPrefix(s, tokenPrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}

// RSSNonce is what the log holds of a user's RSS key: 128 random bits as
// 32 hex characters (RSSKeyRotated).
type RSSNonce string

// NewRSSNonce returns a nonce from crypto/rand.
func NewRSSNonce() RSSNonce { return RSSNonce(NewPasskeyNonce()) }

// DefaultRSSNonce is the nonce of a user who never rotated their RSS key:
// their id as 32 hex characters.
func DefaultRSSNonce(id UserID) RSSNonce { return RSSNonce(hex.EncodeToString(id[:])) }

// RSSKey is the key in a user's RSS feed URL: 64 hex characters, the
// nonce and then the first 128 bits of HMAC-SHA256(server secret, label ‖
// user id ‖ nonce), with a label of its own so that it never equals the
// passkey. The nonce part lets the feed find the user by an index; the
// HMAC part is what nobody can make without the secret, so the log (which
// holds only nonces) gives no working key.
type RSSKey string

// RSSKey is user id's RSS key for nonce (DefaultRSSNonce when empty).
func (s ServerSecret) RSSKey(id UserID, nonce RSSNonce) RSSKey {
	if nonce == "" {
		nonce = DefaultRSSNonce(id)
	}
	return RSSKey(string(nonce) + s.rssMAC(id, nonce))
}

func (s ServerSecret) rssMAC(id UserID, nonce RSSNonce) string {
	mac := hmac.New(sha256.New, s)
	mac.Write([]byte("djembe rss key\x00"))
	mac.Write(id[:])
	mac.Write([]byte(nonce))
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

// Nonce is the nonce part of k, if k has the shape of an RSS key.
func (k RSSKey) Nonce() (RSSNonce, bool) {
	if len(k) != 64 || !ValidPasskey(string(k[:32])) || !ValidPasskey(string(k[32:])) {
		return "", false
	}
	return RSSNonce(k[:32]), true
}

// CheckRSSKey reports, in constant time, whether key is user id's RSS key
// for nonce.
func (s ServerSecret) CheckRSSKey(id UserID, nonce RSSNonce, key RSSKey) bool {
	return hmac.Equal([]byte(s.RSSKey(id, nonce)), []byte(key))
}
