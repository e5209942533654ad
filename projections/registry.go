package projections

// All lists every projection the site runs, in one place. Plugins add theirs here.
func All() []Projection {
	return []Projection{Users{}, Ratio{}, Swarm{}}
}

// ByName finds a projection in All.
func ByName(name string) (Projection, bool) {
	for _, p := range All() {
		if p.Name() == name {
			return p, true
		}
	}
	return nil, false
}
