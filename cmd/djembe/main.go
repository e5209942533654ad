// Command djembe runs the Djembe private tracker and its operator tools.
//
//	djembe serve                 everything in one process, on embedded defaults
//	djembe user add NAME         register a user (prints name, passkey, password)
//	djembe user show NAME        a user's read-model row, with ratio
//	djembe torrent add FILE      register a .torrent (--user NAME)
//	djembe replay --all          rebuild read models from the log, blue/green
//
// Run `djembe help` for every command.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/djembe/djembe/domain"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // the command could not do its work (a server, a port, the disk)
	exitInput   = 2 // bad usage or input refused; nothing was changed
)

// refuse is a refusal of how the command was called (usage, flags): the
// write side refuses what it is asked with kinds of its own.
func refuse(format string, args ...any) error {
	return domain.E("", domain.KindInvalid, format, args...)
}

type command struct {
	name   string
	usage  string
	run    func(ctx context.Context, env *env, args []string) error
	hidden bool // internal: not listed by help
}

// env is what every command gets: its streams and the common settings.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

var subcommands []command

func init() {
	subcommands = []command{
		{"serve", "serve [--data DIR] [--web ADDR] [--ops ADDR] [--tracker ADDR] [--public-url URL]  run tracker, projectors and web", runServe, false},
		{"user", "user add NAME [--admin] [--password-stdin] | show NAME | disable NAME [--reason R] | enable NAME | forget NAME | class NAME CLASS", runUser, false},
		{"passkey", "passkey rotate NAME  give a user a new passkey (the old one stops working)", runPasskey, false},
		{"invite", "invite create --user NAME | grant --user NAME --count N | list --user NAME  invites (the code is printed once)", runInvite, false},
		{"registration", "registration open | close | show  whether anyone may register without an invite (default: closed)", runRegistration, false},
		{"token", "token create --user NAME --name LABEL | revoke TOKEN_ID --user NAME | list --user NAME  API tokens (printed once)", runToken, false},
		{"rsskey", "rsskey show NAME | rotate NAME  a user's RSS feed key", runRSSKey, false},
		{"torrent", "torrent add FILE.torrent --user NAME | get INFO_HASH --user NAME -o FILE | factors INFO_HASH [--freeleech|--neutral|--double-upload] | delete INFO_HASH", runTorrent, false},
		{"backup", backupUsage + "  the Backup plugin: backups, their versions' redundancy, a user's standing, the queue", runBackup, false},
		{"clients", "clients allow PREFIX...  replace the client allow-list (peer_id prefixes)", runClients, false},
		{"replay", "replay NAME... | --all  rebuild read models from the log, blue/green", runReplay, false},
		{"status", "status  projections' checkpoints and lag, and the quarantine's counts, as JSON", runStatus, false},
		{"quarantine", "quarantine list | release SEQ | skip SEQ  events consumers skipped: list them, retry one (rebuilding what skipped it), or acknowledge it", runQuarantine, false},
		{"cheats", "cheats [--since D]  users and torrents that claim upload nobody downloaded, as JSON (D: 2006-01-02, 7d, 48h; default 7d)", runCheats, false},
		{"bench", "bench [flags]  drive announces at a running tracker and report requests/s, latency and memory", runBench, false},
		{"bench-baseline", "bench-baseline  (internal) the fixed-body net/http server that bench --baseline compares with", runBenchBaseline, true},
		{"loggen", "loggen --announces N  append synthetic users, torrents and announce batches; report events appended/s", runLoggen, false},
		{"demo", "demo [--data DIR] [--seed N]  fill a fresh site with sample users, torrents and weeks of announces; prints the site's URL and the users' passwords", runDemo, false},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		if len(args) == 0 {
			return exitInput
		}
		return exitOK
	}
	for _, c := range subcommands {
		if c.name == args[0] {
			return report(e.stderr, c.run(ctx, e, args[1:]))
		}
	}
	fmt.Fprintf(e.stderr, "djembe: unknown command %q\n", args[0])
	usage(e.stderr)
	return exitInput
}

func report(w io.Writer, err error) int {
	if err == nil || errors.Is(err, errHelpShown) {
		return exitOK
	}
	fmt.Fprintln(w, "djembe:", err)
	return exitCode(domain.KindOf(err))
}

// exitCode is the one place error kinds become exit codes: 2 when the
// request was refused as it stood (nothing was changed), 1 when the work
// failed.
func exitCode(k domain.Kind) int {
	if k.Refused() {
		return exitInput
	}
	return exitFailure
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: djembe COMMAND [ARGS]\n\ncommands:")
	for _, c := range subcommands {
		if !c.hidden {
			fmt.Fprintln(w, "  "+c.usage)
		}
	}
	fmt.Fprintln(w, `
common flags and settings:
  --data DIR        data directory (env DJEMBE_DATA, default ./data)
  NATS_URL          use this NATS server instead of the embedded one
  NATS_CREDS        its credentials file (or NATS_USER and NATS_PASSWORD)
  DJEMBE_SECRET_FILE  the server secret passkeys are derived with (default DIR/server.secret)
  DATABASE_URL      use this PostgreSQL instead of the embedded one`)
}
