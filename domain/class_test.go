package domain

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// Who may set which class of whom: staff only, never their own; a
// Moderator below Moderator only and not on staff; an Administrator and
// the operator anything; the class a user has already is nothing to do.
func TestCheckClassChange(t *testing.T) {
	self := uuid.New()
	user := func(c Class) User { return User{ID: uuid.New(), Name: "bob", Class: c} }
	mod := ClassChanger{ID: self, Class: ClassModerator}
	admin := ClassChanger{ID: self, Class: ClassAdministrator}
	op := ClassChanger{Operator: true}
	for _, tc := range []struct {
		name string
		by   ClassChanger
		u    User
		to   Class
		kind Kind   // KindInternal (0): allowed
		want string // in the refusal
	}{
		{"a user may not", ClassChanger{ID: self, Class: ClassUser}, user(ClassUser), ClassMember, KindForbidden, "only staff"},
		{"a VIP may not", ClassChanger{ID: self, Class: ClassVIP}, user(ClassUser), ClassMember, KindForbidden, "only staff"},
		{"a moderator promotes to VIP", mod, user(ClassUser), ClassVIP, 0, ""},
		{"a moderator demotes a power user", mod, user(ClassPowerUser), ClassMember, 0, ""},
		{"a moderator may not make a moderator", mod, user(ClassVIP), ClassModerator, KindForbidden, "below Moderator only (User to VIP)"},
		{"a moderator may not make an administrator", mod, user(ClassUser), ClassAdministrator, KindForbidden, "below Moderator only"},
		{"a moderator may not demote a moderator", mod, user(ClassModerator), ClassUser, KindForbidden, "a Moderator may not change the class of staff (bob is a Moderator)"},
		{"a moderator may not demote an administrator", mod, user(ClassAdministrator), ClassVIP, KindForbidden, "bob is an Administrator"},
		{"an administrator makes an administrator", admin, user(ClassUser), ClassAdministrator, 0, ""},
		{"an administrator demotes a moderator", admin, user(ClassModerator), ClassElite, 0, ""},
		{"an administrator demotes an administrator", admin, user(ClassAdministrator), ClassModerator, 0, ""},
		{"nobody changes their own", admin, User{ID: self, Name: "me", Class: ClassAdministrator}, ClassUser, KindForbidden, "their own class"},
		{"a moderator neither", mod, User{ID: self, Name: "me", Class: ClassModerator}, ClassVIP, KindForbidden, "their own class"},
		{"the operator sets any", op, user(ClassAdministrator), ClassUser, 0, ""},
		{"the operator makes an administrator", op, user(ClassUser), ClassAdministrator, 0, ""},
		{"the class they have", admin, user(ClassElite), ClassElite, KindInvalid, "nothing to change: bob is an Elite already"},
		{"the operator too", op, user(ClassUser), ClassUser, KindInvalid, "bob is a User already"},
		{"no such class", op, user(ClassUser), classLimit, KindInvalid, "choose one of User, Member, Power User"},
	} {
		err := CheckClassChange(tc.by, tc.u, tc.to)
		switch {
		case tc.kind == 0 && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.kind != 0 && (KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.want) || FieldOf(err) != "class"):
			t.Errorf("%s: %v (%v, field %q); want %v saying %q on class", tc.name, err, KindOf(err), FieldOf(err), tc.kind, tc.want)
		}
	}
}

func TestParseClass(t *testing.T) {
	for in, want := range map[string]Class{
		"user": ClassUser, "Member": ClassMember, "power user": ClassPowerUser, "Power_User": ClassPowerUser,
		"POWER  USER": ClassPowerUser, "elite": ClassElite, "torrent_master": ClassTorrentMaster, "Torrent Master": ClassTorrentMaster,
		"vip": ClassVIP, "VIP": ClassVIP, "moderator": ClassModerator, " Administrator ": ClassAdministrator,
	} {
		if got, err := ParseClass(in); err != nil || got != want {
			t.Errorf("ParseClass(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "admin", "poweruser", "power-user", "staff"} {
		_, err := ParseClass(bad)
		if err == nil || !strings.Contains(err.Error(), "User, Member, Power User, Elite, Torrent Master, VIP, Moderator, Administrator") {
			t.Errorf("ParseClass(%q): %v; want an error listing the classes", bad, err)
		}
	}
}

// A class is stored by its code; staff are Moderators and Administrators;
// a registration as administrator makes an Administrator, else a User, and
// UserClassSet changes it.
func TestUserClass(t *testing.T) {
	b, err := json.Marshal(UserClassSet{UserID: uuid.Nil, Class: ClassTorrentMaster})
	if err != nil || string(b) != `{"user_id":"00000000-0000-0000-0000-000000000000","class":"torrent_master"}` {
		t.Fatalf("stored as %s, %v", b, err)
	}
	var back UserClassSet
	if err := json.Unmarshal([]byte(`{"class":"galactic_emperor"}`), &back); err == nil {
		t.Error("an unknown class decodes")
	}
	var staff []string
	for _, c := range Classes() {
		if c.Staff() {
			staff = append(staff, c.String())
		}
	}
	if strings.Join(staff, ",") != "Moderator,Administrator" || classLimit.Staff() {
		t.Errorf("staff classes: %v", staff)
	}
	id := uuid.New()
	if u := NewUser(UserRegistered{UserID: id, Admin: true}, Personal{Name: "a"}); u.Class != ClassAdministrator || !u.Staff() {
		t.Errorf("an admin registration: %v", u.Class)
	}
	u := NewUser(UserRegistered{UserID: id}, Personal{Name: "a"})
	if u.Class != ClassUser || u.Staff() {
		t.Errorf("a registration: %v", u.Class)
	}
	u.Apply(UserClassSet{UserID: uuid.New(), Class: ClassModerator})
	u.Apply(UserClassSet{UserID: id, Class: ClassModerator})
	if u.Class != ClassModerator || !u.Staff() {
		t.Errorf("after UserClassSet: %v", u.Class)
	}
	if err := CheckEventPlacement(UserSubject(id), UserClassSet{UserID: id, Class: ClassVIP}); err != nil {
		t.Error(err)
	}
	if err := CheckEventPlacement(UserSubject(uuid.New()), UserClassSet{UserID: id, Class: ClassVIP}); err == nil {
		t.Error("a class change on another user's subject is placed")
	}
}
