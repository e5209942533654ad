package musicdemo

import "testing"

// The catalogue's tables hang together: every artist the demo describes
// is credited on an album, their similar artists are among them, and
// each album has formats.
func TestCatalogueHangsTogether(t *testing.T) {
	credited := map[string]bool{}
	for _, al := range Albums {
		for _, c := range al.Artists {
			credited[c.Name] = true
		}
		if len(al.Editions) == 0 || len(al.Editions[0].Formats) == 0 {
			t.Errorf("album %s has no format", al.Title)
		}
	}
	described := map[string]bool{}
	for _, a := range Artists {
		described[a.Name] = true
		if !credited[a.Name] {
			t.Errorf("artist %s is credited on no album", a.Name)
		}
	}
	for _, a := range Artists {
		for _, s := range a.Similar {
			if !described[s] || s == a.Name {
				t.Errorf("%s: similar artist %q is not another of Artists", a.Name, s)
			}
		}
	}
}
