package app

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/djembe/djembe/web"
)

// torrentsSite is a serve with alice (password "alice's password") and
// three torrents she added, listed by the swarm read model.
func torrentsSite(t *testing.T) (*Main, []commands.TorrentAdded) {
	t.Helper()
	m := start(t, dataDir(t))
	ctx, c := context.Background(), m.Commands()
	if _, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: "alice", Password: "alice's password"}); err != nil {
		t.Fatal(err)
	}
	var added []commands.TorrentAdded
	cats := []string{"Music", "Movies", "Software"}
	for i, name := range []string{"Alpha Album FLAC", "beta movie", "Gamma Linux ISO"} {
		a, err := c.AddTorrent(ctx, commands.Operator, commands.AddTorrent{File: testenv.TorrentOfSize(t, name, int64(40000*(i+1)), false), Uploader: "alice", Category: cats[i]})
		if err != nil {
			t.Fatal(err)
		}
		added = append(added, a)
	}
	awaitUsers(t, m, "alice")
	testenv.Eventually(t, "the torrents in the swarm read model", func() bool {
		res, err := projections.Browse(ctx, m.Instance().Pool, projections.DefaultBrowse)
		return err == nil && len(res.Torrents) == 3
	})
	return m, added
}

func signedInBrowser(t *testing.T, m *Main) *browserLike {
	t.Helper()
	b := newBrowserLike(t, m.WebURL())
	if code, loc, _ := b.post("/login", url.Values{"name": {"alice"}, "password": {"alice's password"}}); code != http.StatusSeeOther || loc != "/" {
		t.Fatalf("login: %d to %q", code, loc)
	}
	return b
}

// names are the torrent names in the browse table, in order.
var browseName = regexp.MustCompile(`<a href="/torrents/[0-9a-f]{40}">([^<]*)</a>`)

func browseNames(body string) []string {
	var out []string
	for _, m := range browseName.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// /torrents: signed in only; each sort in each order, the search, the
// empty states, paging, and every bad parameter refused on the page.
func TestSiteBrowse(t *testing.T) {
	m, added := torrentsSite(t)
	if code, loc, _ := newBrowserLike(t, m.WebURL()).get("/torrents"); code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Fatalf("signed out: %d to %q", code, loc)
	}
	b := signedInBrowser(t, m)
	code, _, body := b.get("/torrents")
	if code != 200 || strings.Join(browseNames(body), "|") != "Gamma Linux ISO|beta movie|Alpha Album FLAC" {
		t.Fatalf("the default list: %d %q", code, browseNames(body))
	}
	h := added[0].Torrent.InfoHash.String()
	if !strings.Contains(body, `href="/torrents/`+h+`/download"`) || !strings.Contains(body, "Added ▼") || !strings.Contains(body, "39.1 KiB") {
		t.Errorf("the row of %s lacks its download link, the sort's arrow or its size:\n%s", h, body)
	}
	// Alice seeds Alpha: the list marks it as hers to seed, and only it.
	personal, err := m.Commands().PersonalTorrent(context.Background(), commands.Operator, added[0].Torrent.InfoHash, "alice", m.TrackerURL())
	if err != nil {
		t.Fatal(err)
	}
	mi, err := metainfo.Load(bytes.NewReader(personal))
	if err != nil {
		t.Fatal(err)
	}
	hash := added[0].Torrent.InfoHash
	seed := url.Values{"info_hash": {string(hash[:])}, "peer_id": {"-qB4630-0000000000a1"}, "port": {"51413"},
		"uploaded": {"0"}, "downloaded": {"0"}, "left": {"0"}, "event": {"started"}}
	if ans := announceWith(t, http.DefaultClient, mi.Announce+"?"+seed.Encode()); ans["failure reason"] != nil {
		t.Fatalf("alice's announce: %v", ans)
	}
	testenv.Eventually(t, "Alpha marked as seeding", func() bool {
		_, _, body := b.get("/torrents")
		return strings.Count(body, `<span class="mine mine-seeding">Seeding</span>`) == 1
	})
	if _, _, home := b.get("/"); strings.Count(home, `<span class="mine mine-seeding">Seeding</span>`) != 2 {
		t.Errorf("the front page does not mark Alpha as seeding in both its lists:\n%s", home)
	}
	for q, want := range map[string]string{
		"sort=name":                   "Alpha Album FLAC|beta movie|Gamma Linux ISO",
		"sort=name&order=desc":        "Gamma Linux ISO|beta movie|Alpha Album FLAC",
		"sort=size":                   "Gamma Linux ISO|beta movie|Alpha Album FLAC",
		"sort=size&order=asc":         "Alpha Album FLAC|beta movie|Gamma Linux ISO",
		"sort=added&order=asc":        "Alpha Album FLAC|beta movie|Gamma Linux ISO",
		"sort=seeders&order=asc":      "",
		"sort=leechers&order=desc":    "",
		"sort=snatches":               "",
		"q=ALBUM":                     "Alpha Album FLAC",
		"q=a+&sort=name":              "Alpha Album FLAC|beta movie|Gamma Linux ISO",
		"q=linux&sort=size&order=asc": "Gamma Linux ISO",
		"category=Movies":             "beta movie",
		"category=Music&q=album":      "Alpha Album FLAC",
	} {
		code, _, body := b.get("/torrents?" + q)
		got := browseNames(body)
		if code != 200 || len(got) != 3 && want == "" || want != "" && strings.Join(got, "|") != want {
			t.Errorf("%s: %d %q, want %q", q, code, got, want)
		}
	}
	// The sorted column's header links to the other order, the others to theirs.
	if _, _, body := b.get("/torrents?sort=size&order=desc"); !strings.Contains(body, `href="/torrents?order=asc&amp;sort=size">Size ▼`) ||
		!strings.Contains(body, `href="/torrents?order=asc&amp;sort=name">Name</a>`) {
		t.Errorf("the headers' links:\n%s", body)
	}
	for q, want := range map[string]string{
		"q=nothing+like+this": "No torrent's name contains",
		"page=2":              "There are no torrents on page 2",
		"category=Books":      "No torrents in Books yet",
	} {
		if code, _, body := b.get("/torrents?" + q); code != 200 || !strings.Contains(body, want) {
			t.Errorf("%s: %d, want %q:\n%s", q, code, want, body)
		}
	}
	for q, want := range map[string]string{
		"sort=bogus": "Sort must be one of name, size, snatches, seeders, leechers, added",
		"order=up":   "Order must be asc or desc",
		"page=0":     "Page must be a number from 1 to 200",
		"page=x":     "Page must be a number from 1 to 200",
		"page=201":   "Page must be a number from 1 to 200",
	} {
		if code, _, body := b.get("/torrents?" + q); code != 400 || !strings.Contains(strings.ToLower(body), strings.ToLower(want)) || len(browseNames(body)) != 0 {
			t.Errorf("%s: %d, want 400 saying %q:\n%s", q, code, want, body)
		}
	}

	if _, err := m.Instance().Pool.Exec(context.Background(), `INSERT INTO swarm.torrents (info_hash, name, size, registered_at)
		SELECT decode(lpad(to_hex(i), 40, '0'), 'hex'), 'Filler ' || i, i, now() - interval '1 day' FROM generate_series(1, 100) i;
		INSERT INTO catalog.torrents (info_hash, name, title, uploader, added_at, size, file_count, upload_percent, download_percent)
		SELECT info_hash, name, name, gen_random_uuid(), registered_at, size, 1, 100, 100 FROM swarm.torrents WHERE name LIKE 'Filler %'`); err != nil {
		t.Fatal(err)
	}
	for page, want := range map[string]struct {
		n          int
		prev, next bool
	}{"1": {50, false, true}, "2": {50, true, true}, "3": {3, true, false}} {
		_, _, body := b.get("/torrents?page=" + page)
		if n := len(browseNames(body)); n != want.n || strings.Contains(body, `rel="prev"`) != want.prev || strings.Contains(body, `rel="next"`) != want.next {
			t.Errorf("page %s: %d torrents, prev %v, next %v; want %+v", page, n, strings.Contains(body, `rel="prev"`), strings.Contains(body, `rel="next"`), want)
		}
	}
}

// apiGet sends GET path with the headers given and decodes the JSON answer.
func apiGet(t *testing.T, m *Main, path string, headers ...string) (int, http.Header, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", m.WebURL()+path, nil)
	for _, hv := range headers {
		name, value, _ := strings.Cut(hv, ": ")
		req.Header.Set(name, value)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var v map[string]any
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || json.NewDecoder(res.Body).Decode(&v) != nil {
		t.Fatalf("%s: %d, not JSON (%s)", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	return res.StatusCode, res.Header, v
}

func errorCode(v map[string]any) string {
	e, _ := v["error"].(map[string]any)
	if msg, _ := e["message"].(string); msg == "" {
		return "(no message)"
	}
	code, _ := e["code"].(string)
	return code
}

func keysOf(v map[string]any) string {
	var ks []string
	for k := range v {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return strings.Join(ks, ",")
}

// The API: every way of not having a live token is a 401 (a session cookie
// alone too), each endpoint's JSON, its errors' codes, and the limit per
// token.
func TestSiteAPI(t *testing.T) {
	m, added := torrentsSite(t)
	ctx, c := context.Background(), m.Commands()
	tok, err := c.CreateToken(ctx, commands.Operator, "alice", "script")
	if err != nil {
		t.Fatal(err)
	}
	gone, err := c.CreateToken(ctx, commands.Operator, "alice", "old")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.RevokeToken(ctx, commands.Operator, "alice", gone.ID); err != nil {
		t.Fatal(err)
	}
	bearer := "Authorization: Bearer " + tok.Token
	for what, headers := range map[string][]string{
		"no header":     nil,
		"basic":         {"Authorization: Basic YWxpY2U6cHc="},
		"empty bearer":  {"Authorization: Bearer "},
		"unknown token": {"Authorization: Bearer " + strings.Repeat("x", len(tok.Token))},
		"garbage":       {"Authorization: Bearer not a token"},
		"revoked":       {"Authorization: Bearer " + gone.Token},
	} {
		code, hdr, v := apiGet(t, m, "/api/v1/me", headers...)
		if code != 401 || errorCode(v) != "unauthorized" || !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: %d %v", what, code, v)
		}
	}
	b := signedInBrowser(t, m)
	if code, _, body := b.get("/api/v1/me"); code != 401 || !strings.Contains(body, `"unauthorized"`) {
		t.Errorf("a session cookie alone: %d %s", code, body)
	}

	code, _, me := apiGet(t, m, "/api/v1/me", bearer)
	if code != 200 || keysOf(me) != "downloaded,leeching,name,ratio,required_ratio,seeding,uploaded" || me["name"] != "alice" || me["ratio"] != 0.0 {
		t.Errorf("me: %d %v", code, me)
	}
	code, _, list := apiGet(t, m, "/api/v1/torrents?sort=name&order=asc&q=a", bearer)
	ts, _ := list["torrents"].([]any)
	if code != 200 || keysOf(list) != "more,page,per_page,torrents" || len(ts) != 3 || list["more"] != false {
		t.Fatalf("torrents: %d %v", code, list)
	}
	first, _ := ts[0].(map[string]any)
	h := added[0].Torrent.InfoHash.String()
	if keysOf(first) != "added,category,factors,info_hash,leechers,name,seeders,size,snatches" || first["name"] != "Alpha Album FLAC" || first["category"] != "Music" ||
		keysOf(first["factors"].(map[string]any)) != "download_percent,upload_percent" || first["info_hash"] != h || first["size"] != 40000.0 {
		t.Errorf("the first torrent: %v", first)
	}
	code, _, one := apiGet(t, m, "/api/v1/torrents/"+h, bearer)
	if code != 200 || keysOf(one) != keysOf(first) || one["name"] != "Alpha Album FLAC" {
		t.Errorf("one torrent: %d %v", code, one)
	}
	for path, want := range map[string]struct {
		code int
		err  string
	}{
		"/api/v1/torrents?sort=bogus":                 {400, "invalid"},
		"/api/v1/torrents?page=0":                     {400, "invalid"},
		"/api/v1/torrents/" + strings.Repeat("0", 40): {404, "not_found"},
		"/api/v1/torrents/xyz":                        {400, "invalid"},
		"/api/v1/nothing":                             {404, "not_found"},
	} {
		if code, _, v := apiGet(t, m, path, bearer); code != want.code || errorCode(v) != want.err {
			t.Errorf("%s: %d %v, want %d %s", path, code, v, want.code, want.err)
		}
	}

	// The personal .torrent by the token; without one a 401 in JSON.
	req, _ := http.NewRequest("GET", m.WebURL()+"/api/v1/torrents/"+h+"/download", nil)
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	torrent, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.HasPrefix(torrent, []byte("d")) || !bytes.Contains(torrent, []byte("announce")) {
		t.Errorf("download by token: %d %s %q", res.StatusCode, res.Header.Get("Content-Type"), torrent)
	}
	if code, _, v := apiGet(t, m, "/api/v1/torrents/"+h+"/download"); code != 401 || errorCode(v) != "unauthorized" {
		t.Errorf("download without a token: %d %v", code, v)
	}

	// The limit is per token: a fresh one has DefaultAPILimit a minute, then
	// 429 with Retry-After; the first token is not held back by it.
	fresh, err := c.CreateToken(ctx, commands.Operator, "alice", "fresh")
	if err != nil {
		t.Fatal(err)
	}
	for i := range web.DefaultAPILimit {
		if code, _, v := apiGet(t, m, "/api/v1/me", "Authorization: Bearer "+fresh.Token); code != 200 {
			t.Fatalf("request %d: %d %v", i+1, code, v)
		}
	}
	code, hdr, v := apiGet(t, m, "/api/v1/me", "Authorization: Bearer "+fresh.Token)
	if code != 429 || errorCode(v) != "rate_limited" || hdr.Get("Retry-After") == "" {
		t.Errorf("over the limit: %d %v, Retry-After %q", code, v, hdr.Get("Retry-After"))
	}
	if code, _, _ := apiGet(t, m, "/api/v1/me", bearer); code != 200 {
		t.Errorf("another token after the limit: %d", code)
	}
}

// The RSS feed: RSS 2.0 that encoding/xml reads back, newest first, each
// item's link and enclosure the personal download with the key; an
// unknown or rotated key is a 404.
func TestSiteRSS(t *testing.T) {
	m, added := torrentsSite(t)
	ctx, c := context.Background(), m.Commands()
	key, err := c.RSSKey(ctx, commands.Operator, "alice")
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(m.WebURL() + "/rss/" + string(key) + "/torrents.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var feed struct {
		XMLName xml.Name `xml:"rss"`
		Version string   `xml:"version,attr"`
		Channel struct {
			Title string `xml:"title"`
			Items []struct {
				Title     string `xml:"title"`
				Link      string `xml:"link"`
				GUID      string `xml:"guid"`
				PubDate   string `xml:"pubDate"`
				Enclosure struct {
					URL    string `xml:"url,attr"`
					Length int64  `xml:"length,attr"`
					Type   string `xml:"type,attr"`
				} `xml:"enclosure"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.NewDecoder(res.Body).Decode(&feed); err != nil || res.StatusCode != 200 || feed.Version != "2.0" ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "application/rss+xml") {
		t.Fatalf("the feed: %d %s %v %+v", res.StatusCode, res.Header.Get("Content-Type"), err, feed)
	}
	if len(feed.Channel.Items) != 3 {
		t.Fatalf("%d items", len(feed.Channel.Items))
	}
	for i, item := range feed.Channel.Items {
		a := added[2-i].Torrent
		want := m.WebURL() + "/torrents/" + a.InfoHash.String() + "/download?key=" + url.QueryEscape(string(key))
		if item.Title != a.Name || item.Link != want || item.Enclosure.URL != want || item.Enclosure.Type != "application/x-bittorrent" ||
			item.GUID != a.InfoHash.String() || item.PubDate == "" || item.Enclosure.Length != int64(a.Size) {
			t.Errorf("item %d: %+v, want the link %s", i, item, want)
		}
	}
	res, err = http.Get(m.WebURL() + "/rss/" + string(key) + "/torrents.xml?category=Movies")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || strings.Count(string(body), "<item>") != 1 || !strings.Contains(string(body), "<title>beta movie</title>") || !strings.Contains(string(body), "<category>Movies</category>") {
		t.Errorf("the Movies feed: %d %s", res.StatusCode, body)
	}
	if _, err := c.RotateRSSKey(ctx, commands.Operator, "alice"); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{string(key), "nonsense", strings.Repeat("0", len(key))} {
		if code, body := get(t, m.WebURL()+"/rss/"+k+"/torrents.xml"); code != 404 {
			t.Errorf("key %q: %d %s", k, code, body)
		}
	}
}

// TestBrowseTimeToFirstByte100k logs the browse page's time to first byte
// (median of 20) over 100,000 torrents for each sort, a search, a category
// and a deep page; it asserts nothing about time. Run it with
//
//	DJEMBE_BROWSE_TTFB=1 go test ./internal/app -run TestBrowseTimeToFirstByte100k -v
func TestBrowseTimeToFirstByte100k(t *testing.T) {
	if os.Getenv("DJEMBE_BROWSE_TTFB") == "" {
		t.Skip("set DJEMBE_BROWSE_TTFB=1 to measure")
	}
	m, _ := torrentsSite(t)
	ctx := context.Background()
	if _, err := m.Instance().Pool.Exec(ctx, `INSERT INTO swarm.torrents (info_hash, name, size, registered_at, seeders, leechers, snatches)
		SELECT decode(lpad(to_hex(i), 40, '0'), 'hex'),
			'Torrent ' || lpad(i::text, 6, '0') || ' ' || (ARRAY['Flac','Mp3','Linux','Movie','Book'])[1 + i % 5],
			(i * 7919) % 100000 * 1048576::bigint, timestamptz '2026-01-01' + (i * 97 % 100000) * interval '1 minute',
			i * 13 % 101, i * 17 % 53, i * 31 % 211
		FROM generate_series(1, 100000) AS i;
		INSERT INTO catalog.torrents (info_hash, name, title, category, uploader, added_at, size, file_count, upload_percent, download_percent)
		SELECT info_hash, name, name, (ARRAY['Music','Movies','Software','Books'])[1 + get_byte(info_hash, 19) % 4], gen_random_uuid(), registered_at, size, 1, 100, 100
		FROM swarm.torrents WHERE name LIKE 'Torrent %';
		ANALYZE swarm.torrents; ANALYZE catalog.torrents`); err != nil {
		t.Fatal(err)
	}
	b := signedInBrowser(t, m)
	for _, q := range []string{"", "sort=name&order=asc", "sort=size", "sort=seeders", "sort=leechers", "sort=snatches",
		"q=flac", "q=012345", "category=Books", "category=Books&sort=seeders", "page=20", "page=100", "page=200", "q=flac&sort=seeders&page=200"} {
		var ttfb []time.Duration
		for range 20 {
			req, _ := http.NewRequest("GET", b.site+"/torrents?"+q, nil)
			var start, first time.Time
			req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
				WroteRequest:         func(httptrace.WroteRequestInfo) { start = time.Now() },
				GotFirstResponseByte: func() { first = time.Now() },
			}))
			res, err := b.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Fatalf("%s: %d", q, res.StatusCode)
			}
			ttfb = append(ttfb, first.Sub(start))
		}
		slices.Sort(ttfb)
		t.Logf("/torrents?%-28s TTFB median %6.2f ms, max %6.2f ms", q, float64(ttfb[len(ttfb)/2].Microseconds())/1000, float64(ttfb[len(ttfb)-1].Microseconds())/1000)
	}
}
