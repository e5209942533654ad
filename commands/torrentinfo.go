package commands

import (
	"fmt"
	"math"
)

// infoDict is the fields of a .torrent's info dictionary that the rules
// read, in place (each nil when absent). Everything else is kept as it is
// and read by nobody here.
type infoDict struct {
	raw                   bvalue
	name, nameUTF8        bvalue
	pieceLength, pieces   bvalue
	length, files         bvalue
	metaVersion, fileTree bvalue
	private               bvalue
}

// v1File is one entry of a .torrent's files list, checked.
type v1File struct {
	length         int64
	path, pathUTF8 bvalue // lists of names; pathUTF8 nil when absent
}

// damaged refuses a .torrent whose info dictionary is not what BEP 3 says.
func damaged(detail string) error {
	return refuseFile("this is not a valid .torrent: its info dictionary is damaged (%s); make the .torrent again with your BitTorrent client", detail)
}

var errTwoInfos = refuseFile("this is not a valid .torrent: it has two info dictionaries, so clients could read different ones; make the .torrent again with your BitTorrent client")

// infoOf finds the info dictionary of a .torrent's top-level dictionary.
func infoOf(top bvalue) (bvalue, error) {
	var info bvalue
	err := top.each(func(k []byte, v bvalue, _ int) error {
		if string(k) != "info" {
			return nil
		}
		if info != nil {
			return errTwoInfos
		}
		info = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !info.isDict() {
		return nil, refuseFile("this is not a valid .torrent: it has no info dictionary (the part that describes the files); make the .torrent again with your BitTorrent client")
	}
	return info, nil
}

// readInfo picks the fields the rules read. A key that the rules read must
// appear once: were it repeated, a client could read another value than
// the one checked here.
func readInfo(info bvalue) (infoDict, error) {
	d := infoDict{raw: info}
	var seen keySet
	err := info.dict(func(k []byte, v bvalue, _ int) error {
		f := d.field(string(k))
		if f == nil {
			return nil
		}
		if err := seen.add(k, "its key"); err != nil {
			return err
		}
		*f = v
		return nil
	})
	return d, err
}

// field is where readInfo keeps the value of key, or nil for a key the
// rules do not read.
func (d *infoDict) field(key string) *bvalue {
	switch key {
	case "name":
		return &d.name
	case "name.utf-8":
		return &d.nameUTF8
	case "piece length":
		return &d.pieceLength
	case "pieces":
		return &d.pieces
	case "length":
		return &d.length
	case "files":
		return &d.files
	case "meta version":
		return &d.metaVersion
	case "file tree":
		return &d.fileTree
	case "private":
		return &d.private
	}
	return nil
}

// knownKeys are the keys the rules read, of an info dictionary or of a
// file entry.
var knownKeys = [...]string{"name", "name.utf-8", "piece length", "pieces", "length", "files",
	"meta version", "file tree", "private", "path", "path.utf-8", "symlink path"}

// keySet is which known keys one dictionary has shown.
type keySet uint16

// add refuses a known key that was added before; it allocates nothing.
func (s *keySet) add(k []byte, what string) error {
	for i, name := range knownKeys {
		if name != string(k) {
			continue
		}
		if *s&(1<<i) != 0 {
			return damaged(fmt.Sprintf("%s %q appears twice", what, name))
		}
		*s |= 1 << i
	}
	return nil
}

// isV2 reports a BEP 52 info dictionary (v2 only, or hybrid).
func (d infoDict) isV2() bool {
	v, ok := d.metaVersion.int()
	return ok && v == 2
}

// checkV1 refuses a torrent without v1 piece hashes.
func (d infoDict) checkV1() error {
	if d.pieces != nil {
		return nil
	}
	if d.isV2() || d.fileTree != nil {
		return refuseFile("the .torrent has no v1 piece hashes: v2-only torrents are not supported; make a v1 or hybrid (v1+v2) torrent")
	}
	return refuseFile("this is not a valid .torrent: it has no piece hashes; make the .torrent again with your BitTorrent client")
}

// checkNames refuses a name or name.utf-8 that is not one plain name.
func (d infoDict) checkNames() error {
	name, ok := d.name.str()
	if d.name != nil && !ok {
		return damaged("its name is not a string")
	}
	if err := checkName("name", name); err != nil {
		return err
	}
	if d.nameUTF8 == nil {
		return nil
	}
	if name, ok = d.nameUTF8.str(); !ok {
		return damaged("its name.utf-8 is not a string")
	}
	return checkName("name.utf-8", name)
}

// bestName is name.utf-8 when given, else name (as clients show it).
func (d infoDict) bestName() []byte {
	if s, ok := d.nameUTF8.str(); ok && len(s) > 0 {
		return s
	}
	s, _ := d.name.str()
	return s
}

// minPieceLength is the smallest piece length clients accept: one block.
const minPieceLength = 16 << 10

// checkPieces checks the piece length and the pieces string; it returns
// the piece length and the number of piece hashes.
func (d infoDict) checkPieces() (int64, int64, error) {
	pl, ok := d.pieceLength.int()
	switch {
	case d.pieceLength != nil && !ok:
		return 0, 0, damaged("its piece length is not a number")
	case pl == 0:
		return 0, 0, refuseFile("the .torrent's piece length is 0 (or missing): make the .torrent again with your BitTorrent client, which chooses a piece size of 16 KiB or more")
	case pl < 0 || pl&(pl-1) != 0:
		return 0, 0, refuseFile("the .torrent's piece length, %d bytes, is not a power of two, as BitTorrent clients require: make the .torrent again with a standard piece size (16 KiB, 32 KiB, ... 16 MiB)", pl)
	case pl < minPieceLength:
		return 0, 0, refuseFile("the .torrent's piece length, %s, is below 16 KiB, the smallest BitTorrent clients accept: make the .torrent again with a piece size of 16 KiB or more", byteSize(pl))
	}
	pieces, ok := d.pieces.str()
	if !ok {
		return 0, 0, damaged("its piece hashes are not a string")
	}
	if len(pieces)%20 != 0 {
		return 0, 0, refuseFile("the .torrent's piece hashes are %d bytes long, not a multiple of 20 (each piece has a 20-byte SHA-1 hash): the file is damaged; make the .torrent again", len(pieces))
	}
	return pl, int64(len(pieces) / 20), nil
}

// checkPieceCount refuses piece hashes that do not cover total bytes in
// pieces of pl bytes, one hash each (the last piece may be shorter).
func checkPieceCount(total, pl, hashes int64) error {
	need := total / pl
	if total%pl != 0 {
		need++
	}
	if hashes != need {
		return refuseFile("the .torrent has %s but its %s in pieces of %s need %d: nobody could complete the download; make the .torrent again with your BitTorrent client",
			plural(hashes, "piece hash", "piece hashes"), plural(total, "byte", "bytes"), byteSize(pl), need)
	}
	return nil
}

// countFiles counts the entries of the files list (1 for a single-file
// torrent) and, for a v2 or hybrid torrent, the files of its file tree,
// refusing more than max of either before anything is decoded.
func (d infoDict) countFiles(max int) (int, error) {
	n := 1
	if d.files != nil {
		if !d.files.isList() {
			return 0, damaged("its files are not a list")
		}
		n = 0
		d.files.list(func(bvalue) error { n++; return nil })
	}
	if n > max {
		return 0, tooManyFiles(n, max)
	}
	if d.isV2() && d.fileTree != nil {
		if _, err := countTree(d.fileTree, 0, max); err != nil {
			return 0, err
		}
	}
	return n, nil
}

func tooManyFiles(n, max int) error {
	return refuseFile("the .torrent lists %d files (padding files included), more than the %d this site accepts: pack small files into an archive, or split the upload into several torrents", n, max)
}

// countTree counts the files of a v2 file tree (a file is a dictionary
// with an "" key), adding to n, checking each name on the way.
func countTree(tree bvalue, n, max int) (int, error) {
	if !tree.isDict() {
		return n, damaged("its v2 file tree is not a tree of dictionaries")
	}
	err := tree.dict(func(k []byte, v bvalue, _ int) error {
		if len(k) == 0 {
			if n++; n > max {
				return tooManyFiles(n, max)
			}
			return nil
		}
		if f := nameFaultOf(k); f != nil {
			return refuseFile("the .torrent's v2 file tree has a name %s that %s: %s", quoteName(k), f.what, f.advice)
		}
		var err error
		n, err = countTree(v, n, max)
		return err
	})
	return n, err
}

// totalLength checks the length or every entry of the files list and
// returns their sum.
func (d infoDict) totalLength() (int64, error) {
	switch {
	case d.length != nil && d.files != nil:
		return 0, damaged("it gives both a single length and a list of files")
	case d.length != nil:
		n, ok := d.length.int()
		if !ok || n < 0 {
			return 0, damaged("its length is not a number of bytes")
		}
		return n, nil
	}
	var total int64
	err := d.eachFile(func(f v1File) error {
		if f.length > math.MaxInt64-total {
			return damaged("its file lengths add up to more than 8 EiB")
		}
		total += f.length
		return nil
	})
	return total, err
}

// eachFile checks each entry of the files list and calls fn with it.
func (d infoDict) eachFile(fn func(v1File) error) error {
	if d.files == nil {
		return nil
	}
	return d.files.list(func(entry bvalue) error {
		f, err := readFile(entry)
		if err != nil {
			return err
		}
		return fn(f)
	})
}

// readFile checks one entry of the files list: a length of at least 0 and
// a path of one or more plain names (and so path.utf-8 and, for a BEP 47
// symlink, its target, when given).
func readFile(entry bvalue) (v1File, error) {
	if !entry.isDict() {
		return v1File{}, damaged("a file entry is not a dictionary")
	}
	var f v1File
	var length, symlink bvalue
	var seen keySet
	err := entry.dict(func(k []byte, v bvalue, _ int) error {
		var field *bvalue
		switch string(k) {
		case "length":
			field = &length
		case "path":
			field = &f.path
		case "path.utf-8":
			field = &f.pathUTF8
		case "symlink path":
			field = &symlink
		default:
			return nil
		}
		*field = v
		return seen.add(k, "a file entry's key")
	})
	if err != nil {
		return f, err
	}
	var ok bool
	if f.length, ok = length.int(); !ok || f.length < 0 {
		return f, damaged("a file has no length, or a negative one")
	}
	if err := checkPath(f.path, "file"); err != nil {
		return f, err
	}
	if f.pathUTF8 != nil {
		if err := checkPath(f.pathUTF8, "file"); err != nil {
			return f, err
		}
	}
	if symlink != nil {
		return f, checkPath(symlink, "link target")
	}
	return f, nil
}

// checkPath checks a path (of what: a file, a link target): a non-empty
// list of plain names.
func checkPath(path bvalue, what string) error {
	if !path.isList() || len(path) == 2 {
		return damaged("a file has no path")
	}
	return path.list(func(part bvalue) error {
		s, ok := part.str()
		if !ok {
			return damaged("a file's path holds something other than names")
		}
		return checkPathPart(what, path, s)
	})
}

// bestPath is path.utf-8 when given, else path (as clients use it).
func (f v1File) bestPath() bvalue {
	if f.pathUTF8 != nil {
		return f.pathUTF8
	}
	return f.path
}
