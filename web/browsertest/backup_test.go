package browsertest

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/djembe/djembe/commands"
	cmdbackup "github.com/djembe/djembe/commands/backup"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/backup"
	"github.com/djembe/djembe/internal/app"
	"github.com/djembe/djembe/internal/browser"
	"github.com/djembe/djembe/internal/natsd"
	"github.com/djembe/djembe/internal/testenv"
	readbackup "github.com/djembe/djembe/projections/backup"
	"github.com/djembe/djembe/projections/backup/backuptest"
	"github.com/djembe/djembe/web"
	"github.com/google/uuid"
)

// backupSite is a running Djembe with backups in every state, for the
// Backup plugin's tests: dora owns "Photos" (N 2) and "Papers" (N 1), both
// seeded by dora alone (at risk; Photos older, so first), and "Old disk"
// that nobody seeds (lost); sam (staff) owns "Server" (N 2), which bob
// seeds besides sam (under-replicated), and "Logs" (N 1), which bob keeps
// (healthy).
type backupSite struct {
	t       *testing.T
	m       *app.Main
	site    string
	cmds    *cmdbackup.Commands
	users   map[string]domain.UserID
	backups map[string]uuid.UUID
	hashes  map[string]domain.InfoHash // a backup's first version
	dir     string
}

// newBackupCommands is the plugin's write side as the site wires it.
func newBackupCommands(m *app.Main) *cmdbackup.Commands {
	pool := m.Instance().Pool
	return cmdbackup.New(m.Commands(), func(ctx context.Context, u domain.UserID) (backup.Standing, error) {
		return readbackup.Standing(ctx, pool, u)
	}, backup.DefaultAllowance)
}

// create makes owner's backup name at redundancy n with one version of
// size bytes, and waits until the read model holds it.
func (s *backupSite) create(owner, name string, n int, size int64) {
	s.t.Helper()
	ctx := context.Background()
	a := commands.ClassActor(s.users[owner], domain.ClassUser)
	id, err := s.cmds.CreateBackup(ctx, a, owner, backup.Info{Name: name, Description: name + " of " + owner, Redundancy: n})
	if err != nil {
		s.t.Fatal(err)
	}
	file := testenv.TorrentOfSize(s.t, strings.ToLower(strings.ReplaceAll(name, " ", "-")), size, true)
	added, err := s.cmds.AddVersion(ctx, a, cmdbackup.AddVersion{Backup: id, File: file, Uploader: owner, Message: "first copy"})
	if err != nil {
		s.t.Fatal(err)
	}
	s.backups[name], s.hashes[name] = id, added.InfoHash
	testenv.Eventually(s.t, name+" in the backup read model", func() bool {
		_, err := readbackup.VersionByHash(ctx, s.m.Instance().Pool, added.InfoHash)
		return err == nil
	})
}

// seed appends announces, as the tracker would, of who seeding a complete
// copy of each backup's first version from now on, for an hour; visitor
// joins the first of them (a backup of sam's: Server) for the middle
// twenty minutes, so its chart steps up and down. They go on the tracker
// role's own connection, the only one that may append to the tracker
// node's announce subject (backuptest appends as node t1,
// tracker.DefaultNode); no real client announces in these tests, so the
// tracker appends nothing there meanwhile.
func (s *backupSite) seed(sw *backuptest.Swarm, who map[string][]string, visited, visitor string) {
	s.t.Helper()
	log, err := s.m.Instance().LogAs(context.Background(), natsd.Tracker, "backup-test")
	if err != nil {
		s.t.Fatal(err)
	}
	ap := backuptest.NewAppender(s.t, log)
	ms := time.Now().UnixMilli()
	at := func(minutes int64) int64 { return ms + minutes*60_000 }
	batch := func(minute int64, ev domain.AnnounceEvent) {
		var anns []domain.Announce
		for name, users := range who {
			for _, u := range users {
				anns = append(anns, sw.Announce(at(minute), s.users[u], s.hashes[name], 1, ev, 0, 0))
			}
		}
		ap.Announce(anns...)
	}
	batch(1, domain.EventStarted)
	ap.Announce(sw.Announce(at(20), s.users[visitor], s.hashes[visited], 1, domain.EventStarted, 0, 0))
	batch(30, domain.EventNone)
	ap.Announce(sw.Announce(at(40), s.users[visitor], s.hashes[visited], 1, domain.EventStopped, 0, 0))
	batch(61, domain.EventNone) // an hour of seeding: points earned
}

// queueNames is the backups of the queue page's rows, in order.
func queueNames(p *browser.Page) []string { return p.Texts(".bk-queue tbody td.name") }

// The Backup plugin in a browser: my backups shows the standing and each
// version's copies/N and state; the create form shows its refusals beside
// their fields, then creates; a backup's page draws its copies chart;
// the queue lists the versions most at risk first, and assigning points
// to a backup on its page moves its version up the queue; a version
// upload through the page lands on its row, and one past credit and
// allowance is refused beside the file with the bytes to back up first
// and a link to the queue; a raised N past the room is refused beside the
// field too. Staff see every backup and any backup's page, others get a
// 403 on /backup/all. The queue's RSS feed (by RSS key, no session) lists
// the queue with download links carrying the key, which download; the
// API answers the queue and the standing, and 401 without a token.
func TestBackupInABrowser(t *testing.T) {
	b := browser.Start(t)
	m := startDjembe(t)
	ctx := context.Background()
	registerUsers(t, m, slices.Concat(doraAndSam, []commands.RegisterUser{{Name: "bob", Password: "bob's password"}})...)
	site, pool := m.WebURL(), m.Instance().Pool
	s := &backupSite{t: t, m: m, site: site, cmds: newBackupCommands(m), users: map[string]domain.UserID{},
		backups: map[string]uuid.UUID{}, hashes: map[string]domain.InfoHash{}, dir: t.TempDir()}
	for _, u := range []string{"dora", "sam", "bob"} {
		s.users[u] = userID(t, pool, u)
	}
	const mib = 1 << 20
	s.create("dora", "Photos", 2, 100*mib)
	s.create("dora", "Papers", 1, 50*mib)
	s.create("dora", "Old disk", 1, 10*mib)
	s.create("sam", "Server", 2, 300*mib)
	s.create("sam", "Logs", 1, 20*mib)
	sw := backuptest.NewSwarm()
	s.seed(sw, map[string][]string{"Photos": {"dora"}, "Papers": {"dora"}, "Server": {"sam", "bob"}, "Logs": {"bob"}}, "Server", "dora")
	testenv.Eventually(t, "the seeders in the backup read model", func() bool {
		v, err := readbackup.VersionByHash(ctx, pool, s.hashes["Logs"])
		p, err2 := readbackup.VersionByHash(ctx, pool, s.hashes["Papers"])
		return err == nil && err2 == nil && v.State == backup.Healthy && p.State == backup.AtRisk
	})

	p := b.NewPage(t)
	p.SetCookie(site, web.SessionCookieName, sessionFor(t, m, s.users["dora"]))
	var refused []string // the pages refused forms answered (4xx, as they must), which the tab reports from then on
	clean := func(more ...string) {
		t.Helper()
		refused = append(refused, more...)
		cleanBut(t, p, refused...)
	}

	// My backups: the standing, the neutral-ratio note, each version's state.
	p.Open(site + "/backup/")
	if got := p.Texts("h1"); len(got) != 1 || got[0] != "My backups" {
		t.Fatalf("/backup/ is headed %q", got)
	}
	if got := strings.Join(p.Texts(".bk-economy"), ""); !strings.Contains(got, "1.00 GiB") || !strings.Contains(got, "Obligation") {
		t.Errorf("the standing says %q", got)
	}
	if got := strings.Join(p.Texts(".bk-neutral"), ""); !strings.Contains(got, "neutral for the site's ratio") {
		t.Errorf("the profile's note on the ratio: %q", got)
	}
	if got := strings.Join(p.Texts(".bk-versions .bk-state"), "|"); got != "lost|at risk|at risk" {
		t.Errorf("my backups' states (newest backup first): %q", got)
	}
	if got := strings.Join(p.Texts(".bk-kept-box"), ""); !strings.Contains(got, "Copies you keep") {
		t.Errorf("the profile lists no copies kept: %q", got)
	}
	clean()
	p.Screenshot("backup-mine")

	// The create form: refusals beside their fields, nothing appended; then a backup.
	before, _ := m.Instance().Log.LastSeq(ctx)
	fill(t, p, map[string]string{"f-name": "  ", "f-redundancy": "11"})
	if res := submit(t, p, ".bk-create button[type=submit]"); res.Status != 422 {
		t.Errorf("a refused create: %d", res.Status)
	}
	for _, f := range []string{"name", "redundancy"} {
		if got := strings.Join(p.Texts("#e-"+f), ""); got == "" {
			t.Errorf("no message beside %s; the page says %q", f, p.Texts(".field-error, .alert"))
		}
	}
	if after, _ := m.Instance().Log.LastSeq(ctx); after != before {
		t.Errorf("a refused create appended %d events", after-before)
	}
	clean(site + "/backup/")
	p.Screenshot("backup-create-refused")
	fill(t, p, map[string]string{"f-name": "Music masters", "f-description": "Stems and mixes", "f-redundancy": "2"})
	if res := submit(t, p, ".bk-create button[type=submit]"); res.Status != 200 {
		t.Fatalf("create: %d (%q)", res.Status, p.Texts(".field-error, .alert"))
	}
	if got := p.Texts("h1"); len(got) != 1 || !strings.HasPrefix(got[0], "Music masters") {
		t.Errorf("the new backup's page is headed %q", got)
	}

	// The queue: at risk first (older first at equal points), then under-replicated, then lost.
	p.Open(site + "/backup/queue")
	if got := strings.Join(queueNames(p), "|"); got != "Photos|Papers|Server|Old disk" {
		t.Errorf("the queue lists %q", got)
	}
	clean()
	p.Screenshot("backup-queue")

	// (a) Points assigned to Papers on its page move its version up the queue.
	p.Open(site + "/backup/" + s.backups["Papers"].String())
	fill(t, p, map[string]string{"f-points": "-3"})
	if res := submit(t, p, ".bk-points-form button[type=submit]"); res.Status != 422 {
		t.Errorf("negative points: %d", res.Status)
	}
	if got := strings.Join(p.Texts("#e-points"), ""); !strings.Contains(got, "negative") {
		t.Errorf("beside the points: %q", got)
	}
	clean(site + "/backup/" + s.backups["Papers"].String() + "/points")
	fill(t, p, map[string]string{"f-points": "25"})
	if res := submit(t, p, ".bk-points-form button[type=submit]"); res.Status != 200 {
		t.Fatalf("assign points: %d (%q)", res.Status, p.Texts(".field-error, .alert"))
	}
	if got := strings.Join(p.Texts(".bk-points"), ""); !strings.HasPrefix(got, "25") {
		t.Errorf("the backup's points after assigning: %q", got)
	}
	p.Open(site + "/backup/queue")
	if got := strings.Join(queueNames(p), "|"); got != "Papers|Photos|Server|Old disk" {
		t.Errorf("after assigning points to Papers the queue lists %q", got)
	}

	// The owner edits the backup's description; an empty name is refused beside it.
	p.Open(site + "/backup/" + s.backups["Papers"].String())
	fill(t, p, map[string]string{"f-edit-name": " "})
	if res := submit(t, p, ".bk-edit-form button[type=submit]"); res.Status != 422 || strings.Join(p.Texts("#e-edit-name"), "") == "" {
		t.Errorf("an empty name: %d, beside it %q", res.Status, p.Texts("#e-edit-name"))
	}
	clean(site + "/backup/" + s.backups["Papers"].String() + "/edit")
	fill(t, p, map[string]string{"f-edit-name": "Papers", "f-edit-description": "Tax returns and contracts"})
	if res := submit(t, p, ".bk-edit-form button[type=submit]"); res.Status != 200 {
		t.Fatalf("edit the backup: %d (%q)", res.Status, p.Texts(".field-error, .alert"))
	}
	if got := strings.Join(p.Texts("#content"), ""); !strings.Contains(got, "Tax returns and contracts") {
		t.Errorf("the page after the edit does not show the description")
	}

	// A version uploaded through the page lands on its row.
	papers := site + "/backup/" + s.backups["Papers"].String()
	p.Open(papers)
	s.choose(p, "papers-v2", 5*mib)
	fill(t, p, map[string]string{"f-message": "added the 2025 tax files"})
	if res := submit(t, p, ".bk-upload button[type=submit]"); res.Status != 200 {
		t.Fatalf("upload a version: %d (%q)", res.Status, p.Texts(".field-error, .alert"))
	}
	if hash := browser.Eval[string](p, `location.hash`); hash != "#v2" {
		t.Errorf("the upload landed at %q", hash)
	}
	if got := strings.Join(p.Texts("#v2"), ""); !strings.Contains(got, "added the 2025 tax files") || !strings.Contains(got, "0/1") {
		t.Errorf("version 2's row: %q", got)
	}

	// (b) A version past credit and allowance: refused beside the file with the bytes needed and the queue.
	before, _ = m.Instance().Log.LastSeq(ctx)
	st, err := readbackup.Standing(ctx, pool, s.users["dora"])
	if err != nil {
		t.Fatal(err)
	}
	const big = 900 * mib
	needed := backup.Obligation(big, 1) - st.Quota(backup.DefaultAllowance).Room()
	p.Open(papers)
	s.choose(p, "papers-huge", big)
	if res := submit(t, p, ".bk-upload button[type=submit]"); res.Status != 422 {
		t.Errorf("a version past the quota: %d", res.Status)
	}
	want := strings.TrimSpace(fmt.Sprintf("%.2f MiB", float64(needed)/mib))
	if got := strings.Join(p.Texts("#e-file"), ""); !strings.Contains(got, want) {
		t.Errorf("beside the file: %q, want the %s needed", got, want)
	}
	if got := browser.Eval[string](p, `document.querySelector(".bk-needed a")?.getAttribute("href") ?? ""`); got != "/backup/queue" {
		t.Errorf("the refusal links %q, not the queue", got)
	}
	if after, _ := m.Instance().Log.LastSeq(ctx); after != before || countVersions(t, m, s.backups["Papers"]) != 2 {
		t.Errorf("a refused version appended %d events", after-before)
	}
	clean(papers + "/versions")
	s.scrollTo(p, "#upload")
	p.Screenshot("backup-upload-refused")

	// A higher N past the room: refused beside the field with the bytes needed.
	p.Open(site + "/backup/" + s.backups["Photos"].String())
	fill(t, p, map[string]string{"f-redundancy": "10"})
	if res := submit(t, p, ".bk-redundancy-form button[type=submit]"); res.Status != 422 {
		t.Errorf("N 10: %d", res.Status)
	}
	if got := strings.Join(p.Texts("#e-redundancy"), ""); !strings.Contains(got, "more of other users' versions first") {
		t.Errorf("beside N: %q", got)
	}
	clean(site + "/backup/" + s.backups["Photos"].String() + "/redundancy")

	// Deleting version 2 frees its obligation at once and takes it out of the queue.
	p.Open(papers)
	if res := submit(t, p, "#v2 .bk-delete"); res.Status != 200 {
		t.Fatalf("delete version 2: %d (%q)", res.Status, p.Texts(".alert"))
	}
	if got := strings.Join(p.Texts("#v2"), ""); !strings.Contains(got, "deleted") {
		t.Errorf("version 2's row after deleting: %q", got)
	}
	if after, err := readbackup.Standing(ctx, pool, s.users["dora"]); err != nil || after.Obligation != st.Obligation-5*mib {
		t.Errorf("dora's obligation after deleting 5 MiB at N 1: %d, was %d (%v)", after.Obligation, st.Obligation, err)
	}
	p.Open(site + "/backup/queue")
	if got := strings.Join(queueNames(p), "|"); got != "Papers|Photos|Server|Old disk" {
		t.Errorf("after deleting version 2 the queue lists %q", got)
	}

	// A backup's page with its chart.
	p.Open(site + "/backup/" + s.backups["Photos"].String())
	if n := browser.Eval[int](p, `document.querySelectorAll(".bk-chart svg polyline").length`); n != 1 {
		t.Errorf("the page draws %d copies charts", n)
	}
	if got := strings.Join(p.Texts(".bk-neutral"), ""); !strings.Contains(got, "neutral for the site's ratio") {
		t.Errorf("the backup page's note on the ratio: %q", got)
	}
	clean()
	p.Screenshot("backup-show")

	// Staff see every backup and any backup's page; others may not list them.
	if res := p.Open(site + "/backup/all"); res.Status != 403 {
		t.Errorf("dora's /backup/all: %d", res.Status)
	}
	staff := b.NewPage(t)
	staff.SetCookie(site, web.SessionCookieName, sessionFor(t, m, s.users["sam"]))
	staff.Open(site + "/backup/all")
	if got := strings.Join(staff.Texts(".bk-all .bk-name"), "|"); !strings.Contains(got, "Photos") || !strings.Contains(got, "Logs") {
		t.Errorf("staff's list of every backup: %q", got)
	}
	staff.Open(site + "/backup/" + s.backups["Photos"].String())
	if n := len(staff.Texts(".bk-points-form")); n != 1 {
		t.Errorf("staff see %d points forms on dora's backup", n)
	}
	cleanBut(t, staff)
	staff.Open(site + "/backup/" + s.backups["Server"].String())
	if got := browser.Eval[string](staff, `document.querySelector(".bk-chart polyline")?.getAttribute("points") ?? ""`); strings.Count(got, " ") < 6 {
		t.Errorf("Server's chart does not step up and down with dora's copy: %q", got)
	}
	cleanBut(t, staff)
	staff.Screenshot("backup-show-chart")
	staff.Open(site + "/backup/stats")
	if got := strings.Join(staff.Texts(".bk-stats"), ""); !strings.Contains(got, "Users backing up") {
		t.Errorf("the totals say %q", got)
	}
	staff.Screenshot("backup-stats")

	checkBackupFeed(t, s)
	checkBackupAPI(t, s)
}

// choose picks a new .torrent of size bytes named name as the upload's file.
func (s *backupSite) choose(p *browser.Page, name string, size int64) {
	s.t.Helper()
	path := filepath.Join(s.dir, name+".torrent")
	if err := os.WriteFile(path, testenv.TorrentOfSize(s.t, name, size, true), 0o644); err != nil {
		s.t.Fatal(err)
	}
	if _, err := chromedp.Run(p.Context(), chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{path})); err != nil {
		s.t.Fatal(err)
	}
}

// scrollTo scrolls the first element sel finds to near the viewport's top.
func (s *backupSite) scrollTo(p *browser.Page, sel string) {
	browser.Eval[bool](p, `(document.querySelector(`+"`"+sel+"`"+`).scrollIntoView(), window.scrollBy(0, -120), true)`)
}

// countVersions is how many versions a backup has in the read model.
func countVersions(t *testing.T, m *app.Main, id uuid.UUID) int {
	b, err := readbackup.Backup(context.Background(), m.Instance().Pool, id)
	if err != nil {
		t.Fatal(err)
	}
	return len(b.Versions)
}

// backupFeedItem is an item of the queue's feed.
type backupFeedItem struct {
	Title     string `xml:"title"`
	Link      string `xml:"link"`
	Enclosure struct {
		URL string `xml:"url,attr"`
	} `xml:"enclosure"`
}

// readBackupFeed reads, with no session, the feed the queue page links for
// user, and the RSS key it carries.
func readBackupFeed(t *testing.T, s *backupSite, user string) (items []backupFeedItem, key string) {
	t.Helper()
	c := client{t: t, site: s.site, cookie: sessionFor(t, s.m, s.users[user])}
	_, _, page := c.do("GET", "/backup/queue", nil)
	i := strings.Index(page, `/backup/queue.rss?key=`)
	if i < 0 {
		t.Fatalf("the queue page links %s no feed", user)
	}
	feed := strings.ReplaceAll(page[i:i+strings.IndexByte(page[i:], '"')], "&amp;", "&")
	u, _ := url.Parse(feed)
	code, h, body := client{t: t, site: s.site}.do("GET", feed, nil)
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/rss+xml") {
		t.Fatalf("%s's feed: %d %s", user, code, h.Get("Content-Type"))
	}
	var doc struct {
		Items []backupFeedItem `xml:"channel>item"`
	}
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Items, u.Query().Get("key")
}

// checkBackupFeed reads the queue's feed by the RSS key the queue page
// links: bob's (who owns nothing) lists the whole queue in its order,
// dora's leaves out her own versions; each item links the personal
// download with the key, which answers a .torrent with no session; a bad
// key is a 404.
func checkBackupFeed(t *testing.T, s *backupSite) {
	t.Helper()
	titles := func(items []backupFeedItem) string {
		var out []string
		for _, it := range items {
			out = append(out, it.Title)
		}
		return strings.Join(out, "|")
	}
	items, key := readBackupFeed(t, s, "bob")
	for _, it := range items {
		if !strings.Contains(it.Link, "/download?key="+url.QueryEscape(key)) || it.Enclosure.URL != it.Link {
			t.Errorf("item %q links %q", it.Title, it.Link)
		}
	}
	if got := titles(items); got != "Papers – version 1|Photos – version 1|Server – version 1|Old disk – version 1" {
		t.Errorf("bob's feed lists %q", got)
	}
	anon := client{t: t, site: s.site}
	if len(items) > 0 {
		dl, _ := url.Parse(items[0].Link)
		code, h, _ := anon.do("GET", dl.RequestURI(), nil)
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/x-bittorrent") {
			t.Errorf("the feed's download: %d %s", code, h.Get("Content-Type"))
		}
	}
	if items, _ := readBackupFeed(t, s, "dora"); titles(items) != "Server – version 1" {
		t.Errorf("dora's feed lists %q", titles(items))
	}
	if code, _, _ := anon.do("GET", "/backup/queue.rss?key=nonsense", nil); code != 404 {
		t.Errorf("a bad key's feed: %d", code)
	}
}

// checkBackupAPI checks /api/v1/backup/queue and /me as bob: the shapes,
// a bad limit (400) and no token (401), in the API's error shape.
func checkBackupAPI(t *testing.T, s *backupSite) {
	t.Helper()
	tok, err := s.m.Commands().CreateToken(context.Background(), commands.Operator, "bob", "backup")
	if err != nil {
		t.Fatal(err)
	}
	api := client{t: t, site: s.site}
	get := func(path, token string, into any) int {
		t.Helper()
		var hdr []string
		if token != "" {
			hdr = append(hdr, "Authorization: Bearer "+token)
		}
		code, h, body := api.do("GET", path, nil, hdr...)
		if !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Errorf("%s: %s, not JSON: %q", path, h.Get("Content-Type"), body)
		}
		if err := json.Unmarshal([]byte(body), into); err != nil {
			t.Errorf("%s: %v in %q", path, err, body)
		}
		return code
	}
	var q struct {
		Versions []struct {
			InfoHash string `json:"info_hash"`
			Backup   struct{ ID, Name string }
			Owner    struct{ ID, Name string }
			Number   int
			Size     uint64
			Copies   int
			Redund   int `json:"redundancy"`
			Deficit  int
			State    string
			Points   float64
			Added    time.Time
			Download string `json:"download_url"`
		}
		Total, Limit, Offset int
	}
	if code := get("/api/v1/backup/queue?limit=2", string(tok.Token), &q); code != 200 {
		t.Fatalf("the queue: %d", code)
	}
	if len(q.Versions) != 2 || q.Total != 4 || q.Limit != 2 {
		t.Fatalf("the queue's page: %+v", q)
	}
	v := q.Versions[0]
	if v.Backup.Name != "Papers" || v.Owner.Name != "dora" || v.Points != 25 || v.State != "at risk" ||
		v.Deficit != v.Redund-v.Copies || !strings.HasSuffix(v.Download, "/torrents/"+v.InfoHash+"/download") || v.Added.IsZero() {
		t.Errorf("the queue's first version: %+v", v)
	}
	var next struct {
		Versions []struct {
			Backup struct{ Name string }
		}
	}
	get("/api/v1/backup/queue?limit=1&offset=1", string(tok.Token), &next)
	if len(next.Versions) != 1 || next.Versions[0].Backup.Name != "Photos" {
		t.Errorf("the queue at offset 1: %+v", next)
	}
	var me struct {
		User                                struct{ Name string }
		Credit, Obligation, Allowance, Room uint64
		PointsBalance                       float64 `json:"points_balance"`
		PointsEarned                        float64 `json:"points_earned"`
		Backups                             int
	}
	if code := get("/api/v1/backup/me", string(tok.Token), &me); code != 200 || me.User.Name != "bob" || me.Allowance != backup.DefaultAllowance ||
		me.PointsEarned <= 0 || math.Abs(me.PointsBalance-100-me.PointsEarned) > 0.001 {
		t.Errorf("bob's standing: %d %+v", code, me)
	}
	var e struct {
		Error struct{ Code, Message string }
	}
	if code := get("/api/v1/backup/queue?limit=x", string(tok.Token), &e); code != 400 || e.Error.Code != "invalid" {
		t.Errorf("a bad limit: %d %+v", code, e)
	}
	e.Error.Code = ""
	if code := get("/api/v1/backup/me", "", &e); code != 401 || e.Error.Code == "" {
		t.Errorf("no token: %d %+v", code, e)
	}
}
