package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/projections"
)

// maxTorrentFile bounds a .torrent read from disk or an upload.
const maxTorrentFile = 8 << 20

func runTorrent(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return refuse("usage: djembe torrent add FILE.torrent --user NAME | get INFO_HASH --user NAME -o FILE | factors INFO_HASH [--freeleech|--neutral|--double-upload|--upload P --download P] | delete INFO_HASH [--reason R]")
	}
	switch args[0] {
	case "add":
		return torrentAdd(ctx, e, args[1:])
	case "get":
		return torrentGet(ctx, e, args[1:])
	case "factors":
		return torrentFactors(ctx, e, args[1:])
	case "delete":
		return torrentDelete(ctx, e, args[1:])
	}
	return refuse("unknown torrent command %q: use add, get, factors or delete", args[0])
}

// ParsedTorrent is a validated upload: its info dictionary made private.
type ParsedTorrent struct {
	Registered  domain.TorrentRegistered
	Republished bool // the private flag was set, so the info hash changed
}

// parseTorrent validates a .torrent and makes its info dictionary private
// (as Gazelle does: the uploader then seeds the .torrent the site gives back).
func parseTorrent(data []byte) (ParsedTorrent, error) {
	if len(data) > maxTorrentFile {
		return ParsedTorrent{}, fmt.Errorf("larger than %d MiB", maxTorrentFile>>20)
	}
	mi, err := metainfo.Load(bytes.NewReader(data))
	if err != nil {
		return ParsedTorrent{}, fmt.Errorf("not a bencoded .torrent: %v", err)
	}
	info, err := mi.UnmarshalInfo()
	if err != nil {
		return ParsedTorrent{}, fmt.Errorf("its info dictionary is malformed: %v", err)
	}
	if !info.HasV1() || len(info.Pieces) == 0 || len(info.Pieces)%20 != 0 || info.PieceLength <= 0 {
		return ParsedTorrent{}, errors.New("it has no v1 pieces (v2-only torrents are not supported)")
	}
	if info.TotalLength() <= 0 {
		return ParsedTorrent{}, errors.New("it describes no data")
	}
	raw, republished, err := makePrivate(mi.InfoBytes)
	if err != nil {
		return ParsedTorrent{}, err
	}
	var files []domain.TorrentFile
	for fi := range info.UpvertedV1Files() {
		files = append(files, domain.TorrentFile{Path: strings.Join(append([]string{info.BestName()}, fi.BestPath()...), "/"), Length: fi.Length})
	}
	return ParsedTorrent{Republished: republished, Registered: domain.TorrentRegistered{
		InfoHash: domain.InfoHash(metainfo.HashBytes(raw)),
		Name:     info.BestName(),
		Size:     info.TotalLength(),
		Files:    files,
		Info:     raw,
		Factors:  domain.NormalFactors,
	}}, nil
}

// makePrivate sets private=1 in a bencoded info dictionary, re-encoding it
// canonically only when the flag was missing.
func makePrivate(info []byte) ([]byte, bool, error) {
	var d map[string]bencode.Bytes
	if err := bencode.Unmarshal(info, &d); err != nil {
		return nil, false, fmt.Errorf("its info dictionary is malformed: %v", err)
	}
	if p, ok := d["private"]; ok && string(p) == "i1e" {
		return info, false, nil
	}
	d["private"] = bencode.Bytes("i1e")
	out, err := bencode.Marshal(d)
	return out, true, err
}

func torrentAdd(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "torrent add")
	user := f.String("user", "", "the uploader's username")
	pos, err := f.parse(args, 1, 1, "FILE.torrent --user NAME")
	if err != nil {
		return err
	}
	if *user == "" {
		return refuse("torrent add: --user NAME is required (the uploader)")
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return refuse("cannot read %s: %v", pos[0], err)
	}
	t, err := parseTorrent(data)
	if err != nil {
		return refuse("%s is not a valid .torrent: %v", pos[0], err)
	}
	inst, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer inst.Close()
	u, err := lookupUser(ctx, inst, *user)
	if err != nil {
		return err
	}
	t.Registered.Uploader = u.UserID
	_, err = inst.Log.Append(ctx, domain.TorrentSubject(t.Registered.InfoHash), t.Registered, eventlog.ExpectNew(), eventlog.Actor(u.UserID.String()))
	if errors.Is(err, eventlog.ErrConflict) {
		return refuse("torrent %s (%s) is already registered", t.Registered.InfoHash, t.Registered.Name)
	}
	if err != nil {
		return err
	}
	return printJSON(e.stdout, map[string]any{
		"info_hash": t.Registered.InfoHash, "name": t.Registered.Name, "size": t.Registered.Size,
		"files": len(t.Registered.Files), "made_private": t.Republished,
	})
}

// personalTorrent builds the .torrent a user downloads: the registered info
// dictionary and an announce URL holding the user's passkey.
func personalTorrent(reg domain.TorrentRegistered, publicURL, passkey string) ([]byte, error) {
	mi := metainfo.MetaInfo{
		InfoBytes:    reg.Info,
		Announce:     strings.TrimRight(publicURL, "/") + "/announce/" + passkey,
		CreatedBy:    "Djembe",
		Comment:      "Private torrent: do not share this file, it holds your passkey.",
		CreationDate: 0,
	}
	var buf bytes.Buffer
	if err := mi.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func registeredTorrent(ctx context.Context, inst *instance.Instance, h domain.InfoHash) (domain.TorrentRegistered, error) {
	reg, found, err := firstEvent[domain.TorrentRegistered](ctx, inst.Log, domain.TorrentSubject(h))
	if err == nil && !found {
		err = refuse("no torrent with info hash %s is registered", h)
	}
	return reg, err
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
	reg, err := registeredTorrent(ctx, inst, h)
	if err != nil {
		return err
	}
	if _, err := lookupUser(ctx, inst, *user); err != nil {
		return err
	}
	if err := readModelsCurrent(ctx, inst); err != nil {
		return err
	}
	u, err := projections.ShowUser(ctx, inst.Pool, *user)
	if err != nil {
		return err
	}
	body, err := personalTorrent(reg, publicTrackerURL(*public, inst), u.Passkey)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, body, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	return printJSON(e.stdout, map[string]any{"info_hash": h, "file": *out, "user": u.Name})
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
