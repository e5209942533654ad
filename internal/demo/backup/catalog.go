package backupdemo

import "github.com/djembe/djembe/domain/backup"

// Backup is a sample backup: its owner (a name of demo.People), what they
// say of it, the priority points they give it and its versions, oldest
// first. Each version's files are Parts files named by Pattern (with the
// file's number).
type Backup struct {
	Owner    string
	Info     backup.Info
	Points   int64 // whole points, from the owner's starting grant
	Pattern  string
	Parts    int
	Versions []Version
}

// Version is a version of a sample backup: its torrent's name, the
// owner's message, its size range in MiB, and the people whose clients
// seed it on the running tracker at the end (the owner among them when
// the owner still seeds it), which decide its state now.
type Version struct {
	Name    string
	Message string
	Lo, Hi  int64 // MiB
	Seeders []string
}

// nobody seeds a version at the end: it is lost.
var nobody = []string{}

// Backups are the sample backups. Each owner's Σ size × redundancy stays
// within backup.DefaultAllowance, as the quota is checked at upload,
// before the history gives anyone credit; each version's seeders at the
// end give every state: healthy, under-replicated, at risk and lost.
var Backups = []Backup{
	{Owner: "mira", Info: backup.Info{Name: "Family photos", Redundancy: 3,
		Description: "Every photo from the family's phones and the old camera, sorted by year. Three copies, please: these cannot be taken again."},
		Points: 40, Pattern: "photos-%03d.tar", Parts: 12, Versions: []Version{
			{Name: "family-photos-2023", Message: "Everything up to the end of 2023", Lo: 70, Hi: 90, Seeders: nobody},
			{Name: "family-photos-2024-trip", Message: "Added 2024 trip", Lo: 80, Hi: 100, Seeders: []string{"mira", "kestrel"}},
			{Name: "family-photos-nightly", Message: "Nightly snapshot", Lo: 85, Hi: 105, Seeders: []string{"mira", "kestrel", "fenna", "basil"}},
		}},
	{Owner: "juniper", Info: backup.Info{Name: "Thesis drafts", Redundancy: 2,
		Description: "My PhD thesis: LaTeX sources, figures and the bibliography, one version per milestone."},
		Points: 25, Pattern: "thesis-part-%d.tar.gz", Parts: 3, Versions: []Version{
			{Name: "thesis-first-draft", Message: "First full draft", Lo: 4, Hi: 8, Seeders: nobody},
			{Name: "thesis-chapters-3-4", Message: "Chapters 3 and 4 rewritten", Lo: 5, Hi: 9, Seeders: []string{"juniper"}},
			{Name: "thesis-review", Message: "Supervisor's comments addressed", Lo: 6, Hi: 10, Seeders: []string{"juniper", "fenna"}},
			{Name: "thesis-submitted", Message: "Submitted version", Lo: 6, Hi: 10, Seeders: []string{"juniper", "fenna", "kestrel"}},
		}},
	{Owner: "wren", Info: backup.Info{Name: "Music projects", Redundancy: 2,
		Description: "DAW sessions and stems of my own recordings, before they are mixed down."},
		Points: 30, Pattern: "stems-%02d.flac", Parts: 8, Versions: []Version{
			{Name: "music-projects-demo-sessions", Message: "Demo sessions, stems", Lo: 150, Hi: 190, Seeders: []string{"mira"}},
			{Name: "music-projects-ep-mixdown", Message: "Mixdown of the EP", Lo: 180, Hi: 220, Seeders: []string{"wren", "mira", "kestrel"}},
		}},
	{Owner: "tomas", Info: backup.Info{Name: "Home videos", Redundancy: 1,
		Description: "Our VHS tapes, digitised. One copy elsewhere is enough; the tapes are still in the attic."},
		Pattern: "tape-%02d.mkv", Parts: 6, Versions: []Version{
			{Name: "home-videos-tapes-1-6", Message: "Tapes 1 to 6 digitised", Lo: 350, Hi: 420, Seeders: []string{"basil"}},
			{Name: "home-videos-tapes-7-12", Message: "Tapes 7 to 12 digitised", Lo: 380, Hi: 450, Seeders: []string{"tomas"}},
		}},
	{Owner: "priya", Info: backup.Info{Name: "Dotfiles", Redundancy: 4,
		Description: "My shell, editor and window manager configuration, and the scripts I cannot live without."},
		Points: 5, Pattern: "dotfiles-%d.tar.zst", Parts: 1, Versions: []Version{
			{Name: "dotfiles-initial", Message: "Initial import", Lo: 2, Hi: 3, Seeders: nobody},
			{Name: "dotfiles-nightly-1", Message: "Nightly snapshot", Lo: 2, Hi: 4, Seeders: []string{"priya", "ines", "kestrel"}},
			{Name: "dotfiles-nightly-2", Message: "Nightly snapshot", Lo: 2, Hi: 4, Seeders: []string{"priya", "kestrel", "ines", "fenna", "basil"}},
		}},
	{Owner: "ines", Info: backup.Info{Name: "Novel manuscript", Redundancy: 2,
		Description: "The novel I am writing, with my notes and the research scans."},
		Points: 20, Pattern: "manuscript-%d.odt", Parts: 2, Versions: []Version{
			{Name: "novel-draft-two", Message: "Draft two, all chapters", Lo: 3, Hi: 6, Seeders: []string{"juniper", "priya"}},
		}},
}

// Planned is the state version v of backup b is in at the end, once its
// seeders are live.
func Planned(b Backup, v Version) backup.State {
	copies, owner := 0, false
	for _, s := range v.Seeders {
		if s == b.Owner {
			owner = true
		} else {
			copies++
		}
	}
	return backup.StateOf(copies, b.Info.Redundancy, owner)
}
