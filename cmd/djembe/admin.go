package main

import (
	"context"
	"errors"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
)

// torrentChange appends a change to a registered torrent's subject, guarded
// by optimistic concurrency: it applies to the torrent as last seen.
func torrentChange(ctx context.Context, e *env, cmd string, args []string, build func(*flags) func(domain.InfoHash) (domain.Event, error)) error {
	f := newFlags(e, cmd)
	makeEvent := build(f)
	pos, err := f.parse(args, 1, 1, "INFO_HASH [flags]")
	if err != nil {
		return err
	}
	h, err := domain.ParseInfoHash(pos[0])
	if err != nil {
		return refuse("%v", err)
	}
	ev, err := makeEvent(h)
	if err != nil {
		return err
	}
	inst, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer inst.Close()
	subject := domain.TorrentSubject(h)
	last, err := inst.Log.SubjectLastSeq(ctx, subject)
	if err != nil {
		return err
	}
	if last == 0 {
		return refuse("no torrent with info hash %s is registered", h)
	}
	_, err = inst.Log.Append(ctx, subject, ev, eventlog.ExpectLastSubjectSeq(last), eventlog.Actor(domain.ActorOperator))
	if errors.Is(err, eventlog.ErrConflict) {
		return refuse("torrent %s changed meanwhile: run the command again", h)
	}
	if err != nil {
		return err
	}
	return printJSON(e.stdout, map[string]any{"info_hash": h, "event": ev.EventType(), "change": ev})
}

func torrentFactors(ctx context.Context, e *env, args []string) error {
	return torrentChange(ctx, e, "torrent factors", args, func(f *flags) func(domain.InfoHash) (domain.Event, error) {
		up := f.Int("upload", 100, "percent of uploaded bytes credited (200: double upload)")
		down := f.Int("download", 100, "percent of downloaded bytes counted (0: freeleech)")
		freeleech := f.Bool("freeleech", false, "shorthand for --download 0")
		neutral := f.Bool("neutral", false, "shorthand for --upload 0 --download 0")
		double := f.Bool("double-upload", false, "shorthand for --upload 200")
		return func(h domain.InfoHash) (domain.Event, error) {
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
			if *up < 0 || *down < 0 || *up > domain.MaxFactorPercent || *down > domain.MaxFactorPercent {
				return nil, refuse("factors must be between 0 and %d percent", domain.MaxFactorPercent)
			}
			return domain.TorrentFactorsSet{InfoHash: h, Factors: domain.Factors{UploadPercent: uint16(*up), DownloadPercent: uint16(*down)}}, nil
		}
	})
}

func torrentDelete(ctx context.Context, e *env, args []string) error {
	return torrentChange(ctx, e, "torrent delete", args, func(f *flags) func(domain.InfoHash) (domain.Event, error) {
		reason := f.String("reason", "", "why (the tracker tells clients the torrent is unregistered)")
		return func(h domain.InfoHash) (domain.Event, error) {
			return domain.TorrentDeleted{InfoHash: h, Reason: *reason}, nil
		}
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
	ev := domain.ClientAllowListSet{Prefixes: prefixes}
	if err := ev.Validate(); err != nil {
		return refuse("%v", err)
	}
	inst, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer inst.Close()
	if _, err := inst.Log.Append(ctx, domain.SubjectClients, ev, eventlog.Actor(domain.ActorOperator)); err != nil {
		return err
	}
	return printJSON(e.stdout, map[string]any{"allowed_prefixes": prefixes})
}
