package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/commands"
	cmdmusic "github.com/djembe/djembe/commands/music"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	readmusic "github.com/djembe/djembe/projections/music"
	"github.com/djembe/djembe/web"
	webmusic "github.com/djembe/djembe/web/music"
	"github.com/google/uuid"
)

// ajaxGet asks site's /ajax.php with query q and Authorization auth ("":
// none); it returns the status, headers and body.
func ajaxGet(t *testing.T, site, auth, q string, cookie *http.Cookie) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", site+"/ajax.php?"+q, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, body
}

// obj is a decoded JSON object.
type obj = map[string]any

// kinds checks that o has each key with a value of its JSON kind
// ("string", "number", "bool", "array", "object").
func kinds(t *testing.T, what string, o obj, want map[string]string) {
	t.Helper()
	for k, kind := range want {
		v, ok := o[k]
		if !ok {
			t.Errorf("%s: no %q in %v", what, k, o)
			continue
		}
		got := "null"
		switch v.(type) {
		case string:
			got = "string"
		case float64:
			got = "number"
		case bool:
			got = "bool"
		case []any:
			got = "array"
		case obj:
			got = "object"
		}
		if got != kind {
			t.Errorf("%s: %q is %s (%v), want %s", what, k, got, v, kind)
		}
	}
}

func objs(v any) []obj {
	var out []obj
	for _, x := range v.([]any) {
		out = append(out, x.(obj))
	}
	return out
}

// Gazelle's ajax.php over the music catalogue, against the running
// system: a user's API token in each of the header forms OPS and our API
// accept; every action's fields and types as OPS documents them; browse
// filtered by each of Gazelle's parameters and grouped by album; the
// personal .torrent; refusals of a missing, bad, revoked or disabled
// account's token with their statuses; and the per-token rate limit.
func TestAjaxPHP(t *testing.T) {
	m := startDjembe(t)
	ctx, c := context.Background(), m.Commands()
	site, pool := m.WebURL(), m.Instance().Pool
	for _, u := range []commands.RegisterUser{{Name: "alice", Password: "alice's password"}, {Name: "bob", Password: "bob's password"}} {
		if _, err := c.RegisterUser(ctx, commands.Operator, u); err != nil {
			t.Fatal(err)
		}
	}
	testenv.Eventually(t, "alice and bob in the users read model", func() bool {
		var n int
		pool.QueryRow(ctx, `SELECT count(*) FROM users.users WHERE name IN ('alice', 'bob')`).Scan(&n)
		return n == 2
	})
	newToken := func(name, label string) commands.CreatedToken {
		t.Helper()
		tok, err := c.CreateToken(ctx, commands.Operator, name, label)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	tok := newToken("alice", "autobrr")
	auth := "token " + tok.Token

	// Two albums: one with three formats in two editions, one freeleech.
	mc := cmdmusic.New(c)
	upload := func(name string, in cmdmusic.Upload) cmdmusic.Uploaded {
		t.Helper()
		in.File, in.Uploader = testenv.TorrentFile(t, name, true), "alice"
		up, err := mc.Upload(ctx, commands.Operator, in)
		if err != nil {
			t.Fatalf("upload %s: %v", name, err)
		}
		return up
	}
	boc := upload("mhtrtc-flac", cmdmusic.Upload{
		Artists: []cmdmusic.ArtistCredit{{Name: "Boards of Canada", Role: music.RoleMain}, {Name: "Nightshade", Role: music.RoleGuest}},
		AlbumInfo: music.AlbumInfo{Title: "Music Has the Right to Children", Year: 1998, ReleaseType: music.TypeAlbum,
			Tags: []string{"electronic", "idm"}, Description: "Warp's finest."},
		ReleaseInfo: music.ReleaseInfo{Media: "CD", RecordLabel: "Warp", CatalogueNumber: "WARPCD55"},
		Format:      music.FormatInfo{Format: "FLAC", Encoding: "Lossless", HasLog: true, LogScore: 100, HasCue: true},
		Description: "EAC rip",
	})
	bocMP3 := upload("mhtrtc-320", cmdmusic.Upload{Album: boc.Album, Release: boc.Release,
		Format: music.FormatInfo{Format: "MP3", Encoding: "320"}})
	bocWeb := upload("mhtrtc-web", cmdmusic.Upload{Album: boc.Album,
		ReleaseInfo: music.ReleaseInfo{Year: 2013, EditionTitle: "Remaster", Media: "WEB", RecordLabel: "Warp"},
		Format:      music.FormatInfo{Format: "FLAC", Encoding: "24bit Lossless"}})
	saw := upload("saw-v0", cmdmusic.Upload{
		Artists: []cmdmusic.ArtistCredit{{Name: "Aphex Twin", Role: music.RoleMain}},
		AlbumInfo: music.AlbumInfo{Title: "Selected Ambient Works 85-92", Year: 1992, ReleaseType: music.TypeEP,
			Tags: []string{"ambient", "electronic"}},
		ReleaseInfo: music.ReleaseInfo{Media: "Vinyl", RecordLabel: "Apollo", CatalogueNumber: "AMB3922"},
		Format:      music.FormatInfo{Format: "MP3", Encoding: "V0 (VBR)"},
	})
	if _, err := c.SetTorrentFactors(ctx, commands.Operator, saw.InfoHash, domain.Factors{UploadPercent: 100, DownloadPercent: 0}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetTorrentFactors(ctx, commands.Operator, bocMP3.InfoHash, domain.Factors{}); err != nil { // neutral leech
		t.Fatal(err)
	}

	call := func(q string) obj {
		t.Helper()
		status, _, body := ajaxGet(t, site, auth, q, nil)
		var out obj
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatalf("%s: %d %q: %v", q, status, body, err)
		}
		if status != 200 || out["status"] != "success" {
			t.Fatalf("%s: %d %s", q, status, body)
		}
		kinds(t, q, out, map[string]string{"info": "object"})
		if action, _ := url.ParseQuery(q); action.Get("action") != "download" {
			sameShape(t, action.Get("action"), out)
		}
		return out["response"].(obj)
	}
	// gid and tid are an album's and a torrent's Gazelle ids, as the
	// answers' numbers print.
	gid := func(id uuid.UUID) string {
		t.Helper()
		al, err := readmusic.Album(ctx, pool, id)
		if err != nil {
			t.Fatal(err)
		}
		return strconv.Itoa(al.Num)
	}
	tid := func(h domain.InfoHash) string {
		t.Helper()
		album, err := readmusic.AlbumOfFormat(ctx, pool, h)
		if err != nil {
			t.Fatal(err)
		}
		al, err := readmusic.Album(ctx, pool, album)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range al.Formats() {
			if f.InfoHash == h {
				return strconv.Itoa(f.Num)
			}
		}
		t.Fatalf("no format %s", h)
		return ""
	}
	testenv.Eventually(t, "the four formats in the music read model, the freeleech and neutral ones as such", func() bool {
		res, err := readmusic.Browse(ctx, pool, readmusic.Filter{})
		n, free := 0, 0
		for _, al := range res.Albums {
			for _, f := range al.Formats() {
				n++
				if f.Freeleech {
					free++
				}
			}
		}
		return err == nil && n == 4 && free == 2 // the freeleech and the neutral one
	})

	t.Run("index", func(t *testing.T) {
		auth = "token " + newToken("alice", "index").Token // each subtest under the limit on its own token
		r := call("action=index")
		kinds(t, "index", r, map[string]string{"username": "string", "id": "number", "passkey": "string", "authkey": "string",
			"notifications": "object", "userstats": "object"})
		u, err := projections.ShowUser(ctx, pool, m.Instance().Secret, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if r["username"] != "alice" || r["passkey"] != u.Passkey || u.Passkey == "" {
			t.Errorf("index: %v (alice is %s, passkey %s)", r, u.ID, u.Passkey)
		}
		st := r["userstats"].(obj)
		kinds(t, "userstats", st, map[string]string{"uploaded": "number", "downloaded": "number", "ratio": "number",
			"requiredratio": "number", "class": "string", "bonusPoints": "number"})
		if st["class"] != "User" {
			t.Errorf("class %v", st["class"])
		}
	})

	t.Run("browse", func(t *testing.T) {
		auth = "token " + newToken("alice", "browse").Token // each subtest under the limit on its own token
		for _, tc := range []struct {
			q      string
			groups []string // groupIds in order
			nTor   int      // torrents over every group
		}{
			{"", []string{gid(saw.Album), gid(boc.Album)}, 4},
			{"searchstr=boards", []string{gid(boc.Album)}, 3},
			{"artistname=aphex", []string{gid(saw.Album)}, 1},
			{"artistname=nightshade", []string{gid(boc.Album)}, 3},
			{"groupname=ambient+works", []string{gid(saw.Album)}, 1},
			{"format=FLAC", []string{gid(boc.Album)}, 2},
			{"encoding=320", []string{gid(boc.Album)}, 1},
			{"media=Vinyl", []string{gid(saw.Album)}, 1},
			{"media=WEB&format=FLAC", []string{gid(boc.Album)}, 1},
			{"year=1990-1995", []string{gid(saw.Album)}, 1},
			{"year=2013", []string{gid(boc.Album)}, 1},
			{"releasetype=5", []string{gid(saw.Album)}, 1},
			{"recordlabel=warp", []string{gid(boc.Album)}, 3},
			{"cataloguenumber=WARPCD55", []string{gid(boc.Album)}, 2},
			{"haslog=1", []string{gid(boc.Album)}, 1},
			{"hascue=1&haslog=1", []string{gid(boc.Album)}, 1},
			{"scene=1", nil, 0},
			{"taglist=ambient", []string{gid(saw.Album)}, 1},
			{"taglist=idm,ambient&tags_type=0&order_by=year&order_way=asc", []string{gid(saw.Album), gid(boc.Album)}, 4},
			{"taglist=idm,ambient&tags_type=1", nil, 0},
			{"order_by=year&order_way=desc", []string{gid(boc.Album), gid(saw.Album)}, 4},
			{"order_by=name&order_way=asc", []string{gid(boc.Album), gid(saw.Album)}, 4},
			{"page=2", nil, 0},
			{"freetorrent=1", []string{gid(saw.Album)}, 1},
			{"freetorrent=2", []string{gid(boc.Album)}, 1},
			{"freetorrent=3", []string{gid(saw.Album), gid(boc.Album)}, 2},
			{"freetorrent=3&searchstr=boards", []string{gid(boc.Album)}, 1},
		} {
			r := call("action=browse&" + tc.q)
			kinds(t, tc.q, r, map[string]string{"currentPage": "number", "pages": "number", "results": "array"})
			var got []string
			n := 0
			for _, g := range objs(r["results"]) {
				got = append(got, idString(g["groupId"]))
				n += len(g["torrents"].([]any))
			}
			if strings.Join(got, ",") != strings.Join(tc.groups, ",") || n != tc.nTor {
				t.Errorf("browse %q: groups %v with %d torrents, want %v with %d", tc.q, got, n, tc.groups, tc.nTor)
			}
		}
		r := call("action=browse&searchstr=boards")
		g := objs(r["results"])[0]
		kinds(t, "group", g, map[string]string{"groupId": "number", "groupName": "string", "artist": "string", "groupYear": "number",
			"releaseType": "string", "tags": "array", "groupTime": "number", "maxSize": "number", "totalSeeders": "number",
			"totalLeechers": "number", "totalSnatched": "number", "torrents": "array"})
		if g["groupName"] != "Music Has the Right to Children" || g["artist"] != "Boards of Canada" || g["groupYear"] != 1998.0 || g["releaseType"] != "Album" {
			t.Errorf("group: %v", g)
		}
		seen := map[string]obj{}
		for _, tr := range objs(g["torrents"]) {
			kinds(t, "torrent", tr, map[string]string{"torrentId": "number", "editionId": "number", "artists": "array", "media": "string",
				"format": "string", "encoding": "string", "size": "number", "seeders": "number", "leechers": "number", "snatches": "number",
				"isFreeleech": "bool", "isNeutralLeech": "bool", "hasLog": "bool", "hasCue": "bool", "logScore": "number", "scene": "bool",
				"fileCount": "number", "time": "string", "remastered": "bool", "remasterYear": "number", "remasterTitle": "string"})
			seen[idString(tr["torrentId"])] = tr
		}
		flac, web := seen[tid(boc.InfoHash)], seen[tid(bocWeb.InfoHash)]
		if flac == nil || web == nil || seen[tid(bocMP3.InfoHash)] == nil {
			t.Fatalf("torrents of the group: %v", seen)
		}
		if flac["media"] != "CD" || flac["format"] != "FLAC" || flac["encoding"] != "Lossless" || flac["hasLog"] != true ||
			flac["logScore"] != 100.0 || flac["isFreeleech"] != false || flac["remastered"] != false || flac["size"].(float64) <= 0 ||
			flac["fileCount"].(float64) < 1 || flac["editionId"] != 1.0 {
			t.Errorf("the FLAC: %v", flac)
		}
		if web["media"] != "WEB" || web["remastered"] != true || web["remasterYear"] != 2013.0 || web["remasterTitle"] != "Remaster" || web["editionId"] != 2.0 {
			t.Errorf("the WEB edition: %v", web)
		}
		if mp3 := seen[tid(bocMP3.InfoHash)]; mp3["isNeutralLeech"] != true || mp3["isFreeleech"] != false {
			t.Errorf("the neutral MP3: %v", mp3)
		}
		r = call("action=browse&media=Vinyl")
		if tr := objs(objs(r["results"])[0]["torrents"])[0]; tr["isFreeleech"] != true || idString(tr["torrentId"]) != tid(saw.InfoHash) {
			t.Errorf("the freeleech: %v", tr)
		}
		for _, bad := range []string{"format=WAV", "order_by=bogus", "page=0", "haslog=maybe", "year=soon", "releasetype=opera", "freetorrent=yes"} {
			status, _, body := ajaxGet(t, site, auth, "action=browse&"+bad, nil)
			var out obj
			json.Unmarshal(body, &out)
			if status != 200 || out["status"] != "failure" || out["error"] == "" || out["error"] == nil {
				t.Errorf("browse %s: %d %s", bad, status, body)
			}
		}
	})

	checkGroup := func(t *testing.T, g obj) {
		t.Helper()
		kinds(t, "group", g, map[string]string{"id": "number", "name": "string", "year": "number", "recordLabel": "string",
			"catalogueNumber": "string", "releaseType": "number", "categoryId": "number", "categoryName": "string", "time": "string",
			"wikiBody": "string", "wikiImage": "string", "musicInfo": "object", "tags": "array"})
		if idString(g["id"]) != gid(boc.Album) || g["releaseType"] != float64(music.TypeAlbum) || g["recordLabel"] != "Warp" || g["categoryName"] != "Music" {
			t.Errorf("group: %v", g)
		}
		mi := g["musicInfo"].(obj)
		for _, k := range []string{"artists", "with", "remixedBy", "composers", "conductor", "dj", "producer", "arranger"} {
			if _, ok := mi[k].([]any); !ok {
				t.Errorf("musicInfo has no list %q: %v", k, mi)
			}
		}
		if a := objs(mi["artists"]); len(a) != 1 || a[0]["name"] != "Boards of Canada" {
			t.Errorf("musicInfo.artists: %v", mi["artists"])
		}
		if w := objs(mi["with"]); len(w) != 1 || w[0]["name"] != "Nightshade" {
			t.Errorf("musicInfo.with: %v", mi["with"])
		}
	}
	torrentKinds := map[string]string{"id": "number", "media": "string", "format": "string", "encoding": "string", "remastered": "bool",
		"remasterYear": "number", "remasterTitle": "string", "remasterRecordLabel": "string", "remasterCatalogueNumber": "string",
		"scene": "bool", "hasLog": "bool", "hasCue": "bool", "logScore": "number", "fileCount": "number", "size": "number",
		"seeders": "number", "leechers": "number", "snatched": "number", "freeTorrent": "bool", "time": "string",
		"description": "string", "fileList": "string", "filePath": "string", "userId": "number", "username": "string"}

	t.Run("torrentgroup", func(t *testing.T) {
		auth = "token " + newToken("alice", "torrentgroup").Token // each subtest under the limit on its own token
		for _, q := range []string{"id=" + gid(boc.Album), "hash=" + strings.ToUpper(bocMP3.InfoHash.String())} {
			r := call("action=torrentgroup&" + q)
			checkGroup(t, r["group"].(obj))
			ts := objs(r["torrents"])
			if len(ts) != 3 {
				t.Fatalf("torrentgroup %s: %d torrents", q, len(ts))
			}
			for _, tr := range ts {
				kinds(t, "torrent", tr, torrentKinds)
			}
			if idString(ts[0]["id"]) != tid(boc.InfoHash) || ts[0]["description"] != "EAC rip" || ts[0]["username"] != "alice" ||
				!strings.Contains(ts[0]["fileList"].(string), "{{{") {
				t.Errorf("first torrent: %v", ts[0])
			}
		}
	})

	t.Run("torrent", func(t *testing.T) {
		auth = "token " + newToken("alice", "torrent").Token // each subtest under the limit on its own token
		for _, q := range []string{"id=" + tid(boc.InfoHash), "hash=" + strings.ToUpper(boc.InfoHash.String()), "hash=" + boc.InfoHash.String()} {
			r := call("action=torrent&" + q)
			checkGroup(t, r["group"].(obj))
			tr := r["torrent"].(obj)
			kinds(t, "torrent", tr, torrentKinds)
			if idString(tr["id"]) != tid(boc.InfoHash) || tr["format"] != "FLAC" || tr["hasCue"] != true {
				t.Errorf("torrent %s: %v", q, tr)
			}
		}
	})

	t.Run("artist", func(t *testing.T) {
		auth = "token " + newToken("alice", "artist").Token // each subtest under the limit on its own token
		byName := call("action=artist&artistname=" + url.QueryEscape("boards of canada"))
		id := idString(byName["id"])
		byID := call("action=artist&id=" + id)
		for _, r := range []obj{byName, byID} {
			kinds(t, "artist", r, map[string]string{"id": "number", "name": "string", "image": "string", "body": "string", "tags": "array",
				"similarArtists": "array", "statistics": "object", "torrentgroup": "array", "requests": "array"})
			if r["name"] != "Boards of Canada" {
				t.Errorf("artist: %v", r)
			}
			if st := r["statistics"].(obj); st["numGroups"] != 1.0 || st["numTorrents"] != 3.0 {
				t.Errorf("statistics: %v", st)
			}
			gs := objs(r["torrentgroup"])
			if len(gs) != 1 {
				t.Fatalf("torrentgroup: %v", gs)
			}
			kinds(t, "artist group", gs[0], map[string]string{"groupId": "number", "groupName": "string", "groupYear": "number",
				"groupRecordLabel": "string", "groupCatalogueNumber": "string", "tags": "array", "releaseType": "number", "torrent": "array"})
			if idString(gs[0]["groupId"]) != gid(boc.Album) || len(gs[0]["torrent"].([]any)) != 3 {
				t.Errorf("artist group: %v", gs[0])
			}
			kinds(t, "artist torrent", objs(gs[0]["torrent"])[0], map[string]string{"id": "number", "groupId": "number", "media": "string",
				"format": "string", "encoding": "string", "size": "number", "seeders": "number", "snatched": "number", "freeTorrent": "bool", "time": "string"})
		}
		// The guest's page lists the album; artistreleases keeps the main artist's only.
		guest := call("action=artist&artistname=Nightshade")
		if len(guest["torrentgroup"].([]any)) != 1 {
			t.Errorf("guest: %v", guest["torrentgroup"])
		}
		if gs := call("action=artist&artistreleases=1&artistname=Nightshade")["torrentgroup"].([]any); len(gs) != 0 {
			t.Errorf("artistreleases: %v", gs)
		}
		for _, bad := range []string{"artistname=Nobody+At+All", "id=42", "id=0", "id=-1", "id=" + boc.Album.String()} {
			status, _, body := ajaxGet(t, site, auth, "action=artist&"+bad, nil)
			if status != 200 || !strings.Contains(string(body), `"status":"failure"`) {
				t.Errorf("artist %s: %d %s", bad, status, body)
			}
		}
	})

	t.Run("download", func(t *testing.T) {
		auth = "token " + newToken("alice", "download").Token // each subtest under the limit on its own token
		status, h, body := ajaxGet(t, site, auth, "action=download&id="+tid(saw.InfoHash), nil)
		if status != 200 || h.Get("Content-Type") != "application/x-bittorrent" || !strings.Contains(h.Get("Content-Disposition"), ".torrent") {
			t.Fatalf("download: %d %v %q", status, h, body[:min(len(body), 200)])
		}
		mi, err := metainfo.Load(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		info, err := mi.UnmarshalInfo()
		if err != nil {
			t.Fatal(err)
		}
		u, _ := projections.ShowUser(ctx, pool, m.Instance().Secret, "alice")
		if !strings.Contains(mi.Announce, u.Passkey) || info.Private == nil || !*info.Private {
			t.Errorf("announce %q (passkey %s), private %v", mi.Announce, u.Passkey, info.Private)
		}
		if mi.HashInfoBytes().HexString() != saw.InfoHash.String() {
			t.Errorf("info hash %s", mi.HashInfoBytes().HexString())
		}
		for _, bad := range []string{"id=", "id=nothex", "id=" + saw.InfoHash.String(), "id=99999", "hash=" + strings.Repeat("ab", 20), "hash=short"} {
			status, h, body := ajaxGet(t, site, auth, "action=download&"+bad, nil)
			if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") || !strings.Contains(string(body), `"status":"failure"`) {
				t.Errorf("download %s: %d %s", bad, status, body)
			}
		}
	})

	t.Run("credentials", func(t *testing.T) {
		revoked := newToken("alice", "old")
		if err := c.RevokeToken(ctx, commands.Operator, "alice", revoked.ID); err != nil {
			t.Fatal(err)
		}
		bobs := newToken("bob", "box")
		if _, err := c.DisableUser(ctx, commands.Operator, "bob", "testing"); err != nil {
			t.Fatal(err)
		}
		testenv.Eventually(t, "bob disabled in the read model", func() bool {
			var disabled bool
			pool.QueryRow(ctx, `SELECT disabled FROM users.users WHERE name = 'bob'`).Scan(&disabled)
			return disabled
		})
		session := &http.Cookie{Name: web.SessionCookieName, Value: sessionFor(t, m, userID(t, pool, "alice"))}
		for _, tc := range []struct {
			name, auth, q string
			cookie        *http.Cookie
			status        int
			errorHas      string // "" for success
		}{
			{"token form", "token " + tok.Token, "action=index", nil, 200, ""},
			{"bare token", tok.Token, "action=index", nil, 200, ""},
			{"bearer", "Bearer " + tok.Token, "action=index", nil, 200, ""},
			{"no token", "", "action=index", nil, 401, "bad credentials"},
			{"a session is not enough", "", "action=index", session, 401, "bad credentials"},
			{"another scheme", "Basic " + tok.Token, "action=index", nil, 401, "invalid authorization type"},
			{"unknown token", "token " + strings.Repeat("x", len(tok.Token)), "action=index", nil, 401, "invalid token"},
			{"revoked token", "token " + revoked.Token, "action=index", nil, 401, "invalid token"},
			{"disabled account", "token " + bobs.Token, "action=index", nil, 403, ""},
			{"unknown action", auth, "action=top10", nil, 200, "bad parameters"},
			{"no action", auth, "", nil, 200, "bad parameters"},
		} {
			status, h, body := ajaxGet(t, site, tc.auth, tc.q, tc.cookie)
			var out obj
			if err := json.Unmarshal(body, &out); err != nil || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				t.Errorf("%s: not JSON: %q (%v)", tc.name, body, err)
				continue
			}
			wantStatus := "failure"
			if tc.status == 200 && tc.errorHas == "" {
				wantStatus = "success"
			}
			msg, _ := out["error"].(string)
			if status != tc.status || out["status"] != wantStatus || (wantStatus == "failure" && (msg == "" || !strings.Contains(msg, tc.errorHas))) {
				t.Errorf("%s: %d %s, want %d %s %q", tc.name, status, body, tc.status, wantStatus, tc.errorHas)
			}
		}
	})

	t.Run("rate limit", func(t *testing.T) {
		burst := "token " + newToken("alice", "burst").Token
		for i := range webmusic.AjaxLimit {
			if status, _, body := ajaxGet(t, site, burst, "action=nothing", nil); status != 200 {
				t.Fatalf("request %d: %d %s", i+1, status, body)
			}
		}
		status, h, body := ajaxGet(t, site, burst, "action=index", nil)
		if status != http.StatusTooManyRequests || h.Get("Retry-After") == "" || !strings.Contains(string(body), `"status":"failure"`) {
			t.Errorf("over the limit: %d %v %s", status, h, body)
		}
		// Another token of the same user has its own count.
		if status, _, body := ajaxGet(t, site, auth, "action=index", nil); status != 200 {
			t.Errorf("another token: %d %s", status, body)
		}
	})
}

// idString is a JSON number id as the digits gid and tid give.
func idString(v any) string {
	f, _ := v.(float64)
	return strconv.FormatFloat(f, 'f', -1, 64)
}
