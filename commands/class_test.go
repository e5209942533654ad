package commands

import (
	"testing"

	"github.com/djembe/djembe/domain"
)

// SetClass appends UserClassSet on the user's subject by the actor; what
// domain.CheckClassChange refuses (a non-staff actor, one's own class, a
// Moderator giving Moderator or touching staff, the class the user has)
// appends nothing; the operator sets any class.
func TestSetClass(t *testing.T) {
	e := newEnv(t)
	boss := e.register("boss", true)
	mod := e.register("mod", false)
	bob := e.register("bob", false)
	if boss.User.Class != domain.ClassAdministrator || bob.User.Class != domain.ClassUser {
		t.Fatalf("registered as %v and %v; want Administrator and User", boss.User.Class, bob.User.Class)
	}

	before := e.last()
	u, err := e.c.SetClass(e.ctx, Operator, "MOD", domain.ClassModerator)
	if err != nil || u.Class != domain.ClassModerator || !u.Staff() {
		t.Fatalf("the operator makes mod a Moderator: %v, %v", u.Class, err)
	}
	if ev := e.one(before, domain.UserSubject(mod.User.ID), domain.ActorOperator).(domain.UserClassSet); ev.UserID != mod.User.ID || ev.Class != domain.ClassModerator {
		t.Fatalf("appended %+v", ev)
	}
	if again, _, err := e.c.user(e.ctx, "test", "mod"); err != nil || again.Class != domain.ClassModerator {
		t.Fatalf("mod loaded again: %v, %v", again.Class, err)
	}

	asMod := ClassActor(mod.User.ID, domain.ClassModerator)
	before = e.last()
	if u, err := e.c.SetClass(e.ctx, asMod, "bob", domain.ClassPowerUser); err != nil || u.Class != domain.ClassPowerUser {
		t.Fatalf("a Moderator makes bob a Power User: %v, %v", u.Class, err)
	}
	e.one(before, domain.UserSubject(bob.User.ID), mod.User.ID.String())

	before = e.last()
	for _, tc := range []struct {
		name  string
		actor Actor
		user  string
		class domain.Class
		kind  domain.Kind
		field string
		want  string
	}{
		{"a plain user", ClassActor(bob.User.ID, domain.ClassPowerUser), "mod", domain.ClassUser, domain.KindForbidden, "class", "only staff"},
		{"a user actor without a class", UserActor(bob.User.ID, false), "bob", domain.ClassElite, domain.KindForbidden, "class", "only staff"},
		{"a moderator giving Administrator", asMod, "bob", domain.ClassAdministrator, domain.KindForbidden, "class", "below Moderator only"},
		{"a moderator demoting an administrator", asMod, "boss", domain.ClassUser, domain.KindForbidden, "class", "boss is an Administrator"},
		{"a moderator on themselves", asMod, "mod", domain.ClassVIP, domain.KindForbidden, "class", "their own class"},
		{"an administrator on themselves", ClassActor(boss.User.ID, domain.ClassAdministrator), "boss", domain.ClassUser, domain.KindForbidden, "class", "their own class"},
		{"the class bob has", Operator, "bob", domain.ClassPowerUser, domain.KindInvalid, "class", "nothing to change: bob is a Power User already"},
		{"nobody", Operator, "nobody", domain.ClassVIP, domain.KindNotFound, "user", `no user named "nobody"`},
	} {
		_, err := e.c.SetClass(e.ctx, tc.actor, tc.user, tc.class)
		t.Log(tc.name)
		e.refused(err, tc.kind, tc.field, tc.want, before)
	}

	asBoss := ClassActor(boss.User.ID, domain.ClassAdministrator)
	if u, err := e.c.SetClass(e.ctx, asBoss, "mod", domain.ClassAdministrator); err != nil || u.Class != domain.ClassAdministrator {
		t.Fatalf("an Administrator makes another: %v, %v", u.Class, err)
	}
	if u, err := e.c.SetClass(e.ctx, asBoss, "mod", domain.ClassUser); err != nil || u.Staff() {
		t.Fatalf("an Administrator demotes another: %v, %v", u.Class, err)
	}
}
