package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

// SiteName is the name every page's title and header show.
const SiteName = "Djembe"

// page is what every view is rendered with: the layout reads Title,
// Section and Viewer; the view reads Data.
type page struct {
	Title   string  // the page's own title; the layout adds the site name
	Section string  // the navigation item to mark current: torrents, upload, stats, invites, staff, or ""
	Viewer  *Viewer // nil: nobody is signed in
	Site    string
	Now     time.Time
	Data    any
	// PluginNav are the plugins' items of the navigation, after Torrents.
	PluginNav []navLink
}

// navLink is one item of the header's navigation.
type navLink struct {
	Href, Label string
	Current     bool
}

// navItem is the navigation item for section, current on p's section.
func navItem(p page, section, href, label string) navLink {
	return navLink{Href: href, Label: label, Current: p.Section == section}
}

// views are the parsed templates: each view (templates/NAME.html) parsed
// onto its own copy of the layout and partials (templates/_*.html).
type views map[string]*template.Template

// parseViews parses every template once. A template that does not parse,
// or names a static file that does not exist, is an error here and so fails
// New; rendering them all is TestEveryViewRenders's.
func parseViews(a *assets, plugins []Plugin) (views, error) {
	funcs := template.FuncMap{
		"static": a.url,
		"bytes":  formatBytes,
		"size":   func(n int64) string { return formatBytes(uint64(max(n, 0))) }, // a length in int64, as .torrent files give it
		"nav":    navItem,
		"field":  formField,
	}
	base := template.New("").Funcs(funcs)
	partials, err := fs.Glob(templateFS, "templates/_*.html")
	if err != nil {
		return nil, err
	}
	if base, err = base.ParseFS(templateFS, partials...); err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	all, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	vs := views{}
	for _, p := range all {
		name := strings.TrimSuffix(path.Base(p), ".html")
		if strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, p)
		if err != nil {
			return nil, fmt.Errorf("parse view %s: %w", name, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("view %s defines no content", name)
		}
		vs[name] = t
	}
	if err := parsePluginViews(base, plugins, vs); err != nil {
		return nil, err
	}
	return vs, nil
}

// render writes view with p as a complete page with status. The page is
// rendered into a buffer first, so a template that fails mid-way sends the
// error page rather than half a page.
func (s *site) render(w http.ResponseWriter, r *http.Request, status int, view string, p page) {
	t, ok := s.views[view]
	if !ok {
		s.internalError(w, r, fmt.Errorf("no view %q", view))
		return
	}
	p.Site, p.Now = SiteName, time.Now().UTC()
	for _, pl := range s.Plugins {
		if pl.Label != "" {
			p.PluginNav = append(p.PluginNav, navLink{Href: "/" + pl.Name + "/", Label: pl.Label, Current: p.Section == pl.Name})
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		if view == "error" { // the error page itself failed: say so plainly
			s.log.Error("render error page", "err", err)
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
		s.internalError(w, r, fmt.Errorf("render %s: %w", view, err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	if h.Get("Cache-Control") == "" { // a page may be someone's own: no shared cache keeps it
		h.Set("Cache-Control", "private, no-cache")
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// formatBytes is a byte count as Gazelle shows it, in binary units with
// three significant figures: "512 B", "1.20 GiB", "12.5 MiB", "300 MiB".
func formatBytes(n uint64) string {
	const units = "KMGTPE"
	if n < 1024 {
		return strconv.FormatUint(n, 10) + " B"
	}
	v, u := float64(n)/1024, 0
	for v >= 999.5 && u < len(units)-1 { // 1000 KiB and up reads better as 0.98 MiB
		v /= 1024
		u++
	}
	prec := 2
	switch {
	case v >= 100:
		prec = 0
	case v >= 10:
		prec = 1
	}
	return strconv.FormatFloat(v, 'f', prec, 64) + " " + units[u:u+1] + "iB"
}
