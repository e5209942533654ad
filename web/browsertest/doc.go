// Package browsertest drives the whole site in a real headless Chromium:
// its tests start Djembe in-process (internal/app, embedded NATS and
// PostgreSQL, every role on port 0), open pages with internal/browser,
// check what a person would see, and save 1280×900 screenshots
// (DJEMBE_SCREENSHOTS=dir keeps them; the test log says where).
package browsertest
