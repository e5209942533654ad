package musicdemo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/internal/demo"
)

// Format places an item in the catalogue: the indexes of its album in
// Albums, of the edition in the album's Editions and of the format in the
// edition's Formats. It is the Ref of the plugin's items.
type Format struct{ Album, Edition, Format int }

// items are a torrent for each format of the catalogue, in its order,
// with track lengths and file sizes drawn from rng.
func items(rng *rand.Rand) []demo.Item {
	var out []demo.Item
	for a, al := range Albums {
		tracks := trackList(rng, al)
		for e, ed := range al.Editions {
			for f := range ed.Formats {
				out = append(out, formatItem(rng, Format{a, e, f}, tracks))
			}
		}
	}
	return out
}

// track is a song of an album: its title and length in seconds.
type track struct {
	title   string
	seconds int64
}

// trackList draws an album's songs: the title song first on a single or
// an EP, the others from trackWords, longer on live albums.
func trackList(rng *rand.Rand, al Album) []track {
	perm := rng.Perm(len(trackWords))
	out := make([]track, al.Tracks)
	for i := range out {
		title := trackWords[perm[i%len(perm)]]
		if i >= len(perm) {
			title += " (Reprise)"
		}
		if i == 0 && (al.Type == music.TypeSingle || al.Type == music.TypeEP) {
			title = al.Title
		}
		secs := 150 + rng.Int64N(240)
		if al.Type == music.TypeLiveAlbum {
			secs += 120
		}
		out[i] = track{title, secs}
	}
	return out
}

// mainNames joins an album's main artists as its title shows them (a
// composer or DJ when it has no main artist).
func mainNames(al Album) string {
	var main []string
	for _, c := range al.Artists {
		if c.Role == music.RoleMain {
			main = append(main, c.Name)
		}
	}
	switch n := len(main); {
	case n == 0:
		return al.Artists[0].Name
	case n == 1:
		return main[0]
	case n <= 3:
		return strings.Join(main[:n-1], ", ") + " & " + main[n-1]
	}
	return "Various Artists"
}

// fileSafe is a name as a folder may carry it.
var fileSafe = strings.NewReplacer(":", " -", "/", "-", "?", "")

// formatItem is the torrent of one format: a folder of the album's
// tracks in that format, with a cover and, for a CD rip, its log and cue.
func formatItem(rng *rand.Rand, ref Format, tracks []track) demo.Item {
	al := Albums[ref.Album]
	ed := al.Editions[ref.Edition]
	f := ed.Formats[ref.Format]
	year := ed.Year
	if year == 0 {
		year = al.Year
	}
	artist := mainNames(al)
	label, ext, bytesPerSec := formatLabel(f, ed.Media)
	name := fileSafe.Replace(fmt.Sprintf("%s - %s (%d) [%s %s]", artist, al.Title, year, ed.Media, label))
	var files []demo.File
	for i, t := range tracks {
		size := t.seconds * bytesPerSec * (90 + rng.Int64N(21)) / 100
		files = append(files, demo.File{Path: []string{fileSafe.Replace(fmt.Sprintf("%02d - %s.%s", i+1, t.title, ext))}, Length: size})
	}
	files = append(files, demo.File{Path: []string{"cover.jpg"}, Length: demo.Between(rng, 300*demo.KiB, 2*demo.MiB)})
	if f.HasLog {
		base := fileSafe.Replace(artist + " - " + al.Title)
		files = append(files, demo.File{Path: []string{base + ".log"}, Length: demo.Between(rng, 4*demo.KiB, 12*demo.KiB)},
			demo.File{Path: []string{base + ".cue"}, Length: demo.Between(rng, 1*demo.KiB, 3*demo.KiB)})
	}
	return demo.Item{Name: name, Title: name, Description: musicNotes(f, ed.Media), Files: files, Ref: ref}
}

// formatLabel is how a torrent's name tells a format ("FLAC 24-96"), its
// files' extension, and the bytes a second of music takes in it.
func formatLabel(f music.FormatInfo, media string) (label, ext string, bytesPerSec int64) {
	switch {
	case f.Encoding == "24bit Lossless" && media == "Vinyl":
		return "FLAC 24-96", "flac", 380_000
	case f.Encoding == "24bit Lossless":
		return "FLAC 24-48", "flac", 200_000
	case f.Format == "FLAC":
		return "FLAC", "flac", 110_000
	case f.Encoding == "320":
		return "MP3 320", "mp3", 40_000
	}
	return "MP3 V0", "mp3", 31_000
}

// musicNotes are an uploader's notes on a format.
func musicNotes(f music.FormatInfo, media string) string {
	switch {
	case f.HasLog:
		return "Ripped with EAC in secure mode, AccurateRip confirmed. Log checks 100%, cue included."
	case f.Format == "FLAC" && media == "Vinyl":
		return "Vinyl rip: Rega P6, Ortofon 2M Blue, RME ADI-2 at 24/96. Clicks removed by hand, nothing else done."
	case f.Format == "FLAC":
		return "Bought from the label's own shop; tags and cover as they came."
	}
	return "Transcoded from the lossless files of this edition with LAME 3.100 (" + map[string]string{"320": "-b 320", "V0 (VBR)": "-V 0"}[f.Encoding] + ")."
}

// trackWords are the songs' titles of the catalogue's albums.
var trackWords = []string{"Night Drive", "Undertow", "Kite Paper", "Northern Line", "Satellite Town", "Halfway House", "Salt Water",
	"Old Roads", "Static", "Home Before Dark", "Lullaby for a Lighthouse", "Afterglow", "Embers", "Tin Roof Rain", "Low Tide",
	"Parallel Lines", "Copper Wire", "Fever", "Seventeen Summers", "Glass Coast", "Slow Motion", "Paper Moon", "Ferry Bells",
	"The Long Way Round", "Winter Orchard", "Signal Fires", "Open Water", "Dust and Diesel", "Small Hours", "Harbour Wall"}
