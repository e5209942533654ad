package backupdemo

import (
	"testing"

	"github.com/djembe/djembe/domain/backup"
	"github.com/djembe/djembe/internal/demo"
)

// The catalogue hangs together: owners and seeders are demo users who can
// announce at the end, each owner's backups fit the starter allowance at
// their redundancy however sizes are drawn, the points fit the starting
// grant, and the versions' seeders give every state.
func TestCatalogueHangsTogether(t *testing.T) {
	people := demo.People()
	usable := func(name string) bool {
		u := demo.PersonNamed(people, name)
		return u >= 0 && !people[u].Idle && people[u].Disabled == "" && !people[u].Staff
	}
	obligation, points, names := map[string]int64{}, map[string]int64{}, map[string]bool{}
	states := map[backup.State]int{}
	for _, bk := range Backups {
		if !usable(bk.Owner) || bk.Info.Check("demo") != nil || bk.Parts < 1 {
			t.Errorf("backup %s of %s: %v, %d parts", bk.Info.Name, bk.Owner, bk.Info.Check("demo"), bk.Parts)
		}
		points[bk.Owner] += bk.Points * 1000
		for _, v := range bk.Versions {
			obligation[bk.Owner] += v.Hi * demo.MiB * int64(bk.Info.Redundancy)
			if names[v.Name] || v.Lo < 2 || v.Hi <= v.Lo || v.Seeders == nil {
				t.Errorf("version %s: %d-%d MiB, seeders %v (a name twice?)", v.Name, v.Lo, v.Hi, v.Seeders)
			}
			names[v.Name] = true
			for _, s := range v.Seeders {
				if !usable(s) {
					t.Errorf("version %s is seeded by %s, who cannot announce", v.Name, s)
				}
			}
			states[Planned(bk, v)]++
		}
	}
	for owner, o := range obligation {
		if o > int64(backup.DefaultAllowance) || points[owner] > backup.StartingPoints {
			t.Errorf("%s: obligation up to %d bytes, %d points", owner, o, points[owner])
		}
	}
	for _, st := range []backup.State{backup.Healthy, backup.UnderReplicated, backup.AtRisk, backup.Lost} {
		if states[st] == 0 {
			t.Errorf("no version planned %s", st)
		}
	}
}
