package commands

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// A .torrent's name and each part of its file paths become names on the
// downloader's disk, joined by the client: each must be one plain name. A
// name that is empty, "." or "..", absolute, or holds a separator could
// make a client write outside its download folder; control characters and
// invalid UTF-8 are shown and saved differently by different clients.

// nameFault is why a name is refused and what the uploader can do.
type nameFault struct{ what, advice string }

var (
	faultEmpty     = nameFault{"is empty", "every file and folder needs a name; make the .torrent again"}
	faultDot       = nameFault{`is "." or ".."`, "that could make a client write outside its download folder; rename it and make the .torrent again"}
	faultAbsolute  = nameFault{"is an absolute path (it begins with /)", "that could make a client write outside its download folder; make the .torrent again from the folder you share"}
	faultSlash     = nameFault{`holds a "/"`, "clients would read it as a folder; rename it and make the .torrent again"}
	faultBackslash = nameFault{"holds a backslash", "Windows clients would read it as a folder; rename it and make the .torrent again"}
	faultNUL       = nameFault{"holds a NUL byte", "no file system accepts one; rename it and make the .torrent again"}
	faultControl   = nameFault{"holds a control character (a newline, a tab, ...)", "file systems and clients mishandle them; rename it and make the .torrent again"}
	faultUTF8      = nameFault{"is not valid UTF-8", "clients would show and save it differently; make the .torrent again with a client that writes UTF-8 names"}
)

// nameFaultOf is what is wrong with s as one name on disk, or nil.
func nameFaultOf(s []byte) *nameFault {
	switch {
	case len(s) == 0:
		return &faultEmpty
	case string(s) == "." || string(s) == "..":
		return &faultDot
	case s[0] == '/':
		return &faultAbsolute
	case bytes.IndexByte(s, '/') >= 0:
		return &faultSlash
	case bytes.IndexByte(s, '\\') >= 0:
		return &faultBackslash
	case bytes.IndexByte(s, 0) >= 0:
		return &faultNUL
	case !utf8.Valid(s):
		return &faultUTF8
	case bytes.IndexFunc(s, unicode.IsControl) >= 0:
		return &faultControl
	}
	return nil
}

// checkName refuses the torrent's name (key is "name" or "name.utf-8").
func checkName(key string, s []byte) error {
	if f := nameFaultOf(s); f != nil {
		return refuseFile("the .torrent's %s %s %s: %s", key, quoteName(s), f.what, f.advice)
	}
	return nil
}

// checkPathPart refuses part, one element of the path of a file or link
// target (what).
func checkPathPart(what string, path bvalue, part []byte) error {
	if f := nameFaultOf(part); f != nil {
		return refuseFile("the .torrent's %s %s has a path part %s that %s: %s", what, quotePath(path), quoteName(part), f.what, f.advice)
	}
	return nil
}

// maxQuoted bounds how much of a name a message repeats.
const maxQuoted = 80

// quoteName quotes s for a message, shortened to maxQuoted bytes.
func quoteName(s []byte) string {
	if len(s) > maxQuoted {
		return strconv.Quote(string(s[:maxQuoted])) + "..."
	}
	return strconv.Quote(string(s))
}

// quotePath quotes a path list (well formed) as its parts joined by "/".
func quotePath(path bvalue) string {
	var b []byte
	path.list(func(part bvalue) error {
		s, _ := part.str()
		if len(b) > 0 {
			b = append(b, '/')
		}
		b = append(b, s...)
		if len(b) > maxQuoted {
			return errNotBencode // stop: enough to recognise it
		}
		return nil
	})
	return quoteName(b)
}

// plural is "1 file", "2 files".
func plural(n int64, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
