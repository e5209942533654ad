// Package peerkeys keeps the keys that seal peers' addresses in the log
// (domain.SealedAddrs): one AES-256 key per UTC hour, made when the hour's
// first batch is sealed, and destroyed once the hour is more than the
// retention past. Afterwards nobody can read the addresses it sealed, the
// log's owner included; the rest of each announce (the accounting) stays
// readable forever.
//
// Invariants: a key, once made, never changes (every node that shares the
// ring seals an hour's batches with the same bytes); Key refuses a key past
// retention even while its file still exists; a key's file is written
// whole before its name appears (link of a synced temporary file), so a
// reader never sees a partial key.
package peerkeys

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Period is how long one key seals: a key id is the number of whole
// periods since the Unix epoch (UTC).
const Period = time.Hour

// DefaultRetention is how long after its hour a key is kept: long enough
// that a peer still in a swarm (silent for at most two announce intervals,
// an hour on defaults) always has its last address readable, and that a
// tracker down for up to two days gets its swarms back with addresses.
const DefaultRetention = 48 * time.Hour

// KeySize is the size of a key in bytes (AES-256).
const KeySize = 32

// Dir is the ring's directory under a data directory.
const Dir = "peer-keys"

// ID is the id of the key that seals at t.
func ID(t time.Time) uint32 { return uint32(t.Unix() / int64(Period/time.Second)) }

// Start is when the period of key id begins.
func Start(id uint32) time.Time { return time.Unix(int64(id)*int64(Period/time.Second), 0).UTC() }

// Retention is the retention to use with announce interval: the default,
// or longer when peers may stay silent for longer (two intervals, and two
// periods of slack).
func Retention(interval time.Duration) time.Duration {
	return max(DefaultRetention, 2*interval+2*Period)
}

// Ring is a set of keys, one per period, in a directory (mode 0700, each
// key a file of mode 0600 named after its hour) or only in memory. Trackers
// on one machine share a directory; trackers on several machines must share
// it too (or have copies of it), or they cannot read each other's addresses.
// It is safe for concurrent use, and by several processes on one directory.
type Ring struct {
	dir       string        // "": memory only
	retention time.Duration // 0: keys are never destroyed

	mu      sync.Mutex
	keys    map[uint32][]byte
	expired uint32 // the period Expire last ran in
}

// Open opens the ring in dir, creating it (0700) if needed; a directory
// readable by others is made 0700. retention must be at least two periods.
func Open(dir string, retention time.Duration) (*Ring, error) {
	if retention < 2*Period {
		return nil, fmt.Errorf("peer keys: retention %v is shorter than two periods (%v)", retention, 2*Period)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("peer keys: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("peer keys: %w", err)
	}
	return &Ring{dir: dir, retention: retention, keys: map[uint32][]byte{}}, nil
}

// Memory is a ring that keeps its keys in this process's memory only:
// addresses sealed with it cannot be read after the process ends. A
// retention of 0 destroys no key.
func Memory(retention time.Duration) *Ring {
	return &Ring{retention: retention, keys: map[uint32][]byte{}}
}

// Seal returns the key that seals at now, and its id, making it if no
// node has yet.
func (r *Ring) Seal(now time.Time) (id uint32, key []byte, err error) {
	id = ID(now)
	r.mu.Lock()
	defer r.mu.Unlock()
	if key, ok := r.keys[id]; ok {
		return id, key, nil
	}
	if key, err = r.load(id); err != nil {
		return 0, nil, err
	}
	r.keys[id] = key
	return id, key, nil
}

// Key returns the key with id, unless it is past retention at now or was
// never made or was destroyed.
func (r *Ring) Key(id uint32, now time.Time) ([]byte, bool) {
	if r.past(id, now) {
		return nil, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if key, ok := r.keys[id]; ok {
		return key, true
	}
	if r.dir == "" {
		return nil, false
	}
	key, err := r.read(id)
	if err != nil {
		return nil, false
	}
	r.keys[id] = key
	return key, true
}

// Expire destroys every key past retention at now: it forgets it and
// removes its file (other nodes on the directory stop reading it as soon as
// they find it past retention themselves). It does the work once a period.
func (r *Ring) Expire(now time.Time) error {
	if r.retention == 0 {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if ID(now) == r.expired {
		return nil
	}
	r.expired = ID(now)
	for id := range r.keys {
		if r.past(id, now) {
			clear(r.keys[id])
			delete(r.keys, id)
		}
	}
	if r.dir == "" {
		return nil
	}
	entries, err := os.ReadDir(r.dir)
	if err != nil {
		return fmt.Errorf("peer keys: %w", err)
	}
	var errs []error
	for _, e := range entries {
		if id, ok := parseName(e.Name()); ok && r.past(id, now) || isStaleTemp(e) {
			errs = append(errs, destroy(filepath.Join(r.dir, e.Name())))
		}
	}
	return errors.Join(errs...)
}

// past reports whether key id is past retention at now: more than the
// retention after the end of its period.
func (r *Ring) past(id uint32, now time.Time) bool {
	return r.retention > 0 && !now.Before(Start(id).Add(Period+r.retention))
}

// load reads key id from the directory, or makes it. r.mu is held.
func (r *Ring) load(id uint32) ([]byte, error) {
	if r.dir == "" {
		return newKey(), nil
	}
	if key, err := r.read(id); err == nil {
		return key, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return r.create(id)
}
