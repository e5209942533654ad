package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Subjects of the one stream. Each aggregate has its own subject, so
// optimistic concurrency (an expected last subject sequence) guards it, and
// create-once facts are appended to a claim subject with expected sequence 0.
const (
	SubjectPrefix   = "djembe."
	SubjectAll      = "djembe.>"
	subjectUser     = "djembe.user."
	subjectName     = "djembe.username."
	subjectTorrent  = "djembe.torrent."
	subjectAnnounce = "djembe.announce."
	SubjectClients  = "djembe.admin.clients"
)

// UserSubject holds a user's changes after registration.
func UserSubject(id UserID) string { return subjectUser + id.String() }

// UsernameSubject is the claim subject of a name before v3 of
// UserRegistered, which named it in plain: its first event is the
// UserRegistered that took it. Names are claimed on ClaimSubject now; a
// name is free only when neither subject holds an event.
func UsernameSubject(name string) string { return subjectName + UsernameKey(name) }

// NameClaim is the keyed hash of a name (without regard to case) that
// names its claim subject: the log holds no name in plain, and without the
// server secret nobody can test a guess against it.
func NameClaim(secret ServerSecret, name string) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("username\x00" + UsernameKey(name)))
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

// ClaimSubject is the claim subject of a name whose NameClaim is claim.
func ClaimSubject(claim string) string { return subjectName + claim }

// TorrentSubject holds a torrent's registration and later changes.
func TorrentSubject(h InfoHash) string { return subjectTorrent + hex.EncodeToString(h[:]) }

// AnnounceSubject carries one tracker node's announce batches.
func AnnounceSubject(node string) string { return subjectAnnounce + node }

// IsAnnounceSubject reports whether subject carries announce batches.
func IsAnnounceSubject(subject string) bool { return strings.HasPrefix(subject, subjectAnnounce) }
