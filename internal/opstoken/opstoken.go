// Package opstoken reads the operator listener's bearer token from its
// file: the serve that requires it on every operator request, and the
// commands that call the operator listener (bench) read it alike.
package opstoken

import (
	"errors"
	"os"
	"strings"

	"github.com/djembe/djembe/domain"
)

// MinLen is the shortest token accepted.
const MinLen = 16

// Read reads the token from path: the file's content without surrounding
// white space, at least MinLen characters and none of them a space. A
// missing, unreadable or unfit file is refused (KindInvalid) with what to
// do about it.
func Read(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", domain.E("", domain.KindInvalid, "--ops-token-file %s: %w", path, err)
	}
	tok := strings.TrimSpace(string(b))
	if len(tok) < MinLen || strings.ContainsAny(tok, " \t\r\n") {
		return "", domain.E("", domain.KindInvalid, "--ops-token-file %s: want one token of at least %d characters without spaces "+
			"(e.g. `openssl rand -hex 32 > %s`)", path, MinLen, path)
	}
	return tok, nil
}
