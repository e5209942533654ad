package commands

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/domain"
)

// MaxTorrentFile bounds a .torrent read from disk or an upload.
const MaxTorrentFile = 8 << 20

// ParsedTorrent is a validated upload: its info dictionary made private.
type ParsedTorrent struct {
	Registered  domain.TorrentRegistered // without Uploader and Category
	Republished bool                     // the private flag was set, so the info hash changed
}

// ParseTorrent validates a .torrent and makes its info dictionary private
// (as Gazelle does: the uploader then seeds the .torrent the site gives back).
func ParseTorrent(data []byte) (ParsedTorrent, error) {
	if len(data) > MaxTorrentFile {
		return ParsedTorrent{}, fmt.Errorf("larger than %d MiB", MaxTorrentFile>>20)
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

// personalTorrent builds the .torrent a user downloads: the registered info
// dictionary and an announce URL holding the user's passkey.
func personalTorrent(reg domain.TorrentRegistered, publicURL string, passkey domain.Passkey) ([]byte, error) {
	mi := metainfo.MetaInfo{
		InfoBytes: reg.Info,
		Announce:  strings.TrimRight(publicURL, "/") + "/announce/" + string(passkey),
		CreatedBy: "Djembe",
		Comment:   "Private torrent: do not share this file, it holds your passkey.",
	}
	var buf bytes.Buffer
	if err := mi.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
