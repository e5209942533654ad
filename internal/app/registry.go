// Package app is Djembe's wiring: Main, what `djembe serve` runs (log,
// database, projectors, tracker, web, readiness and shutdown order), and
// the one place where the read models and plugins of the site are listed.
//
// A plugin (Music, Movies, Backup) lives in a subpackage of each layer it
// touches (domain/music, projections/music, web/music, ...) and is listed
// here, in plugins; the generic packages never import a plugin, and no
// plugin imports another.
package app

import (
	"slices"
	"strings"

	"github.com/djembe/djembe/domain/backup"
	"github.com/djembe/djembe/domain/movies"
	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/projections"
	readbackup "github.com/djembe/djembe/projections/backup"
	readmovies "github.com/djembe/djembe/projections/movies"
	readmusic "github.com/djembe/djembe/projections/music"
	"github.com/djembe/djembe/web"
	webbackup "github.com/djembe/djembe/web/backup"
	webmovies "github.com/djembe/djembe/web/movies"
	webmusic "github.com/djembe/djembe/web/music"
)

// Plugin is what one plugin brings to the site. Its events register
// themselves with domain when its packages are imported.
type Plugin struct {
	Name        string
	Projections []projections.Projection
	Web         *web.Plugin // its pages, mounted under /Name; nil if none
	Subjects    []string    // the log subjects of its changes (e.g. "djembe.music.>"), which the serve logs
}

// plugins are the site's plugins, in the order their pages are listed.
var plugins = []Plugin{musicPlugin(), moviesPlugin(), backupPlugin()}

// backupPlugin is Backup: users back up their data by backing up each
// other's (backups of versions, one torrent each; redundancy from the
// announces, a quota and a priority queue); its pages under /backup
// (web/backup) and its JSON API under /api/v1/backup.
func backupPlugin() Plugin {
	w := webbackup.Plugin()
	return Plugin{Name: "backup", Projections: []projections.Projection{readbackup.Projection{}}, Web: &w,
		Subjects: []string{backup.SubjectAll}}
}

// moviesPlugin is Movies, after PTP: people, movies, editions and
// formats (one torrent each); its pages under /movies and its JSON API
// under /api/v1/movies.
func moviesPlugin() Plugin {
	w := webmovies.Plugin()
	return Plugin{Name: "movies", Projections: []projections.Projection{readmovies.Projection{}}, Web: &w,
		Subjects: []string{movies.SubjectAll}}
}

// musicPlugin is Music, after what.cd: artists, albums, editions and
// formats (one torrent each).
func musicPlugin() Plugin {
	w := webmusic.Plugin()
	return Plugin{Name: "music", Projections: []projections.Projection{readmusic.Projection{}}, Web: &w,
		Subjects: []string{music.SubjectAll}}
}

// coreProjections are the read models every site runs.
func coreProjections() []projections.Projection {
	return []projections.Projection{projections.Users{}, projections.Ratio{}, projections.Swarm{}, projections.CheatSignals{},
		projections.Accounts{}, projections.Catalog{}, projections.Peers{}}
}

// Projections lists every read model the site runs: the core ones, then
// each plugin's.
func Projections() []projections.Projection {
	ps := coreProjections()
	for _, p := range plugins {
		ps = append(ps, p.Projections...)
	}
	return ps
}

// ProjectionByName finds one of Projections.
func ProjectionByName(name string) (projections.Projection, bool) {
	ps := Projections()
	i := slices.IndexFunc(ps, func(p projections.Projection) bool { return p.Name() == name })
	if i < 0 {
		return nil, false
	}
	return ps[i], true
}

// ProjectionNames lists the names of Projections, comma-separated.
func ProjectionNames() string {
	var names []string
	for _, p := range Projections() {
		names = append(names, p.Name())
	}
	return strings.Join(names, ", ")
}

// webPlugins are the plugins' pages.
func webPlugins() []web.Plugin {
	var out []web.Plugin
	for _, p := range plugins {
		if p.Web != nil {
			out = append(out, *p.Web)
		}
	}
	return out
}
