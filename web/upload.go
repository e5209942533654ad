package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
)

// uploadView is what templates/upload.html shows: the form, the
// categories, and a duplicate's page when the upload was one.
type uploadView struct {
	Form       form
	Categories []string
	Duplicate  string // the path of the torrent already registered
	MaxTitle   int
	MaxDesc    int
}

func (s *site) newUploadView(f form) uploadView {
	return uploadView{Form: f, Categories: commands.Categories, MaxTitle: commands.MaxTitleRunes, MaxDesc: commands.MaxDescriptionRunes}
}

// uploadShow is the upload form, to someone signed in.
func (s *site) uploadShow(w http.ResponseWriter, r *http.Request) {
	v := s.signedIn(w, r)
	if v == nil {
		return
	}
	p := s.page(r, "Upload", "upload")
	p.Data = s.newUploadView(newForm())
	s.render(w, r, http.StatusOK, "upload", p)
}

// uploadFields are the upload form's fields, on which the write side's
// refusals are shown.
var uploadFields = []string{"file", "category", "title", "description"}

// readUploadForm reads an upload form (multipart, at most the largest
// .torrent the write side takes plus 1 MiB): every field's first value,
// and the "file" part's .torrent within the write side's limits. A
// problem with the file is beside "file"; parsed is false when the
// request is no such form at all (then only "file" says why).
func (s *site) readUploadForm(w http.ResponseWriter, r *http.Request) (f form, file []byte, parsed bool) {
	limits := s.Commands.Limits()
	if limits.MaxTorrentBytes == 0 {
		limits = commands.DefaultLimits
	}
	r.Body = http.MaxBytesReader(w, r.Body, limits.MaxTorrentBytes+1<<20)
	f = newForm()
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			f.fail("file", fmt.Sprintf("the .torrent is too large: the site takes .torrent files up to %s", formatBytes(uint64(limits.MaxTorrentBytes))))
		} else {
			f.fail("file", "choose a .torrent file to upload")
		}
		return f, nil, false
	}
	defer r.MultipartForm.RemoveAll()
	for k, vs := range r.MultipartForm.Value {
		if len(vs) > 0 {
			f.Values[k] = vs[0]
		}
	}
	part, _, err := r.FormFile("file")
	if err != nil {
		f.fail("file", "choose the .torrent file your BitTorrent client made")
		return f, nil, true
	}
	defer part.Close()
	switch file, err = limits.ReadTorrent(part); {
	case err != nil:
		f.fail("file", domain.Message(err))
	case len(file) == 0:
		f.fail("file", "the file is empty: choose the .torrent file your BitTorrent client made")
	}
	return f, file, true
}

// uploadCheck registers an uploaded .torrent through commands.AddTorrent,
// with the site's source, and sends the uploader to its page; a refusal
// shows the form again with the message beside its field, a duplicate
// with a link to the torrent already registered.
func (s *site) uploadCheck(w http.ResponseWriter, r *http.Request) {
	v := s.signedIn(w, r)
	if v == nil {
		return
	}
	f, body, parsed := s.readUploadForm(w, r)
	if parsed {
		if err := commands.CheckCategory(f.Values["category"]); err != nil {
			f.refuse(err, uploadFields...)
		}
	}
	if !f.ok() {
		s.renderUpload(w, r, f, "")
		return
	}
	added, err := s.Commands.AddTorrent(r.Context(), commands.UserActor(v.ID, v.Staff), commands.AddTorrent{
		File: body, Uploader: v.Name, Category: f.Values["category"], Title: f.Values["title"],
		Description: f.Values["description"], Source: s.uploadSource(),
	})
	if domain.KindOf(err) == domain.KindConflict && domain.FieldOf(err) == "file" {
		f.fail("file", "this torrent is already on the site")
		s.renderUpload(w, r, f, torrentPath(added.Torrent.InfoHash))
		return
	}
	if err != nil {
		if k := domain.KindOf(err); k == domain.KindInternal || k == domain.KindUnavailable {
			s.failErr(w, r, err)
			return
		}
		f.refuse(err, uploadFields...)
		s.renderUpload(w, r, f, "")
		return
	}
	h := added.Torrent.InfoHash
	readYourWrite(r.Context(), func(ctx2 context.Context) bool {
		_, err := projections.CatalogTorrent(ctx2, s.Pool, h)
		return err == nil
	})
	http.Redirect(w, r, torrentPath(h)+"?uploaded=1", http.StatusSeeOther)
}

// renderUpload shows the upload form again, refused, with status 422 (409
// for a duplicate).
func (s *site) renderUpload(w http.ResponseWriter, r *http.Request, f form, duplicate string) {
	status := http.StatusUnprocessableEntity
	if duplicate != "" {
		status = http.StatusConflict
	}
	uv := s.newUploadView(f)
	uv.Duplicate = duplicate
	p := s.page(r, "Upload", "upload")
	p.Data = uv
	s.render(w, r, status, "upload", p)
}
