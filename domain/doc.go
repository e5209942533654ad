// Package domain holds Djembe's events and the rules that decide them: ratio
// credit, usernames, passkeys, torrent factors and the client allow-list.
//
// It is pure: standard library and uuid only, no I/O. Every other package
// depends on it; it depends on none of them.
package domain
