package pgserver

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// ErrNoBinaries says PostgreSQL's server programs are not installed.
var ErrNoBinaries = fmt.Errorf("PostgreSQL server binaries (initdb, postgres) not found: " +
	"install them with `apt-get install -y postgresql` (Debian/Ubuntu), or set DJEMBE_PG_BIN to their directory, " +
	"or set DATABASE_URL to use an external PostgreSQL")

// FindBinDir locates the directory holding initdb and postgres: $DJEMBE_PG_BIN,
// then PATH, then the newest /usr/lib/postgresql/*/bin.
func FindBinDir() (string, error) {
	if d := os.Getenv("DJEMBE_PG_BIN"); d != "" {
		if hasServer(d) {
			return d, nil
		}
		return "", fmt.Errorf("DJEMBE_PG_BIN=%s does not hold initdb and postgres", d)
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if d := filepath.Dir(resolve(p)); hasServer(d) {
			return d, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if hasServer(d) {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

func resolve(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

func hasServer(dir string) bool {
	for _, name := range []string{"initdb", "postgres"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.IsDir() {
			return false
		}
	}
	return true
}

func version(binDir string) float64 {
	v, _ := strconv.ParseFloat(strings.TrimSpace(filepath.Base(filepath.Dir(binDir))), 64)
	return v
}
