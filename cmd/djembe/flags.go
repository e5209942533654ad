package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/internal/app"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/projections"
	"github.com/nats-io/nats.go"
)

// errHelpShown ends a command whose --help was printed: exit 0.
var errHelpShown = errors.New("help shown")

// flags is a subcommand's flag set with the common settings.
type flags struct {
	*flag.FlagSet
	data *string
	e    *env
}

func newFlags(e *env, name string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flags{FlagSet: fs, e: e, data: fs.String("data", envOr(e, "DJEMBE_DATA", "data"), "data directory")}
}

func envOr(e *env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

// parse accepts flags before, between and after positional arguments and
// returns the positional ones, checking their count.
func (f *flags) parse(args []string, minPos, maxPos int, what string) ([]string, error) {
	var pos []string
	for {
		if err := f.Parse(args); errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(f.e.stdout, "usage: djembe %s %s\n\nflags:\n", f.Name(), what)
			f.SetOutput(f.e.stdout)
			f.PrintDefaults()
			return nil, errHelpShown
		} else if err != nil {
			return nil, refuse("%s: %v (see djembe %s --help)", f.Name(), err, f.Name())
		}
		args = f.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos, args = append(pos, args[0]), args[1:]
	}
	if len(pos) < minPos || (maxPos >= 0 && len(pos) > maxPos) {
		return nil, refuse("usage: djembe %s %s", f.Name(), what)
	}
	return pos, nil
}

func (f *flags) config() instance.Config {
	return instance.Config{DataDir: *f.data, NATSURL: f.e.getenv("NATS_URL"), NATSAuth: natsAuth(f.e.getenv),
		DatabaseURL: f.e.getenv("DATABASE_URL"), SecretFile: f.e.getenv("DJEMBE_SECRET_FILE"), Name: "djembe " + f.Name()}
}

// natsAuth is how to authenticate to an external NATS: a creds file
// (NATS_CREDS, as nsc writes them), or a user and password (NATS_USER,
// NATS_PASSWORD); none when neither is set.
func natsAuth(getenv func(string) string) []nats.Option {
	switch {
	case getenv("NATS_CREDS") != "":
		return []nats.Option{nats.UserCredentials(getenv("NATS_CREDS"))}
	case getenv("NATS_USER") != "":
		return []nats.Option{nats.UserInfo(getenv("NATS_USER"), getenv("NATS_PASSWORD"))}
	}
	return nil
}

// query runs fn, one read-side query, on read models that reflect every
// event appended so far (readModelsCurrent), and prints its result as JSON.
func (f *flags) query(ctx context.Context, fn func(*instance.Instance) (any, error)) error {
	inst, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer inst.Close()
	if err := readModelsCurrent(ctx, inst); err != nil {
		return err
	}
	result, err := fn(inst)
	if err != nil {
		return err
	}
	return printJSON(f.e.stdout, result)
}

// command runs fn, one write-side command, on the data directory's log.
func (f *flags) command(ctx context.Context, fn func(*commands.Commands) error, opts ...commands.Option) error {
	inst, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer inst.Close()
	if inst.Owner { // no serve runs its projectors: this command catches up the ones it waits for
		opts = append(opts, commands.WithAwait(catchUpAwait(inst)))
	}
	return fn(commands.New(inst.Log, inst.Keys(), opts...))
}

// limitFlags are the flags of the upload limits (commands.Limits), whose
// defaults come from the environment.
type limitFlags struct{ bytes, files *string }

// limitFlags adds the upload limits' flags to f.
func (f *flags) limitFlags() limitFlags {
	return limitFlags{
		bytes: f.String("max-torrent-bytes", envOr(f.e, "DJEMBE_MAX_TORRENT_BYTES", strconv.Itoa(commands.MaxTorrentFile)), "largest .torrent accepted, in bytes"),
		files: f.String("max-torrent-files", envOr(f.e, "DJEMBE_MAX_TORRENT_FILES", strconv.Itoa(commands.DefaultMaxFiles)), "most files a .torrent may list (padding files included)"),
	}
}

// limits are the limits the flags (or environment) give: positive numbers.
func (lf limitFlags) limits() (commands.Limits, error) {
	b, err := strconv.ParseInt(*lf.bytes, 10, 64)
	if err != nil || b <= 0 {
		return commands.Limits{}, refuse("--max-torrent-bytes (or DJEMBE_MAX_TORRENT_BYTES): %q is not a positive number of bytes", *lf.bytes)
	}
	n, err := strconv.Atoi(*lf.files)
	if err != nil || n <= 0 {
		return commands.Limits{}, refuse("--max-torrent-files (or DJEMBE_MAX_TORRENT_FILES): %q is not a positive number", *lf.files)
	}
	return commands.Limits{MaxTorrentBytes: b, MaxFiles: n}, nil
}

// open connects an operator command to the running serve's servers, or
// starts the embedded ones for the length of the command.
func (f *flags) open(ctx context.Context) (*instance.Instance, error) {
	return instance.Open(ctx, f.config(), instance.Client)
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// readModelsCurrent makes the read models reflect every event appended so
// far. When this command owns the data directory (no serve is running) it
// runs the projectors itself until they catch up; otherwise it waits for the
// serve's projectors to pass the log's current end.
func readModelsCurrent(ctx context.Context, inst *instance.Instance) error {
	if inst.Owner {
		for _, p := range app.Projections() {
			if err := projections.NewProjector(p, inst.Pool, inst.Log).CatchUp(ctx); err != nil {
				return err
			}
		}
		return nil
	}
	target, err := inst.Log.LastSeq(ctx)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		st, err := projections.Statuses(ctx, inst.Pool, inst.Log)
		if err != nil {
			return err
		}
		var behind []string
		for _, s := range st {
			if s.Seq < target {
				behind = append(behind, s.Name)
			}
		}
		if len(behind) == 0 && len(st) > 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("read models %s are behind the log (see `djembe status`)", strings.Join(behind, ", "))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// sub is one subcommand of a command group (`djembe user add`, ...).
type sub struct {
	name string
	run  func(context.Context, *env, []string) error
}

// runSub runs the subcommand args[0] of group: usage when there is none,
// and the subcommands' names, in order, when args[0] is not one of them.
func runSub(ctx context.Context, e *env, args []string, group, usage string, subs ...sub) error {
	if len(args) == 0 {
		return refuse("usage: djembe %s", usage)
	}
	names := make([]string, len(subs))
	for i, s := range subs {
		if s.name == args[0] {
			return s.run(ctx, e, args[1:])
		}
		names[i] = s.name
	}
	last := len(names) - 1
	return refuse("unknown %s command %q: use %s or %s", group, args[0], strings.Join(names[:last], ", "), names[last])
}
