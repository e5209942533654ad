package commands

import (
	"bytes"
	"crypto/sha1"
	"strconv"
	"strings"

	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/domain"
)

// ParsedTorrent is a validated upload: its info dictionary made private.
type ParsedTorrent struct {
	Registered  domain.TorrentRegistered // without Uploader and Category
	Republished bool                     // the private flag was set, so the info hash changed
}

// ParseTorrent validates a .torrent with the default limits.
func ParseTorrent(data []byte) (ParsedTorrent, error) { return DefaultLimits.ParseTorrent(data) }

// ParseTorrent validates a .torrent and makes its info dictionary private
// (as Gazelle does: the uploader then seeds the .torrent the site gives
// back). What it accepts is a v1 or hybrid (v1+v2) torrent, registered by
// its v1 info hash, whose:
//   - size is at most l.MaxTorrentBytes and files at most l.MaxFiles;
//   - info dictionary and file entries hold each key that the rules read
//     once, so that every client reads the values checked here;
//   - name and every part of every path is one plain name (not empty, . or
//     .., absolute, with a / or \ or a control character, or not UTF-8);
//   - piece length is a power of two of at least 16 KiB;
//   - total length is above 0 and has exactly ceil(total/piece length)
//     piece hashes.
//
// Each refusal is a domain.Error, invalid, on field "file", that says what
// is wrong and what to do. Parsing costs memory in proportion to the
// .torrent's size and the files it lists, never more: nothing is decoded
// before the rules that bound it have passed.
func (l Limits) ParseTorrent(data []byte) (ParsedTorrent, error) {
	l = l.withDefaults()
	if int64(len(data)) > l.MaxTorrentBytes {
		return ParsedTorrent{}, l.tooLarge()
	}
	d, err := readTorrent(data)
	if err != nil {
		return ParsedTorrent{}, err
	}
	total, n, err := d.check(l)
	if err != nil {
		return ParsedTorrent{}, err
	}
	raw, republished, err := makePrivate(d.raw)
	if err != nil {
		return ParsedTorrent{}, err
	}
	return ParsedTorrent{Republished: republished, Registered: domain.TorrentRegistered{
		InfoHash: domain.InfoHash(sha1.Sum(raw)),
		Name:     string(d.bestName()),
		Size:     total,
		Files:    d.fileList(n, total),
		Info:     raw,
		Factors:  domain.NormalFactors,
	}}, nil
}

var errNotATorrent = refuseFile("this is not a valid .torrent: it is not a bencoded dictionary; choose the .torrent file your BitTorrent client made")

// readTorrent finds and reads the info dictionary of a .torrent.
func readTorrent(data []byte) (infoDict, error) {
	top, err := scanBencode(data)
	if err != nil || !top.isDict() {
		return infoDict{}, errNotATorrent
	}
	info, err := infoOf(top)
	if err != nil {
		return infoDict{}, err
	}
	return readInfo(info)
}

// check applies the rules in an order that refuses the most basic fault
// first; it returns the total length and the number of files.
func (d infoDict) check(l Limits) (total int64, files int, err error) {
	if err := d.checkV1(); err != nil {
		return 0, 0, err
	}
	if err := d.checkNames(); err != nil {
		return 0, 0, err
	}
	pl, hashes, err := d.checkPieces()
	if err != nil {
		return 0, 0, err
	}
	if files, err = d.countFiles(l.MaxFiles); err != nil {
		return 0, 0, err
	}
	if total, err = d.totalLength(); err != nil {
		return 0, 0, err
	}
	if total == 0 {
		return 0, 0, refuseFile("the .torrent describes no data (its files add up to 0 bytes): make it from the files you mean to share")
	}
	return total, files, checkPieceCount(total, pl, hashes)
}

// fileList is the files as registered: each path under the torrent's name.
func (d infoDict) fileList(n int, total int64) []domain.TorrentFile {
	name := string(d.bestName())
	if d.files == nil {
		return []domain.TorrentFile{{Path: name, Length: total}}
	}
	files := make([]domain.TorrentFile, 0, n)
	d.eachFile(func(f v1File) error {
		var b strings.Builder
		b.WriteString(name)
		f.bestPath().list(func(part bvalue) error {
			s, _ := part.str()
			b.WriteByte('/')
			b.Write(s)
			return nil
		})
		files = append(files, domain.TorrentFile{Path: b.String(), Length: f.length})
		return nil
	})
	return files
}

// privateFlag is the private flag (BEP 27), bencoded as a key and value.
const privateFlag = "7:privatei1e"

// makePrivate sets private=1 in a bencoded info dictionary (setInfoKey).
// It reports whether it changed anything.
func makePrivate(info []byte) ([]byte, bool, error) {
	return setInfoKey(info, "private", []byte("i1e"))
}

// withSource sets the info dictionary's "source" to source (as private
// trackers do, so the info hash differs from every public copy).
func withSource(info []byte, source string) ([]byte, bool, error) {
	return setInfoKey(info, "source", []byte(strconv.Itoa(len(source))+":"+source))
}

// setInfoKey sets key to the bencoded value val in a bencoded dictionary:
// it replaces the key's value when it differs, or inserts the pair before
// the first key that sorts after it (its place in a sorted dictionary),
// and keeps every other byte. It reports whether it changed anything.
func setInfoKey(info []byte, key string, val []byte) ([]byte, bool, error) {
	v, err := scanBencode(info)
	if err != nil || !v.isDict() {
		return nil, false, damaged("it is not a dictionary")
	}
	pair := strconv.Itoa(len(key)) + ":" + key + string(val)
	at, end := len(info)-1, len(info)-1 // by default before the closing e
	insert := true
	v.dict(func(k []byte, old bvalue, kat int) error {
		switch c := bytes.Compare(k, []byte(key)); {
		case c == 0:
			at, end, insert = kat, kat+len(strconv.Itoa(len(k)))+1+len(k)+len(old), false
			return errStop
		case c > 0 && insert && at == len(info)-1:
			at, end = kat, kat
		}
		return nil
	})
	if string(info[at:end]) == pair {
		return info, false, nil
	}
	out := make([]byte, 0, len(info)-(end-at)+len(pair))
	out = append(append(append(out, info[:at]...), pair...), info[end:]...)
	return out, true, nil
}

// personalTorrent builds the .torrent a user downloads: the registered info
// dictionary and an announce URL holding the user's passkey (and no
// announce-list, so a client announces there alone); its comment is
// pageURL when given.
func personalTorrent(reg domain.TorrentRegistered, publicURL string, passkey domain.Passkey, pageURL string) ([]byte, error) {
	mi := metainfo.MetaInfo{
		InfoBytes: reg.Info,
		Announce:  strings.TrimRight(publicURL, "/") + "/announce/" + string(passkey),
		CreatedBy: "Djembe",
		Comment:   "Private torrent: do not share this file, it holds your passkey.",
	}
	if pageURL != "" {
		mi.Comment = pageURL
	}
	var buf bytes.Buffer
	if err := mi.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
