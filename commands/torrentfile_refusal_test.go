package commands

import (
	"errors"
	"strings"
	"testing"

	"github.com/anacrolix/torrent/bencode"
	"github.com/djembe/djembe/domain"
)

// dict is a bencode dictionary to build test .torrents from.
type dict = map[string]any

// single is a valid single-file info dictionary: 40000 bytes in 3 pieces.
func single() dict {
	return dict{"name": "album.flac", "piece length": 16384, "length": 40000, "pieces": strings.Repeat("h", 60)}
}

// multi is a valid info dictionary of files of 100 bytes at paths.
func multi(paths ...[]string) dict {
	var files []any
	for _, p := range paths {
		files = append(files, dict{"length": 100, "path": p})
	}
	pieces := (100*len(paths) + 16383) / 16384
	return dict{"name": "Album", "piece length": 16384, "files": files, "pieces": strings.Repeat("h", 20*pieces)}
}

// with is info with key set to v, or deleted when v is nil.
func with(info dict, key string, v any) dict {
	if v == nil {
		delete(info, key)
	} else {
		info[key] = v
	}
	return info
}

// torrentOf is a .torrent of info.
func torrentOf(t testing.TB, info any) []byte {
	t.Helper()
	b, err := bencode.Marshal(dict{"announce": "http://elsewhere/announce", "info": info})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// refusal is a .torrent the write side refuses, with the message it gives.
type refusal struct {
	name   string
	body   []byte
	limits Limits
	want   string
}

const (
	again       = "make the .torrent again with your BitTorrent client"
	outside     = "that could make a client write outside its download folder; rename it and make the .torrent again"
	aFolder     = "clients would read it as a folder; rename it and make the .torrent again"
	winFolder   = "Windows clients would read it as a folder; rename it and make the .torrent again"
	noNUL       = "no file system accepts one; rename it and make the .torrent again"
	control     = "holds a control character (a newline, a tab, ...): file systems and clients mishandle them; rename it and make the .torrent again"
	notUTF8     = "is not valid UTF-8: clients would show and save it differently; make the .torrent again with a client that writes UTF-8 names"
	emptyName   = "is empty: every file and folder needs a name; make the .torrent again"
	notBencoded = "this is not a valid .torrent: it is not a bencoded dictionary; choose the .torrent file your BitTorrent client made"
)

func damagedMsg(detail string) string {
	return "this is not a valid .torrent: its info dictionary is damaged (" + detail + "); " + again
}

// refusals is every refusal of a .torrent, each with its whole message.
func refusals(t testing.TB) []refusal {
	tf := func(info any) []byte { return torrentOf(t, info) }
	bigFile := with(with(single(), "length", 1000000), "piece length", 262144)
	return []refusal{
		{"not bencode", []byte("not bencode"), Limits{}, notBencoded},
		{"empty file", nil, Limits{}, notBencoded},
		{"a list", []byte("le"), Limits{}, notBencoded},
		{"bytes after the end", append(tf(single()), 'x'), Limits{}, notBencoded},
		{"too deep", []byte(strings.Repeat("l", 65) + strings.Repeat("e", 65)), Limits{}, notBencoded},
		{"no info", []byte("d8:announce3:abce"), Limits{}, "this is not a valid .torrent: it has no info dictionary (the part that describes the files); " + again},
		{"info not a dictionary", []byte("d4:infoi1ee"), Limits{}, "this is not a valid .torrent: it has no info dictionary (the part that describes the files); " + again},
		{"two infos", []byte("d4:infod1:xi1ee4:infod1:xi1eee"), Limits{}, "this is not a valid .torrent: it has two info dictionaries, so clients could read different ones; " + again},
		{"larger than the limit", tf(single()), Limits{MaxTorrentBytes: 100}, "the .torrent is larger than 100 bytes, the most this site accepts: a .torrent holds only names and piece hashes, so make it again with a larger piece size"},
		{"v2 only", []byte("d4:infod9:file treed1:xd0:d6:lengthi5e11:pieces root32:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaeee12:meta versioni2e4:name1:x12:piece lengthi16384eee"), Limits{}, "the .torrent has no v1 piece hashes: v2-only torrents are not supported; make a v1 or hybrid (v1+v2) torrent"},
		{"no pieces", tf(with(single(), "pieces", nil)), Limits{}, "this is not a valid .torrent: it has no piece hashes; " + again},
		{"pieces of 21 bytes", tf(with(single(), "pieces", strings.Repeat("h", 21))), Limits{}, "the .torrent's piece hashes are 21 bytes long, not a multiple of 20 (each piece has a 20-byte SHA-1 hash): the file is damaged; make the .torrent again"},
		{"piece length 0", tf(with(single(), "piece length", 0)), Limits{}, "the .torrent's piece length is 0 (or missing): make the .torrent again with your BitTorrent client, which chooses a piece size of 16 KiB or more"},
		{"no piece length", tf(with(single(), "piece length", nil)), Limits{}, "the .torrent's piece length is 0 (or missing): make the .torrent again with your BitTorrent client, which chooses a piece size of 16 KiB or more"},
		{"piece length not a power of two", tf(with(single(), "piece length", 20000)), Limits{}, "the .torrent's piece length, 20000 bytes, is not a power of two, as BitTorrent clients require: make the .torrent again with a standard piece size (16 KiB, 32 KiB, ... 16 MiB)"},
		{"negative piece length", tf(with(single(), "piece length", -16384)), Limits{}, "the .torrent's piece length, -16384 bytes, is not a power of two, as BitTorrent clients require: make the .torrent again with a standard piece size (16 KiB, 32 KiB, ... 16 MiB)"},
		{"piece length below 16 KiB", tf(with(single(), "piece length", 8192)), Limits{}, "the .torrent's piece length, 8 KiB, is below 16 KiB, the smallest BitTorrent clients accept: make the .torrent again with a piece size of 16 KiB or more"},
		{"too few piece hashes", tf(with(bigFile, "pieces", strings.Repeat("h", 20))), Limits{}, "the .torrent has 1 piece hash but its 1000000 bytes in pieces of 256 KiB need 4: nobody could complete the download; " + again},
		{"too many piece hashes", tf(with(single(), "pieces", strings.Repeat("h", 80))), Limits{}, "the .torrent has 4 piece hashes but its 40000 bytes in pieces of 16 KiB need 3: nobody could complete the download; " + again},
		{"zero length", tf(with(with(single(), "length", 0), "pieces", "")), Limits{}, "the .torrent describes no data (its files add up to 0 bytes): make it from the files you mean to share"},
		{"no files", tf(with(multi(), "files", []any{})), Limits{}, "the .torrent describes no data (its files add up to 0 bytes): make it from the files you mean to share"},
		{"name ..", tf(with(multi([]string{"etc", "passwd"}), "name", "..")), Limits{}, `the .torrent's name ".." is "." or "..": ` + outside},
		{"name .", tf(with(single(), "name", ".")), Limits{}, `the .torrent's name "." is "." or "..": ` + outside},
		{"name empty", tf(with(single(), "name", "")), Limits{}, `the .torrent's name "" ` + emptyName},
		{"no name", tf(with(single(), "name", nil)), Limits{}, `the .torrent's name "" ` + emptyName},
		{"name absolute", tf(with(single(), "name", "/etc/passwd")), Limits{}, `the .torrent's name "/etc/passwd" is an absolute path (it begins with /): that could make a client write outside its download folder; make the .torrent again from the folder you share`},
		{"name with a slash", tf(with(single(), "name", "a/b")), Limits{}, `the .torrent's name "a/b" holds a "/": ` + aFolder},
		{"name with a backslash", tf(with(single(), "name", `..\x`)), Limits{}, `the .torrent's name "..\\x" holds a backslash: ` + winFolder},
		{"name with NUL", tf(with(single(), "name", "a\x00b")), Limits{}, `the .torrent's name "a\x00b" holds a NUL byte: ` + noNUL},
		{"name with a newline", tf(with(single(), "name", "a\nb")), Limits{}, `the .torrent's name "a\nb" ` + control},
		{"name with a C1 control", tf(with(single(), "name", "a\u0085b")), Limits{}, `the .torrent's name "a\u0085b" ` + control},
		{"name not UTF-8", tf(with(single(), "name", "caf\xe9")), Limits{}, `the .torrent's name "caf\xe9" ` + notUTF8},
		{"name.utf-8 ..", tf(with(single(), "name.utf-8", "..")), Limits{}, `the .torrent's name.utf-8 ".." is "." or "..": ` + outside},
		{"path ../etc/passwd", tf(multi([]string{"..", "etc", "passwd"})), Limits{}, `the .torrent's file "../etc/passwd" has a path part ".." that is "." or "..": ` + outside},
		{"path part .", tf(multi([]string{"cd1", ".", "x"})), Limits{}, `the .torrent's file "cd1/./x" has a path part "." that is "." or "..": ` + outside},
		{"path part empty", tf(multi([]string{"cd1", ""})), Limits{}, `the .torrent's file "cd1/" has a path part "" that ` + emptyName},
		{"path part absolute", tf(multi([]string{"/etc", "passwd"})), Limits{}, `the .torrent's file "/etc/passwd" has a path part "/etc" that is an absolute path (it begins with /): that could make a client write outside its download folder; make the .torrent again from the folder you share`},
		{"path part with a slash", tf(multi([]string{"a/b"})), Limits{}, `the .torrent's file "a/b" has a path part "a/b" that holds a "/": ` + aFolder},
		{"path part with a backslash", tf(multi([]string{`..\..\x`})), Limits{}, `the .torrent's file "..\\..\\x" has a path part "..\\..\\x" that holds a backslash: ` + winFolder},
		{"path part with NUL", tf(multi([]string{"x\x00"})), Limits{}, `the .torrent's file "x\x00" has a path part "x\x00" that holds a NUL byte: ` + noNUL},
		{"path part with a tab", tf(multi([]string{"a\tb"})), Limits{}, `the .torrent's file "a\tb" has a path part "a\tb" that ` + control},
		{"path part not UTF-8", tf(multi([]string{"\xff"})), Limits{}, `the .torrent's file "\xff" has a path part "\xff" that ` + notUTF8},
		{"path.utf-8 ..", tf(with(multi(), "files", []any{dict{"length": 100, "path": []string{"x"}, "path.utf-8": []string{".."}}})), Limits{}, `the .torrent's file ".." has a path part ".." that is "." or "..": ` + outside},
		{"symlink to ..", tf(with(multi(), "files", []any{dict{"length": 100, "path": []string{"x"}, "attr": "l", "symlink path": []string{"..", "etc"}}})), Limits{}, `the .torrent's link target "../etc" has a path part ".." that is "." or "..": ` + outside},
		{"v2 file tree name ..", hybridWithTreeName(t, ".."), Limits{}, `the .torrent's v2 file tree has a name ".." that is "." or "..": ` + outside},
		{"more files than the limit", tf(multi([]string{"1"}, []string{"2"}, []string{"3"}, []string{"4"})), Limits{MaxFiles: 3}, "the .torrent lists 4 files (padding files included), more than the 3 this site accepts: pack small files into an archive, or split the upload into several torrents"},
		{"empty path", tf(multi([]string{})), Limits{}, damagedMsg("a file has no path")},
		{"no path", tf(with(multi(), "files", []any{dict{"length": 100}})), Limits{}, damagedMsg("a file has no path")},
		{"path of numbers", tf(with(multi(), "files", []any{dict{"length": 100, "path": []int{1}}})), Limits{}, damagedMsg("a file's path holds something other than names")},
		{"negative file length", tf(with(multi(), "files", []any{dict{"length": -1, "path": []string{"x"}}, dict{"length": 101, "path": []string{"y"}}})), Limits{}, damagedMsg("a file has no length, or a negative one")},
		{"file without length", tf(with(multi(), "files", []any{dict{"path": []string{"x"}}})), Limits{}, damagedMsg("a file has no length, or a negative one")},
		{"lengths overflow", tf(with(multi(), "files", []any{dict{"length": int64(1) << 62, "path": []string{"x"}}, dict{"length": int64(1) << 62, "path": []string{"y"}}})), Limits{}, damagedMsg("its file lengths add up to more than 8 EiB")},
		{"negative length", tf(with(single(), "length", -40000)), Limits{}, damagedMsg("its length is not a number of bytes")},
		{"length and files", tf(with(multi([]string{"x"}), "length", 100)), Limits{}, damagedMsg("it gives both a single length and a list of files")},
		{"files not a list", tf(with(multi(), "files", "x")), Limits{}, damagedMsg("its files are not a list")},
		{"file entry not a dictionary", tf(with(multi(), "files", []any{"x"})), Limits{}, damagedMsg("a file entry is not a dictionary")},
		{"name not a string", tf(with(single(), "name", 1)), Limits{}, damagedMsg("its name is not a string")},
		{"piece length not a number", tf(with(single(), "piece length", "16384")), Limits{}, damagedMsg("its piece length is not a number")},
		{"pieces not a string", tf(with(single(), "pieces", 1)), Limits{}, damagedMsg("its piece hashes are not a string")},
		{"name twice", []byte("d4:infod4:name1:x6:lengthi5e4:name2:..12:piece lengthi16384e6:pieces20:hhhhhhhhhhhhhhhhhhhhee"), Limits{}, damagedMsg(`its key "name" appears twice`)},
		{"private twice", []byte("d4:infod6:lengthi5e4:name1:x12:piece lengthi16384e6:pieces20:hhhhhhhhhhhhhhhhhhhh7:privatei1e7:privatei0eee"), Limits{}, damagedMsg(`its key "private" appears twice`)},
		{"path twice", []byte("d4:infod5:filesld6:lengthi5e4:pathl1:xe4:pathl2:..eee4:name1:x12:piece lengthi16384e6:pieces20:hhhhhhhhhhhhhhhhhhhhee"), Limits{}, damagedMsg(`a file entry's key "path" appears twice`)},
	}
}

// hybridWithTreeName is a hybrid torrent whose v2 file tree names a file name.
func hybridWithTreeName(t testing.TB, name string) []byte {
	info := single()
	info["meta version"] = 2
	info["file tree"] = dict{name: dict{"": dict{"length": 40000, "pieces root": strings.Repeat("r", 32)}}}
	return torrentOf(t, info)
}

func TestParseTorrentRefusals(t *testing.T) {
	for _, tc := range refusals(t) {
		_, err := tc.limits.ParseTorrent(tc.body)
		checkRefusal(t, tc, err)
	}
}

// checkRefusal requires err to be tc's refusal: invalid, on field "file",
// with tc's message.
func checkRefusal(t *testing.T, tc refusal, err error) {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Errorf("%s: got %v, want a refusal saying %q", tc.name, err, tc.want)
		return
	}
	if de.Kind != domain.KindInvalid || de.Field != "file" || de.Err.Error() != tc.want {
		t.Errorf("%s: refused as %v on %q saying\n\t%q\nwant invalid on \"file\" saying\n\t%q", tc.name, de.Kind, de.Field, de.Err.Error(), tc.want)
	}
}

// TestAddTorrentRefusalsAppendNothing: every refusal, through the command,
// is the same error and leaves the log as it was.
func TestAddTorrentRefusalsAppendNothing(t *testing.T) {
	e := newEnv(t)
	e.register("alice", false)
	before := e.last()
	for _, tc := range refusals(t) {
		c := New(e.log, e.c.keys, WithLimits(tc.limits))
		_, err := c.AddTorrent(e.ctx, Operator, AddTorrent{File: tc.body, Uploader: "alice"})
		checkRefusal(t, tc, err)
		e.refused(err, domain.KindInvalid, "file", tc.want, before)
	}
}

// TestAddTorrentTooLargeForTheLog: a .torrent below the size limit whose
// event would not fit in a log message is refused as such, not reported as
// a log that did not answer.
func TestAddTorrentTooLargeForTheLog(t *testing.T) {
	e := newEnv(t)
	e.register("alice", false)
	before := e.last()
	n := 6 << 20 / 20 // 6 MiB of piece hashes
	body := torrentOf(t, dict{"name": "big", "piece length": 16384, "length": int64(n) * 16384, "pieces": strings.Repeat("h", 20*n)})
	_, err := e.c.AddTorrent(e.ctx, Operator, AddTorrent{File: body, Uploader: "alice"})
	e.refused(err, domain.KindInvalid, "file", "the .torrent is too large to register: its info dictionary and file list take", before)
}
