package projectiontest

import (
	"context"
	"fmt"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/google/uuid"
)

// AccountsHistory appends a history of every account event, interleaved:
// registrations (inserts), invite grants and invites spent (counters),
// invites created, used, given back and used again, API tokens created and
// revoked, RSS key rotations, password changes (sealed with keys no vault
// holds: they read as no hash) and the registration setting changed
// twice. seed chooses the ids.
func AccountsHistory(t testing.TB, log *eventlog.Log, seed uint64) {
	t.Helper()
	ctx := context.Background()
	add := func(subject string, e domain.Event, opts ...eventlog.AppendOption) {
		t.Helper()
		if _, err := log.Append(ctx, subject, e, opts...); err != nil {
			t.Fatal(err)
		}
	}
	var users []domain.UserID
	for i := 0; i < 6; i++ {
		u := domain.UserRegistered{UserID: uuid.New(), PasskeyNonce: domain.NewPasskeyNonce(),
			Claim: fmt.Sprintf("acc%013x%016x", seed, i), Sealed: []byte{byte(i), 9, 9, 9}}
		add(domain.ClaimSubject(u.Claim), u, eventlog.ExpectNew())
		users = append(users, u.UserID)
	}
	add(domain.SubjectRegistration, domain.RegistrationSet{Open: true})
	for i, id := range users {
		add(domain.UserSubject(id), domain.InvitesGranted{UserID: id, Count: 3})
		for j := 0; j < 2; j++ {
			_, hash := domain.NewInviteCode(id)
			inv := domain.InviteCreated{UserID: id, InviteID: uuid.New(), CodeHash: hash, Free: j == 1}
			add(domain.UserSubject(id), inv)
			if (i+j)%2 == 0 {
				invitee := users[(i+1)%len(users)]
				add(domain.InviteSubject(hash), domain.InviteUsed{CodeHash: hash, InviteID: inv.InviteID, By: id, UserID: invitee}, eventlog.ExpectNew())
				if i%3 == 0 {
					add(domain.InviteSubject(hash), domain.InviteReturned{CodeHash: hash, UserID: invitee})
					add(domain.InviteSubject(hash), domain.InviteUsed{CodeHash: hash, InviteID: inv.InviteID, By: id, UserID: users[(i+2)%len(users)]})
				}
			}
		}
		_, hash := domain.NewToken()
		tok := domain.TokenCreated{UserID: id, TokenID: uuid.New(), Label: fmt.Sprintf("box %d", i), Hash: hash}
		add(domain.UserSubject(id), tok)
		if i%2 == 1 {
			add(domain.UserSubject(id), domain.TokenRevoked{UserID: id, TokenID: tok.TokenID})
		}
		if i%3 == 1 {
			add(domain.UserSubject(id), domain.RSSKeyRotated{UserID: id, Nonce: domain.NewRSSNonce()})
			add(domain.UserSubject(id), domain.InvitesGranted{UserID: id, Count: -5})
		}
		if i%2 == 0 {
			add(domain.UserSubject(id), domain.PasswordChanged{UserID: id, Sealed: []byte{byte(i), 7, 7}})
		}
	}
	add(domain.SubjectRegistration, domain.RegistrationSet{Open: false})
}
