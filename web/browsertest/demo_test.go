package browsertest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/browser"
	"github.com/djembe/djembe/internal/demo"
	backupdemo "github.com/djembe/djembe/internal/demo/backup"
	moviesdemo "github.com/djembe/djembe/internal/demo/movies"
	musicdemo "github.com/djembe/djembe/internal/demo/music"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/web"
)

// page is one page of the site the render test opens, and what each
// viewer gets: the status of the page the browser lands on (a visitor is
// sent to the login form, 200) or the error page's.
type page struct {
	name, path             string
	visitor, user, staffer int
}

// Every page of the site rendered with the demo's data, as a visitor, a
// plain user and staff: each answers the status it should, has a title and
// the navigation, reports no console error or CSP violation, shows no
// template error, and is saved as a screenshot (DJEMBE_SCREENSHOTS=dir
// keeps them) to be looked at. The feeds and the API answer too.
func TestEveryPageWithTheDemosData(t *testing.T) {
	b := browser.Start(t)
	m, dataDir := startDjembeIn(t)
	ctx := context.Background()
	rep, err := demo.Fill(ctx, instance.Config{DataDir: dataDir}, demo.Config{Torrents: 120, Days: 21,
		Plugins: []demo.Plugin{musicdemo.New(), moviesdemo.New(), backupdemo.New()}}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	site, pool := m.WebURL(), m.Instance().Pool
	var staffName, userName string
	for _, u := range rep.Users {
		switch {
		case u.Staff && staffName == "":
			staffName = u.Name
		case !u.Staff && u.Disabled == "" && userName == "":
			userName = u.Name
		}
	}
	cheat := "" // the demo's ratio faker, whom the cheat signals list
	for _, pe := range demo.People() {
		if pe.FakeUp > 0 {
			cheat = pe.Name
		}
	}
	var popular, watched string
	var popularHash []byte
	if err := pool.QueryRow(ctx, `SELECT s.info_hash FROM swarm.torrents s ORDER BY s.snatches DESC, s.info_hash LIMIT 1`).Scan(&popularHash); err != nil {
		t.Fatal(err)
	}
	popular = domain.InfoHash(popularHash).String()
	if err := pool.QueryRow(ctx, `SELECT name FROM users.users WHERE ratio_watch ORDER BY name LIMIT 1`).Scan(&watched); err != nil {
		t.Logf("no user on ratio watch (%v): the profile of %s stands in", err, userName)
		watched = userName
	}
	// The plugins' busiest pages: the artist and album with the most
	// editions, the movie with the most editions, the person with the most
	// credits, a format of that album, and the backup with most versions.
	var artist, album, release, format, movie, person, backupID string
	var formatHash []byte
	for _, q := range []struct {
		sql string
		dst []any
	}{
		{`SELECT c.artist::text FROM music.credits c GROUP BY c.artist ORDER BY count(*) DESC, c.artist LIMIT 1`, []any{&artist}},
		{`SELECT r.album::text, min(r.id::text) FROM music.releases r GROUP BY r.album ORDER BY count(*) DESC, r.album LIMIT 1`, []any{&album, &release}},
		{`SELECT e.movie::text FROM movies.editions e GROUP BY e.movie ORDER BY count(*) DESC, e.movie LIMIT 1`, []any{&movie}},
		{`SELECT c.person::text FROM movies.credits c GROUP BY c.person ORDER BY count(*) DESC, c.person LIMIT 1`, []any{&person}},
		{`SELECT v.backup::text FROM backup.versions v GROUP BY v.backup ORDER BY count(*) DESC, v.backup LIMIT 1`, []any{&backupID}},
	} {
		if err := pool.QueryRow(ctx, q.sql).Scan(q.dst...); err != nil {
			t.Fatalf("the demo's plugin catalogue: %s: %v", q.sql, err)
		}
	}
	if err := pool.QueryRow(ctx, `SELECT info_hash FROM music.formats WHERE release = $1 LIMIT 1`, release).Scan(&formatHash); err != nil {
		t.Fatal(err)
	}
	format = domain.InfoHash(formatHash).String()
	const login, forbidden, notFound, bad = 200, 403, 404, 400
	pages := []page{
		{"home", "/", 200, 200, 200},
		{"login", "/login", 200, 200, 200},
		{"register-no-invite", "/register", 200, 200, 200},
		{"browse", "/torrents", login, 200, 200},
		{"browse-music-by-seeders", "/torrents?category=Music&sort=seeders&order=desc", login, 200, 200},
		{"browse-search", "/torrents?q=the", login, 200, 200},
		{"browse-page-2", "/torrents?page=2", login, 200, 200},
		{"browse-bad-sort", "/torrents?sort=colour", login, bad, bad},
		{"torrent", "/torrents/" + popular, login, 200, 200},
		{"torrent-missing", "/torrents/" + strings.Repeat("0", 40), login, notFound, notFound},
		{"profile-own", "/users/" + userName, login, 200, 200},
		{"profile-watched", "/users/" + watched, login, 200, 200},
		{"profile-staff", "/users/" + staffName, login, 200, 200},
		{"invites", "/invites", login, 200, 200},
		{"upload", "/upload", login, 200, 200},
		{"stats", "/stats", login, 200, 200},
		{"clients", "/clients", 200, 200, 200},
		{"contact", "/staff/contact", 200, 200, 200},
		{"staff-users", "/staff/users", login, forbidden, 200},
		{"staff-users-search", "/staff/users?q=" + watched[:2], login, forbidden, 200},
		{"staff-user", "/staff/users/" + watched, login, forbidden, 200},
		{"staff-torrents", "/staff/torrents", login, forbidden, 200},
		{"staff-torrent", "/staff/torrents/" + popular, login, forbidden, 200},
		{"staff-clients", "/staff/clients", login, forbidden, 200},
		{"staff-cheats", "/staff/cheats", login, forbidden, 200},
		{"staff-projections", "/staff/projections", login, forbidden, 200},
		{"staff-quarantine", "/staff/quarantine", login, forbidden, 200},
		{"not-found", "/no/such/page", notFound, notFound, notFound},
		{"music", "/music/", login, 200, 200},
		{"music-filtered", "/music/?format=FLAC&media=CD&haslog=1&order_by=seeders", login, 200, 200},
		{"music-search", "/music/?searchstr=the", login, 200, 200},
		{"music-bad-filter", "/music/?encoding=loud", login, bad, bad},
		{"music-artist", "/music/artists/" + artist, login, 200, 200},
		{"music-album", "/music/albums/" + album, login, 200, 200},
		{"music-album-edit", "/music/albums/" + album + "/edit", login, forbidden, 200},
		{"music-release-edit", "/music/albums/" + album + "/releases/" + release + "/edit", login, forbidden, 200},
		{"music-format-edit", "/music/torrents/" + format + "/edit", login, forbidden, 200},
		{"music-upload", "/music/upload", login, 200, 200},
		{"music-upload-to-album", "/music/upload?album=" + album, login, 200, 200},
		{"movies", "/movies/", login, 200, 200},
		{"movies-filtered", "/movies/?resolution=2160p&hdr=any&order_by=size", login, 200, 200},
		{"movies-bad-filter", "/movies/?resolution=8K", login, bad, bad},
		{"movie", "/movies/" + movie, login, 200, 200},
		{"movies-person", "/movies/people/" + person, login, 200, 200},
		{"movies-upload", "/movies/upload", login, 200, 200},
		{"movies-upload-to-movie", "/movies/upload?movie=" + movie, login, 200, 200},
		{"backup-mine", "/backup/", login, 200, 200},
		{"backup", "/backup/" + backupID, login, 200, 200},
		{"backup-queue", "/backup/queue", login, 200, 200},
		{"backup-queue-page-9", "/backup/queue?page=9", login, 200, 200},
		{"backup-stats", "/backup/stats", login, 200, 200},
		{"backup-all", "/backup/all", login, forbidden, 200},
	}
	viewers := []struct {
		name   string
		cookie string
		status func(page) int
	}{
		{"visitor", "", func(p page) int { return p.visitor }},
		{"user", sessionFor(t, m, userID(t, pool, userName)), func(p page) int { return p.user }},
		{"staff", sessionFor(t, m, userID(t, pool, staffName)), func(p page) int { return p.staffer }},
	}
	for _, v := range viewers {
		p := b.NewPage(t)
		if v.cookie != "" {
			p.SetCookie(site, web.SessionCookieName, v.cookie)
		}
		for _, pg := range pages {
			res := p.Open(site + pg.path)
			want := v.status(pg)
			if res.Status != int64(want) {
				t.Errorf("%s, %s: status %d, want %d", v.name, pg.path, res.Status, want)
			}
			if title := p.Title(); title == "" || !strings.HasSuffix(title, "Djembe") {
				t.Errorf("%s, %s: title %q", v.name, pg.path, title)
			}
			if len(p.Texts("#topbar")) != 1 || len(p.Texts("#content")) != 1 {
				t.Errorf("%s, %s: no top bar or content", v.name, pg.path)
			}
			if body := strings.Join(p.Texts("body"), " "); strings.Contains(body, "template:") || strings.Contains(body, "<no value>") {
				t.Errorf("%s, %s: a template error shows: %.300s", v.name, pg.path, body)
			}
			if pg.name == "staff-cheats" && v.name == "staff" {
				if body := strings.Join(p.Texts("#content"), " "); !strings.Contains(body, cheat) || strings.Contains(body, "No user's claims stand out") {
					t.Errorf("the cheat signals do not list the demo's cheat %s: %.400s", cheat, body)
				}
			}
			if pg.name == "home" && v.cookie != "" {
				if rows := p.Texts(".home table.torrent-table tbody tr"); len(rows) != 20 {
					t.Errorf("%s: the front page lists %d torrents, want the 10 newest and the 10 best seeded", v.name, len(rows))
				}
			}
			p.Screenshot(fmt.Sprintf("demo-%s-%s", v.name, pg.name))
		}
		errorPages := map[string]bool{}
		for _, pg := range pages {
			if v.status(pg) >= 400 {
				errorPages[site+pg.path] = true
			}
		}
		for _, pr := range p.Problems() {
			if pr.Kind == "log" && pr.Source == "network" && errorPages[pr.URL] {
				continue // an error page's own status
			}
			t.Errorf("%s: a page reported %s", v.name, pr)
		}
	}

	key, err := m.Commands().RSSKey(ctx, commands.Operator, userName)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/rss/" + string(key) + "/torrents.xml":                "<rss",
		"/rss/" + string(key) + "/torrents.xml?category=Books": "<rss",
	} {
		res, err := http.Get(site + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), want) || strings.Count(string(body), "<item>") == 0 {
			t.Errorf("GET %s: %s, %.200s", path, res.Status, body)
		}
	}
}

// userID is the id of the user named name.
func userID(t *testing.T, pool projections.RowQuerier, name string) domain.UserID {
	t.Helper()
	id, err := projections.UserIDByName(context.Background(), pool, name)
	if err != nil {
		t.Fatalf("user %s: %v", name, err)
	}
	return id
}
