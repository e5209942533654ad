package commands

import (
	"fmt"
	"io"

	"github.com/djembe/djembe/domain"
)

// MaxTorrentFile is the default bound on a .torrent's size, in bytes. An
// event holds the .torrent's info dictionary (base64) and its file list,
// and the log takes messages of up to 8 MiB, so bigger would not register.
const MaxTorrentFile = 8 << 20

// DefaultMaxFiles is the default bound on the entries of a .torrent's file
// list (padding files included): far above an album, a season or a
// discography (hundreds to a few thousand files), and low enough that the
// registered event (every path again, as JSON) stays well inside the log's
// message size, and a torrent's page lists its files in one go.
const DefaultMaxFiles = 10_000

// Limits bound what one upload may cost the site. A zero field takes its
// default (DefaultLimits).
type Limits struct {
	MaxTorrentBytes int64 // the largest .torrent accepted, in bytes
	MaxFiles        int   // the most files a .torrent may list
}

// DefaultLimits are the limits of New without WithLimits.
var DefaultLimits = Limits{MaxTorrentBytes: MaxTorrentFile, MaxFiles: DefaultMaxFiles}

// withDefaults fills l's zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	if l.MaxTorrentBytes <= 0 {
		l.MaxTorrentBytes = DefaultLimits.MaxTorrentBytes
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = DefaultLimits.MaxFiles
	}
	return l
}

// Option configures New.
type Option func(*Commands)

// WithLimits sets the upload limits (zero fields keep their defaults).
func WithLimits(l Limits) Option {
	return func(c *Commands) { c.limits = l.withDefaults() }
}

// Limits are the upload limits in force: a door reads an upload with
// c.Limits().ReadTorrent before it calls AddTorrent.
func (c *Commands) Limits() Limits { return c.limits }

// ReadTorrent reads a .torrent with the default limits.
func ReadTorrent(r io.Reader) ([]byte, error) { return DefaultLimits.ReadTorrent(r) }

// ReadTorrent reads a .torrent (a file, an upload's body) of at most
// l.MaxTorrentBytes: it reads at most one byte more, so an endless or huge
// input costs no more than the limit, and refuses it as invalid on field
// "file".
func (l Limits) ReadTorrent(r io.Reader) ([]byte, error) {
	l = l.withDefaults()
	data, err := io.ReadAll(io.LimitReader(r, l.MaxTorrentBytes+1))
	if err != nil {
		return nil, refuseFile("the .torrent could not be read (%v): choose the file again", err)
	}
	if int64(len(data)) > l.MaxTorrentBytes {
		return nil, l.tooLarge()
	}
	return data, nil
}

func (l Limits) tooLarge() error {
	return refuseFile("the .torrent is larger than %s, the most this site accepts: a .torrent holds only names and piece hashes, so make it again with a larger piece size", byteSize(l.MaxTorrentBytes))
}

// refuseFile is a refusal of an uploaded .torrent: invalid, on field "file".
func refuseFile(format string, args ...any) error {
	return domain.FieldE("add torrent", "file", domain.KindInvalid, format, args...)
}

// byteSize writes n in MiB or KiB when it is a whole number of them.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
