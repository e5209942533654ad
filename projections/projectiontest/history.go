package projectiontest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/google/uuid"
)

// CoreHistory appends a history of every core event the core read models
// consume, interleaved: registrations (inserts; half in plain as before
// v3, half sealed with keys no vault holds, which read as forgotten users),
// passkey rotations, bans, a forgotten user, leeching changes and ratio
// watches (updates), torrents (with files, titles and factor changes), and announce batches with
// credit, capped claims, state changes and completions (counters and
// inserts), over several UTC days. seed chooses it.
func CoreHistory(t testing.TB, log *eventlog.Log, seed uint64) {
	t.Helper()
	ctx := context.Background()
	add := func(subject string, e domain.Event, opts ...eventlog.AppendOption) {
		if _, err := log.Append(ctx, subject, e, opts...); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	var users []domain.UserID
	var torrents []domain.InfoHash
	for i := 0; i < 12; i++ {
		pk, _ := domain.NewPasskey()
		u := domain.UserRegistered{UserID: uuid.New(), Name: fmt.Sprintf("user%02d", i), Passkey: pk, PasswordHash: "x"}
		subject := domain.UsernameSubject(u.Name)
		if i%2 == 1 {
			u = domain.UserRegistered{UserID: u.UserID, PasskeyNonce: domain.NewPasskeyNonce(),
				Claim: fmt.Sprintf("%016x%016x", seed, i), Sealed: []byte{byte(i), 1, 2, 3}}
			subject = domain.ClaimSubject(u.Claim)
		}
		add(subject, u, eventlog.ExpectNew())
		users = append(users, u.UserID)
		if i%3 == 2 {
			var h domain.InfoHash
			h[0], h[1] = byte(seed), byte(i)
			reg := domain.TorrentRegistered{InfoHash: h, Name: fmt.Sprintf("torrent %d", i),
				Size: 1 << 20, Uploader: u.UserID, Factors: domain.NormalFactors,
				Files: []domain.TorrentFile{{Path: fmt.Sprintf("torrent %d/a", i), Length: 1 << 19}, {Path: fmt.Sprintf("torrent %d/b", i), Length: 1 << 19}}}
			if i%2 == 0 { // as the site registers: a title, category and description (v2)
				reg.Title, reg.Category, reg.Description = fmt.Sprintf("Torrent %d", i), "Music", "line one\nline <two>"
			}
			add(domain.TorrentSubject(h), reg, eventlog.ExpectNew())
			torrents = append(torrents, h)
			if i%2 == 1 {
				add(domain.TorrentSubject(h), domain.TorrentFactorsSet{InfoHash: h, Factors: domain.Factors{UploadPercent: 200, DownloadPercent: 0}})
			}
			add(domain.AnnounceSubject("t1"), announceBatch(rng, users, torrents))
		}
	}
	for i, id := range users {
		var e domain.Event
		switch i % 4 {
		case 0:
			pk, _ := domain.NewPasskey()
			e = domain.PasskeyRotated{UserID: id, Passkey: pk}
			if i%8 == 4 {
				e = domain.PasskeyRotated{UserID: id, Nonce: domain.NewPasskeyNonce()}
			}
		case 1:
			e = domain.UserDisabled{UserID: id, Reason: "test"}
		case 2:
			e = domain.LeechingSet{UserID: id, CanLeech: false}
		default:
			e = domain.UserEnabled{UserID: id}
		}
		add(domain.UserSubject(id), e)
		add(domain.AnnounceSubject("t1"), announceBatch(rng, users, torrents))
	}
	for i, id := range users[:6] { // ratio watches: some take leeching, some end, some stay
		add(domain.UserSubject(id), domain.RatioWatchStarted{UserID: id, Deadline: time.UnixMilli(1_700_000_000_000 + int64(i)*3_600_000).UTC(),
			Downloaded: uint64(i+5) << 30, Ratio: 0.05, Required: 0.15})
		if i%2 == 0 {
			add(domain.UserSubject(id), domain.LeechingSet{UserID: id, CanLeech: false, ByRatioWatch: true, Reason: "ratio watch: deadline"})
		}
		add(domain.AnnounceSubject("t1"), announceBatch(rng, users, torrents))
		if i%3 != 2 {
			if i%2 == 0 {
				add(domain.UserSubject(id), domain.LeechingSet{UserID: id, CanLeech: true, ByRatioWatch: true, Reason: "ratio watch: recovered"})
			}
			add(domain.UserSubject(id), domain.RatioWatchEnded{UserID: id, Reason: domain.RatioWatchRecovered})
		}
	}
	add(domain.UserSubject(users[1]), domain.UserClassSet{UserID: users[1], Class: domain.ClassModerator})
	add(domain.UserSubject(users[3]), domain.UserClassSet{UserID: users[3], Class: domain.ClassPowerUser})
	add(domain.UserSubject(users[1]), domain.UserClassSet{UserID: users[1], Class: domain.ClassElite})
	add(domain.UserSubject(users[2]), domain.UserForgotten{UserID: users[2]})
	add(domain.TorrentSubject(torrents[0]), domain.TorrentDeleted{InfoHash: torrents[0], Reason: "test"})
	for b := 0; b < 8; b++ {
		add(domain.AnnounceSubject("t1"), announceBatch(rng, users, torrents))
	}
}

// announceBatch is a batch of announces of random users on random
// torrents over three days, with credit, state changes and completions.
func announceBatch(rng *rand.Rand, users []domain.UserID, torrents []domain.InfoHash) *domain.AnnounceBatch {
	batch := &domain.AnnounceBatch{Node: "t1"}
	for i := 0; i < 30; i++ {
		a := domain.Announce{TimeMillis: 1_700_000_000_000 + rng.Int64N(3*24*3600*1000), UserID: users[rng.IntN(len(users))],
			InfoHash: torrents[rng.IntN(len(torrents))], Event: domain.AnnounceEvent(rng.IntN(5)),
			Left: uint64(rng.IntN(2)) * 1000, Uploaded: uint64(rng.IntN(1 << 20)), Downloaded: uint64(rng.IntN(1 << 20)),
			Prev: domain.PeerState(rng.IntN(3)), SeedMillis: uint64(rng.IntN(3_600_000))}
		a.PeerID[0] = byte(rng.IntN(3))
		a.Credit = randomCredit(rng)
		batch.Announces = append(batch.Announces, a)
	}
	return batch
}

// randomCredit is an announce's credit: nothing (a new session), claims of
// varied size credited under varied factors, or (one in five) a capped
// claim, some of them forgeries so large that the sums saturate.
func randomCredit(rng *rand.Rand) domain.Credit {
	c := domain.Credit{RawUp: uint64(rng.IntN(1 << 24)), RawDown: uint64(rng.IntN(1 << 22))}
	switch rng.IntN(10) {
	case 0:
		return domain.Credit{NewSession: true}
	case 1, 2:
		c.Caps = domain.Caps(1 + rng.IntN(15))
		if c.Caps&domain.CapUpRate != 0 && rng.IntN(4) == 0 {
			c.RawUp = 1<<63 - 1 - uint64(rng.IntN(1000))
		}
		c.CreditedUp, c.CreditedDown = min(c.RawUp, 1<<30), c.RawDown/2
		if c.Caps&domain.CapUpEmpty != 0 {
			c.CreditedUp = 0
		}
		return c
	}
	percent := [...]uint64{0, 50, 100, 100, 200}
	c.CreditedUp = c.RawUp * percent[2+rng.IntN(3)] / 100
	c.CreditedDown = c.RawDown * percent[rng.IntN(3)] / 100
	return c
}
