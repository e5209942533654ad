package web

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2"
	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/jackc/pgx/v5/pgxpool"
)

// liveSite is the site on a real log and PostgreSQL: the write side, the
// read models its pages read (their projectors following the log), and
// sessions in the database.
type liveSite struct {
	t        *testing.T
	pool     *pgxpool.Pool
	log      *eventlog.Log
	c        *commands.Commands
	sessions *scs.SessionManager
	h        http.Handler
}

// liveSecret is the server secret the live site derives keys with.
var liveSecret = domain.ServerSecret("the web tests' server secret, 32 bytes")

func newLiveSite(t *testing.T, d Deps) *liveSite {
	t.Helper()
	pool, log := testenv.DB(t), testenv.Log(t)
	ls := &liveSite{t: t, pool: pool, log: log, c: commands.New(log, commands.Keys{Secret: liveSecret, Vault: pool})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	ps := []projections.Projection{projections.Users{}, projections.Accounts{}, projections.Ratio{}, projections.Catalog{}, projections.Swarm{}, projections.CheatSignals{}}
	for _, p := range ps {
		pr := projections.NewProjector(p, pool, log)
		if err := pr.CatchUp(ctx); err != nil { // the schemas, before any page reads them
			t.Fatal(err)
		}
		go func() { pr.Run(ctx); done <- struct{}{} }()
	}
	t.Cleanup(func() {
		cancel()
		for range ps {
			<-done
		}
	})
	ls.h = ls.site(d)
	return ls
}

// site is another web.New on the live site's database and log, with d's
// settings (the first is the live site's own h).
func (ls *liveSite) site(d Deps) http.Handler {
	ls.t.Helper()
	d.Pool, d.Commands, d.Secret = ls.pool, ls.c, liveSecret
	if d.Sessions == nil {
		if ls.sessions == nil {
			ls.sessions = NewSessions(ls.pool, false)
		}
		d.Sessions = ls.sessions
	}
	if d.Waiting == nil {
		d.Waiting = func() []string { return nil }
	}
	h, err := New(d)
	if err != nil {
		ls.t.Fatal(err)
	}
	return h
}

// register registers name (an administrator when admin) with password
// name+"'s password" and waits for the users read model to have them.
func (ls *liveSite) register(name string, admin bool) domain.User {
	ls.t.Helper()
	r, err := ls.c.RegisterUser(ls.t.Context(), commands.Operator, commands.RegisterUser{Name: name, Password: name + "'s password", Admin: admin})
	if err != nil {
		ls.t.Fatal(err)
	}
	testenv.Eventually(ls.t, name+" in the read models", func() bool {
		_, err := projections.StaffUserNamed(ls.t.Context(), ls.pool, name)
		return err == nil
	})
	return r.User
}

// cookie is a session cookie signed in as u.
func (ls *liveSite) cookie(u domain.User) string {
	ls.t.Helper()
	token, err := SessionFor(ls.t.Context(), ls.sessions, u.ID)
	if err != nil {
		ls.t.Fatal(err)
	}
	return ls.sessions.Cookie.Name + "=" + token
}

// liveRequest is one request to a live site: as a browser sends a form
// from the site itself, from remote (host:port), with cookie and headers.
type liveRequest struct {
	method, path, cookie, remote string
	form                         url.Values
	headers                      []string // "Name: value"
	body                         io.Reader
	contentType                  string
}

func (ls *liveSite) do(h http.Handler, lr liveRequest) (int, string) {
	ls.t.Helper()
	rec := ls.serve(h, lr)
	return rec.Code, rec.Body.String() + rec.Header().Get("Location")
}

// serve is do with the whole response.
func (ls *liveSite) serve(h http.Handler, lr liveRequest) *httptest.ResponseRecorder {
	ls.t.Helper()
	body, ctype := lr.body, lr.contentType
	if lr.form != nil {
		body, ctype = strings.NewReader(lr.form.Encode()), "application/x-www-form-urlencoded"
	}
	req := httptest.NewRequest(lr.method, lr.path, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if lr.cookie != "" {
		req.Header.Set("Cookie", lr.cookie)
	}
	if lr.remote != "" {
		req.RemoteAddr = lr.remote
	}
	for _, hv := range lr.headers {
		name, value, _ := strings.Cut(hv, ": ")
		req.Header.Add(name, value)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// multipartUpload is the upload form's body with file as the .torrent.
func multipartUpload(t *testing.T, file []byte, fields map[string]string) (io.Reader, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile("file", "upload.torrent")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(file)
	mw.Close()
	return &b, mw.FormDataContentType()
}

// fieldErrorOf is the error a page shows beside field, or "".
func fieldErrorOf(body, field string) string {
	m := regexp.MustCompile(`<span class="field-error" id="e-` + field + `">([^<]*)</span>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}
