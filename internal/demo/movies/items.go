package moviesdemo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/djembe/djembe/domain/movies"
	"github.com/djembe/djembe/internal/demo"
)

// Format places an item in the catalogue: the indexes of its movie in
// Movies, of the edition in the movie's Editions and of the format in the
// edition's Formats. It is the Ref of the plugin's items.
type Format struct{ Movie, Edition, Format int }

// items are a torrent for each format of the catalogue, in its order,
// with file sizes and release groups drawn from rng.
func items(rng *rand.Rand) []demo.Item {
	var out []demo.Item
	for m, mv := range Movies {
		for e, ed := range mv.Editions {
			for f := range ed.Formats {
				out = append(out, formatItem(rng, Format{m, e, f}))
			}
		}
	}
	return out
}

// accents are the letters a scene name spells without accents.
var accents = strings.NewReplacer("é", "e", "è", "e", "á", "a", "å", "a", "ä", "a", "ö", "o", "ø", "o", "ë", "e")

// formatItem is the torrent of one movie format: a Matroska file (an
// encode with its NFO in a folder), or a DVD's VIDEO_TS folder.
func formatItem(rng *rand.Rand, ref Format) demo.Item {
	mv := Movies[ref.Movie]
	ed := mv.Editions[ref.Edition]
	f := ed.Formats[ref.Format]
	group := demo.Pick(rng, demo.ReleaseGroups)
	tags := []string{demo.Dotted(accents.Replace(mv.Title)), fmt.Sprint(mv.Year)}
	if ed.Name != "Theatrical" {
		tags = append(tags, demo.Dotted(strings.ReplaceAll(ed.Name, "'", "")))
	}
	size := int64(mv.Runtime) * miBPerMinute(f) * demo.MiB * (95 + rng.Int64N(11)) / 100
	if f.Kind == movies.KindDisc {
		size = min(size, 7900*demo.MiB)
		std := map[string]string{"480p": "NTSC", "576p": "PAL"}[f.Resolution]
		name := strings.Join(append(tags, std, "DVD9"), ".") + "-" + group
		return demo.Item{Name: name, Title: name, Description: notes(mv, ed, f), Files: vobs(rng, size), Ref: ref}
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
	it := demo.Item{Name: name + ".mkv", Title: name, Description: notes(mv, ed, f), Files: demo.Single(size), Ref: ref}
	if f.Kind == movies.KindEncode {
		it.Name, it.Files = name, []demo.File{{Path: []string{name + ".mkv"}, Length: size}, {Path: []string{name + ".nfo"}, Length: demo.Between(rng, 2*demo.KiB, 8*demo.KiB)}}
	}
	return it
}

// sourceTag is how a release name tells a source.
func sourceTag(f movies.FormatInfo) string {
	return map[string]string{"UHD Blu-ray": "UHD.BluRay", "Blu-ray": "BluRay", "WEB": "WEB-DL", "DVD": "DVDRip", "HDTV": "HDTV", "VHS": "VHSRip"}[f.Source]
}

// miBPerMinute is about what a minute of film takes in a format.
func miBPerMinute(f movies.FormatInfo) int64 {
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
func vobs(rng *rand.Rand, size int64) []demo.File {
	files := []demo.File{{Path: []string{"VIDEO_TS", "VIDEO_TS.IFO"}, Length: demo.Between(rng, 10*demo.KiB, 20*demo.KiB)},
		{Path: []string{"VIDEO_TS", "VIDEO_TS.VOB"}, Length: demo.Between(rng, 200*demo.KiB, 4*demo.MiB)},
		{Path: []string{"VIDEO_TS", "VTS_01_0.IFO"}, Length: demo.Between(rng, 40*demo.KiB, 90*demo.KiB)}}
	for n := 1; size > 0; n++ {
		part := min(size, 1<<30-2048)
		files = append(files, demo.File{Path: []string{"VIDEO_TS", fmt.Sprintf("VTS_01_%d.VOB", n)}, Length: part})
		size -= part
	}
	return files
}

// notes are an uploader's notes on a movie format.
func notes(mv Movie, ed Edition, f movies.FormatInfo) string {
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
