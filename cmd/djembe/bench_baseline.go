package main

import (
	"context"

	"github.com/djembe/djembe/internal/bench"
)

// runBenchBaseline is the hidden `djembe bench-baseline`
// (bench.BaselineSubcommand): the trivial net/http server `bench --baseline`
// compares the tracker with (see bench.ServeBaseline). It prints its address
// on the first line of stdout and runs until its stdin closes (its parent
// bench exited) or it is signalled.
func runBenchBaseline(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, bench.BaselineSubcommand)
	addr := f.String("addr", "127.0.0.1:0", "loopback address to listen on")
	size := f.Int("size", 0, "body size in bytes")
	if _, err := f.parse(args, 0, 0, "[--addr 127.0.0.1:0] [--size N]"); err != nil {
		return err
	}
	return bench.ServeBaseline(ctx, *addr, *size, e.stdin, e.stdout)
}
