package backup

import (
	"context"
	"net/http"
	"strings"

	readbackup "github.com/djembe/djembe/projections/backup"
)

// edit is POST /backup/{id}/edit: the owner (or staff) renames the backup
// or rewrites its description; a refusal is shown beside its field (422).
// Done, it waits until the read model holds the change and shows the page.
func (p *pages) edit(w http.ResponseWriter, r *http.Request) {
	v := p.s.SignedIn(w, r)
	if v == nil || p.readOnly(w, r) {
		return
	}
	id, ok := p.idParam(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	f := blankForms()
	for _, k := range []string{"name", "description"} {
		f.Edit.Values[k] = r.PostForm.Get(k)
	}
	name := strings.TrimSpace(f.Edit.Values["name"])
	description := strings.TrimSpace(strings.ReplaceAll(f.Edit.Values["description"], "\r\n", "\n"))
	ctx := r.Context()
	if err := p.cmds.EditBackup(ctx, p.s.Actor(v), id, name, description); err != nil {
		p.refused(w, r, v, id, err, &f, &f.Edit, "name", "description")
		return
	}
	p.s.ReadYourWrite(ctx, func(ctx context.Context) bool {
		b, err := readbackup.Backup(ctx, p.s.Pool(), id)
		return err == nil && b.Name == name && b.Description == description
	})
	http.Redirect(w, r, backupURL(id), http.StatusSeeOther)
}
