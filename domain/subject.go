package domain

import (
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

// UsernameSubject is the claim subject of a name: its first event is the
// UserRegistered that took it.
func UsernameSubject(name string) string { return subjectName + UsernameKey(name) }

// TorrentSubject holds a torrent's registration and later changes.
func TorrentSubject(h InfoHash) string { return subjectTorrent + hex.EncodeToString(h[:]) }

// AnnounceSubject carries one tracker node's announce batches.
func AnnounceSubject(node string) string { return subjectAnnounce + node }

// IsAnnounceSubject reports whether subject carries announce batches.
func IsAnnounceSubject(subject string) bool { return strings.HasPrefix(subject, subjectAnnounce) }
