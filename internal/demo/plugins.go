package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	cmdmovies "github.com/djembe/djembe/commands/movies"
	cmdmusic "github.com/djembe/djembe/commands/music"
	"github.com/djembe/djembe/domain/movies"
	"github.com/djembe/djembe/domain/music"
)

// MusicFormat places an item in the Music catalogue: the indexes of its
// album in MusicAlbums, of the edition in the album's Editions and of the
// format in the edition's Formats.
type MusicFormat struct{ Album, Edition, Format int }

// MovieFormat places an item in the Movies catalogue: the indexes of its
// movie in Movies, of the edition and of the format.
type MovieFormat struct{ Movie, Edition, Format int }

// PluginCategories are the categories the plugins own: their torrents
// come from the plugins' catalogues, not from Catalog.
var PluginCategories = []string{cmdmusic.Category, cmdmovies.Category}

// minGeneric is how many generic torrents each generic category adds to
// the fewest the catalog holds, even when the plugins' catalogues alone
// reach the number asked for.
const minGeneric = 5

// genericCategories are categories without the plugins'.
func genericCategories(categories []string) []string {
	var out []string
	for _, c := range categories {
		if !slices.Contains(PluginCategories, c) {
			out = append(out, c)
		}
	}
	return out
}

// PluginItems are a torrent for each format of the Music and Movies
// catalogues, with track lengths, file sizes and release groups drawn
// from rng.
func PluginItems(rng *rand.Rand) []Item {
	var out []Item
	for a, al := range MusicAlbums {
		tracks := trackList(rng, al)
		for e, ed := range al.Editions {
			for f := range ed.Formats {
				out = append(out, musicFormatItem(rng, MusicFormat{a, e, f}, tracks))
			}
		}
	}
	for m, mv := range Movies {
		for e, ed := range mv.Editions {
			for f := range ed.Formats {
				out = append(out, movieFormatItem(rng, MovieFormat{m, e, f}))
			}
		}
	}
	for i := range out {
		for _, f := range out[i].Files {
			out[i].Size += f.Length
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
func trackList(rng *rand.Rand, al MusicAlbum) []track {
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
func mainNames(al MusicAlbum) string {
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

// musicFormatItem is the torrent of one format: a folder of the album's
// tracks in that format, with a cover and, for a CD rip, its log and cue.
func musicFormatItem(rng *rand.Rand, ref MusicFormat, tracks []track) Item {
	al := MusicAlbums[ref.Album]
	ed := al.Editions[ref.Edition]
	f := ed.Formats[ref.Format]
	year := ed.Year
	if year == 0 {
		year = al.Year
	}
	artist := mainNames(al)
	label, ext, bytesPerSec := formatLabel(f, ed.Media)
	name := fileSafe.Replace(fmt.Sprintf("%s - %s (%d) [%s %s]", artist, al.Title, year, ed.Media, label))
	var files []File
	for i, t := range tracks {
		size := t.seconds * bytesPerSec * (90 + rng.Int64N(21)) / 100
		files = append(files, File{Path: []string{fileSafe.Replace(fmt.Sprintf("%02d - %s.%s", i+1, t.title, ext))}, Length: size})
	}
	files = append(files, File{Path: []string{"cover.jpg"}, Length: between(rng, 300*kib, 2*mib)})
	if f.HasLog {
		base := fileSafe.Replace(artist + " - " + al.Title)
		files = append(files, File{Path: []string{base + ".log"}, Length: between(rng, 4*kib, 12*kib)},
			File{Path: []string{base + ".cue"}, Length: between(rng, 1*kib, 3*kib)})
	}
	return Item{Category: cmdmusic.Category, Name: name, Title: name, Description: musicNotes(f, ed.Media), Files: files, Music: &ref}
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

// accents are the letters a scene name spells without accents.
var accents = strings.NewReplacer("é", "e", "è", "e", "á", "a", "å", "a", "ä", "a", "ö", "o", "ø", "o", "ë", "e")

// movieFormatItem is the torrent of one movie format: a Matroska file (an
// encode with its NFO in a folder), or a DVD's VIDEO_TS folder.
func movieFormatItem(rng *rand.Rand, ref MovieFormat) Item {
	mv := Movies[ref.Movie]
	ed := mv.Editions[ref.Edition]
	f := ed.Formats[ref.Format]
	group := pick(rng, groups)
	tags := []string{dotted(accents.Replace(mv.Title)), fmt.Sprint(mv.Year)}
	if ed.Name != "Theatrical" {
		tags = append(tags, dotted(strings.ReplaceAll(ed.Name, "'", "")))
	}
	size := int64(mv.Runtime) * movieMiBPerMinute(f) * mib * (95 + rng.Int64N(11)) / 100
	if f.Kind == movies.KindDisc {
		size = min(size, 7900*mib)
		std := map[string]string{"480p": "NTSC", "576p": "PAL"}[f.Resolution]
		name := strings.Join(append(tags, std, "DVD9"), ".") + "-" + group
		return Item{Category: cmdmovies.Category, Name: name, Title: name, Description: movieNotes(mv, ed, f), Files: vobs(rng, size), Movie: &ref}
	}
	tags = append(tags, f.Resolution, sourceTag(f))
	if f.Kind == movies.KindRemux {
		tags = append(tags, "REMUX")
	}
	if f.HDR != movies.HDRNone {
		tags = append(tags, map[string]string{"Dolby Vision": "DV", "HDR10": "HDR"}[f.HDR])
	}
	tags = append(tags, strings.ReplaceAll(f.Codec, "H.", "H"))
	name := strings.Join(tags, ".") + "-" + group
	it := Item{Category: cmdmovies.Category, Name: name + ".mkv", Title: name, Description: movieNotes(mv, ed, f), Files: single(size), Movie: &ref}
	if f.Kind == movies.KindEncode {
		it.Name, it.Files = name, []File{{Path: []string{name + ".mkv"}, Length: size}, {Path: []string{name + ".nfo"}, Length: between(rng, 2*kib, 8*kib)}}
	}
	return it
}

// sourceTag is how a release name tells a source.
func sourceTag(f movies.FormatInfo) string {
	return map[string]string{"UHD Blu-ray": "UHD.BluRay", "Blu-ray": "BluRay", "WEB": "WEB-DL", "DVD": "DVDRip", "HDTV": "HDTV", "VHS": "VHSRip"}[f.Source]
}

// movieMiBPerMinute is about what a minute of film takes in a format.
func movieMiBPerMinute(f movies.FormatInfo) int64 {
	switch {
	case f.Source == "UHD Blu-ray" && f.Kind == movies.KindRemux:
		return 400
	case f.Source == "UHD Blu-ray":
		return 130
	case f.Source == "Blu-ray" && f.Kind == movies.KindRemux:
		return 220
	case f.Resolution == "2160p":
		return 140
	case f.Resolution == "1080p" && f.Source == "WEB":
		return 45
	case f.Resolution == "1080p":
		return 90
	case f.Resolution == "720p":
		return 38
	case f.Kind == movies.KindDisc:
		return 60
	}
	return 14
}

// vobs is a DVD's VIDEO_TS folder holding size bytes: the menus, and the
// film in VOBs of at most 1 GiB.
func vobs(rng *rand.Rand, size int64) []File {
	files := []File{{Path: []string{"VIDEO_TS", "VIDEO_TS.IFO"}, Length: between(rng, 10*kib, 20*kib)},
		{Path: []string{"VIDEO_TS", "VIDEO_TS.VOB"}, Length: between(rng, 200*kib, 4*mib)},
		{Path: []string{"VIDEO_TS", "VTS_01_0.IFO"}, Length: between(rng, 40*kib, 90*kib)}}
	for n := 1; size > 0; n++ {
		part := min(size, 1<<30-2048)
		files = append(files, File{Path: []string{"VIDEO_TS", fmt.Sprintf("VTS_01_%d.VOB", n)}, Length: part})
		size -= part
	}
	return files
}

// movieNotes are an uploader's notes on a movie format.
func movieNotes(mv MovieEntry, ed MovieEdition, f movies.FormatInfo) string {
	audio := "English DTS 5.1"
	switch {
	case f.Kind == movies.KindRemux && f.Source == "UHD Blu-ray":
		audio = "English Dolby TrueHD Atmos 7.1, the disc's other tracks kept"
	case f.Kind == movies.KindRemux:
		audio = "English DTS-HD Master Audio 5.1, the disc's other tracks kept"
	case f.Kind == movies.KindDisc:
		audio = "English Dolby Digital 5.1, the disc untouched: menus and extras included"
	}
	return fmt.Sprintf("%s (%d), %s.\n\nVideo: %s\nAudio: %s\nSubtitles: %s", mv.Title, mv.Year, ed.Label(), f.Label(), audio, strings.Join(f.Subtitles, ", "))
}
