package music

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	cmdmusic "github.com/djembe/djembe/commands/music"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	"github.com/djembe/djembe/projections"
	readmusic "github.com/djembe/djembe/projections/music"
	"github.com/djembe/djembe/web"
	"github.com/google/uuid"
)

// artistRows is how many artist rows the upload form offers for a new
// album (no JavaScript adds more).
const artistRows = 5

// uploadFields are the form's fields, which refusals are shown beside.
var uploadFields = []string{"file", "artists", "title", "year", "release_type", "tags", "cover", "album_description",
	"release", "release_year", "record_label", "catalogue_number", "edition_title", "media",
	"format", "encoding", "has_log", "log_score", "description"}

// uploadView is the upload form: for a new album, or (Album set) a format
// or edition of an album already here.
type uploadView struct {
	formView
	Album        *albumView
	Duplicate    string // the torrent page of the format that is there already
	ArtistRows   []int
	Roles        []music.Role
	ReleaseTypes []music.ReleaseType
	Media        []string
	Formats      []string
	Encodings    []string
}

// uploadShow is the upload form; ?album=ID adds to that album.
func (p *pages) uploadShow(w http.ResponseWriter, r *http.Request) {
	if p.s.SignedIn(w, r) == nil {
		return
	}
	f := web.NewForm()
	f.Values["album"] = r.URL.Query().Get("album")
	f.Values["release"] = "new"
	p.renderUpload(w, r, http.StatusOK, f, "")
}

func (p *pages) renderUpload(w http.ResponseWriter, r *http.Request, status int, f web.Form, duplicate string) {
	v := uploadView{formView: formView{f}, Duplicate: duplicate, Roles: music.Roles, ReleaseTypes: music.ReleaseTypes,
		Media: music.Media, Formats: music.Formats, Encodings: music.Encodings}
	for i := range artistRows {
		v.ArtistRows = append(v.ArtistRows, i)
	}
	if id, err := uuid.Parse(f.Values["album"]); err == nil {
		a, err := readmusic.Album(r.Context(), p.s.Pool(), id)
		if err != nil {
			p.s.Fail(w, r, err)
			return
		}
		v.Album = &albumView{a}
	}
	p.s.Render(w, r, status, "upload", "Upload music", v)
}

// uploadCheck registers a music upload through commands/music: the
// .torrent and where its format goes. Every problem is shown beside its
// field; a format the edition has already links to the torrent that has
// it. Done, the uploader lands on the torrent's page with its "download
// your .torrent" box.
func (p *pages) uploadCheck(w http.ResponseWriter, r *http.Request) {
	v := p.s.SignedIn(w, r)
	if v == nil {
		return
	}
	f, file, parsed := p.s.UploadForm(w, r)
	in, ok := p.readUpload(f, file)
	if !parsed || !ok {
		if parsed {
			f.RefuseAll(p.cmds.Check(r.Context(), in), uploadFields...)
		}
		p.renderUpload(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	in.Uploader, in.Source = v.Name, p.s.Source()
	up, err := p.cmds.Upload(r.Context(), p.s.Actor(v), in)
	var dup *music.DuplicateError
	switch {
	case errors.As(err, &dup):
		f.Fail("format", dup.Error())
		p.renderUpload(w, r, http.StatusConflict, f, "/torrents/"+dup.Existing.String())
		return
	case domain.KindOf(err) == domain.KindConflict && domain.FieldOf(err) == "file":
		f.Fail("file", "this torrent is already on the site")
		p.renderUpload(w, r, http.StatusConflict, f, "/torrents/"+up.InfoHash.String())
		return
	case err != nil && !domain.KindOf(err).Refused():
		p.s.Fail(w, r, err)
		return
	case err != nil:
		f.RefuseAll(err, uploadFields...)
		p.renderUpload(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	p.s.ReadYourWrite(r.Context(), func(ctx context.Context) bool {
		_, errT := projections.CatalogTorrent(ctx, p.s.Pool(), up.InfoHash)
		_, errF := readmusic.AlbumOfFormat(ctx, p.s.Pool(), up.InfoHash)
		return errT == nil && errF == nil
	})
	http.Redirect(w, r, "/torrents/"+up.InfoHash.String()+"?uploaded=1", http.StatusSeeOther)
}

// readUpload reads the form into the write side's input; what cannot be
// read at all (a number that is no number, no file) is refused here.
func (p *pages) readUpload(f web.Form, file []byte) (cmdmusic.Upload, bool) {
	var in cmdmusic.Upload
	in.File = file
	num := func(field string, optional bool) int {
		s := strings.TrimSpace(f.Values[field])
		if s == "" && optional {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			f.Fail(field, "give a number")
		}
		return n
	}
	if id := f.Values["album"]; id != "" {
		var err error
		if in.Album, err = uuid.Parse(id); err != nil {
			f.Fail("album", "no such album")
		}
		if rel := f.Values["release"]; rel != "" && rel != "new" {
			if in.Release, err = uuid.Parse(rel); err != nil {
				f.Fail("release", "choose an edition of the album, or a new one")
			}
		}
	} else {
		for i := range artistRows {
			name := strings.TrimSpace(f.Values["artist"+strconv.Itoa(i)])
			if name == "" {
				continue
			}
			role, err := music.ParseRole(f.Values["role"+strconv.Itoa(i)])
			if err != nil {
				f.Fail("artists", err.Error())
				continue
			}
			in.Artists = append(in.Artists, cmdmusic.ArtistCredit{Name: name, Role: role})
		}
		in.AlbumInfo = music.AlbumInfo{Title: strings.TrimSpace(f.Values["title"]), Year: num("year", false),
			Description: strings.TrimSpace(f.Values["album_description"]), CoverURL: strings.TrimSpace(f.Values["cover"])}
		if rt, err := music.ParseReleaseType(f.Values["release_type"]); err == nil {
			in.AlbumInfo.ReleaseType = rt
		}
		tags, err := music.NormalizeTags("upload music", "tags", music.SplitTags(f.Values["tags"]))
		if err != nil {
			f.Fail("tags", domain.Message(err))
		}
		in.AlbumInfo.Tags = tags
	}
	if in.Release == uuid.Nil {
		in.ReleaseInfo = music.ReleaseInfo{Year: num("release_year", true), RecordLabel: strings.TrimSpace(f.Values["record_label"]),
			CatalogueNumber: strings.TrimSpace(f.Values["catalogue_number"]), EditionTitle: strings.TrimSpace(f.Values["edition_title"]),
			Media: f.Values["media"]}
	}
	in.Format = music.FormatInfo{Format: f.Values["format"], Encoding: f.Values["encoding"], HasLog: f.Values["has_log"] == "1",
		HasCue: f.Values["has_cue"] == "1", Scene: f.Values["scene"] == "1"}
	if in.Format.HasLog {
		in.Format.LogScore = num("log_score", false)
	}
	in.Description = f.Values["description"]
	return in, f.OK()
}
