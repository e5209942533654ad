package main

import (
	"context"
	"strings"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
)

// torrentChange runs a staff command on the torrent named by the one
// argument and prints the change it appended.
func torrentChange(ctx context.Context, f *flags, args []string,
	change func(c *commands.Commands, h domain.InfoHash) (domain.Event, error)) error {
	pos, err := f.parse(args, 1, 1, "INFO_HASH [flags]")
	if err != nil {
		return err
	}
	h, err := domain.ParseInfoHash(pos[0])
	if err != nil {
		return refuse("%v", err)
	}
	var ev domain.Event
	if err := f.command(ctx, func(c *commands.Commands) (err error) { ev, err = change(c, h); return err }); err != nil {
		return err
	}
	return printJSON(f.e.stdout, map[string]any{"info_hash": h, "event": ev.EventType(), "change": ev})
}

func torrentFactors(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "torrent factors")
	up := f.Int("upload", 100, "percent of uploaded bytes credited (200: double upload)")
	down := f.Int("download", 100, "percent of downloaded bytes counted (0: freeleech)")
	freeleech := f.Bool("freeleech", false, "shorthand for --download 0")
	neutral := f.Bool("neutral", false, "shorthand for --upload 0 --download 0")
	double := f.Bool("double-upload", false, "shorthand for --upload 200")
	return torrentChange(ctx, f, args, func(c *commands.Commands, h domain.InfoHash) (domain.Event, error) {
		switch {
		case *neutral:
			*up, *down = 0, 0
		case *freeleech && *double:
			*up, *down = 200, 0
		case *freeleech:
			*down = 0
		case *double:
			*up = 200
		}
		factors, err := domain.NewFactors(*up, *down)
		if err != nil {
			return nil, refuse("%v", err)
		}
		ev, err := c.SetTorrentFactors(ctx, commands.Operator, h, factors)
		return ev, err
	})
}

func torrentDelete(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "torrent delete")
	reason := f.String("reason", "", "why (the tracker tells clients the torrent is unregistered)")
	return torrentChange(ctx, f, args, func(c *commands.Commands, h domain.InfoHash) (domain.Event, error) {
		ev, err := c.DeleteTorrent(ctx, commands.Operator, h, *reason)
		return ev, err
	})
}

// runClients replaces the client allow-list (peer_id prefixes).
func runClients(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "allow" {
		return refuse("usage: djembe clients allow PREFIX... (e.g. -qB -TR -LT; default: %v)", domain.DefaultClientPrefixes)
	}
	// Prefixes start with '-', so only --data is read as a flag here.
	f := newFlags(e, "clients allow")
	var prefixes []string
	for rest := args[1:]; len(rest) > 0; rest = rest[1:] {
		switch a := rest[0]; {
		case (a == "--data" || a == "-data") && len(rest) > 1:
			*f.data, rest = rest[1], rest[1:]
		case strings.HasPrefix(a, "--data="):
			*f.data = strings.TrimPrefix(a, "--data=")
		default:
			prefixes = append(prefixes, a)
		}
	}
	err := f.command(ctx, func(c *commands.Commands) error {
		_, err := c.SetClientAllowList(ctx, commands.Operator, prefixes)
		return err
	})
	if err != nil {
		return err
	}
	return printJSON(e.stdout, map[string]any{"allowed_prefixes": prefixes})
}
