package peerkeys

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// nameLayout names a key's file after the UTC hour it seals.
const (
	nameLayout = "2006-01-02T15Z"
	nameSuffix = ".key"
	tempPrefix = ".new-key-"
)

func name(id uint32) string { return Start(id).Format(nameLayout) + nameSuffix }

// parseName is the id of a key file's name, if it is one.
func parseName(s string) (uint32, bool) {
	base, ok := strings.CutSuffix(s, nameSuffix)
	if !ok {
		return 0, false
	}
	t, err := time.ParseInLocation(nameLayout, base, time.UTC)
	if err != nil || t.Unix() < 0 {
		return 0, false
	}
	id := ID(t)
	return id, name(id) == s
}

func newKey() []byte {
	key := make([]byte, KeySize)
	rand.Read(key) // never fails (the runtime aborts instead)
	return key
}

// read reads key id's file.
func (r *Ring) read(id uint32) ([]byte, error) {
	key, err := os.ReadFile(filepath.Join(r.dir, name(id)))
	if err != nil {
		return nil, err
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("peer keys: %s holds %d bytes, not a key", name(id), len(key))
	}
	return key, nil
}

// create makes key id's file: a new key written and synced under a
// temporary name (0600), then linked to its own name, which fails if
// another process made it first (then its key is read).
func (r *Ring) create(id uint32) ([]byte, error) {
	key := newKey()
	f, err := os.CreateTemp(r.dir, tempPrefix)
	if err != nil {
		return nil, fmt.Errorf("peer keys: %w", err)
	}
	defer os.Remove(f.Name())
	_, err = f.Write(key)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("peer keys: %w", err)
	}
	if err := os.Link(f.Name(), filepath.Join(r.dir, name(id))); errors.Is(err, os.ErrExist) {
		return r.read(id)
	} else if err != nil {
		return nil, fmt.Errorf("peer keys: %w", err)
	}
	if d, err := os.Open(r.dir); err == nil {
		d.Sync() // the new name survives a crash: batches sealed with it follow
		d.Close()
	}
	return key, nil
}

// destroy overwrites a key's file with zeros and removes it. The removal
// is what counts; the overwrite helps where the file system writes in
// place (not on copy-on-write file systems or some SSDs).
func destroy(path string) error {
	if f, err := os.OpenFile(path, os.O_WRONLY, 0); err == nil {
		f.Write(make([]byte, KeySize))
		f.Sync()
		f.Close()
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("peer keys: %w", err)
	}
	return nil
}

// isStaleTemp reports whether e is a temporary key file a crashed process
// left more than a period ago (by the file system's clock).
func isStaleTemp(e os.DirEntry) bool {
	if !strings.HasPrefix(e.Name(), tempPrefix) {
		return false
	}
	info, err := e.Info()
	return err == nil && time.Since(info.ModTime()) > Period
}
