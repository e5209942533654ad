package projections

import (
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

func (e *annEnv) standing(id uuid.UUID) Standing {
	e.t.Helper()
	s, err := UserStanding(e.ctx, e.pool, nil, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// TestStandingFromTheReadModels reads a user's standing while she
// downloads, seeds part of what she snatched, goes on ratio watch, loses
// and regains leeching, and one of her snatches is deleted.
func TestStandingFromTheReadModels(t *testing.T) {
	const gib = domain.GiB
	e := newAnnEnv(t)
	e.follow(Users{})
	carol := uuid.MustParse("ca201000-0000-4000-8000-000000000003")
	e.register(alice, "alice")
	e.register(bob, "bob")
	e.register(carol, "carol")
	e.append(domain.UserSubject(carol), domain.UserDisabled{UserID: carol, Reason: "test"})
	for _, h := range []domain.InfoHash{h1, h2, h3} {
		e.registerTorrent(h, "t"+h.String()[:2], 8*gib)
	}
	e.announce(
		an(0, alice, h1, "a1", domain.EventStarted, 6*gib),
		credit(an(10, alice, h1, "a1", domain.EventCompleted, 0), 0, 6*gib, 0, 6*gib), // snatched, seeding on
		an(0, alice, h2, "a2", domain.EventStarted, 2*gib),
		credit(an(10, alice, h2, "a2", domain.EventCompleted, 0), 0, 2*gib, 0, 2*gib),
		an(11, alice, h2, "a2", domain.EventStopped, 0), // snatched, not seeded
		an(0, bob, h3, "b3", domain.EventStarted, 0),    // bob seeds, downloads nothing
		credit(an(12, alice, h1, "a1", domain.EventNone, 0), gib/2, 0, gib/2, 0),
		an(0, carol, h3, "c3", domain.EventStarted, 8*gib),
		credit(an(12, carol, h3, "c3", domain.EventNone, 7*gib), 0, gib, 0, gib),
	)
	e.sync()

	s := e.standing(alice)
	// 8 GiB down: band 5-10, 0.15/0.00; seeding 1 of 2 snatched: 0.075.
	if s.Uploaded != gib/2 || s.Downloaded != 8*gib || s.RawDownloaded != 8*gib || s.Seeding != 1 || s.Snatched != 2 ||
		s.ShareSeeded != 0.5 || s.Required != 0.075 || s.Ratio != 0.0625 || !s.CanLeech || s.Watch.On {
		t.Fatalf("alice: %+v", s)
	}
	if want := domain.Buffer(gib/2, 8*gib, 0.075); s.Buffer != want || want > -gib || want < -2*gib {
		t.Errorf("alice's buffer %d, want %d", s.Buffer, want)
	}
	if !s.Figures().Below() {
		t.Error("alice is not below her requirement")
	}
	if b := e.standing(bob); b.Downloaded != 0 || b.Required != 0 || b.Seeding != 1 || b.Snatched != 0 || b.ShareSeeded != 1 {
		t.Errorf("bob: %+v", b)
	}
	if _, err := UserStanding(e.ctx, e.pool, nil, uuid.New()); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("an unknown user's standing: %v", err)
	}
	strict := domain.RatioTable{{From: 0, Max: 1, Min: 0.5}}
	if s, err := UserStanding(e.ctx, e.pool, strict, alice); err != nil || s.Required != 0.75 { // half seeded: half way from 1 to 0.5
		t.Errorf("alice's standing by another table: %+v, %v", s, err)
	}

	// The watch, as the write side would append it.
	deadline := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	e.append(domain.UserSubject(alice), domain.RatioWatchStarted{UserID: alice, Deadline: deadline, Downloaded: 8 * gib,
		Ratio: s.Ratio, Required: s.Required})
	e.sync()
	s = e.standing(alice)
	if !s.Watch.On || s.Watch.Deadline == nil || !s.Watch.Deadline.Equal(deadline) || s.Watch.StartedAt == nil ||
		s.Watch.Downloaded != 8*gib || s.Watch.Times != 1 {
		t.Fatalf("alice on watch: %+v", s.Watch)
	}
	if w := s.User().RatioWatch; !w.On || !w.Deadline.Equal(deadline) || w.Downloaded != 8*gib {
		t.Errorf("alice's watch as the aggregate: %+v", w)
	}
	standings, err := WatchStandings(e.ctx, e.pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(standings) != 1 || standings[0].UserID != alice || standings[0].Required != 0.075 {
		t.Fatalf("the watch looks at %+v, want alice alone (bob downloaded nothing, carol is disabled)", standings)
	}

	e.append(domain.UserSubject(alice), domain.LeechingSet{UserID: alice, CanLeech: false, ByRatioWatch: true, Reason: "deadline"})
	e.sync()
	if s = e.standing(alice); s.CanLeech || !s.LeechingDisabledByWatch || s.LeechReason != "deadline" || !s.User().RatioWatch.LeechingDisabled {
		t.Fatalf("alice's leeching taken by the watch: %+v", s)
	}
	e.append(domain.UserSubject(alice), domain.LeechingSet{UserID: alice, CanLeech: true, ByRatioWatch: true, Reason: "recovered"})
	e.append(domain.UserSubject(alice), domain.RatioWatchEnded{UserID: alice, Reason: domain.RatioWatchRecovered})
	e.sync()
	if s = e.standing(alice); !s.CanLeech || s.LeechingDisabledByWatch || s.Watch.On || s.Watch.Deadline != nil ||
		s.Watch.StartedAt != nil || s.Watch.Downloaded != 0 || s.Watch.Times != 1 {
		t.Fatalf("alice off watch: %+v", s)
	}

	// A deleted torrent counts neither as snatched nor as seeded: alice
	// seeds all she snatched of what is left.
	e.deleteTorrent(h2, 20)
	e.sync()
	if s = e.standing(alice); s.Snatched != 1 || s.Seeding != 1 || s.Required != 0 {
		t.Fatalf("after h2's deletion: %+v", s)
	}
	// Staff's LeechingSet is never the watch's.
	e.append(domain.UserSubject(alice), domain.LeechingSet{UserID: alice, CanLeech: false})
	e.sync()
	if s = e.standing(alice); s.CanLeech || s.LeechingDisabledByWatch {
		t.Fatalf("staff took alice's leeching: %+v", s)
	}
}
