package commands

import "errors"

// This file is a small bencode scanner for untrusted .torrent files. It
// checks a document's syntax in one pass and then walks it in place: it
// never copies a string and allocates nothing, so what a .torrent costs to
// validate depends on its size alone, not on how many values it holds.
// (Decoding into structs, as github.com/anacrolix/torrent/bencode does,
// costs tens of bytes per value: an 8 MiB .torrent of tiny entries took
// hundreds of megabytes.)

// maxBencodeDepth bounds how deeply lists and dictionaries nest: the
// scanner recurses once per level. Real metainfo nests a few levels (a v2
// file tree one per folder), so this bound is never met in practice.
const maxBencodeDepth = 64

var errNotBencode = errors.New("not bencoded")

// bvalue is one well-formed bencoded value: a string, an integer, a list or
// a dictionary, as it appears in its document.
type bvalue []byte

// scanBencode checks that data is exactly one well-formed bencoded value.
func scanBencode(data []byte) (bvalue, error) {
	end, err := scanValue(data, 0, 0)
	if err != nil {
		return nil, err
	}
	if end != len(data) {
		return nil, errNotBencode
	}
	return bvalue(data), nil
}

// scanValue returns the end of the value that begins at data[i], checking
// its syntax and that it nests at most maxBencodeDepth-depth levels.
func scanValue(data []byte, i, depth int) (int, error) {
	if i >= len(data) {
		return 0, errNotBencode
	}
	switch c := data[i]; {
	case c == 'i':
		return scanInt(data, i)
	case c == 'l', c == 'd':
		if depth >= maxBencodeDepth {
			return 0, errNotBencode
		}
		return scanContainer(data, i, depth)
	case isDigit(c):
		_, end, err := scanString(data, i)
		return end, err
	}
	return 0, errNotBencode
}

// scanContainer scans the list or dictionary at data[i]; a dictionary's
// keys must be strings, each with a value.
func scanContainer(data []byte, i, depth int) (int, error) {
	dict := data[i] == 'd'
	j := i + 1
	for n := 0; ; n++ {
		if j >= len(data) {
			return 0, errNotBencode
		}
		if data[j] == 'e' {
			if dict && n%2 == 1 {
				return 0, errNotBencode
			}
			return j + 1, nil
		}
		if dict && n%2 == 0 && !isDigit(data[j]) {
			return 0, errNotBencode
		}
		end, err := scanValue(data, j, depth+1)
		if err != nil {
			return 0, err
		}
		j = end
	}
}

// scanInt scans i<digits>e: no leading zero, no -0, any magnitude.
func scanInt(data []byte, i int) (int, error) {
	j := i + 1
	if j < len(data) && data[j] == '-' {
		j++
	}
	start := j
	for j < len(data) && isDigit(data[j]) {
		j++
	}
	digits := data[start:j]
	if len(digits) == 0 || j >= len(data) || data[j] != 'e' ||
		(digits[0] == '0' && (len(digits) > 1 || start > i+1)) {
		return 0, errNotBencode
	}
	return j + 1, nil
}

// scanString scans <length>:<bytes> and returns the bytes, in place.
func scanString(data []byte, i int) ([]byte, int, error) {
	n, j := 0, i
	for ; j < len(data) && isDigit(data[j]); j++ {
		if n > len(data) {
			return nil, 0, errNotBencode
		}
		n = n*10 + int(data[j]-'0')
	}
	if j == i || j >= len(data) || data[j] != ':' || (data[i] == '0' && j > i+1) || n > len(data)-j-1 {
		return nil, 0, errNotBencode
	}
	return data[j+1 : j+1+n], j + 1 + n, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// str is v's bytes when v is a string.
func (v bvalue) str() ([]byte, bool) {
	if len(v) == 0 || !isDigit(v[0]) {
		return nil, false
	}
	s, _, err := scanString(v, 0)
	return s, err == nil
}

// int is v's value when v is an integer that fits an int64.
func (v bvalue) int() (int64, bool) {
	if len(v) < 3 || v[0] != 'i' {
		return 0, false
	}
	digits, neg := v[1:len(v)-1], v[1] == '-'
	if neg {
		digits = digits[1:]
	}
	if len(digits) == 0 {
		return 0, false
	}
	var n uint64
	for _, c := range digits {
		if !isDigit(c) || n > (1<<63)/10 {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	switch {
	case neg && n <= 1<<63:
		return -int64(n), true
	case !neg && n < 1<<63:
		return int64(n), true
	}
	return 0, false
}

func (v bvalue) isList() bool { return len(v) > 0 && v[0] == 'l' }
func (v bvalue) isDict() bool { return len(v) > 0 && v[0] == 'd' }

// list calls fn with each element of the list v, in order, and stops at
// fn's first error.
func (v bvalue) list(fn func(elem bvalue) error) error {
	return v.each(func(_ []byte, elem bvalue, _ int) error { return fn(elem) })
}

// dict calls fn with each key and value of the dictionary v, in order, with
// the offset in v where the key begins; it stops at fn's first error.
func (v bvalue) dict(fn func(key []byte, val bvalue, at int) error) error {
	if !v.isDict() {
		return errNotBencode
	}
	return v.each(fn)
}

// each walks the list or dictionary v (well formed, as scanned): for a
// dictionary it passes each key, else a nil key.
func (v bvalue) each(fn func(key []byte, val bvalue, at int) error) error {
	if !v.isList() && !v.isDict() {
		return errNotBencode
	}
	for j := 1; j < len(v) && v[j] != 'e'; {
		at := j
		var key []byte
		if v.isDict() {
			k, end, err := scanString(v, j)
			if err != nil {
				return err
			}
			key, j = k, end
		}
		end, err := scanValue(v, j, 0)
		if err != nil {
			return err
		}
		if err := fn(key, v[j:end], at); err != nil {
			return err
		}
		j = end
	}
	return nil
}

// errStop ends a walk early; it is not a fault.
var errStop = errors.New("stop")
