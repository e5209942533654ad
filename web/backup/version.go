package backup

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	cmdbackup "github.com/djembe/djembe/commands/backup"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/backup"
	readbackup "github.com/djembe/djembe/projections/backup"
	"github.com/go-chi/chi/v5"
)

// quotaOf is the quota refusal err holds, if any.
func quotaOf(err error) *backup.QuotaError {
	var q *backup.QuotaError
	if errors.As(err, &q) {
		return q
	}
	return nil
}

// addVersion is POST /backup/{id}/versions: the owner uploads the .torrent
// of a new version with its message (commands/backup.AddVersion). Every
// refusal is shown beside its field on the backup's page (422): a quota
// refusal beside the file, saying how many bytes to back up first and
// linking the queue. Done, it waits for the read model and shows the page
// at the new version's row.
func (p *pages) addVersion(w http.ResponseWriter, r *http.Request) {
	v := p.s.SignedIn(w, r)
	if v == nil || p.readOnly(w, r) {
		return
	}
	id, ok := p.idParam(w, r)
	if !ok {
		return
	}
	form, file, parsed := p.s.UploadForm(w, r)
	f := blankForms()
	f.Upload = form
	if !parsed || !form.OK() {
		p.renderShow(w, r, v, id, http.StatusUnprocessableEntity, f)
		return
	}
	ctx := r.Context()
	added, err := p.cmds.AddVersion(ctx, p.s.Actor(v), cmdbackup.AddVersion{Backup: id, File: file, Uploader: v.Name,
		Source: p.s.Source(), Message: form.Values["message"]})
	if err != nil {
		if domain.KindOf(err) == domain.KindConflict && domain.FieldOf(err) == "file" && quotaOf(err) == nil {
			f.Upload.Fail("file", "this torrent is already on the site: a version is data of its own")
			p.renderShow(w, r, v, id, http.StatusConflict, f)
			return
		}
		p.refused(w, r, v, id, err, &f, &f.Upload, "file", "message")
		return
	}
	p.s.ReadYourWrite(ctx, func(ctx context.Context) bool {
		_, err := readbackup.VersionByHash(ctx, p.s.Pool(), added.InfoHash)
		return err == nil
	})
	http.Redirect(w, r, backupURL(id)+"#v"+strconv.Itoa(added.Number), http.StatusSeeOther)
}

// deleteVersion is POST /backup/{id}/versions/{number}/delete: the owner
// or staff retire a version, which frees its obligation at once and takes
// it out of the queue; its torrent is deleted.
func (p *pages) deleteVersion(w http.ResponseWriter, r *http.Request) {
	v := p.s.SignedIn(w, r)
	if v == nil || p.readOnly(w, r) {
		return
	}
	id, ok := p.idParam(w, r)
	if !ok {
		return
	}
	n, err := strconv.Atoi(chi.URLParam(r, "number"))
	if err != nil || n < 1 {
		p.s.NotFound(w, r)
		return
	}
	ctx := r.Context()
	f := blankForms()
	if err := p.cmds.DeleteVersion(ctx, p.s.Actor(v), id, n); err != nil {
		p.refused(w, r, v, id, err, &f, &f.Delete)
		return
	}
	p.s.ReadYourWrite(ctx, func(ctx context.Context) bool {
		b, err := readbackup.Backup(ctx, p.s.Pool(), id)
		if err != nil {
			return false
		}
		for _, ver := range b.Versions {
			if ver.Number == n {
				return ver.Deleted
			}
		}
		return true
	})
	http.Redirect(w, r, backupURL(id), http.StatusSeeOther)
}
