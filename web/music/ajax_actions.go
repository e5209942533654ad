package music

import (
	"encoding/binary"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/projections"
	readmusic "github.com/djembe/djembe/projections/music"
	"github.com/google/uuid"
)

// gazelleTime is how Gazelle writes a time ("2012-04-14 15:57:00", UTC).
func gazelleTime(t time.Time) string { return t.UTC().Format(time.DateTime) }

// --- index ---

type ajaxIndex struct {
	Username      string            `json:"username"`
	ID            int               `json:"id"` // userNum
	Authkey       string            `json:"authkey"`
	Passkey       string            `json:"passkey"`
	Notifications ajaxNotifications `json:"notifications"`
	UserStats     ajaxUserStats     `json:"userstats"`
}

type ajaxNotifications struct {
	Messages        int  `json:"messages"`
	Notifications   int  `json:"notifications"`
	NewAnnouncement bool `json:"newAnnouncement"`
	NewBlog         bool `json:"newBlog"`
}

type ajaxUserStats struct {
	Uploaded           uint64  `json:"uploaded"`
	Downloaded         uint64  `json:"downloaded"`
	Ratio              float64 `json:"ratio"`
	RequiredRatio      float64 `json:"requiredratio"`
	BonusPoints        int     `json:"bonusPoints"`
	BonusPointsPerHour float64 `json:"bonusPointsPerHour"`
	Class              string  `json:"class"`
}

// ratioNumber is a ratio as a JSON number, two decimals as Gazelle rounds;
// with nothing downloaded 0, as Gazelle's (float)"∞".
func ratioNumber(r domain.Ratio) float64 {
	if r.Infinite() || r != r {
		return 0
	}
	return float64(int64(float64(r)*100)) / 100
}

func (a *ajax) index(w http.ResponseWriter, r *http.Request) {
	u := ajaxUser(r)
	ctx := r.Context()
	row, err := projections.ShowUser(ctx, a.s.Pool(), a.s.Secret(), u.Name)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	st, err := projections.UserStanding(ctx, a.s.Pool(), nil, u.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ajaxSuccess(w, ajaxIndex{Username: row.Name, ID: userNum(row.ID), Passkey: row.Passkey,
		UserStats: ajaxUserStats{Uploaded: st.Uploaded, Downloaded: st.Downloaded, Ratio: ratioNumber(st.Ratio),
			RequiredRatio: ratioNumber(st.Required), Class: row.Class.String()}})
}

// --- browse ---

type ajaxBrowse struct {
	CurrentPage int              `json:"currentPage"`
	Pages       int              `json:"pages"`
	Results     []ajaxBrowseItem `json:"results"`
}

type ajaxBrowseItem struct {
	GroupID       int                 `json:"groupId"`
	GroupName     string              `json:"groupName"`
	Artist        string              `json:"artist"`
	Cover         string              `json:"cover"`
	Tags          []string            `json:"tags"`
	Bookmarked    bool                `json:"bookmarked"`
	VanityHouse   bool                `json:"vanityHouse"`
	GroupYear     int                 `json:"groupYear"`
	ReleaseType   string              `json:"releaseType"` // the name, as Gazelle's browse
	GroupTime     int64               `json:"groupTime"`   // the newest format's, Unix seconds
	MaxSize       int64               `json:"maxSize"`
	TotalSnatched int                 `json:"totalSnatched"`
	TotalSeeders  int                 `json:"totalSeeders"`
	TotalLeechers int                 `json:"totalLeechers"`
	Torrents      []ajaxBrowseTorrent `json:"torrents"`
}

type ajaxArtistRef struct {
	ID      int    `json:"id"`
	Name    string `json:"name"`
	AliasID int    `json:"aliasid"` // the artist's id: aliases have none of their own
}

type ajaxBrowseTorrent struct {
	TorrentID               int             `json:"torrentId"`
	EditionID               int             `json:"editionId"` // the edition's place in the group, from 1
	Artists                 []ajaxArtistRef `json:"artists"`
	Remastered              bool            `json:"remastered"`
	RemasterYear            int             `json:"remasterYear"`
	RemasterCatalogueNumber string          `json:"remasterCatalogueNumber"`
	RemasterTitle           string          `json:"remasterTitle"`
	Media                   string          `json:"media"`
	Encoding                string          `json:"encoding"`
	Format                  string          `json:"format"`
	HasLog                  bool            `json:"hasLog"`
	LogScore                int             `json:"logScore"`
	HasCue                  bool            `json:"hasCue"`
	Scene                   bool            `json:"scene"`
	VanityHouse             bool            `json:"vanityHouse"`
	FileCount               int             `json:"fileCount"`
	Time                    string          `json:"time"`
	Size                    int64           `json:"size"`
	Snatches                int             `json:"snatches"`
	Seeders                 int             `json:"seeders"`
	Leechers                int             `json:"leechers"`
	IsFreeleech             bool            `json:"isFreeleech"`
	IsNeutralLeech          bool            `json:"isNeutralLeech"`
	IsPersonalFreeleech     bool            `json:"isPersonalFreeleech"`
	CanUseToken             bool            `json:"canUseToken"`
}

// artistLine is how Gazelle names a group's artists in one string: one
// main artist, "A & B" for two, "Various Artists" for more.
func artistLine(al readmusic.AlbumRow) string {
	main := albumView{al}.MainArtists()
	switch len(main) {
	case 0:
		return ""
	case 1:
		return main[0].Name
	case 2:
		return main[0].Name + " & " + main[1].Name
	}
	return "Various Artists"
}

// edition is what Gazelle says of a format's edition.
type edition struct {
	remastered                     bool
	year                           int
	title, label, catalogue, media string
}

// editionOf describes release rel of album al as Gazelle's remaster
// fields: remastered when the edition has a year or title of its own.
func editionOf(al readmusic.AlbumRow, rel readmusic.ReleaseRow) edition {
	e := edition{title: rel.EditionTitle, label: rel.RecordLabel, catalogue: rel.CatalogueNumber, media: rel.Media}
	if (rel.Year != 0 && rel.Year != al.Year) || rel.EditionTitle != "" {
		e.remastered = true
		e.year = rel.Year
		if e.year == 0 {
			e.year = al.Year
		}
	}
	return e
}

// catalogOf reads the catalog's row of h (file count, files, description,
// uploader, factors), one query per format; a failure leaves it empty (the
// format is listed without them) and is logged.
func (a *ajax) catalogOf(r *http.Request, h domain.InfoHash) projections.CatalogRow {
	c, err := projections.CatalogTorrent(r.Context(), a.s.Pool(), h)
	if err != nil {
		a.s.Logger().Warn("ajax: catalog row", "info_hash", h.String(), "err", err)
		c.Factors = domain.Factors{UploadPercent: 100, DownloadPercent: 100} // not known: not shown as neutral
	}
	return c
}

func (a *ajax) browse(w http.ResponseWriter, r *http.Request) {
	f, err := parseFilter(r.URL.Query())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	keep, ok := freeTorrentParam(r.URL.Query().Get("freetorrent"))
	if !ok {
		ajaxFailure(w, http.StatusOK, "freetorrent is 1 (freeleech), 2 (neutral leech) or 3 (either)")
		return
	}
	res, err := readmusic.Browse(r.Context(), a.s.Pool(), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := ajaxBrowse{CurrentPage: max(res.Page, 1), Pages: res.Pages, Results: []ajaxBrowseItem{}}
	for _, al := range res.Albums {
		item := ajaxBrowseItem{GroupID: al.Num, GroupName: al.Title, Artist: artistLine(al), Cover: al.CoverURL,
			Tags: nonNil(al.Tags), GroupYear: al.Year, ReleaseType: al.ReleaseType.String(), Torrents: []ajaxBrowseTorrent{}}
		var artists []ajaxArtistRef
		for _, c := range (albumView{al}).MainArtists() {
			artists = append(artists, ajaxArtistRef{ID: c.Num, Name: c.Name, AliasID: c.Num})
		}
		for i, rel := range al.Releases {
			e := editionOf(al, rel)
			for _, fr := range rel.Formats {
				c := a.catalogOf(r, fr.InfoHash)
				if !keep(freeleech(fr, c), neutral(c.Factors)) {
					continue
				}
				item.Torrents = append(item.Torrents, ajaxBrowseTorrent{TorrentID: fr.Num, EditionID: i + 1,
					Artists: nonNil(artists), Remastered: e.remastered, RemasterYear: e.year, RemasterCatalogueNumber: e.catalogue,
					RemasterTitle: e.title, Media: e.media, Encoding: fr.Encoding, Format: fr.Format, HasLog: fr.HasLog,
					LogScore: fr.LogScore, HasCue: fr.HasCue, Scene: fr.Scene, FileCount: c.FileCount, Time: gazelleTime(fr.AddedAt),
					Size: fr.Size, Snatches: fr.Snatches, Seeders: fr.Seeders, Leechers: fr.Leechers, IsFreeleech: freeleech(fr, c),
					IsNeutralLeech: neutral(c.Factors), CanUseToken: false})
				item.MaxSize = max(item.MaxSize, fr.Size)
				item.TotalSnatched += fr.Snatches
				item.TotalSeeders += fr.Seeders
				item.TotalLeechers += fr.Leechers
				item.GroupTime = max(item.GroupTime, fr.AddedAt.Unix())
			}
		}
		if len(item.Torrents) > 0 {
			out.Results = append(out.Results, item)
		}
	}
	ajaxSuccess(w, out)
}

// freeTorrentParam reads Gazelle's freetorrent: 1 keeps freeleech
// torrents, 2 neutral leech ones, 3 either; empty keeps all. The read
// model does not filter on it, so it narrows each page after the search:
// a page may list fewer groups, and pages counts the unfiltered groups.
func freeTorrentParam(v string) (keep func(free, neutral bool) bool, ok bool) {
	switch strings.TrimSpace(v) {
	case "":
		return func(bool, bool) bool { return true }, true
	case "1":
		return func(free, _ bool) bool { return free }, true
	case "2":
		return func(_, neutral bool) bool { return neutral }, true
	case "3":
		return func(free, neutral bool) bool { return free || neutral }, true
	}
	return nil, false
}

// freeleech reports a format whose download is not counted but whose
// upload is (a neutral one is Gazelle's isNeutralLeech, not freeleech).
func freeleech(fr readmusic.FormatRow, c projections.CatalogRow) bool {
	return fr.Freeleech && !neutral(c.Factors)
}

// neutral reports a torrent whose transfer counts neither way.
func neutral(f domain.Factors) bool { return f.UploadPercent == 0 && f.DownloadPercent == 0 }

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// --- torrentgroup and torrent ---

type ajaxGroup struct {
	WikiBody        string                   `json:"wikiBody"`
	WikiBBcode      string                   `json:"wikiBBcode"`
	WikiImage       string                   `json:"wikiImage"`
	ProxyImage      string                   `json:"proxyImage"`
	ID              int                      `json:"id"`
	Name            string                   `json:"name"`
	Year            int                      `json:"year"`
	RecordLabel     string                   `json:"recordLabel"`
	CatalogueNumber string                   `json:"catalogueNumber"`
	ReleaseType     int                      `json:"releaseType"`
	CategoryID      int                      `json:"categoryId"`
	CategoryName    string                   `json:"categoryName"`
	Time            string                   `json:"time"`
	VanityHouse     bool                     `json:"vanityHouse"`
	IsBookmarked    bool                     `json:"isBookmarked"`
	Tags            []string                 `json:"tags"`
	MusicInfo       map[string][]ajaxNameRef `json:"musicInfo"`
}

type ajaxNameRef struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

type ajaxTorrent struct {
	ID                      int    `json:"id"`
	InfoHash                string `json:"infoHash"`
	Media                   string `json:"media"`
	Format                  string `json:"format"`
	Encoding                string `json:"encoding"`
	Remastered              bool   `json:"remastered"`
	RemasterYear            int    `json:"remasterYear"`
	RemasterTitle           string `json:"remasterTitle"`
	RemasterRecordLabel     string `json:"remasterRecordLabel"`
	RemasterCatalogueNumber string `json:"remasterCatalogueNumber"`
	Scene                   bool   `json:"scene"`
	HasLog                  bool   `json:"hasLog"`
	HasCue                  bool   `json:"hasCue"`
	LogScore                int    `json:"logScore"`
	FileCount               int    `json:"fileCount"`
	Size                    int64  `json:"size"`
	Seeders                 int    `json:"seeders"`
	Leechers                int    `json:"leechers"`
	Snatched                int    `json:"snatched"`
	FreeTorrent             bool   `json:"freeTorrent"`
	IsNeutralLeech          bool   `json:"isNeutralLeech"`
	Time                    string `json:"time"`
	Description             string `json:"description"`
	FileList                string `json:"fileList"`
	FilePath                string `json:"filePath"`
	UserID                  int    `json:"userId"` // userNum of the uploader
	Username                string `json:"username"`
}

type ajaxTorrentGroup struct {
	Group    ajaxGroup     `json:"group"`
	Torrents []ajaxTorrent `json:"torrents"`
}

type ajaxTorrentOne struct {
	Group   ajaxGroup   `json:"group"`
	Torrent ajaxTorrent `json:"torrent"`
}

// groupOf is album al as Gazelle's "group": its label and catalogue
// number are its first edition's (ours belong to editions), its time its
// newest format's, and musicInfo has every role's list, empty or not.
func groupOf(al readmusic.AlbumRow) ajaxGroup {
	g := ajaxGroup{WikiBody: al.Description, WikiBBcode: al.Description, WikiImage: al.CoverURL, ID: al.Num,
		Name: al.Title, Year: al.Year, ReleaseType: int(al.ReleaseType), CategoryID: 1, CategoryName: "Music",
		Tags: nonNil(al.Tags), MusicInfo: map[string][]ajaxNameRef{}}
	if len(al.Releases) > 0 {
		g.RecordLabel, g.CatalogueNumber = al.Releases[0].RecordLabel, al.Releases[0].CatalogueNumber
	}
	var newest time.Time
	for _, f := range al.Formats() {
		if f.AddedAt.After(newest) {
			newest = f.AddedAt
		}
	}
	if !newest.IsZero() {
		g.Time = gazelleTime(newest)
	}
	for _, role := range music.Roles {
		list := []ajaxNameRef{}
		for _, c := range al.Artists(role) {
			list = append(list, ajaxNameRef{ID: c.Num, Name: c.Name})
		}
		g.MusicInfo[role.Key()] = list
	}
	return g
}

// fileList is Gazelle's "name{{{size}}}|||name{{{size}}}".
func fileList(files []domain.TorrentFile) string {
	parts := make([]string, len(files))
	for i, f := range files {
		parts[i] = f.Path + "{{{" + strconv.FormatInt(f.Length, 10) + "}}}"
	}
	return strings.Join(parts, "|||")
}

// torrentOf is format fr of edition rel of album al as Gazelle's torrent.
func (a *ajax) torrentOf(r *http.Request, al readmusic.AlbumRow, rel readmusic.ReleaseRow, fr readmusic.FormatRow) ajaxTorrent {
	e := editionOf(al, rel)
	c := a.catalogOf(r, fr.InfoHash)
	t := ajaxTorrent{ID: fr.Num, InfoHash: strings.ToUpper(fr.InfoHash.String()), Media: e.media, Format: fr.Format,
		Encoding: fr.Encoding, Remastered: e.remastered, RemasterYear: e.year, RemasterTitle: e.title,
		RemasterRecordLabel: e.label, RemasterCatalogueNumber: e.catalogue, Scene: fr.Scene, HasLog: fr.HasLog, HasCue: fr.HasCue,
		LogScore: fr.LogScore, FileCount: c.FileCount, Size: fr.Size, Seeders: fr.Seeders, Leechers: fr.Leechers,
		Snatched: fr.Snatches, FreeTorrent: freeleech(fr, c), IsNeutralLeech: neutral(c.Factors), Time: gazelleTime(fr.AddedAt),
		Description: c.Description, FileList: fileList(c.Files), Username: c.UploaderName}
	if c.Uploader != uuid.Nil {
		t.UserID = userNum(c.Uploader)
	}
	if len(c.Files) > 1 {
		t.FilePath = c.Name // the torrent's folder, as Gazelle's
	}
	return t
}

// numParam is the request's id, Gazelle's positive integer; ok is false,
// with the failure answered, for a missing or malformed one.
func numParam(w http.ResponseWriter, r *http.Request) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(r.URL.Query().Get("id")))
	if err != nil || n <= 0 {
		ajaxFailure(w, http.StatusOK, "bad id parameter")
		return 0, false
	}
	return n, true
}

// found answers a lookup's failure: not found is Gazelle's "bad id
// parameter", anything else a.fail; ok when err is nil.
func (a *ajax) found(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case err == nil:
		return true
	case domain.KindOf(err) == domain.KindNotFound:
		ajaxFailure(w, http.StatusOK, "bad id parameter")
	default:
		a.fail(w, r, err)
	}
	return false
}

// torrentParam is the torrent the request names by id (Gazelle's torrent
// id) or hash (its info hash, in any case), which must be a format of the
// music catalogue, with its album.
func (a *ajax) torrentParam(w http.ResponseWriter, r *http.Request) (h domain.InfoHash, album uuid.UUID, ok bool) {
	var err error
	if s := strings.TrimSpace(r.URL.Query().Get("hash")); r.URL.Query().Get("id") == "" && s != "" {
		if h, err = domain.ParseInfoHash(strings.ToLower(s)); err != nil {
			ajaxFailure(w, http.StatusOK, "bad hash parameter")
			return h, album, false
		}
	} else {
		n, ok := numParam(w, r)
		if !ok {
			return h, album, false
		}
		if h, err = readmusic.FormatByNum(r.Context(), a.s.Pool(), n); !a.found(w, r, err) {
			return h, album, false
		}
	}
	album, err = readmusic.AlbumOfFormat(r.Context(), a.s.Pool(), h)
	return h, album, a.found(w, r, err)
}

func (a *ajax) torrentGroup(w http.ResponseWriter, r *http.Request) {
	var id uuid.UUID
	if r.URL.Query().Get("id") == "" && r.URL.Query().Get("hash") != "" {
		var ok bool
		if _, id, ok = a.torrentParam(w, r); !ok {
			return
		}
	} else {
		n, ok := numParam(w, r)
		if !ok {
			return
		}
		var err error
		if id, err = readmusic.AlbumByNum(r.Context(), a.s.Pool(), n); !a.found(w, r, err) {
			return
		}
	}
	al, err := readmusic.Album(r.Context(), a.s.Pool(), id)
	if !a.found(w, r, err) {
		return
	}
	out := ajaxTorrentGroup{Group: groupOf(al), Torrents: []ajaxTorrent{}}
	for _, rel := range al.Releases {
		for _, fr := range rel.Formats {
			out.Torrents = append(out.Torrents, a.torrentOf(r, al, rel, fr))
		}
	}
	ajaxSuccess(w, out)
}

func (a *ajax) torrent(w http.ResponseWriter, r *http.Request) {
	h, id, ok := a.torrentParam(w, r)
	if !ok {
		return
	}
	al, err := readmusic.Album(r.Context(), a.s.Pool(), id)
	if !a.found(w, r, err) {
		return
	}
	for _, rel := range al.Releases {
		for _, fr := range rel.Formats {
			if fr.InfoHash == h {
				ajaxSuccess(w, ajaxTorrentOne{Group: groupOf(al), Torrent: a.torrentOf(r, al, rel, fr)})
				return
			}
		}
	}
	ajaxFailure(w, http.StatusOK, "bad id parameter") // deleted: the album no longer lists it
}

// --- artist ---

type ajaxArtist struct {
	ID                   int               `json:"id"`
	Name                 string            `json:"name"`
	NotificationsEnabled bool              `json:"notificationsEnabled"`
	HasBookmarked        bool              `json:"hasBookmarked"`
	Image                string            `json:"image"`
	Body                 string            `json:"body"`
	VanityHouse          bool              `json:"vanityHouse"`
	Tags                 []ajaxTagCount    `json:"tags"`
	SimilarArtists       []ajaxSimilar     `json:"similarArtists"`
	Statistics           ajaxArtistStats   `json:"statistics"`
	TorrentGroup         []ajaxArtistGroup `json:"torrentgroup"`
	Requests             []any             `json:"requests"`
}

type ajaxTagCount struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

type ajaxSimilar struct {
	ArtistID  int    `json:"artistId"`
	Name      string `json:"name"`
	Score     int    `json:"score"`
	SimilarID int    `json:"similarId"`
}

type ajaxArtistStats struct {
	NumGroups   int `json:"numGroups"`
	NumTorrents int `json:"numTorrents"`
	NumSeeders  int `json:"numSeeders"`
	NumLeechers int `json:"numLeechers"`
	NumSnatches int `json:"numSnatches"`
}

type ajaxArtistGroup struct {
	GroupID              int                      `json:"groupId"`
	GroupName            string                   `json:"groupName"`
	GroupYear            int                      `json:"groupYear"`
	GroupRecordLabel     string                   `json:"groupRecordLabel"`
	GroupCatalogueNumber string                   `json:"groupCatalogueNumber"`
	Tags                 []string                 `json:"tags"`
	ReleaseType          int                      `json:"releaseType"`
	GroupVanityHouse     bool                     `json:"groupVanityHouse"`
	HasBookmarked        bool                     `json:"hasBookmarked"`
	Artists              []ajaxNameRef            `json:"artists"`
	ExtendedArtists      map[string][]ajaxNameRef `json:"extendedArtists"`
	Torrent              []ajaxArtistTorrent      `json:"torrent"`
}

type ajaxArtistTorrent struct {
	ID                  int    `json:"id"`
	GroupID             int    `json:"groupId"`
	Media               string `json:"media"`
	Format              string `json:"format"`
	Encoding            string `json:"encoding"`
	RemasterYear        int    `json:"remasterYear"`
	Remastered          bool   `json:"remastered"`
	RemasterTitle       string `json:"remasterTitle"`
	RemasterRecordLabel string `json:"remasterRecordLabel"`
	Scene               bool   `json:"scene"`
	HasLog              bool   `json:"hasLog"`
	HasCue              bool   `json:"hasCue"`
	LogScore            int    `json:"logScore"`
	FileCount           int    `json:"fileCount"`
	FreeTorrent         bool   `json:"freeTorrent"`
	Size                int64  `json:"size"`
	Leechers            int    `json:"leechers"`
	Seeders             int    `json:"seeders"`
	Snatched            int    `json:"snatched"`
	Time                string `json:"time"`
	HasFile             int    `json:"hasFile"` // the id again, as Gazelle repeats it
}

func (a *ajax) artist(w http.ResponseWriter, r *http.Request) {
	ctx, q := r.Context(), r.URL.Query()
	var id uuid.UUID
	if name := strings.TrimSpace(q.Get("artistname")); q.Get("id") == "" && name != "" {
		var err error
		if id, err = readmusic.ArtistByName(ctx, a.s.Pool(), name); err != nil {
			if domain.KindOf(err) == domain.KindNotFound {
				ajaxFailure(w, http.StatusOK, "no artist found")
			} else {
				a.fail(w, r, err)
			}
			return
		}
	} else {
		n, ok := numParam(w, r)
		if !ok {
			return
		}
		var err error
		if id, err = readmusic.ArtistByNum(ctx, a.s.Pool(), n); !a.found(w, r, err) {
			return
		}
	}
	ar, err := readmusic.Artist(ctx, a.s.Pool(), id)
	for i := 0; err == nil && ar.MergedInto != uuid.Nil && i < 8; i++ { // a merged artist answers as the one it became
		ar, err = readmusic.Artist(ctx, a.s.Pool(), ar.MergedInto)
	}
	if !a.found(w, r, err) {
		return
	}
	albums, err := readmusic.ArtistAlbums(ctx, a.s.Pool(), ar.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := ajaxArtist{ID: ar.Num, Name: ar.Name, Image: ar.ImageURL, Body: ar.Description,
		Tags: []ajaxTagCount{}, SimilarArtists: []ajaxSimilar{}, TorrentGroup: []ajaxArtistGroup{}, Requests: []any{}}
	for _, s := range ar.Similar {
		out.SimilarArtists = append(out.SimilarArtists, ajaxSimilar{ArtistID: s.Num, Name: s.Name, SimilarID: s.Num})
	}
	onlyMain := q.Get("artistreleases") != ""
	tags := map[string]int{}
	for _, al := range albums {
		if onlyMain && al.Role != music.RoleMain {
			continue
		}
		g := groupOf(al)
		ag := ajaxArtistGroup{GroupID: g.ID, GroupName: g.Name, GroupYear: g.Year, GroupRecordLabel: g.RecordLabel,
			GroupCatalogueNumber: g.CatalogueNumber, Tags: g.Tags, ReleaseType: g.ReleaseType,
			Artists: g.MusicInfo[music.RoleMain.Key()], ExtendedArtists: g.MusicInfo, Torrent: []ajaxArtistTorrent{}}
		for _, t := range al.Tags {
			tags[t]++
		}
		for _, rel := range al.Releases {
			e := editionOf(al, rel)
			for _, fr := range rel.Formats {
				c := a.catalogOf(r, fr.InfoHash)
				ag.Torrent = append(ag.Torrent, ajaxArtistTorrent{ID: fr.Num, GroupID: g.ID, Media: e.media,
					Format: fr.Format, Encoding: fr.Encoding, RemasterYear: e.year, Remastered: e.remastered, RemasterTitle: e.title,
					RemasterRecordLabel: e.label, Scene: fr.Scene, HasLog: fr.HasLog, HasCue: fr.HasCue, LogScore: fr.LogScore,
					FileCount: c.FileCount, FreeTorrent: freeleech(fr, c), Size: fr.Size, Leechers: fr.Leechers, Seeders: fr.Seeders,
					Snatched: fr.Snatches, Time: gazelleTime(fr.AddedAt), HasFile: fr.Num})
				out.Statistics.NumTorrents++
				out.Statistics.NumSeeders += fr.Seeders
				out.Statistics.NumLeechers += fr.Leechers
				out.Statistics.NumSnatches += fr.Snatches
			}
		}
		out.Statistics.NumGroups++
		out.TorrentGroup = append(out.TorrentGroup, ag)
	}
	for name, n := range tags {
		out.Tags = append(out.Tags, ajaxTagCount{Name: name, Count: n})
	}
	sort.Slice(out.Tags, func(i, j int) bool {
		if out.Tags[i].Count != out.Tags[j].Count {
			return out.Tags[i].Count > out.Tags[j].Count
		}
		return out.Tags[i].Name < out.Tags[j].Name
	})
	ajaxSuccess(w, out)
}

// userNum is a user's id as Gazelle's clients want it, a positive 31-bit
// integer: the UUID's first 31 bits. Nothing looks a user up by it, so
// two users sharing one (likely somewhere past tens of thousands of users)
// only show the same number.
func userNum(id uuid.UUID) int {
	return int(binary.BigEndian.Uint32(id[:4]) >> 1)
}
