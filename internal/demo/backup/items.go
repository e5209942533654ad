package backupdemo

import (
	"fmt"
	"math/rand/v2"

	"github.com/djembe/djembe/internal/demo"
)

// Ref places an item in the catalogue: the index of its backup in Backups
// and of the version in the backup's Versions. It is the Ref of the
// plugin's items.
type Ref struct{ Backup, Version int }

// items are a torrent for each version of Backups, in their order: each
// size drawn from a stream of the version's own, the same for every seed
// (so the catalogue's draws for the other torrents stay as they were, and
// an owner's quota holds whatever the seed); uploaded by the backup's
// owner, neutral, set out to be downloaded by one user more than the
// backup wants copies, three at most (who give it copies over the
// weeks), seeded at the end by the version's Seeders, and arriving in
// the weeks one after the other (a series per backup).
func items() []demo.Item {
	var out []demo.Item
	for b, bk := range Backups {
		for v, ver := range bk.Versions {
			size := demo.Between(rand.New(rand.NewPCG(uint64(b), uint64(v))), ver.Lo*demo.MiB, ver.Hi*demo.MiB)
			out = append(out, demo.Item{Name: ver.Name, Description: ver.Message, Files: files(bk, size),
				Ref: Ref{b, v}, Uploader: bk.Owner, Neutral: true, Leechers: min(bk.Info.Redundancy+1, 3), Seeders: ver.Seeders,
				Series: bk.Info.Name})
		}
	}
	return out
}

// files are size bytes split over the backup's Parts files, the last
// taking what the division leaves.
func files(bk Backup, size int64) []demo.File {
	out := make([]demo.File, bk.Parts)
	per := size / int64(bk.Parts)
	for i := range out {
		out[i] = demo.File{Path: []string{fmt.Sprintf(bk.Pattern, i+1)}, Length: per}
	}
	out[len(out)-1].Length += size - per*int64(bk.Parts)
	return out
}
