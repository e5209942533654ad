package pgserver

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// runAs is the account PostgreSQL runs under. PostgreSQL refuses to run as
// root, so when Djembe runs as root the server runs as the "postgres" user
// that the OS package creates; otherwise as the current user.
type runAs struct {
	cred *syscall.Credential // nil: the current user
	uid  int
	gid  int
	name string
}

func currentRunAs() (runAs, error) {
	if os.Geteuid() != 0 {
		return runAs{uid: os.Geteuid(), gid: os.Getegid()}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return runAs{}, fmt.Errorf("running as root, but PostgreSQL refuses to run as root and there is no " +
			"'postgres' user to run it as: install the postgresql package (it creates that user) or run Djembe as another user")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return runAs{cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, uid: uid, gid: gid, name: "postgres"}, nil
}

// checkReachable makes sure the server's account can enter every ancestor
// of dir, and says how to fix it when it cannot.
func (r runAs) checkReachable(dir string) error {
	if r.cred == nil {
		return nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for p := filepath.Dir(abs); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("data directory: %w", err)
		}
		if !r.canEnter(fi) {
			return fmt.Errorf("PostgreSQL runs as user %s and cannot enter %s (mode %o): "+
				"run `chmod o+x %s`, or choose a data directory under a path it can reach (e.g. --data /var/lib/djembe)",
				r.name, p, fi.Mode().Perm(), p)
		}
		if p == "/" || p == filepath.Dir(p) {
			return nil
		}
	}
}

// own hands path to the server's account (a no-op when not root).
func (r runAs) own(path string) error {
	if r.cred == nil {
		return nil
	}
	return filepath.Walk(path, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, r.uid, r.gid)
	})
}

func (r runAs) canEnter(fi os.FileInfo) bool {
	st := fi.Sys().(*syscall.Stat_t)
	return fi.Mode().Perm()&0o001 != 0 ||
		(int(st.Uid) == r.uid && fi.Mode().Perm()&0o100 != 0) ||
		(int(st.Gid) == r.gid && fi.Mode().Perm()&0o010 != 0)
}

// letEnter lets the server's account enter dir, Djembe's data directory
// that holds the cluster (0700, others locked out), through its group and
// for traversal only: group the account's, mode 0710. A no-op when the
// server runs as this user or can enter dir already.
func (r runAs) letEnter(dir string) error {
	if r.cred == nil {
		return nil
	}
	fi, err := os.Stat(dir)
	if err != nil || r.canEnter(fi) {
		return err
	}
	if err := os.Chown(dir, -1, r.gid); err != nil {
		return fmt.Errorf("let PostgreSQL's account %s enter %s: %w", r.name, dir, err)
	}
	return os.Chmod(dir, fi.Mode().Perm()|0o010)
}
