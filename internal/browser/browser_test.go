package browser

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The harness sees what the site's browser tests rely on it to see: a CSP
// violation by inline script and style, a console error, an uncaught
// exception, a failed load; and nothing on a clean page.
func TestProblemsAreReported(t *testing.T) {
	mux := http.NewServeMux()
	csp := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:")
			h(w, r)
		}
	}
	mux.HandleFunc("/clean", csp(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<!doctype html><html><head><title>Clean</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/s.css"></head><body><p class="x">hello</p><p class="x">world</p></body></html>`)
	}))
	mux.HandleFunc("/s.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		io.WriteString(w, "p { color: #333 }")
	})
	mux.HandleFunc("/inline", csp(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<!doctype html><html><head><title>Inline</title><link rel="icon" href="data:,"><style>p{color:red}</style></head><body><p style="color:blue">x</p><script>document.title = "ran"</script></body></html>`)
	}))
	mux.HandleFunc("/noisy", csp(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<!doctype html><html><head><title>Noisy</title><link rel="icon" href="data:,"><script src="/noisy.js"></script></head><body><img src="/missing.png" alt=""></body></html>`)
	}))
	mux.HandleFunc("/noisy.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, `console.error("something broke"); setTimeout(() => { throw new Error("uncaught boom") }, 0);`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	b := Start(t)
	clean := b.NewPage(t)
	if res := clean.Open(srv.URL + "/clean"); res.Status != 200 {
		t.Fatalf("clean page: %d", res.Status)
	}
	if title, texts := clean.Title(), clean.Texts("p.x"); title != "Clean" || strings.Join(texts, ",") != "hello,world" {
		t.Errorf("clean page reads as %q %q", title, texts)
	}
	if pr := clean.Problems(); len(pr) != 0 {
		t.Errorf("a clean page reported %v", pr)
	}

	inline := b.NewPage(t)
	inline.Open(srv.URL + "/inline")
	if title := inline.Title(); title != "Inline" {
		t.Errorf("the inline script ran despite the CSP: title %q", title)
	}
	if pr := inline.Problems(); !mentions(pr, "script-src") || !mentions(pr, "style-src") {
		t.Errorf("inline script and style reported as %v, want CSP violations of script-src and style-src", pr)
	}

	noisy := b.NewPage(t)
	noisy.Open(srv.URL + "/noisy")
	if _, err := chromedp.Run(noisy.Context(), chromedp.Evaluate[bool](`new Promise(r => setTimeout(() => r(true), 50))`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err) // the timer that throws has run
	}
	pr := noisy.Problems()
	for _, want := range []string{"something broke", "uncaught boom", "missing.png"} {
		if !mentions(pr, want) {
			t.Errorf("%q not reported: %v", want, pr)
		}
	}
}

func mentions(pr []Problem, s string) bool {
	for _, p := range pr {
		if strings.Contains(p.String(), s) {
			return true
		}
	}
	return false
}
