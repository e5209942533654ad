package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
)

//go:embed static
var staticFS embed.FS

// staticMaxAge is how long a browser may keep a file whose URL holds its
// content hash: a year, and immutable, since another content is another URL.
const staticMaxAge = 365 * 24 * time.Hour

// asset is one static file, read once at start.
type asset struct {
	body  []byte
	ctype string
	etag  string
}

// assets are the embedded static files, each under two names: its own
// ("style.css", revalidated on every use) and its versioned one with the
// first 10 hex digits of its SHA-256 ("style.0123456789.css", cached for a
// year). Pages link the versioned name (the template function static).
type assets struct {
	byName    map[string]*asset
	versioned map[string]*asset
	urls      map[string]string // name → /static/versioned name
}

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]*asset{}, versioned: map[string]*asset{}, urls: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(b)
		hash := hex.EncodeToString(sum[:])[:10]
		ext := path.Ext(name)
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			return fmt.Errorf("static file %s: no content type for %q", name, ext)
		}
		f := &asset{body: b, ctype: ctype, etag: `"` + hash + `"`}
		v := strings.TrimSuffix(name, ext) + "." + hash + ext
		a.byName[name], a.versioned[v], a.urls[name] = f, f, "/static/"+v
		return nil
	})
	return a, err
}

// url is the versioned URL of the static file name; a name that is not
// embedded is an error (a template that names one fails at start).
func (a *assets) url(name string) (string, error) {
	u, ok := a.urls[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return u, nil
}

// serve answers /static/{file}; notFound answers a name that is neither.
func (a *assets) serve(notFound http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name := chi.URLParam(r, "*")
		f, immutable := a.versioned[name]
		if !immutable {
			f = a.byName[name]
		}
		if f == nil {
			notFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", f.ctype)
		h.Set("ETag", f.etag)
		if immutable {
			h.Set("Cache-Control", fmt.Sprintf("public, max-age=%d, immutable", int(staticMaxAge.Seconds())))
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
	}
}
