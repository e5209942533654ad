package main

import (
	"context"
	"fmt"
	"os"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/instance"
)

func runTorrent(ctx context.Context, e *env, args []string) error {
	return runSub(ctx, e, args, "torrent", "torrent add FILE.torrent --user NAME | get INFO_HASH --user NAME -o FILE | factors INFO_HASH [--freeleech|--neutral|--double-upload|--upload P --download P] | delete INFO_HASH [--reason R]",
		sub{"add", torrentAdd}, sub{"get", torrentGet}, sub{"factors", torrentFactors}, sub{"delete", torrentDelete})
}

func torrentAdd(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "torrent add")
	user := f.String("user", "", "the uploader's username")
	lf := f.limitFlags()
	pos, err := f.parse(args, 1, 1, "FILE.torrent --user NAME")
	if err != nil {
		return err
	}
	if *user == "" {
		return refuse("torrent add: --user NAME is required (the uploader)")
	}
	limits, err := lf.limits()
	if err != nil {
		return err
	}
	data, err := readTorrentFile(pos[0], limits)
	if err != nil {
		return err
	}
	var added commands.TorrentAdded
	err = f.command(ctx, func(c *commands.Commands) (err error) {
		added, err = c.AddTorrent(ctx, commands.Operator, commands.AddTorrent{File: data, Uploader: *user})
		return err
	}, commands.WithLimits(limits))
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	t := added.Torrent
	return printJSON(e.stdout, map[string]any{
		"info_hash": t.InfoHash, "name": t.Name, "size": t.Size, "files": len(t.Files), "made_private": added.MadePrivate,
	})
}

// readTorrentFile reads the .torrent at path, at most limits.MaxTorrentBytes
// and one byte more (so /dev/zero or a huge file is refused, not read), before
// any server is started.
func readTorrentFile(path string, limits commands.Limits) ([]byte, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, refuse("cannot read %s: %v", path, err)
	}
	defer file.Close()
	data, err := limits.ReadTorrent(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

func torrentGet(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "torrent get")
	user := f.String("user", "", "whose personal .torrent (their passkey goes in the announce URL)")
	out := f.String("o", "", "output file")
	public := f.String("public-url", e.getenv("DJEMBE_PUBLIC_URL"), "the tracker's public base URL")
	pos, err := f.parse(args, 1, 1, "INFO_HASH --user NAME -o FILE")
	if err != nil {
		return err
	}
	if *user == "" || *out == "" {
		return refuse("torrent get: --user NAME and -o FILE are required")
	}
	h, err := domain.ParseInfoHash(pos[0])
	if err != nil {
		return refuse("%v", err)
	}
	inst, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer inst.Close()
	body, err := commands.New(inst.Log, inst.Keys()).PersonalTorrent(ctx, commands.Operator, h, *user, publicTrackerURL(*public, inst))
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, body, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	return printJSON(e.stdout, map[string]any{"info_hash": h, "file": *out, "user": *user})
}

// publicTrackerURL is the base URL clients announce to: the flag or
// DJEMBE_PUBLIC_URL, else the running serve's, else the default listener.
func publicTrackerURL(flagValue string, inst *instance.Instance) string {
	if flagValue != "" {
		return flagValue
	}
	if inst.Runtime.TrackerURL != "" {
		return inst.Runtime.TrackerURL
	}
	return "http://" + defaultTrackerAddr
}
