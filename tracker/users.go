package tracker

import (
	"sync"

	"github.com/djembe/djembe/domain"
)

// userState is what the announce path needs to know about a passkey's user.
type userState struct {
	id       domain.UserID
	idx      uint32 // the user's index in the registry, used by peers
	disabled bool
	noLeech  bool
}

// passkeyBytes is a passkey's 32 hex characters as 16 bytes: a map key
// stored inline, compared without following a pointer.
type passkeyBytes [16]byte

// parsePasskey decodes a passkey; ok is false for anything that is not 32
// hex characters.
func parsePasskey(s string) (k passkeyBytes, ok bool) {
	if len(s) != 32 {
		return k, false
	}
	for i := range k {
		hi, ok1 := unhex(s[2*i])
		lo, ok2 := unhex(s[2*i+1])
		if !ok1 || !ok2 {
			return k, false
		}
		k[i] = hi<<4 | lo
	}
	return k, true
}

// userShard maps the passkeys that fall in it to their users.
type userShard struct {
	mu        sync.RWMutex
	byPasskey map[passkeyBytes]userState
	_         [64 - 24 - 8]byte
}

const numUserShards = 64

// users is the passkey registry, built from the log. Only the log follower
// writes it; announces read it. Invariants: every registered user has exactly
// one passkey entry (its current passkey), and recs[idx] is the user with
// index idx, which never changes.
type users struct {
	shards [numUserShards]userShard

	mu   sync.RWMutex // guards byID and recs
	byID map[domain.UserID]uint32
	recs []userRecord
}

// userRecord is a user's full state, by index.
type userRecord struct {
	userState
	passkey string
}

func newUsers() *users {
	u := &users{byID: make(map[domain.UserID]uint32)}
	for i := range u.shards {
		u.shards[i].byPasskey = make(map[passkeyBytes]userState)
	}
	return u
}

// shardOf picks a passkey's shard (passkeys are random).
func (u *users) shardOf(k *passkeyBytes) *userShard {
	return &u.shards[k[0]%numUserShards]
}

// lookup finds the user whose current passkey is passkey.
func (u *users) lookup(passkey string) (userState, bool) {
	k, ok := parsePasskey(passkey)
	if !ok {
		return userState{}, false
	}
	sh := u.shardOf(&k)
	sh.mu.RLock()
	s, ok := sh.byPasskey[k]
	sh.mu.RUnlock()
	return s, ok
}

// register adds a user who may leech and is enabled. A known id is ignored.
func (u *users) register(id domain.UserID, passkey domain.Passkey) {
	u.mu.Lock()
	if _, dup := u.byID[id]; dup {
		u.mu.Unlock()
		return
	}
	idx := uint32(len(u.recs))
	rec := userRecord{userState: userState{id: id, idx: idx}, passkey: string(passkey)}
	u.recs = append(u.recs, rec)
	u.byID[id] = idx
	u.mu.Unlock()
	u.setPasskeyEntry(rec.passkey, rec.userState)
}

// rotate replaces a user's passkey: the old one stops working.
func (u *users) rotate(id domain.UserID, passkey domain.Passkey) {
	u.change(id, func(r *userRecord) { r.passkey = string(passkey) })
}

// setDisabled and setLeech change a user's flags.
func (u *users) setDisabled(id domain.UserID, disabled bool) {
	u.change(id, func(r *userRecord) { r.disabled = disabled })
}

func (u *users) setLeech(id domain.UserID, canLeech bool) {
	u.change(id, func(r *userRecord) { r.noLeech = !canLeech })
}

// change applies fn to a user's record and republishes its passkey entry.
func (u *users) change(id domain.UserID, fn func(*userRecord)) {
	u.mu.Lock()
	idx, ok := u.byID[id]
	if !ok {
		u.mu.Unlock()
		return
	}
	oldKey := u.recs[idx].passkey
	fn(&u.recs[idx])
	rec := u.recs[idx]
	u.mu.Unlock()
	u.setPasskeyEntry(rec.passkey, rec.userState) // the new passkey works before the old one stops
	if oldKey != rec.passkey {
		if k, ok := parsePasskey(oldKey); ok {
			sh := u.shardOf(&k)
			sh.mu.Lock()
			delete(sh.byPasskey, k)
			sh.mu.Unlock()
		}
	}
}

// setPasskeyEntry maps passkey to s. A passkey that is not 32 hex
// characters can never be announced with, and is not entered.
func (u *users) setPasskeyEntry(passkey string, s userState) {
	k, ok := parsePasskey(passkey)
	if !ok {
		return
	}
	sh := u.shardOf(&k)
	sh.mu.Lock()
	sh.byPasskey[k] = s
	sh.mu.Unlock()
}

// index returns a user's registry index.
func (u *users) index(id domain.UserID) (uint32, bool) {
	u.mu.RLock()
	idx, ok := u.byID[id]
	u.mu.RUnlock()
	return idx, ok
}

// id returns the user with registry index idx.
func (u *users) id(idx uint32) domain.UserID {
	u.mu.RLock()
	defer u.mu.RUnlock()
	if int(idx) >= len(u.recs) {
		return domain.UserID{}
	}
	return u.recs[idx].id
}

// count is the number of registered users.
func (u *users) count() int {
	u.mu.RLock()
	defer u.mu.RUnlock()
	return len(u.recs)
}
