package commands

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// Argon2idParams are the cost of a password hash. DefaultArgon2id is
// OWASP's first recommendation (Password Storage Cheat Sheet): 19 MiB of
// memory, 2 iterations, 1 lane; a 16-byte random salt and a 32-byte hash.
// On one core it takes a few tens of milliseconds and 19 MiB per login in
// progress.
type Argon2idParams struct {
	Memory  uint32 // KiB
	Time    uint32 // iterations
	Threads uint8
	SaltLen int
	KeyLen  uint32
}

// DefaultArgon2id are the parameters new hashes are made with. A hash made
// with others still verifies, and is rehashed with these at the next login.
var DefaultArgon2id = Argon2idParams{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Limits on the parameters of a stored hash, so a forged or mistaken one
// cannot make a login take the machine's memory or an hour.
const (
	maxArgonMemory = 1 << 20 // 1 GiB, in KiB
	maxArgonTime   = 100
)

// hashPassword hashes password with argon2id and p, in the PHC string
// format: $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH (salt and hash in
// unpadded standard base64).
func hashPassword(password string, p Argon2idParams) string {
	salt := make([]byte, p.SaltLen)
	rand.Read(salt) // never fails (crypto/rand)
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// parsedArgon2id is a PHC argon2id string taken apart.
type parsedArgon2id struct {
	params    Argon2idParams
	salt, key []byte
}

func parseArgon2id(hash string) (parsedArgon2id, bool) {
	var out parsedArgon2id
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return out, false
	}
	var p Argon2idParams
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil || n != 3 ||
		fmt.Sprintf("m=%d,t=%d,p=%d", p.Memory, p.Time, p.Threads) != parts[3] {
		return out, false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 || len(key) > 64 ||
		p.Memory < 8*uint32(p.Threads) || p.Memory > maxArgonMemory || p.Time < 1 || p.Time > maxArgonTime || p.Threads < 1 {
		return out, false
	}
	p.SaltLen, p.KeyLen = len(salt), uint32(len(key))
	return parsedArgon2id{params: p, salt: salt, key: key}, true
}

// hashKind is the scheme of a stored password hash.
type hashKind int

const (
	hashUnknown  hashKind = iota // no hash, or one no password matches (a forgotten user's "")
	hashArgon2id                 // current
	hashBcrypt                   // legacy: verified, then replaced at the login
)

func kindOfHash(hash string) hashKind {
	switch {
	case strings.HasPrefix(hash, "$argon2id$"):
		return hashArgon2id
	case strings.HasPrefix(hash, "$2a$"), strings.HasPrefix(hash, "$2b$"), strings.HasPrefix(hash, "$2y$"):
		return hashBcrypt
	}
	return hashUnknown
}

// verifyPassword reports whether password matches hash (argon2id or
// bcrypt), comparing in constant time. stale is true when it matches but
// the hash should be replaced by one of DefaultArgon2id (a bcrypt hash, or
// argon2id with other parameters). A hash of an unknown scheme matches
// nothing; it costs as much as an argon2id hash, so that it takes as long.
func verifyPassword(hash, password string) (ok, stale bool) {
	switch kindOfHash(hash) {
	case hashBcrypt:
		return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil, true
	case hashArgon2id:
		h, parsed := parseArgon2id(hash)
		if !parsed {
			burnDummy(password)
			return false, false
		}
		key := argon2.IDKey([]byte(password), h.salt, h.params.Time, h.params.Memory, h.params.Threads, h.params.KeyLen)
		ok = subtle.ConstantTimeCompare(key, h.key) == 1
		return ok, ok && h.params != DefaultArgon2id
	}
	burnDummy(password)
	return false, false
}

// dummyHash is a hash of DefaultArgon2id that no password matches (of a
// random password nobody kept): burnDummy verifies against it.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$dKnqTkSs/ZyN4wyrl6fGUA$5IWKvmEqA/2Z/KE8t7qVJQfJ6rjcdevlIrMd2oVU4qg"

// burnDummy verifies password against dummyHash: a login for a name nobody
// has (or a user with no usable hash) costs what a wrong password costs,
// so the time does not tell which names exist.
func burnDummy(password string) {
	h, _ := parseArgon2id(dummyHash)
	key := argon2.IDKey([]byte(password), h.salt, h.params.Time, h.params.Memory, h.params.Threads, h.params.KeyLen)
	subtle.ConstantTimeCompare(key, h.key)
}
