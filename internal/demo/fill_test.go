package demo_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/backup"
	"github.com/djembe/djembe/domain/movies"
	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/internal/app"
	"github.com/djembe/djembe/internal/demo"
	backupdemo "github.com/djembe/djembe/internal/demo/backup"
	moviesdemo "github.com/djembe/djembe/internal/demo/movies"
	"github.com/djembe/djembe/internal/instance"
	readbackup "github.com/djembe/djembe/projections/backup"
	readmovies "github.com/djembe/djembe/projections/movies"
	readmusic "github.com/djembe/djembe/projections/music"
	"github.com/jackc/pgx/v5/pgxpool"
)

// startServe runs a serve (tracker and projectors) on a fresh data
// directory, as `djembe serve` would, and returns it with the directory.
func startServe(t *testing.T) (*app.Main, string) {
	t.Helper()
	base, err := os.MkdirTemp("", "djembe-demo-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(base, 0o755) // the embedded PostgreSQL may run as user postgres
	t.Cleanup(func() { os.RemoveAll(base) })
	data := filepath.Join(base, "data")
	m := app.New(app.Config{Instance: instance.Config{DataDir: data}, Web: "127.0.0.1:0", Ops: "127.0.0.1:0",
		Trackers: []string{"127.0.0.1:0"}, Roles: app.Roles{Tracker: true, Projectors: true}, Log: io.Discard})
	if err := m.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	<-m.Ready()
	return m, data
}

// count is the one integer a query answers.
func count(t *testing.T, pool *pgxpool.Pool, sql string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// The demo run against a serve fills the Music and Movies catalogues
// through the plugins' uploads: the read models hold the artists with
// their albums, editions, formats, aliases and similar artists, and the
// movies with their people, editions and formats; every format is a
// torrent of the catalog in its plugin's category, and the announce
// history covers them like any torrent.
func TestDemoFillsThePluginsCatalogues(t *testing.T) {
	m, data := startServe(t)
	ctx := context.Background()
	rep, err := demo.Fill(ctx, instance.Config{DataDir: data}, demo.Config{Plugins: plugins()}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	pool := m.Instance().Pool
	c := rep.Catalogue
	if c["artists"] != 15 || c["albums"] != 39 || c["music_formats"] != 87 || c["movies"] != 12 || c["movie_formats"] != 31 {
		t.Errorf("the report counts %+v", c)
	}
	if n := count(t, pool, `SELECT count(*) FROM catalog.torrents WHERE NOT deleted`); n != c["torrents"] {
		t.Errorf("the catalog holds %d torrents, the report says %d", n, c["torrents"])
	}
	for _, q := range []struct {
		what string
		sql  string
		want int
	}{
		{"artists", `SELECT count(*) FROM music.artists WHERE merged_into IS NULL`, c["artists"]},
		{"albums", `SELECT count(*) FROM music.albums`, c["albums"]},
		{"music formats", `SELECT count(*) FROM music.formats`, c["music_formats"]},
		{"movies", `SELECT count(*) FROM movies.movies`, c["movies"]},
		{"movie formats", `SELECT count(*) FROM movies.formats`, c["movie_formats"]},
		{"music formats whose torrent is not a Music torrent of the catalog", `SELECT count(*) FROM music.formats f
			LEFT JOIN catalog.torrents t ON t.info_hash = f.info_hash AND t.category = 'Music' AND NOT t.deleted WHERE t.info_hash IS NULL`, 0},
		{"movie formats whose torrent is not a Movies torrent of the catalog", `SELECT count(*) FROM movies.formats f
			LEFT JOIN catalog.torrents t ON t.info_hash = f.info_hash AND t.category = 'Movies' AND NOT t.deleted WHERE t.info_hash IS NULL`, 0},
		{"Music and Movies torrents outside the plugins' catalogues", `SELECT count(*) FROM catalog.torrents t WHERE t.category IN ('Music', 'Movies')
			AND NOT EXISTS (SELECT 1 FROM music.formats f WHERE f.info_hash = t.info_hash)
			AND NOT EXISTS (SELECT 1 FROM movies.formats f WHERE f.info_hash = t.info_hash)`, 0},
	} {
		if n := count(t, pool, q.sql); n != q.want {
			t.Errorf("%d %s, want %d", n, q.what, q.want)
		}
	}
	for _, q := range []struct {
		what  string
		sql   string
		least int
	}{
		{"albums of the artist with the most", `SELECT max(n) FROM (SELECT count(DISTINCT album) n FROM music.credits WHERE role = 1 GROUP BY artist) x`, 3},
		{"editions of the album with the most", `SELECT max(n) FROM (SELECT count(*) n FROM music.releases GROUP BY album) x`, 3},
		{"formats of the edition with the most", `SELECT max(n) FROM (SELECT count(*) n FROM music.formats GROUP BY release) x`, 3},
		{"albums with a guest or remixer", `SELECT count(DISTINCT album) FROM music.credits WHERE role IN (2, 3)`, 2},
		{"artists with similar artists", `SELECT count(DISTINCT artist) FROM music.similar_artists`, 10},
		{"aliases", `SELECT count(*) FROM music.artist_names n JOIN music.artists a ON a.id = n.artist WHERE lower(a.name) <> n.name_key`, 2},
		{"music formats snatched", `SELECT count(*) FROM music.formats f JOIN swarm.torrents s USING (info_hash) WHERE s.snatches > 0`, 20},
		{"movies of the person in the most", `SELECT max(n) FROM (SELECT count(DISTINCT movie) n FROM movies.credits GROUP BY person) x`, 3},
		{"actors in two movies or more", `SELECT count(*) FROM (SELECT person FROM movies.credits WHERE kind = 4 GROUP BY person HAVING count(DISTINCT movie) > 1) x`, 4},
		{"editions of the movie with the most", `SELECT max(n) FROM (SELECT count(*) n FROM movies.editions GROUP BY movie) x`, 3},
		{"formats of the edition with the most", `SELECT max(n) FROM (SELECT count(*) n FROM movies.formats GROUP BY edition) x`, 3},
		{"movie formats snatched", `SELECT count(*) FROM movies.formats f JOIN swarm.torrents s USING (info_hash) WHERE s.snatches > 0`, 8},
		{"people with a birth year", `SELECT count(*) FROM movies.people WHERE birth_year > 0`, len(moviesdemo.People)},
	} {
		if n := count(t, pool, q.sql); n < q.least {
			t.Errorf("%d %s, want at least %d", n, q.what, q.least)
		}
	}
	t.Logf("plugin torrents with peers now: %d", count(t, pool, `SELECT count(*) FROM swarm.torrents s
		WHERE s.seeders + s.leechers > 0 AND (EXISTS (SELECT 1 FROM music.formats f WHERE f.info_hash = s.info_hash)
		OR EXISTS (SELECT 1 FROM movies.formats f WHERE f.info_hash = s.info_hash))`))
	checkArtistPage(t, pool)
	checkPersonPage(t, pool)
	checkBackups(t, pool, c)
}

// checkArtistPage reads Halcyon Drift as the artist's page does: found by
// its alias, with its similar artists and four albums, the debut in three
// editions.
func checkArtistPage(t *testing.T, pool *pgxpool.Pool) {
	ctx := context.Background()
	id, err := readmusic.ArtistByName(ctx, pool, "Halcyon")
	if err != nil {
		t.Fatal(err)
	}
	a, err := readmusic.Artist(ctx, pool, id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "Halcyon Drift" || a.Description == "" || len(a.Similar) != 2 || !slices.Contains(a.Aliases, "Halcyon") {
		t.Errorf("artist %+v", a)
	}
	albums, err := readmusic.ArtistAlbums(ctx, pool, id)
	if err != nil {
		t.Fatal(err)
	}
	var main int
	for _, al := range albums {
		if al.Role == music.RoleMain {
			main++
		}
		if al.Title == "Paper Boats" && (len(al.Releases) != 3 || len(al.Formats()) != 5) {
			t.Errorf("Paper Boats has %d editions and %d formats: %+v", len(al.Releases), len(al.Formats()), al.Releases)
		}
	}
	if main != 5 {
		t.Errorf("Halcyon Drift is the main artist of %d albums, want 5", main)
	}
}

// checkPersonPage reads Denis Villeneuve's filmography, and Blade Runner
// with its three cuts.
func checkPersonPage(t *testing.T, pool *pgxpool.Pool) {
	ctx := context.Background()
	id, err := readmovies.PersonByName(ctx, pool, "Denis Villeneuve")
	if err != nil {
		t.Fatal(err)
	}
	groups, err := readmovies.Filmography(ctx, pool, id)
	if err != nil {
		t.Fatal(err)
	}
	directed := 0
	for _, g := range groups {
		if g.Kind == movies.CreditDirector {
			directed = len(g.Movies)
		}
	}
	if directed != 3 || len(groups) < 3 {
		t.Errorf("Denis Villeneuve directed %d movies, in %d kinds of credit", directed, len(groups))
	}
	mid, err := readmovies.MovieByIMDb(ctx, pool, "tt0083658")
	if err != nil {
		t.Fatal(err)
	}
	mv, err := readmovies.Movie(ctx, pool, mid)
	if err != nil {
		t.Fatal(err)
	}
	if mv.Title != "Blade Runner" || len(mv.Editions) != 3 || len(mv.Cast()) != 5 || mv.Cast()[0].Name != "Harrison Ford" || mv.Cast()[0].Role != "Rick Deckard" {
		t.Errorf("Blade Runner: %d editions, cast %+v", len(mv.Editions), mv.Cast())
	}
}

// checkBackups reads the Backup plugin's sample backups as their pages
// and the queue do: every version registered neutral, in the state its
// live seeders give it (every state among them) with copies over the
// weeks before, the queue holding those not healthy, and downloaders of
// others' versions with backup credit.
func checkBackups(t *testing.T, pool *pgxpool.Pool, c demo.Counts) {
	ctx := context.Background()
	bs, total, err := readbackup.AllBackups(ctx, pool, 1)
	if err != nil {
		t.Fatal(err)
	}
	if total < 4 || total != c["backups"] || total != len(backupdemo.Backups) {
		t.Errorf("%d backups, the report says %d", total, c["backups"])
	}
	if n := count(t, pool, `SELECT count(*) FROM catalog.torrents WHERE category = 'Backup' AND NOT deleted
			AND upload_percent = 0 AND download_percent = 0`); n != c["backup_versions"] || n < 10 {
		t.Errorf("%d neutral Backup torrents, the report counts %d versions", n, c["backup_versions"])
	}
	states, unhealthy := map[backup.State]int{}, 0
	for _, b := range bs {
		for _, v := range b.Versions {
			states[checkVersion(t, pool, b, v)]++
		}
	}
	for _, st := range []backup.State{backup.Healthy, backup.UnderReplicated, backup.AtRisk, backup.Lost} {
		if states[st] == 0 || states[st] != c[backupdemo.StateKey(st)] {
			t.Errorf("%d versions %s, the report says %d", states[st], st, c[backupdemo.StateKey(st)])
		}
		if st != backup.Healthy {
			unhealthy += states[st]
		}
	}
	if _, n, err := readbackup.Queue(ctx, pool, readbackup.PageSize, 0); err != nil || n != unhealthy {
		t.Errorf("the queue holds %d versions (%v), want the %d not healthy", n, err, unhealthy)
	}
	checkBackupCredit(t, pool)
}

// checkVersion checks version v of backup b, as VersionByHash reads it,
// against the state the catalogue plans, and that it has copies over
// time; it returns its state.
func checkVersion(t *testing.T, pool *pgxpool.Pool, b readbackup.BackupRow, v readbackup.VersionRow) backup.State {
	ctx := context.Background()
	got, err := readbackup.VersionByHash(ctx, pool, v.InfoHash)
	if err != nil {
		t.Fatal(err)
	}
	for _, bk := range backupdemo.Backups {
		if bk.Info.Name == b.Name && got.Number <= len(bk.Versions) {
			if want := backupdemo.Planned(bk, bk.Versions[got.Number-1]); got.State != want {
				t.Errorf("%s version %d is %s (%d copies, owner seeding %v), want %s", b.Name, got.Number, got.State, got.Copies, got.OwnerSeeding, want)
			}
		}
	}
	history, err := readbackup.CopiesHistory(ctx, pool, v.InfoHash)
	if err != nil || len(history) < 3 {
		t.Errorf("%s version %d has %d points of copies over time (%v)", b.Name, got.Number, len(history), err)
	}
	return got.State
}

// checkBackupCredit checks that some users earned backup credit by
// downloading others' versions, and that no owner's obligation is beyond
// the starter allowance and their credit.
func checkBackupCredit(t *testing.T, pool *pgxpool.Pool) {
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT id, name FROM users.users`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	credited := 0
	for rows.Next() {
		var id domain.UserID
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		s, err := readbackup.Standing(ctx, pool, id)
		if err != nil {
			t.Fatal(err)
		}
		if s.Credit > 0 {
			credited++
		}
		if s.Obligation > s.Credit+backup.DefaultAllowance {
			t.Errorf("%s: obligation %d beyond credit %d and the allowance", name, s.Obligation, s.Credit)
		}
		t.Logf("%-8s backup credit %4d MiB, obligation %4d MiB, points earned %d, assigned %d", name, s.Credit>>20, s.Obligation>>20, s.EarnedMilli/1000, s.AssignedMilli/1000)
	}
	if credited < 2 {
		t.Errorf("%d users have backup credit", credited)
	}
}
