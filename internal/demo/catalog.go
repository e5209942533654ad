package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Item is one torrent of the sample catalog: what its uploader fills in
// on the upload form, and the files its .torrent holds.
type Item struct {
	Category    string
	Name        string // the .torrent's name (folder or file)
	Title       string // the name the site shows ("" : Name)
	Description string
	Files       []File
	Size        int64
	// Ref places a plugin's torrent in the plugin's catalogue, as the
	// plugin's Items set it; nil for a generic torrent.
	Ref any
	// Uploader, when set, is the name of the person (of People) who
	// uploads the torrent, as a plugin whose items only their owner may
	// upload says; "": the plan draws one.
	Uploader string
	// Neutral: the plugin registers the torrent with neutral factors
	// (0/0), so the plan gives it no factors of its own and the
	// simulation credits its traffic nothing, as the tracker does.
	Neutral bool
	// Leechers, when above 0, is how many users set out to download the
	// torrent during the weeks, in place of the number its popularity
	// gives (a plugin's item few would pick by taste, say).
	Leechers int
	// Seeders, when not nil, are the names of the people (of People)
	// whose clients seed the torrent on the running tracker at the end
	// (its live peers), in place of those the simulation picks; an empty
	// slice that is not nil: nobody is live on it.
	Seeders []string
	// Series, when set, names a series the torrent belongs to (a
	// backup's versions, say): a series' torrents arrive in the weeks in
	// the order its plugin's Items gave them, and are dated so.
	Series string
	// order is a plugin's torrent's place in the order of its plugin's
	// Items.
	order int
}

// shares is how the catalog spreads over the categories; a category the
// site has and this list does not gets "Other"'s kind of torrents.
var shares = map[string]int{"TV": 45, "Games": 30, "Software": 40, "Books": 40, "Other": 10}

// Units of the files' sizes.
const (
	KiB = int64(1) << 10
	MiB = int64(1) << 20
	GiB = int64(1) << 30
)

// Catalog makes n sample torrents over categories (the site's), in
// proportion to shares, each name used once, in a random order drawn
// from rng.
func Catalog(rng *rand.Rand, categories []string, n int) []Item {
	weight := 0
	for _, c := range categories {
		weight += shareOf(c)
	}
	seen := map[string]bool{}
	var out []Item
	for i, c := range categories {
		count := n * shareOf(c) / weight
		if i == len(categories)-1 {
			count = n - len(out)
		}
		gen := generators[c]
		if gen == nil {
			gen = otherItem
		}
		for made, tries := 0, 0; made < count && tries < 50*count; tries++ {
			it := gen(rng)
			if seen[it.Name] {
				continue
			}
			seen[it.Name] = true
			it.Category = c
			for _, f := range it.Files {
				it.Size += f.Length
			}
			out = append(out, it)
			made++
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func shareOf(category string) int {
	if s, ok := shares[category]; ok {
		return s
	}
	return 5
}

var generators = map[string]func(*rand.Rand) Item{
	"TV": tvItem, "Games": gameItem,
	"Software": softwareItem, "Books": bookItem, "Other": otherItem,
}

// Pick is one of words, drawn from rng.
func Pick(rng *rand.Rand, words []string) string { return words[rng.IntN(len(words))] }

// Between is a size drawn evenly from [lo, hi).
func Between(rng *rand.Rand, lo, hi int64) int64 { return lo + rng.Int64N(hi-lo) }

// Single is the file of a single-file torrent (named as the torrent).
func Single(size int64) []File { return []File{{Length: size}} }

var (
	adjectives = []string{"Quiet", "Blue", "Hollow", "Silver", "Distant", "Burning", "Northern", "Paper", "Small", "Electric",
		"Last", "Golden", "Broken", "Slow", "Crimson", "Endless", "Wild", "Sunken", "Velvet", "Winter", "Lost", "Bright"}
	// ReleaseGroups are the scene groups releases are credited to.
	ReleaseGroups = []string{"NTb", "FLUX", "CtrlHD", "DON", "EbP", "HiFi", "ZQ", "KiNGS", "SPARKS", "AMIABLE", "VietHD", "playHD"}
)

// Dotted is s as a release name spells it: words joined by dots.
func Dotted(s string) string {
	return strings.NewReplacer(" ", ".", "&", "and", "'", "").Replace(s)
}

var shows = []string{"Harbour Police", "The Orchard", "Night Desk", "Glass City", "Northern Lights", "The Ferrymen", "Deep Field",
	"Salt and Iron", "Small Town Signals", "The Long Evenings", "Border Station", "Copper Saints", "Cold Front", "Wild Grass",
	"The Archivists", "Midnight Garden", "Low Tide", "Paper Lanterns"}

func tvItem(rng *rand.Rand) Item {
	show, season, group := Pick(rng, shows), 1+rng.IntN(6), Pick(rng, ReleaseGroups)
	tag, per := "1080p.WEB-DL.DDP5.1.H.264", Between(rng, 1200*MiB, 3*GiB)
	if rng.IntN(3) == 0 {
		tag, per = "720p.HDTV.x264", Between(rng, 500*MiB, 1100*MiB)
	}
	name := fmt.Sprintf("%s.S%02d.%s-%s", Dotted(show), season, tag, group)
	episodes := 6 + rng.IntN(11)
	var files []File
	for e := 1; e <= episodes; e++ {
		files = append(files, File{Path: []string{fmt.Sprintf("%s.S%02dE%02d.%s-%s.mkv", Dotted(show), season, e, tag, group)},
			Length: per + Between(rng, 0, per/5)})
	}
	desc := fmt.Sprintf("%s, season %d, complete: %d episodes.\n\n%s, English subtitles muxed in.", show, season, episodes, tag)
	return Item{Name: name, Title: fmt.Sprintf("%s - Season %d (%s)", show, season, strings.SplitN(tag, ".", 2)[0]), Description: desc, Files: files}
}

var gameWords = []string{"Starfall", "Ironvale", "Hollow Crown", "Tidebreaker", "Cinder Road", "Lumen", "Outpost Nine",
	"Copper Sky", "Frostbound", "Wayfarer", "Deep Signal", "Red Meridian", "Glass Garden", "Kingdom of Salt", "Nightwatch"}
var gameKinds = []string{"Tactics", "Chronicles", "Odyssey", "Rebuilt", "Legends", "Survivor", "Manager", "Racing", "Online", "Remastered"}

func gameItem(rng *rand.Rand) Item {
	game := Pick(rng, gameWords) + " " + Pick(rng, gameKinds)
	version := fmt.Sprintf("v%d.%d.%d", 1+rng.IntN(3), rng.IntN(10), rng.IntN(20))
	platform := Pick(rng, []string{"Linux", "Windows", "Linux + Windows"})
	name := fmt.Sprintf("%s %s (%s, DRM-free)", game, version, platform)
	size := Between(rng, 2*GiB, 48*GiB)
	parts := 2 + int(size/(4*GiB))
	base := strings.ToLower(strings.ReplaceAll(game, " ", "_"))
	files := []File{{Path: []string{"setup_" + base + "_" + version + ".sh"}, Length: Between(rng, 20*MiB, 90*MiB)}}
	for i := 1; i <= parts; i++ {
		files = append(files, File{Path: []string{"data", fmt.Sprintf("%s-%d.bin", base, i)}, Length: size / int64(parts)})
	}
	files = append(files, File{Path: []string{"README.txt"}, Length: Between(rng, 2*KiB, 9*KiB)})
	desc := fmt.Sprintf("%s, %s, the DRM-free build for %s.\n\nInstall: run the setup script; the data files must sit beside it.", game, version, platform)
	return Item{Name: name, Description: desc, Files: files}
}

// distros are Linux and BSD images: a name pattern (%s the version), the
// versions, and the image's size range in MiB.
var distros = []struct {
	pattern  string
	versions []string
	lo, hi   int64
}{
	{"debian-%s-amd64-DVD-1.iso", []string{"11.9.0", "12.4.0", "12.5.0", "12.6.0"}, 3700, 3900},
	{"debian-%s-amd64-netinst.iso", []string{"12.4.0", "12.5.0", "12.6.0"}, 620, 660},
	{"ubuntu-%s-desktop-amd64.iso", []string{"22.04.4", "23.10.1", "24.04", "24.04.1"}, 4700, 6100},
	{"ubuntu-%s-live-server-amd64.iso", []string{"22.04.4", "24.04", "24.04.1"}, 2000, 2700},
	{"Fedora-Workstation-Live-x86_64-%s.iso", []string{"38-1.6", "39-1.5", "40-1.14"}, 1900, 2300},
	{"archlinux-%s-x86_64.iso", []string{"2024.03.01", "2024.04.01", "2024.05.01", "2024.06.01"}, 1000, 1150},
	{"linuxmint-%s-cinnamon-64bit.iso", []string{"21.2", "21.3", "22"}, 2800, 3000},
	{"FreeBSD-%s-RELEASE-amd64-dvd1.iso", []string{"13.3", "14.0", "14.1"}, 4000, 4500},
	{"kali-linux-%s-installer-amd64.iso", []string{"2024.1", "2024.2"}, 3900, 4200},
	{"openSUSE-Leap-%s-DVD-x86_64-Media.iso", []string{"15.5", "15.6"}, 4100, 4400},
	{"rocky-%s-x86_64-dvd.iso", []string{"9.3", "9.4"}, 9800, 10500},
}

var apps = []struct {
	pattern  string
	versions []string
	lo, hi   int64 // MiB
}{
	{"blender-%s-linux-x64.tar.xz", []string{"3.6.12", "4.0.2", "4.1.1"}, 280, 340},
	{"LibreOffice_%s_Linux_x86-64_deb.tar.gz", []string{"7.6.7", "24.2.3"}, 200, 230},
	{"krita-%s-x86_64.appimage", []string{"5.2.2", "5.2.3"}, 180, 220},
	{"Godot_v%s-stable_linux.x86_64.zip", []string{"4.2.1", "4.2.2", "4.3"}, 55, 70},
	{"kdenlive-%s-x86_64.AppImage", []string{"23.08.5", "24.02.2"}, 150, 180},
	{"obs-studio-%s-full-x64.exe", []string{"30.0.2", "30.1.2"}, 130, 150},
	{"gimp-%s-setup.exe", []string{"2.10.36", "2.10.38"}, 250, 290},
	{"qgis-%s-x86_64.msi", []string{"3.34.6", "3.36.2"}, 1100, 1300},
}

func softwareItem(rng *rand.Rand) Item {
	if rng.IntN(3) > 0 {
		d := distros[rng.IntN(len(distros))]
		name := fmt.Sprintf(d.pattern, Pick(rng, d.versions))
		desc := "The official image, checksums verified against the project's signed SHA256SUMS.\n\nSeed it if you can: it helps the mirrors."
		return Item{Name: name, Description: desc, Files: Single(Between(rng, d.lo*MiB, d.hi*MiB))}
	}
	a := apps[rng.IntN(len(apps))]
	file := fmt.Sprintf(a.pattern, Pick(rng, a.versions))
	folder := strings.TrimSuffix(strings.TrimSuffix(file, ".tar.xz"), ".tar.gz")
	files := []File{{Path: []string{file}, Length: Between(rng, a.lo*MiB, a.hi*MiB)},
		{Path: []string{"SHA256SUMS"}, Length: 64 + Between(rng, 20, 120)}, {Path: []string{"SHA256SUMS.sig"}, Length: 833}}
	desc := "Upstream release, unmodified, with the project's checksums and signature."
	return Item{Name: folder, Description: desc, Files: files}
}

var (
	authors    = []string{"Elena Marsh", "Tobias Wren", "Amara Okafor", "Henrik Solberg", "Lucia Ferrante", "Kenji Arai", "Maeve Doherty", "Samuel Achebe", "Ingrid Holm", "Rosa Delgado", "Oren Levi", "Clara Beaumont"}
	bookTitles = []string{"Garden", "Cartographer", "Lighthouse Keeper", "River", "Winter Letters", "Salt Road", "Long Silence", "Clockmaker", "Orchard", "Glass Bridge", "Ferryman", "Archive"}
)

func bookItem(rng *rand.Rand) Item {
	author := Pick(rng, authors)
	title := "The " + Pick(rng, adjectives) + " " + Pick(rng, bookTitles)
	year := 1990 + rng.IntN(35)
	switch rng.IntN(5) {
	case 0: // audiobook
		name := fmt.Sprintf("%s - %s (%d) [Unabridged M4B]", author, title, year)
		desc := fmt.Sprintf("%s, read unabridged. %d hours, chapters marked.", title, 6+rng.IntN(14))
		return Item{Name: name, Description: desc, Files: []File{{Path: []string{title + ".m4b"}, Length: Between(rng, 250*MiB, 900*MiB)},
			{Path: []string{"cover.jpg"}, Length: Between(rng, 200*KiB, 2*MiB)}}}
	case 1: // a collection
		n := 5 + rng.IntN(12)
		name := fmt.Sprintf("%s - Collected Novels (%d books) [EPUB]", author, n)
		var files []File
		for i := 1; i <= n; i++ {
			files = append(files, File{Path: []string{fmt.Sprintf("%02d - The %s %s.epub", i, Pick(rng, adjectives), Pick(rng, bookTitles))}, Length: Between(rng, 400*KiB, 6*MiB)})
		}
		return Item{Name: name, Description: "Every novel, retail EPUBs with their covers, in order of publication.", Files: files}
	}
	format := Pick(rng, []string{"EPUB", "PDF", "EPUB", "MOBI"})
	name := fmt.Sprintf("%s - %s (%d) [%s]", author, title, year, format)
	size := Between(rng, 1*MiB, 12*MiB)
	if format == "PDF" {
		size = Between(rng, 8*MiB, 90*MiB)
	}
	desc := fmt.Sprintf("%s by %s, first published %d. Retail %s.", title, author, year, format)
	return Item{Name: name, Description: desc, Files: Single(size)}
}

var others = []string{"Field Recordings Vol. %d [WAV 24-48]", "Sound Effects Library Vol. %d [WAV]", "OpenStreetMap Europe Extract 2024-%02d",
	"Public Domain Film Scans Vol. %d", "4K Landscape Wallpapers Pack %d", "Open Font Collection %d", "Lecture Recordings Term %d",
	"Astronomy Image Archive Vol. %d"}

func otherItem(rng *rand.Rand) Item {
	name := fmt.Sprintf(Pick(rng, others), 1+rng.IntN(12))
	n := 3 + rng.IntN(20)
	per := Between(rng, 5*MiB, 400*MiB)
	var files []File
	for i := 1; i <= n; i++ {
		files = append(files, File{Path: []string{fmt.Sprintf("part-%03d.zip", i)}, Length: per + Between(rng, 0, per/4)})
	}
	return Item{Name: name, Description: "Freely licensed; see LICENSE in each archive.", Files: files}
}
