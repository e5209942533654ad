package domain

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Class is a user's class, Gazelle's: it orders users by standing, and the
// top two (Moderator, Administrator) are staff. Classes are ordered by
// rank, lowest first; the log stores each by its code (Code), so adding a
// class between two others changes no stored event.
type Class uint8

// The classes, lowest first.
const (
	ClassUser Class = iota
	ClassMember
	ClassPowerUser
	ClassElite
	ClassTorrentMaster
	ClassVIP
	ClassModerator
	ClassAdministrator
	classLimit
)

var classNames = [...]struct{ code, name string }{
	{"user", "User"}, {"member", "Member"}, {"power_user", "Power User"}, {"elite", "Elite"},
	{"torrent_master", "Torrent Master"}, {"vip", "VIP"}, {"moderator", "Moderator"}, {"administrator", "Administrator"},
}

// Classes lists every class, lowest first.
func Classes() []Class {
	out := make([]Class, 0, classLimit)
	for c := ClassUser; c < classLimit; c++ {
		out = append(out, c)
	}
	return out
}

// Valid reports whether c is one of the classes.
func (c Class) Valid() bool { return c < classLimit }

// Staff reports whether users of class c are staff: Moderator and up.
func (c Class) Staff() bool { return c >= ClassModerator && c.Valid() }

// String is the class's name as people read it: "Power User".
func (c Class) String() string {
	if !c.Valid() {
		return fmt.Sprintf("Class(%d)", uint8(c))
	}
	return classNames[c].name
}

// Code is the class's stable code, as the log and the read models keep
// it: "power_user".
func (c Class) Code() string {
	if !c.Valid() {
		return ""
	}
	return classNames[c].code
}

// MarshalText writes the class's code.
func (c Class) MarshalText() ([]byte, error) {
	if !c.Valid() {
		return nil, fmt.Errorf("no class %d", uint8(c))
	}
	return []byte(c.Code()), nil
}

// UnmarshalText reads a class's code; an unknown one is an error (an event
// of a newer build, which consumers skip).
func (c *Class) UnmarshalText(b []byte) error {
	for i, n := range classNames {
		if n.code == string(b) {
			*c = Class(i)
			return nil
		}
	}
	return fmt.Errorf("unknown class %q", b)
}

// ClassNames lists the classes' names, lowest first: "User, Member, ...".
func ClassNames() string {
	names := make([]string, 0, classLimit)
	for _, c := range Classes() {
		names = append(names, c.String())
	}
	return strings.Join(names, ", ")
}

// ParseClass reads a class by its name or code in any case, with spaces or
// underscores between words ("power user", "Power_User", "POWER USER");
// an error lists the classes otherwise.
func ParseClass(s string) (Class, error) {
	key := strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(s, "_", " "))), " ")
	for _, c := range Classes() {
		if strings.ToLower(c.String()) == key {
			return c, nil
		}
	}
	return 0, fmt.Errorf("no class is called %q: choose one of %s", s, ClassNames())
}

// RegisteredClass is the class a registration gives: Administrator for one
// made an administrator, else User.
func RegisteredClass(admin bool) Class {
	if admin {
		return ClassAdministrator
	}
	return ClassUser
}

// UserClassSet changes a user's class (see CheckClassChange), on the
// user's subject.
type UserClassSet struct {
	UserID UserID `json:"user_id"`
	Class  Class  `json:"class"`
}

// TypeUserClassSet is UserClassSet's type.
const TypeUserClassSet = "UserClassSet"

func (UserClassSet) EventType() string { return TypeUserClassSet }

func init() {
	RegisterJSON[UserClassSet](1, nil)
	RegisterPlacement(TypeUserClassSet, Placement{Prefix: subjectUser,
		Subject: func(e Event) string { return UserSubject(e.(UserClassSet).UserID) }})
}

// ClassChanger is who changes a user's class: the operator at the shell,
// or the user ID of class Class.
type ClassChanger struct {
	Operator bool
	ID       UserID
	Class    Class
}

// CheckClassChange decides whether by may set u's class to to. Only staff
// change classes, and nobody their own; a Moderator sets classes below
// Moderator only, and not the class of staff; an Administrator and the
// operator set any. Setting the class u has already is refused as nothing
// to do. Refusals are KindForbidden, on the field "class" (KindInvalid for
// an unknown class and for nothing to do).
func CheckClassChange(by ClassChanger, u User, to Class) error {
	const op = "set class"
	switch {
	case !to.Valid():
		return FieldE(op, "class", KindInvalid, "no such class: choose one of %s", ClassNames())
	case by.Operator:
	case !by.Class.Staff():
		return FieldE(op, "class", KindForbidden, "only staff may change a user's class")
	case by.ID != uuid.Nil && by.ID == u.ID:
		return FieldE(op, "class", KindForbidden, "nobody may change their own class: ask another member of staff")
	case by.Class == ClassModerator && u.Class.Staff():
		return FieldE(op, "class", KindForbidden, "a Moderator may not change the class of staff (%s is %s)", u.Name, article(u.Class))
	case by.Class == ClassModerator && to >= ClassModerator:
		return FieldE(op, "class", KindForbidden, "a Moderator may set classes below Moderator only (%s to %s)", ClassUser, ClassModerator-1)
	}
	if u.Class == to {
		return FieldE(op, "class", KindInvalid, "nothing to change: %s is %s already", u.Name, article(to))
	}
	return nil
}

// article is the class with "a" or "an" before it: "an Administrator".
func article(c Class) string {
	if strings.ContainsRune("AEIO", rune(c.String()[0])) {
		return "an " + c.String()
	}
	return "a " + c.String()
}
