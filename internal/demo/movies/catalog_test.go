package moviesdemo

import "testing"

// The catalogue's tables hang together: every person the demo describes
// is credited on a movie, and each movie has formats.
func TestCatalogueHangsTogether(t *testing.T) {
	people := map[string]bool{}
	for _, mv := range Movies {
		for _, c := range mv.Credits {
			people[c.Name] = true
		}
		if len(mv.Editions) == 0 || len(mv.Editions[0].Formats) == 0 {
			t.Errorf("movie %s has no format", mv.Title)
		}
	}
	for _, p := range People {
		if !people[p.Name] {
			t.Errorf("person %s is credited on no movie", p.Name)
		}
	}
}
