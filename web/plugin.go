package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Plugin is a plugin's pages. Its views (Views, each NAME.html defining
// "content") are parsed onto the site's layout and partials when the site
// starts, so a plugin's page has the header, the user box and the error
// pages of every other. Routes mounts its handlers under /Name; Root, if
// set, mounts handlers at the site's root (a compatibility API such as
// Gazelle's /ajax.php). Label, if set, is its item in the navigation.
//
// API, if set, mounts the plugin's JSON API under /api/v1/Name, inside
// the site's API: every request there has passed the API token check and
// the per-token rate limit before a plugin handler runs, and an error
// anywhere under /api/ is JSON. Its handlers answer with Site.WriteJSON
// and Site.APIError, and Site.APIUser is the token's user.
type Plugin struct {
	Name   string
	Label  string
	Views  fs.FS
	Routes func(r chi.Router, s *Site)
	Root   func(r chi.Router, s *Site)
	API    func(r chi.Router, s *Site)
}

// Site is what the site lends a plugin's handlers: the read models, the
// write side, the signed-in user, rendering in the site's look, and its
// error pages.
type Site struct {
	s      *site
	plugin string
}

// Pool is the read models (queries only).
func (p *Site) Pool() *pgxpool.Pool { return p.s.Pool }

// Commands is the write side.
func (p *Site) Commands() *commands.Commands { return p.s.Commands }

// Source is the "source" the site writes into every uploaded .torrent.
func (p *Site) Source() string { return p.s.uploadSource() }

// Secret derives users' passkeys and RSS keys (domain.ServerSecret).
func (p *Site) Secret() domain.ServerSecret { return p.s.Secret }

// SiteURL is the site's public base URL ("" when not configured: pages
// then use relative links).
func (p *Site) SiteURL() string { return p.s.SiteURL }

// BaseURL is the site's base URL as r reached it, without a trailing
// slash: SiteURL when configured, else r's scheme and host. Links that
// leave the site's pages (a feed's items, a download an autodownloader
// follows) are absolute on it.
func (p *Site) BaseURL(r *http.Request) string { return p.s.baseURL(r) }

// TrackerURL is the tracker's public base URL, which personal .torrent
// files announce to.
func (p *Site) TrackerURL() string { return p.s.trackerURL() }

// Logger is where a plugin logs what it answers 500 for.
func (p *Site) Logger() *slog.Logger { return p.s.log }

// SignedIn is r's signed-in user; without one it sends them to log in and
// returns nil.
func (p *Site) SignedIn(w http.ResponseWriter, r *http.Request) *Viewer { return p.s.signedIn(w, r) }

// Actor is the write side's actor for v.
func (p *Site) Actor(v *Viewer) commands.Actor { return commands.ClassActor(v.ID, v.Class) }

// Render writes the plugin's view with data as a page titled title, its
// navigation item marked.
func (p *Site) Render(w http.ResponseWriter, r *http.Request, status int, view, title string, data any) {
	pg := p.s.page(r, title, p.plugin)
	pg.Data = data
	p.s.render(w, r, status, p.plugin+"/"+view, pg)
}

// ReadYourWrite waits, a few seconds at most, until shown reports that the
// read models show a change the request just made, so the page that
// follows shows it too; it gives up quietly.
func (p *Site) ReadYourWrite(ctx context.Context, shown func(context.Context) bool) {
	readYourWrite(ctx, shown)
}

// Fail answers r with err's page: its kind's status and message (an
// internal error's text stays in the server log).
func (p *Site) Fail(w http.ResponseWriter, r *http.Request, err error) { p.s.failErr(w, r, err) }

// NotFound answers r with the 404 page.
func (p *Site) NotFound(w http.ResponseWriter, r *http.Request) { p.s.notFound(w, r) }

// UploadForm reads a plugin's upload form as the site's own upload reads
// it: every field's first value, and the "file" part's .torrent within
// the write side's limits, a problem with it beside "file"; parsed is
// false when the request is no such form at all.
func (p *Site) UploadForm(w http.ResponseWriter, r *http.Request) (f Form, file []byte, parsed bool) {
	return p.s.readUploadForm(w, r)
}

// UUIDParam is the route's {name} as a UUID; a malformed one has been
// answered with the 404 page when ok is false.
func (p *Site) UUIDParam(w http.ResponseWriter, r *http.Request, name string) (id uuid.UUID, ok bool) {
	id, err := uuid.Parse(chi.URLParam(r, name))
	if err != nil {
		p.NotFound(w, r)
	}
	return id, err == nil
}

// InfoHashParam is the route's {infohash}; a malformed one has been
// answered with the 404 page when ok is false.
func (p *Site) InfoHashParam(w http.ResponseWriter, r *http.Request) (h domain.InfoHash, ok bool) {
	h, err := domain.ParseInfoHash(chi.URLParam(r, "infohash"))
	if err != nil {
		p.NotFound(w, r)
	}
	return h, err == nil
}

// APIUser is the user whose API token an API request carries (the zero
// value outside a Plugin's API handlers).
func (p *Site) APIUser(r *http.Request) projections.AccountUser { return apiUser(r) }

// WriteJSON answers an API request with v as JSON (status 200).
func (p *Site) WriteJSON(w http.ResponseWriter, v any) { writeJSON(w, v) }

// APIError answers an API request that failed with err in the API's one
// error shape, {"error":{"code","message"}}: its kind's status and stable
// code (domain.Kind's name: invalid, not_found, ...) and its message; an
// internal error is logged with the route and its text withheld.
func (p *Site) APIError(w http.ResponseWriter, r *http.Request, err error) {
	if domain.KindOf(err) == domain.KindInternal {
		p.s.apiInternal(w, r, err)
		return
	}
	writeError(w, err)
}

// Form is a submitted form as pages show it: the values to show again,
// and a message beside each refused field ("" for the form as a whole).
// The layout's "field" template draws one input of it.
type Form = form

// NewForm is an empty form.
func NewForm() Form { return newForm() }

// Fail records msg beside field.
func (f form) Fail(field, msg string) { f.fail(field, msg) }

// OK reports whether no field was refused.
func (f form) OK() bool { return f.ok() }

// RefuseAll records each refusal err holds (errors.Join'd refusals each
// beside its field) beside its field when the form has it (fields), else
// for the whole form.
func (f form) RefuseAll(err error, fields ...string) {
	for _, e := range domain.Refusals(err) {
		if f.Errors[domain.FieldOf(e)] == "" {
			f.refuse(e, fields...)
		}
	}
}

// parsePluginViews parses each plugin's views onto base (the layout and
// partials), as "NAME/VIEW".
func parsePluginViews(base *template.Template, plugins []Plugin, into views) error {
	for _, p := range plugins {
		if p.Views == nil {
			continue
		}
		files, err := fs.Glob(p.Views, "*.html")
		if err != nil {
			return err
		}
		var partials, pages []string
		for _, f := range files {
			if strings.HasPrefix(path.Base(f), "_") {
				partials = append(partials, f)
			} else {
				pages = append(pages, f)
			}
		}
		for _, f := range pages {
			t := template.Must(base.Clone())
			if _, err := t.ParseFS(p.Views, append(partials, f)...); err != nil {
				return fmt.Errorf("parse %s view %s: %w", p.Name, f, err)
			}
			if t.Lookup("content") == nil {
				return fmt.Errorf("%s view %s defines no content", p.Name, f)
			}
			into[p.Name+"/"+strings.TrimSuffix(path.Base(f), ".html")] = t
		}
	}
	return nil
}

// errNoPluginName refuses a plugin that would mount at the root.
var errNoPluginName = errors.New("a plugin needs a name: its pages are under /NAME")

// FormatBytes is a byte count as the site shows it ({{bytes}} in views):
// binary units, three significant figures ("1.20 GiB").
func FormatBytes(n uint64) string { return formatBytes(n) }

// ViewsDir is the "views" directory of a plugin's embedded files, as
// Plugin.Views wants it. A plugin embeds views/*.html, so the directory is
// there in any build that compiles; a missing one panics at start.
func ViewsDir(embedded fs.FS) fs.FS {
	views, err := fs.Sub(embedded, "views")
	if err != nil {
		panic(err)
	}
	return views
}
