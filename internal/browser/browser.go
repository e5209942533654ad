// Package browser drives a real headless Chromium (Debian's chromium
// package, which `scripts/deps.sh test` installs) from Go tests with
// chromedp: open pages, read them, take screenshots, and collect every
// console error, uncaught exception, failed load and Content-Security-Policy
// violation the browser reports.
//
// Without Chromium a test fails when DJEMBE_REQUIRE_BROWSER=1 (make test
// sets it, after the setup that installs Chromium) and is skipped, saying
// how to install it, otherwise.
package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/audits"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Width and Height are the viewport every page is shown in (and its
// screenshots' size).
const (
	Width  = 1280
	Height = 900
)

// Timeout is how long one test's browser may run, every page and action
// in it included; then its actions fail. It only stops a browser that
// hangs: the render test opens some 170 pages, which take about a minute
// on an idle machine of two cores and two to three times that under the
// load of a whole make test, so it is far above both.
const Timeout = 8 * time.Minute

// Find is the Chromium to run: $DJEMBE_CHROMIUM, else the first of
// chromium, chromium-browser, google-chrome on PATH.
func Find() (string, error) {
	if p := os.Getenv("DJEMBE_CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("DJEMBE_CHROMIUM: %w", err)
		}
		return path, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium on PATH (install it with `scripts/deps.sh test`, or `apt-get install -y chromium`; or set DJEMBE_CHROMIUM)")
}

// flags are Chromium's command line beyond chromedp's defaults (which
// already run it headless, without first-run pages, background networking
// or /dev/shm): no sandbox (the tests may run as root, where Chromium
// refuses one), no component updates or QUIC (nothing may reach the
// network), no GPU.
var flags = []chromedp.ExecAllocatorOption{
	chromedp.NoSandbox,
	chromedp.Flag("disable-background-networking", true),
	chromedp.Flag("disable-component-update", true),
	chromedp.Flag("disable-quic", true),
	chromedp.Flag("disable-gpu", true),
	chromedp.Flag("no-zygote", true),
	chromedp.WindowSize(Width, Height),
}

// Browser is one headless Chromium, closed when its test ends. It starts
// with the first page (NewPage), in the tab it opens with.
type Browser struct {
	t     testing.TB
	alloc context.Context // the allocator's, with the test's deadline
	first context.Context // the first page's tab: the browser lives as long as it
}

// Start prepares a headless Chromium for t, which runs from the first
// NewPage until t ends or Timeout passes. Without Chromium, t fails when
// DJEMBE_REQUIRE_BROWSER=1 and is skipped otherwise.
func Start(t testing.TB) *Browser {
	t.Helper()
	path, err := Find()
	if err != nil {
		if os.Getenv("DJEMBE_REQUIRE_BROWSER") == "1" {
			t.Fatalf("browser tests need Chromium: %v", err)
		}
		t.Skipf("skipping a browser test: %v", err)
	}
	opts := append(append(chromedp.DefaultExecAllocatorOptions[:0:0], chromedp.DefaultExecAllocatorOptions[:]...), flags...)
	opts = append(opts, chromedp.ExecPath(path), chromedp.UserDataDir(t.TempDir()))
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(func() { cancelAlloc(); cancel() })
	return &Browser{t: t, alloc: alloc}
}

// Problem is something a page reported that a correct page does not: a
// console error or warning, an uncaught exception, a browser log entry
// (a failed load, a CSP violation) or an issue of the DevTools Issues panel.
type Problem struct {
	Kind   string // console, exception, log, issue
	Source string // a log entry's source (network, security, ...); an issue's code
	Text   string
	URL    string
}

func (p Problem) String() string {
	s := p.Kind
	if p.Source != "" {
		s += "/" + p.Source
	}
	s += ": " + p.Text
	if p.URL != "" {
		s += " (" + p.URL + ")"
	}
	return s
}

// Page is one tab, 1280×900.
type Page struct {
	t   testing.TB
	ctx context.Context

	mu       sync.Mutex
	problems []Problem
}

// NewPage opens a tab in b for t: the browser's first tab (starting the
// browser) the first time, a new one after.
func (b *Browser) NewPage(t testing.TB) *Page {
	t.Helper()
	p := &Page{t: t}
	parent := b.first
	if parent == nil {
		parent = b.alloc
	}
	opts := []chromedp.ContextOption{chromedp.WithListener(p.listen)}
	if b.first == nil {
		opts = append(opts, chromedp.WithLogf(t.Logf))
	}
	ctx, cancel := chromedp.NewContext(parent, opts...)
	t.Cleanup(cancel)
	if b.first == nil {
		b.first = ctx
	}
	p.ctx = ctx
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(Width, Height)); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	if _, err := chromedp.Call(ctx, audits.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enable the Issues domain: %v", err)
	}
	return p
}

// Context is the tab's context, for chromedp actions the helpers lack.
func (p *Page) Context() context.Context { return p.ctx }

// listen records problems; chromedp calls it in the order events arrive.
func (p *Page) listen(ev any) {
	var pr Problem
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeWarning && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var args []string
		for _, a := range ev.Args {
			args = append(args, strings.Trim(string(a.Value), `"`)+a.Description)
		}
		pr = Problem{Kind: "console", Source: string(ev.Type), Text: strings.Join(args, " ")}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil {
			text += " " + d.Exception.Description
		}
		pr = Problem{Kind: "exception", Text: text, URL: d.URL}
	case *log.EventEntryAdded:
		if ev.Entry.Level != log.EntryLevelError && ev.Entry.Level != log.EntryLevelWarning {
			return
		}
		pr = Problem{Kind: "log", Source: string(ev.Entry.Source), Text: ev.Entry.Text, URL: ev.Entry.URL}
	case *audits.EventIssueAdded:
		pr = Problem{Kind: "issue", Source: string(ev.Issue.Code), Text: issueText(ev.Issue)}
	default:
		return
	}
	p.mu.Lock()
	p.problems = append(p.problems, pr)
	p.mu.Unlock()
}

// issueText is what an issue is about, as far as its details say.
func issueText(i *audits.InspectorIssue) string {
	if i.Details == nil {
		return ""
	}
	if d := i.Details.ContentSecurityPolicyIssueDetails; d != nil {
		return fmt.Sprintf("%s violates %q (%s)", cmp(d.BlockedURL, "inline content"), d.ViolatedDirective, d.ContentSecurityPolicyViolationType)
	}
	if d := i.Details.GenericIssueDetails; d != nil {
		return fmt.Sprintf("%s %s", d.ErrorType, d.ViolatingNodeAttribute)
	}
	return ""
}

func cmp(s, or string) string {
	if s == "" {
		return or
	}
	return s
}

// Problems are what the page reported since the tab opened.
func (p *Page) Problems() []Problem {
	// A round trip to the tab: every event sent before its reply has
	// been recorded.
	_, _ = chromedp.Run(p.ctx, chromedp.Evaluate[bool]("true"))
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Problem(nil), p.problems...)
}

// Open loads url and waits for it, and returns the document's response
// (its status and headers). A page that does not load fails t.
func (p *Page) Open(url string) *network.Response {
	p.t.Helper()
	res, err := chromedp.Run(p.ctx, chromedp.NavigateResponse(url))
	if err != nil {
		p.t.Fatalf("open %s: %v", url, err)
	}
	return res
}

// Title is the document's title.
func (p *Page) Title() string {
	p.t.Helper()
	title, err := chromedp.Run(p.ctx, chromedp.Title())
	if err != nil {
		p.t.Fatalf("read the title: %v", err)
	}
	return title
}

// Texts are the texts of the elements sel (a CSS selector) matches, in
// document order, white space collapsed (as written: no text-transform);
// none when nothing matches.
func (p *Page) Texts(sel string) []string {
	p.t.Helper()
	texts, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](
		fmt.Sprintf(`Array.from(document.querySelectorAll(%q), e => e.textContent.replace(/\s+/g, " ").trim())`, sel)))
	if err != nil {
		p.t.Fatalf("read %s: %v", sel, err)
	}
	return texts
}

// Eval evaluates a JavaScript expression in the page and decodes its value.
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// SetCookie sets a cookie for url's site, as if its server had set it.
func (p *Page) SetCookie(url, name, value string) {
	p.t.Helper()
	httpOnly := true
	if _, err := chromedp.Call(p.ctx, network.SetCookie, network.SetCookieParams{
		Name: name, Value: value, URL: url, Path: "/", HTTPOnly: &httpOnly, SameSite: network.CookieSameSiteLax,
	}); err != nil {
		p.t.Fatalf("set cookie %s: %v", name, err)
	}
}

// Screenshot saves the viewport (the whole page with
// DJEMBE_SCREENSHOTS_FULL=1) as a PNG named name (and the test's name) in
// $DJEMBE_SCREENSHOTS, else in the test's temporary directory, logs where,
// and returns the path.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	shot := chromedp.CaptureScreenshot()
	if os.Getenv("DJEMBE_SCREENSHOTS_FULL") == "1" {
		shot = chromedp.FullScreenshot(100) // the whole page, below the fold too (PNG at quality 100)
	}
	png, err := chromedp.Run(p.ctx, shot)
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := os.Getenv("DJEMBE_SCREENSHOTS")
	if dir == "" {
		dir = p.t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	file := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(p.t.Name())+"-"+name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot %s: %s", name, file)
	return file
}
