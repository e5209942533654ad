package app

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
)

const gib = 1 << 30

// peer is one client of one user on one torrent, announcing to the real
// tracker through the user's personal announce URL.
type peer struct {
	t        *testing.T
	announce string
	hash     domain.InfoHash
	id       string
}

func newPeer(t *testing.T, m *Main, user string, h domain.InfoHash, n int) *peer {
	t.Helper()
	body, err := m.Commands().PersonalTorrent(context.Background(), commands.Operator, h, user, m.TrackerURL())
	if err != nil {
		t.Fatal(err)
	}
	mi, err := metainfo.Load(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return &peer{t: t, announce: mi.Announce, hash: h, id: fmt.Sprintf("-TR3000-%012d", n)}
}

// send announces the counters; it fails the test on a failure reason.
func (p *peer) send(event string, up, down, left uint64) {
	p.t.Helper()
	q := url.Values{"info_hash": {string(p.hash[:])}, "peer_id": {p.id}, "port": {"51413"}, "compact": {"1"},
		"uploaded": {strconv.FormatUint(up, 10)}, "downloaded": {strconv.FormatUint(down, 10)}, "left": {strconv.FormatUint(left, 10)}}
	if event != "" {
		q.Set("event", event)
	}
	_, b := get(p.t, p.announce+"?"+q.Encode())
	var answer map[string]any
	if err := bencode.Unmarshal([]byte(b), &answer); err != nil || answer["failure reason"] != nil {
		p.t.Fatalf("announce %s up=%d down=%d left=%d: %q (%v)", event, up, down, left, b, err)
	}
}

// TestCheatsThroughTheTracker runs the whole system: a forger announces
// an upload of 2^63-1 bytes on a torrent nobody else is on, and an honest
// seeder uploads to an honest leecher exactly what it downloads (3 GiB, in
// two steps under the rate cap). Once the projectors have caught up, the
// report lists the forger and its torrent, and neither honest user nor
// their torrent.
func TestCheatsThroughTheTracker(t *testing.T) {
	m := start(t, dataDir(t))
	ctx := context.Background()
	c := m.Commands()
	for _, name := range []string{"forger", "seeder", "leecher"} {
		if _, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	add := func(file []byte, uploader string) domain.InfoHash {
		added, err := c.AddTorrent(ctx, commands.Operator, commands.AddTorrent{File: file, Uploader: uploader})
		if err != nil {
			t.Fatal(err)
		}
		return added.Torrent.InfoHash
	}
	forged, honest := add(testenv.TorrentFile(t, "forged.flac", false), "forger"), add(testenv.TorrentOfSize(t, "honest.flac", 3*gib, false), "seeder")
	f, s, l := newPeer(t, m, "forger", forged, 1), newPeer(t, m, "seeder", honest, 2), newPeer(t, m, "leecher", honest, 3)
	testenv.Eventually(t, "the tracker knows the users and torrents", func() bool {
		return trackerAccepts(t, f) && trackerAccepts(t, s)
	})
	f.send("started", 0, 0, 0)
	s.send("started", 0, 0, 0)
	l.send("started", 0, 0, 3*gib)
	s.send("", 3*gib/2, 0, 0)
	l.send("", 0, 3*gib/2, 3*gib/2)
	s.send("", 3*gib, 0, 0)
	l.send("completed", 0, 3*gib, 0)
	f.send("", 1<<63-1, 0, 0)

	since := time.Now().Add(-7 * 24 * time.Hour)
	var rep projections.CheatReport
	testenv.Eventually(t, "the projectors have the forgery, the honest transfer and their names", func() bool {
		var err error
		if rep, err = projections.Cheats(ctx, m.Instance().Pool, since, projections.DefaultCheatThresholds); err != nil {
			t.Fatal(err)
		}
		var up, down int64
		m.Instance().Pool.QueryRow(ctx, `SELECT COALESCE(sum(raw_uploaded), 0), COALESCE(sum(raw_downloaded), 0)
			FROM cheats.torrent_days WHERE info_hash = $1`, honest[:]).Scan(&up, &down)
		return len(rep.Users) > 0 && len(rep.Torrents) > 0 && up == 3*gib && down == 3*gib && named(rep)
	})
	var users []string
	for _, u := range rep.Users {
		users = append(users, u.Name)
	}
	if !slices.Equal(users, []string{"forger"}) {
		t.Fatalf("report lists users %v, want only the forger:\n%+v", users, rep.Users)
	}
	fu := rep.Users[0]
	if fu.ClaimedUp != 1<<63-1 || fu.CreditedUp != 0 || fu.Caps["up_rate"] != 1 || fu.Caps["up_empty"] != 1 ||
		!slices.Contains(fu.Reasons, projections.ReasonUpRate) || !slices.Contains(fu.Reasons, projections.ReasonExcess) {
		t.Fatalf("the forger's figures: %+v", fu)
	}
	if len(rep.Torrents) != 1 || rep.Torrents[0].InfoHash != forged || !strings.HasPrefix(rep.Torrents[0].Name, "forged") {
		t.Fatalf("report lists torrents %+v, want only %s", rep.Torrents, forged)
	}
}

// named reports whether the users and swarm read models, which name the
// report's rows and run on projectors of their own, have caught up with it.
func named(rep projections.CheatReport) bool {
	for _, u := range rep.Users {
		if u.Name == "" {
			return false
		}
	}
	for _, t := range rep.Torrents {
		if t.Name == "" {
			return false
		}
	}
	return true
}

// trackerAccepts announces a peer's start, stopping it again, and reports
// whether the tracker accepted it (it learns users and torrents from the
// log within a second).
func trackerAccepts(t *testing.T, p *peer) bool {
	probe := *p
	probe.id = strings.Replace(p.id, "-TR3000-", "-TR3000-9", 1)[:20]
	q := url.Values{"info_hash": {string(p.hash[:])}, "peer_id": {probe.id}, "port": {"51413"},
		"uploaded": {"0"}, "downloaded": {"0"}, "left": {"0"}, "compact": {"1"}, "event": {"stopped"}}
	_, b := get(t, p.announce+"?"+q.Encode())
	var answer map[string]any
	return bencode.Unmarshal([]byte(b), &answer) == nil && answer["failure reason"] == nil
}
