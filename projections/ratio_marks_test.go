package projections

import (
	"testing"

	"github.com/djembe/djembe/domain"
)

// A user's marks: seeding where their active peer has nothing left,
// leeching where it has something left, snatched where they completed
// and left, nothing where they never completed or never came.
func TestUserMarks(t *testing.T) {
	e := newAnnEnv(t)
	e.announce(
		an(0, alice, h1, "a1", domain.EventStarted, 0),   // seeding h1
		an(1, alice, h2, "a2", domain.EventStarted, 100), // leeching h2
		an(2, bob, h1, "b1", domain.EventStarted, 100),   // bob leeches h1 ...
		an(3, bob, h1, "b1", domain.EventCompleted, 0),   // ... completes it ...
		an(4, bob, h1, "b1", domain.EventStopped, 0),     // ... and leaves: snatched
		an(5, bob, h2, "b2", domain.EventStarted, 100),   // bob gives up on h2 ...
		an(6, bob, h2, "b2", domain.EventStopped, 100),   // ... without completing: nothing
	)
	e.sync()
	for _, tc := range []struct {
		name string
		user domain.UserID
		want map[domain.InfoHash]string
	}{
		{"alice", alice, map[domain.InfoHash]string{h1: MarkSeeding, h2: MarkLeeching}},
		{"bob", bob, map[domain.InfoHash]string{h1: MarkSnatched}},
	} {
		got, err := UserMarks(e.ctx, e.pool, tc.user, []domain.InfoHash{h1, h2, h3})
		if err != nil || len(got) != len(tc.want) {
			t.Errorf("%s: %v, %v; want %v", tc.name, got, err, tc.want)
			continue
		}
		for h, m := range tc.want {
			if got[h] != m {
				t.Errorf("%s on %s: %q, want %q", tc.name, h, got[h], m)
			}
		}
	}
	if got, err := UserMarks(e.ctx, e.pool, alice, nil); err != nil || len(got) != 0 {
		t.Errorf("no torrents: %v, %v", got, err)
	}
}
