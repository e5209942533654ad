package projections

import (
	"context"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// follow runs p's projector on e's log and database until the test ends;
// e.sync then waits for it too.
func (e *annEnv) follow(p Projection) {
	e.t.Helper()
	ctx, cancel := context.WithCancel(e.ctx)
	pr := NewProjector(p, e.pool, e.log)
	done := make(chan error, 1)
	go func() { done <- pr.Run(ctx) }()
	e.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && ctx.Err() == nil {
			e.t.Error(err)
		}
	})
	select {
	case <-pr.Ready():
	case err := <-done:
		done <- nil
		e.t.Fatalf("projector %s: %v", p.Name(), err)
	}
	e.prs = append(e.prs, pr)
}

// newCheatEnv is an annEnv that also runs the users, catalog and cheats
// projectors (the report names users from the one and torrents from the
// catalog, or swarm).
func newCheatEnv(t *testing.T) *annEnv {
	e := newAnnEnv(t)
	e.follow(Users{})
	e.follow(Catalog{})
	e.follow(CheatSignals{})
	return e
}

// register appends a user's registration, so the report can name them.
func (e *annEnv) register(id uuid.UUID, name string) {
	e.t.Helper()
	pk, err := domain.NewPasskey()
	if err != nil {
		e.t.Fatal(err)
	}
	e.append(domain.UsernameSubject(name), domain.UserRegistered{UserID: id, Name: name, Passkey: pk, PasswordHash: "x"}, eventlog.ExpectNew())
}

func (e *annEnv) registerTorrent(h domain.InfoHash, name string, size uint64) {
	e.t.Helper()
	e.append(domain.TorrentSubject(h), domain.TorrentRegistered{InfoHash: h, Name: name, Size: int64(size),
		Factors: domain.NormalFactors}, eventlog.ExpectNew())
}

func (e *annEnv) cheats(since int64) CheatReport {
	e.t.Helper()
	rep, err := Cheats(e.ctx, e.pool, time.UnixMilli(since), DefaultCheatThresholds)
	if err != nil {
		e.t.Fatal(err)
	}
	return rep
}

const gib = 1 << 30

// capped sets an announce's caps.
func capped(a domain.Announce, c domain.Caps) domain.Announce { a.Caps = c; return a }

// cheatWorld is a site with forgers and honest users, each on torrents of
// their own, times in minutes after genEpoch:
//
//   - forger claims 8 EiB on a torrent nobody else is on (capped: up_rate,
//     up_empty; nothing credited);
//   - seeder uploads exactly what leecher downloads (5 GiB);
//   - subtle claims 3 GiB where its leecher downloaded 1 GiB, under the
//     rate and with a leecher there (no cap);
//   - rater claims 100 GiB in a minute (capped up_rate) and its sock claims
//     to download as much (capped down_size): no excess, an impossible rate;
//   - big seeds 20 GiB matched and 5 GiB of which its leecher reported only
//     3 GiB (reaped before its last report);
//   - self feeds 1.5 GiB from one of its clients to another, with nobody
//     else there: nobody else downloaded it, so it is excess (as the
//     tracker credits none of it);
//   - old forged 50 GiB into an empty swarm three days before genEpoch.
type cheatWorld struct {
	forger, seeder, leecher, subtle, subLeech, rater, sock, big, bigLeech1, bigLeech2, self, old uuid.UUID
	hF, hH, hS, hR, hB1, hB2, hX, hO                                                             domain.InfoHash
	forgedSeq                                                                                    uint64
}

func newCheatWorld(e *annEnv) *cheatWorld {
	w := &cheatWorld{hF: domain.InfoHash{0xf}, hH: domain.InfoHash{0x11}, hS: domain.InfoHash{0x5}, hR: domain.InfoHash{0x7},
		hB1: domain.InfoHash{0xb1}, hB2: domain.InfoHash{0xb2}, hX: domain.InfoHash{0xee}, hO: domain.InfoHash{0x01d}}
	for _, u := range []struct {
		id   *uuid.UUID
		name string
	}{{&w.forger, "forger"}, {&w.seeder, "seeder"}, {&w.leecher, "leecher"}, {&w.subtle, "subtle"}, {&w.subLeech, "subleech"},
		{&w.rater, "rater"}, {&w.sock, "sock"}, {&w.big, "big"}, {&w.bigLeech1, "bigleech1"}, {&w.bigLeech2, "bigleech2"}, {&w.self, "self"}, {&w.old, "old"}} {
		*u.id = uuid.New()
		e.register(*u.id, u.name)
	}
	for _, h := range []domain.InfoHash{w.hF, w.hH, w.hS, w.hR, w.hB1, w.hB2, w.hX, w.hO} {
		e.registerTorrent(h, "torrent "+h.String()[:2], 50*gib)
	}
	start := func(m float64, u uuid.UUID, h domain.InfoHash, peer string, left uint64) domain.Announce {
		return an(m, u, h, peer, domain.EventStarted, left)
	}
	e.announce(start(-3*24*60, w.old, w.hO, "o", 0),
		capped(credit(an(-3*24*60+30, w.old, w.hO, "o", domain.EventNone, 0), 50*gib, 0, 0, 0), domain.CapUpEmpty))
	e.announce(start(0, w.seeder, w.hH, "s", 0), start(0, w.leecher, w.hH, "l", 5*gib),
		start(0, w.subtle, w.hS, "t", 0), start(0, w.subLeech, w.hS, "tl", 5*gib),
		start(0, w.rater, w.hR, "r", 0), start(0, w.sock, w.hR, "k", 5*gib),
		start(0, w.big, w.hB1, "b1", 0), start(0, w.bigLeech1, w.hB1, "bl1", 25*gib),
		start(0, w.big, w.hB2, "b2", 0), start(0, w.bigLeech2, w.hB2, "bl2", 25*gib),
		start(0, w.self, w.hX, "x1", 0), start(0, w.self, w.hX, "x2", 5*gib),
		start(0, w.forger, w.hF, "f", 0))
	e.announce(credit(an(30, w.seeder, w.hH, "s", domain.EventNone, 0), 5*gib, 0, 5*gib, 0),
		credit(an(30, w.subtle, w.hS, "t", domain.EventNone, 0), 3*gib, 0, 3*gib, 0),
		credit(an(30, w.big, w.hB1, "b1", domain.EventNone, 0), 20*gib, 0, 20*gib, 0),
		credit(an(30, w.big, w.hB2, "b2", domain.EventNone, 0), 5*gib, 0, 5*gib, 0),
		capped(credit(an(30, w.self, w.hX, "x1", domain.EventNone, 0), 3*gib/2, 0, 0, 0), domain.CapUpEmpty),
		credit(an(30, w.self, w.hX, "x2", domain.EventNone, 7*gib/2), 0, 3*gib/2, 0, 3*gib/2),
		capped(credit(an(1, w.rater, w.hR, "r", domain.EventNone, 0), 100*gib, 0, 22*gib, 0), domain.CapUpRate),
		capped(credit(an(1, w.sock, w.hR, "k", domain.EventNone, 0), 0, 100*gib, 0, 5*gib), domain.CapDownSize))
	e.announce(credit(an(31, w.leecher, w.hH, "l", domain.EventCompleted, 0), 0, 5*gib, 0, 5*gib),
		credit(an(31, w.subLeech, w.hS, "tl", domain.EventNone, 4*gib), 0, gib, 0, gib),
		credit(an(31, w.bigLeech1, w.hB1, "bl1", domain.EventNone, 5*gib), 0, 20*gib, 0, 20*gib),
		credit(an(31, w.bigLeech2, w.hB2, "bl2", domain.EventNone, 22*gib), 0, 3*gib, 0, 3*gib),
		capped(credit(an(2, w.forger, w.hF, "f", domain.EventNone, 0), math.MaxInt64, 0, 0, 0), domain.CapUpRate|domain.CapUpEmpty))
	w.forgedSeq = e.last // the forged claim is announce 4 of this batch
	e.sync()
	return w
}

func userIDs(us []CheatUser) []uuid.UUID {
	var out []uuid.UUID
	for _, u := range us {
		out = append(out, u.UserID)
	}
	return out
}

func torrentHashes(ts []CheatTorrent) []domain.InfoHash {
	var out []domain.InfoHash
	for _, t := range ts {
		out = append(out, t.InfoHash)
	}
	return out
}

// TestCheatsListsForgersNotHonestSeeders reads the report of cheatWorld
// from genEpoch's day and from four days earlier.
func TestCheatsListsForgersNotHonestSeeders(t *testing.T) {
	e := newCheatEnv(t)
	w := newCheatWorld(e)
	for _, tc := range []struct {
		name     string
		since    int64
		users    []uuid.UUID
		torrents []domain.InfoHash
	}{
		{"from genEpoch", genEpoch + 3600_000, []uuid.UUID{w.forger, w.subtle, w.self, w.rater}, []domain.InfoHash{w.hF, w.hS}},
		{"four days more", genEpoch - 4*24*3600_000, []uuid.UUID{w.forger, w.old, w.subtle, w.self, w.rater}, []domain.InfoHash{w.hF, w.hO, w.hS}},
	} {
		rep := e.cheats(tc.since)
		if got := userIDs(rep.Users); !slices.Equal(got, tc.users) {
			t.Errorf("%s: users %v, want %v (forger, old, subtle, self, rater)\n%+v", tc.name, got, tc.users, rep.Users)
		}
		if got := torrentHashes(rep.Torrents); !slices.Equal(got, tc.torrents) {
			t.Errorf("%s: torrents %x, want %x\n%+v", tc.name, got, tc.torrents, rep.Torrents)
		}
		if day := time.UnixMilli(tc.since).UTC().Truncate(24 * time.Hour); !rep.Since.Equal(day) {
			t.Errorf("%s: since %v, want %v", tc.name, rep.Since, day)
		}
	}
	rep := e.cheats(genEpoch)
	want := CheatUser{UserID: w.forger, Name: "forger", Reasons: []string{ReasonUpRate, ReasonExcess}, ClaimedUp: math.MaxInt64,
		Excess: math.MaxInt64, ExcessShare: 1, ExcessTorrents: 1, CappedClaims: 1, Caps: map[string]int{"up_rate": 1, "up_empty": 1}}
	checkCheatUser(t, rep.Users[0], want)
	checkCheatUser(t, rep.Users[1], CheatUser{UserID: w.subtle, Name: "subtle", Reasons: []string{ReasonExcess},
		ClaimedUp: 3 * gib, CreditedUp: 3 * gib, Excess: 2 * gib, ExcessShare: 2.0 / 3, ExcessTorrents: 1, Caps: map[string]int{}})
	checkCheatUser(t, rep.Users[2], CheatUser{UserID: w.self, Name: "self", Reasons: []string{ReasonExcess},
		ClaimedUp: 3 * gib / 2, ClaimedDown: 3 * gib / 2, CreditedDown: 3 * gib / 2, Excess: 3 * gib / 2, ExcessShare: 1,
		ExcessTorrents: 1, CappedClaims: 1, Caps: map[string]int{"up_empty": 1}})
	checkCheatUser(t, rep.Users[3], CheatUser{UserID: w.rater, Name: "rater", Reasons: []string{ReasonUpRate},
		ClaimedUp: 100 * gib, CreditedUp: 22 * gib, CappedClaims: 1, Caps: map[string]int{"up_rate": 1}})
	if got := rep.Torrents[0]; got.Name != "torrent 0f" || got.ClaimedUp != math.MaxInt64 || got.Surplus != math.MaxInt64 ||
		got.CreditedUp != 0 || got.CappedClaims != 1 {
		t.Errorf("forged torrent: %+v", got)
	}
	if got := rep.Torrents[1]; got.ClaimedUp != 3*gib || got.ClaimedDown != gib || got.Surplus != 2*gib || got.CappedClaims != 0 {
		t.Errorf("subtle's torrent: %+v", got)
	}
	claims, err := UserCappedClaims(e.ctx, e.pool, w.forger, time.UnixMilli(genEpoch), 10)
	if err != nil {
		t.Fatal(err)
	}
	wantClaim := CappedClaim{Seq: w.forgedSeq, Index: 4, At: time.UnixMilli(atMin(2)).UTC(), UserID: w.forger, InfoHash: w.hF,
		Caps: []string{"up_rate", "up_empty"}, ClaimedUp: math.MaxInt64}
	if len(claims) != 1 || !equalClaims(claims[0], wantClaim) {
		t.Errorf("forger's capped claims: %+v, want %+v", claims, wantClaim)
	}
}

func checkCheatUser(t *testing.T, got, want CheatUser) {
	t.Helper()
	if math.Abs(got.ExcessShare-want.ExcessShare) > 1e-9 || got.UserID != want.UserID || got.Name != want.Name || !slices.Equal(got.Reasons, want.Reasons) ||
		got.ClaimedUp != want.ClaimedUp || got.ClaimedDown != want.ClaimedDown || got.CreditedUp != want.CreditedUp ||
		got.CreditedDown != want.CreditedDown || got.Excess != want.Excess || got.ExcessTorrents != want.ExcessTorrents ||
		got.CappedClaims != want.CappedClaims || !equalCounts(got.Caps, want.Caps) {
		t.Errorf("user %s: got %+v\nwant %+v", want.Name, got, want)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func equalClaims(a, b CappedClaim) bool {
	at := a.At.Equal(b.At)
	a.At, b.At = time.Time{}, time.Time{}
	return at && reflect.DeepEqual(a, b)
}

// TestCheatsRefusesAClaimAppliedTwice applies the same batch twice,
// bypassing the checkpoint: the claim's key refuses it rather than count
// it twice, and the refused batch is quarantined for the projection.
func TestCheatsRefusesAClaimAppliedTwice(t *testing.T) {
	ctx := context.Background()
	pool := testenv.DB(t)
	a := capped(credit(an(1, alice, h1, "a", domain.EventNone, 0), gib, 0, 0, 0), domain.CapUpEmpty)
	rec := record(7, &domain.AnnounceBatch{Node: "t1", Announces: []domain.Announce{a}}, time.UnixMilli(genEpoch))
	applyInChunks(t, pool, CheatSignals{}, "cheats", []eventlog.Record{rec}, 1)
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		return NewProjector(CheatSignals{}, pool, nil).applyTo(ctx, tx, "cheats", []eventlog.Record{rec})
	})
	if err != nil {
		t.Fatal(err)
	}
	if q, ok, err := QuarantineEntryAt(ctx, pool, 7); err != nil || !ok || !slices.Equal(q.Consumers, []string{"cheats"}) ||
		!strings.Contains(q.Error, "23505") {
		t.Fatalf("the claim applied twice is not quarantined for cheats: %+v, %v, %v", q, ok, err)
	}
	var up int64
	if err := pool.QueryRow(ctx, `SELECT raw_uploaded FROM cheats.user_days`).Scan(&up); err != nil || up != gib {
		t.Fatalf("after the refused second apply raw_uploaded = %d (%v), want %d", up, err, gib)
	}
}
