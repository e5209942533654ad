package commands

import (
	"sync"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
)

func TestInvitesRegisterOnce(t *testing.T) {
	e := newAccEnv(t)
	alice := e.register("alice", false).User
	self := UserActor(alice.ID, false)
	before := e.last()
	_, err := e.c.CreateInvite(e.ctx, self, "alice")
	e.refused(err, domain.KindForbidden, "", "no invites left", before)
	_, err = e.c.GrantInvites(e.ctx, self, "alice", 5)
	e.refused(err, domain.KindForbidden, "", "only staff", before)
	_, err = e.c.GrantInvites(e.ctx, Operator, "alice", 0)
	e.refused(err, domain.KindInvalid, "count", "not 0", before)
	if acc, err := e.c.GrantInvites(e.ctx, Operator, "alice", 1); err != nil || acc.InvitesLeft != 1 {
		t.Fatalf("grant: %+v, %v", acc, err)
	}

	before = e.last()
	inv, err := e.c.CreateInvite(e.ctx, self, "alice")
	if err != nil {
		t.Fatal(err)
	}
	created := e.one(before, domain.UserSubject(alice.ID), alice.ID.String()).(domain.InviteCreated)
	if created.CodeHash != domain.SecretHash(inv.Code) || created.InviteID != inv.ID || created.Free {
		t.Fatalf("created %+v for %+v", created, inv)
	}
	before = e.last()
	_, err = e.c.CreateInvite(e.ctx, self, "alice")
	e.refused(err, domain.KindForbidden, "", "no invites left", before)
	staffMade, err := e.c.CreateInvite(e.ctx, Operator, "alice")
	if err != nil {
		t.Fatalf("staff create an invite for a user with none left: %v", err)
	}

	before = e.last()
	r, err := e.c.RegisterWithInvite(e.ctx, inv.Code, RegisterUser{Name: "bob", Password: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	evs := e.appended(before)
	if len(evs) != 2 || evs[0].subject != domain.InviteSubject(created.CodeHash) || evs[1].subject != claimSubject("bob") ||
		evs[0].actor != r.User.ID.String() || evs[1].actor != r.User.ID.String() {
		t.Fatalf("appended %+v; want the invite's use, then bob's registration, both by bob", evs)
	}
	if used := evs[0].event.(domain.InviteUsed); used.By != alice.ID || used.UserID != r.User.ID || used.InviteID != inv.ID {
		t.Fatalf("the use records %+v", used)
	}

	before = e.last()
	for _, tc := range []struct {
		code        string
		in          RegisterUser
		kind        domain.Kind
		field, want string
	}{
		{inv.Code, RegisterUser{Name: "carol", Password: "correct horse"}, domain.KindConflict, "invite", "used already"},
		{"not-a-code", RegisterUser{Name: "carol", Password: "correct horse"}, domain.KindInvalid, "invite", "not valid"},
		{inv.Code[:42] + "x", RegisterUser{Name: "carol", Password: "correct horse"}, domain.KindInvalid, "invite", "not valid"},
		{staffMade.Code, RegisterUser{Name: "Bob", Password: "correct horse"}, domain.KindConflict, "name", "is taken"},
		{staffMade.Code, RegisterUser{Name: "carol", Password: "short"}, domain.KindInvalid, "password", "at least 8"},
		{staffMade.Code, RegisterUser{Name: "carol", Admin: true}, domain.KindForbidden, "admin", "only staff"},
	} {
		_, err := e.c.RegisterWithInvite(e.ctx, tc.code, tc.in)
		e.refused(err, tc.kind, tc.field, tc.want, before)
	}

	// Many registrations at once with one code: one succeeds.
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for _, name := range []string{"carol", "dave", "erin", "frank"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.c.RegisterWithInvite(e.ctx, staffMade.Code, RegisterUser{Name: name, Password: "correct horse"}); err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			} else if domain.KindOf(err) != domain.KindConflict {
				t.Errorf("%s: %v", name, err)
			}
		}()
	}
	wg.Wait()
	if ok != 1 {
		t.Fatalf("%d registrations used one invite", ok)
	}

	e.caughtUp()
	invites, err := projections.Invites(e.ctx, e.pool, alice.ID)
	if err != nil || len(invites) != 2 || invites[0].UsedBy == nil || invites[1].UsedBy == nil ||
		invites[0].UsedBy.Name == "" || !invites[0].Free || invites[1].UsedBy.Name != "bob" {
		t.Fatalf("alice's invites: %+v, %v", invites, err)
	}
	acc, err := projections.Account(e.ctx, e.pool, testSecret, r.User.ID)
	if err != nil || acc.InvitedBy == nil || acc.InvitedBy.Name != "alice" {
		t.Fatalf("bob's account: %+v, %v", acc, err)
	}
	if acc, _ := projections.Account(e.ctx, e.pool, testSecret, alice.ID); acc.InvitesLeft != 0 {
		t.Fatalf("alice has %d invites left, want 0", acc.InvitesLeft)
	}

	// A disabled user's invite no longer registers anyone.
	if _, err := e.c.GrantInvites(e.ctx, Operator, "alice", 1); err != nil {
		t.Fatal(err)
	}
	last, err := e.c.CreateInvite(e.ctx, self, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.DisableUser(e.ctx, Operator, "alice", ""); err != nil {
		t.Fatal(err)
	}
	before = e.last()
	_, err = e.c.RegisterWithInvite(e.ctx, last.Code, RegisterUser{Name: "gina", Password: "correct horse"})
	e.refused(err, domain.KindInvalid, "invite", "not valid", before)
	_, err = e.c.CreateInvite(e.ctx, Operator, "alice")
	e.refused(err, domain.KindForbidden, "user", "disabled", before)
}

func TestOpenRegistration(t *testing.T) {
	e := newAccEnv(t)
	alice := e.register("alice", false).User
	before := e.last()
	_, err := e.c.Register(e.ctx, RegisterUser{Name: "bob", Password: "correct horse"})
	e.refused(err, domain.KindForbidden, "invite", "by invite only", before)
	err = e.c.SetRegistration(e.ctx, UserActor(alice.ID, false), true)
	e.refused(err, domain.KindForbidden, "", "only staff", before)

	if err := e.c.SetRegistration(e.ctx, Operator, true); err != nil {
		t.Fatal(err)
	}
	e.one(before, domain.SubjectRegistration, domain.ActorOperator)
	e.caughtUp()
	if open, err := projections.RegistrationOpen(e.ctx, e.pool); err != nil || !open {
		t.Fatalf("the read model says open=%v (%v) after opening", open, err)
	}
	before = e.last()
	r, err := e.c.Register(e.ctx, RegisterUser{Name: "bob", Password: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	e.one(before, claimSubject("bob"), r.User.ID.String())
	before = e.last()
	_, err = e.c.Register(e.ctx, RegisterUser{Name: "carol", Admin: true})
	e.refused(err, domain.KindForbidden, "admin", "only staff", before)

	if err := e.c.SetRegistration(e.ctx, Operator, false); err != nil {
		t.Fatal(err)
	}
	before = e.last()
	_, err = e.c.Register(e.ctx, RegisterUser{Name: "carol", Password: "correct horse"})
	e.refused(err, domain.KindForbidden, "invite", "by invite only", before)
	e.caughtUp()
	if open, err := projections.RegistrationOpen(e.ctx, e.pool); err != nil || open {
		t.Fatalf("the read model says open=%v (%v) after closing", open, err)
	}
}
