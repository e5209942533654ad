package web

import (
	"bytes"
	"crypto/sha1"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
)

// An upload through a site configured with a source (serve's
// --torrent-source) writes that source into the info dictionary, so the
// same .torrent uploaded to a site with the default source ("djembe") has
// another info hash.
func TestUploadWritesTheConfiguredSource(t *testing.T) {
	ls := newLiveSite(t, Deps{Source: "tracker.example"})
	alice := ls.register("alice", false)
	cookie := ls.cookie(alice)
	file := testenv.TorrentFile(t, "album", false)

	upload := func(site http.Handler) domain.TorrentRegistered {
		t.Helper()
		body, ctype := multipartUpload(t, file, map[string]string{"category": "Music", "title": "Album"})
		code, out := ls.do(site, liveRequest{method: "POST", path: "/upload", cookie: cookie, body: body, contentType: ctype})
		m := regexp.MustCompile(`/torrents/([0-9a-f]{40})\?uploaded=1`).FindStringSubmatch(out)
		if code != http.StatusSeeOther || m == nil {
			t.Fatalf("upload: %d %s", code, out)
		}
		h, err := domain.ParseInfoHash(m[1])
		if err != nil {
			t.Fatal(err)
		}
		recs, err := ls.log.Read(t.Context(), domain.TorrentSubject(h))
		if err != nil || len(recs) != 1 {
			t.Fatalf("the torrent's subject: %d records, %v", len(recs), err)
		}
		ev, err := recs[0].Decode()
		if err != nil {
			t.Fatal(err)
		}
		reg := ev.(domain.TorrentRegistered)
		if domain.InfoHash(sha1.Sum(reg.Info)) != h {
			t.Fatalf("info hash %s is not the SHA-1 of the info dictionary", h)
		}
		return reg
	}
	configured := upload(ls.h)
	defaulted := upload(ls.site(Deps{}))
	for _, tc := range []struct {
		reg    domain.TorrentRegistered
		source string
	}{{configured, "tracker.example"}, {defaulted, "djembe"}} {
		want := "6:source" + strconv.Itoa(len(tc.source)) + ":" + tc.source
		if !bytes.Contains(tc.reg.Info, []byte(want)) || !bytes.Contains(tc.reg.Info, []byte("7:privatei1e")) {
			t.Errorf("the info dictionary holds no %q with private=1: %q", want, tc.reg.Info)
		}
	}
	if configured.InfoHash == defaulted.InfoHash {
		t.Error("the two sources give one info hash")
	}
}
