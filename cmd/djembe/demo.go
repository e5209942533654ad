package main

import (
	"context"
	"fmt"
	"time"

	"github.com/djembe/djembe/internal/demo"
	backupdemo "github.com/djembe/djembe/internal/demo/backup"
	moviesdemo "github.com/djembe/djembe/internal/demo/movies"
	musicdemo "github.com/djembe/djembe/internal/demo/music"
)

// demoPlugins are the plugins' sample catalogues the demo uploads, Music's
// items drawn before Movies', then Backup's.
func demoPlugins() []demo.Plugin {
	return []demo.Plugin{musicdemo.New(), moviesdemo.New(), backupdemo.New()}
}

// runDemo fills a fresh site with sample users, torrents (the Music and
// Movies catalogues and the Backup plugin's backups among them) and weeks
// of announces (see demo.Fill): progress on stderr, the site's address,
// the users' passwords and the catalogue's counts as JSON on stdout. A
// site that is not fresh is refused (exit 2) and nothing is appended.
func runDemo(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "demo")
	seed := f.Uint64("seed", demo.DefaultSeed, "seed of the sample catalog and history: the same seed gives the same catalog")
	site := f.String("site-url", e.getenv("DJEMBE_SITE_URL"), "the site's address to print (default: the running serve's web address)")
	if _, err := f.parse(args, 0, 0, "[--data DIR] [--seed N] [--site-url URL]"); err != nil {
		return err
	}
	start := time.Now()
	rep, err := demo.Fill(ctx, f.config(), demo.Config{Seed: *seed, SiteURL: *site, Plugins: demoPlugins()}, e.stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "demo: done in %s\n", time.Since(start).Round(100*time.Millisecond))
	return printJSON(e.stdout, rep)
}
