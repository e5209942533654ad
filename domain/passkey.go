package domain

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
)

// PasskeyNonce is what the log holds of a user's passkey: 128 random bits
// as 32 hex characters. The passkey itself is derived from it with the
// server's secret (ServerSecret.Passkey), so the log alone gives no
// working passkey. Empty in events written before passkeys were derived,
// which carry the passkey itself.
type PasskeyNonce string

// NewPasskeyNonce returns a nonce from crypto/rand.
func NewPasskeyNonce() PasskeyNonce {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return PasskeyNonce(hex.EncodeToString(b[:]))
}

// ServerSecret is the key passkeys are derived with. It is kept outside
// the log (in the data directory, readable by its owner only), and every
// node that checks passkeys holds the same one.
type ServerSecret []byte

// Passkey is user id's passkey for nonce: the first 128 bits of
// HMAC-SHA256(secret, id ‖ nonce) as 32 lowercase hex characters. For an
// empty nonce (a registration or rotation from before derived passkeys) it
// is legacy, the passkey that event carried.
func (s ServerSecret) Passkey(id UserID, nonce PasskeyNonce, legacy Passkey) Passkey {
	if nonce == "" {
		return legacy
	}
	mac := hmac.New(sha256.New, s)
	mac.Write(id[:])
	mac.Write([]byte(nonce))
	return Passkey(hex.EncodeToString(mac.Sum(nil)[:16]))
}

// UserPasskey is the passkey u has now.
func (s ServerSecret) UserPasskey(u User) Passkey { return s.Passkey(u.ID, u.PasskeyNonce, u.Passkey) }

// Fingerprint identifies the secret without revealing it: the log records
// the fingerprint of the secret it was started with (ServerSecretSet), so
// a node given another secret is refused before its passkeys and name
// claims disagree with everyone else's.
func (s ServerSecret) Fingerprint() string {
	mac := hmac.New(sha256.New, s)
	mac.Write([]byte("djembe server secret fingerprint"))
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

// SubjectSecret holds the one ServerSecretSet of the log.
const SubjectSecret = "djembe.admin.secret"

// ServerSecretSet records the fingerprint of the server secret a log was
// started with. It is appended once, on SubjectSecret.
type ServerSecretSet struct {
	Fingerprint string `json:"fingerprint"`
}

// TypeServerSecretSet is ServerSecretSet's event type.
const TypeServerSecretSet = "ServerSecretSet"

func (ServerSecretSet) EventType() string { return TypeServerSecretSet }

func init() {
	RegisterJSON[ServerSecretSet](1, nil)
	RegisterPlacement(TypeServerSecretSet, Placement{Prefix: SubjectSecret, Exact: true})
}
