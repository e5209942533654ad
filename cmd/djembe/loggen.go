package main

import (
	"context"

	"github.com/djembe/djembe/internal/bench"
)

// runLoggen appends a synthetic history to the data directory's log (see
// bench.Loggen): progress on stderr, the throughput as JSON on stdout.
func runLoggen(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "loggen")
	c := bench.LoggenConfig{}
	f.IntVar(&c.Announces, "announces", 1_000_000, "announce events to append")
	f.IntVar(&c.Users, "users", 10_000, "users to register")
	f.IntVar(&c.Torrents, "torrents", 2_000, "torrents to register")
	f.IntVar(&c.Peers, "peers", 100_000, "simulated peer sessions")
	f.IntVar(&c.Batch, "batch", 1000, "announces per log message")
	if _, err := f.parse(args, 0, 0, "[--announces N] [--users U] [--torrents T] [--peers P]"); err != nil {
		return err
	}
	rep, err := bench.Loggen(ctx, f.config(), c, e.stderr)
	if err != nil {
		return err
	}
	return printJSON(e.stdout, rep)
}
