package commands

import (
	"strings"
	"testing"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
)

// An upload from the site: the source goes into the info dictionary (so
// the hash is not the plain private copy's), the title and description
// are kept (a title equal to the name is not stored twice), and a title
// or description the site would not show is refused on its field; a
// duplicate comes back with the hash it took.
func TestAddTorrentFromTheSite(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice", false).User
	as := UserActor(alice.ID, false)
	file := testenv.TorrentFile(t, "album.flac", false)
	for field, in := range map[string]AddTorrent{
		"title":       {Title: strings.Repeat("é", MaxTitleRunes+1)},
		"description": {Description: strings.Repeat("d", MaxDescriptionRunes+1)},
	} {
		in.File, in.Uploader = file, "alice"
		if _, err := e.c.AddTorrent(e.ctx, as, in); domain.FieldOf(err) != field || domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("%s: %v", field, err)
		}
	}
	if _, err := e.c.AddTorrent(e.ctx, as, AddTorrent{File: file, Uploader: "alice", Title: "a\tb"}); domain.FieldOf(err) != "title" {
		t.Errorf("a control character in the title: %v", err)
	}
	if err := CheckCategory("Warez"); domain.FieldOf(err) != "category" {
		t.Errorf("CheckCategory: %v", err)
	}
	plain, err := ParseTorrent(file)
	if err != nil {
		t.Fatal(err)
	}
	added, err := e.c.AddTorrent(e.ctx, as, AddTorrent{File: file, Uploader: "alice", Category: "Music", Title: " Album ", Description: "a\r\nb", Source: "djembe"})
	if err != nil {
		t.Fatal(err)
	}
	reg := added.Torrent
	var info map[string]any
	if err := bencode.Unmarshal(reg.Info, &info); err != nil {
		t.Fatal(err)
	}
	if info["source"] != "djembe" || info["private"] != int64(1) || reg.InfoHash == plain.Registered.InfoHash ||
		reg.InfoHash != domain.InfoHash(metainfo.HashBytes(reg.Info)) || reg.Title != "Album" || reg.Description != "a\nb" || reg.DisplayName() != "Album" {
		t.Errorf("registered %+v, info %v", reg, info)
	}
	dup, err := e.c.AddTorrent(e.ctx, as, AddTorrent{File: file, Uploader: "alice", Title: "album.flac", Source: "djembe"})
	if domain.KindOf(err) != domain.KindConflict || dup.Torrent.InfoHash != reg.InfoHash {
		t.Errorf("the duplicate: %v, hash %s", err, dup.Torrent.InfoHash)
	}
	other, err := e.c.AddTorrent(e.ctx, as, AddTorrent{File: testenv.TorrentFile(t, "tape.flac", false), Uploader: "alice", Title: "tape.flac"})
	if err != nil || other.Torrent.Title != "" || other.Torrent.DisplayName() != "tape.flac" {
		t.Errorf("a title equal to the name: %+v, %v", other.Torrent, err)
	}
	d, err := e.c.Download(e.ctx, as, Download{InfoHash: reg.InfoHash, User: "alice", PublicURL: "http://t.example/", PageURL: "http://s.example/torrents/x"})
	if err != nil {
		t.Fatal(err)
	}
	mi, err := metainfo.Load(strings.NewReader(string(d.Body)))
	if err != nil || mi.Comment != "http://s.example/torrents/x" || d.FileName != "Album.torrent" || len(mi.AnnounceList) != 0 ||
		!strings.HasPrefix(mi.Announce, "http://t.example/announce/") {
		t.Errorf("download %q: %+v, %v", d.FileName, mi, err)
	}
}

// A v1 TorrentRegistered (before titles) decodes, its title empty.
func TestTorrentRegisteredV1Decodes(t *testing.T) {
	ev, err := domain.Decode(domain.TypeTorrentRegistered, 1, []byte(`{"info_hash":"`+strings.Repeat("ab", 20)+`","name":"old","size":5,"files":null,"uploader":"00000000-0000-0000-0000-000000000000","info":null,"factors":{"upload_percent":100,"download_percent":100}}`))
	if err != nil {
		t.Fatal(err)
	}
	if r := ev.(domain.TorrentRegistered); r.Name != "old" || r.Title != "" || r.DisplayName() != "old" {
		t.Errorf("decoded %+v", r)
	}
}
