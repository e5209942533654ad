package app

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
)

// TestForgettingAUserLeavesNoTraceInTheLog registers a user who uploads a
// torrent, seeds it, and rotates her passkey; then forgets her. The read
// models name her anonymously and hold no password hash, her totals stay,
// the tracker refuses her, a replay gives the same tables, and the log's
// store on disk holds neither her name, nor any of her passkeys, nor her
// password hash.
func TestForgettingAUserLeavesNoTraceInTheLog(t *testing.T) {
	data := dataDir(t)
	m := start(t, data)
	ctx, c, pool := context.Background(), m.Commands(), m.Instance().Pool
	const name = "Zelda-Quux"
	reg, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: name, Password: "hunter2hunter2"})
	if err != nil {
		t.Fatal(err)
	}
	id := reg.User.ID
	added, err := c.AddTorrent(ctx, commands.Operator, commands.AddTorrent{File: testenv.TorrentFile(t, "mixtape.flac", false), Uploader: name})
	if err != nil {
		t.Fatal(err)
	}
	first := newPeer(t, m, name, added.Torrent.InfoHash, 1)
	testenv.Eventually(t, "the tracker knows her", func() bool { return trackerAccepts(t, first) })
	first.send("started", 0, 0, 0)
	// The tracker appends announces in batches a moment later: wait for
	// hers to be projected, so the live tables dumped below hold it as the
	// replay will.
	testenv.Eventually(t, "her announce in the swarm read model", func() bool {
		var seeders int
		pool.QueryRow(ctx, `SELECT seeders FROM swarm.torrents WHERE info_hash = $1`, added.Torrent.InfoHash[:]).Scan(&seeders)
		return seeders == 1
	})
	rotated, err := c.RotatePasskey(ctx, commands.Operator, name)
	if err != nil {
		t.Fatal(err)
	}
	passkeys := []string{string(reg.User.Passkey), string(rotated.Passkey)}
	var hash string
	testenv.Eventually(t, "the users read model opens her registration", func() bool {
		return pool.QueryRow(ctx, `SELECT password_hash FROM users.users WHERE name = $1`, name).Scan(&hash) == nil
	})
	if !strings.HasPrefix(hash, "$argon2id$") {
		t.Fatalf("her password hash in the read model: %q", hash)
	}

	done, err := c.ForgetUser(ctx, commands.Operator, name)
	if err != nil || done.PlainInLog || done.User.Name != domain.AnonymousName(id) {
		t.Fatalf("forget: %+v, %v", done, err)
	}
	anon := domain.AnonymousName(id)
	testenv.Eventually(t, "the users read model forgets her", func() bool {
		var n, h string
		return pool.QueryRow(ctx, `SELECT name, password_hash FROM users.users WHERE id = $1`, id).Scan(&n, &h) == nil && n == anon && h == ""
	})
	if _, err := projections.ShowUser(ctx, pool, m.Instance().Secret, name); domain.KindOf(err) != domain.KindNotFound {
		t.Fatalf("user show by her old name: %v", err)
	}
	if _, err := c.RotatePasskey(ctx, commands.Operator, name); domain.KindOf(err) != domain.KindNotFound {
		t.Fatalf("a change to a forgotten user: %v, want not found", err)
	}
	if _, err := c.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: name}); domain.KindOf(err) != domain.KindConflict {
		t.Fatalf("registering her name again: %v, want taken", err)
	}
	again := newPeerWithPasskey(first, passkeys[0], passkeys[1], 2)
	testenv.Eventually(t, "the tracker refuses her", func() bool { return !trackerAccepts(t, again) })
	testenv.Eventually(t, "her torrent and her seeding stay, under her id", func() bool {
		var torrents, seeding int
		pool.QueryRow(ctx, `SELECT count(*) FROM swarm.torrents WHERE info_hash = $1`, added.Torrent.InfoHash[:]).Scan(&torrents)
		pool.QueryRow(ctx, `SELECT count(*) FROM ratio.user_torrents WHERE user_id = $1`, id).Scan(&seeding)
		return torrents == 1 && seeding == 1
	})

	live := dumpAll(t, m)
	for _, p := range Projections() {
		if err := projections.NewProjector(p, m.Instance().Background, m.Instance().Log).Rebuild(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	for projection, tables := range dumpAll(t, m) {
		testenv.DiffDumps(t, projection+" live vs replayed after the forget", live[projection], tables)
	}

	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	secrets := append([]string{name, strings.ToLower(name), hash}, passkeys...)
	if found := storeContains(t, data, secrets); len(found) > 0 {
		t.Fatalf("the log's store still holds her:\n%s", strings.Join(found, "\n"))
	}
	if found := storeContains(t, data, []string{"mixtape"}); len(found) == 0 {
		t.Fatal("the scan finds nothing at all: is it reading the store?")
	}
}

// newPeerWithPasskey is p announcing with passkey instead of old, as peer n.
func newPeerWithPasskey(p *peer, old, passkey string, n int) *peer {
	q := *p
	q.announce = strings.Replace(p.announce, old, passkey, 1)
	q.id = fmt.Sprintf("-TR3000-%012d", n)
	return &q
}
