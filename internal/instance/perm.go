package instance

import (
	"fmt"
	"os"
)

// dirPermsAllowed are the most a data directory grants beyond its owner:
// traversal by its group, which pgserver grants the PostgreSQL server's
// account when that runs as another user (Djembe run as root). Nobody
// else may read it, write in it or enter it, so no other local user can
// read its secrets or take its lock.
const dirPermsAllowed = 0o710

// narrowDir makes dir 0700 when it grants more than dirPermsAllowed.
func narrowDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("data directory %s: %w", dir, unwrapPath(err))
	}
	if perm := fi.Mode().Perm(); perm&^dirPermsAllowed != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("data directory %s is mode %o and cannot be narrowed to 0700: %w", dir, perm, unwrapPath(err))
		}
	}
	return nil
}

// narrowFile makes f readable and writable by its owner only.
func narrowFile(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if perm := fi.Mode().Perm(); perm&^0o600 != 0 {
		if err := f.Chmod(perm & 0o600); err != nil {
			return fmt.Errorf("%s is mode %o and cannot be narrowed to 0600: %w", f.Name(), perm, unwrapPath(err))
		}
	}
	return nil
}
