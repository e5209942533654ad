package commands

import (
	"context"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// SetClass sets the class of the user named name (domain.CheckClassChange
// decides who may: staff, never on themselves, a Moderator below
// Moderator only and not on staff; the operator and Administrators any).
// The actor's class is a.Class (ClassActor), the operator's any. Setting
// the class the user has is refused, and appends nothing.
func (c *Commands) SetClass(ctx context.Context, a Actor, name string, class domain.Class) (domain.User, error) {
	const op = "set class"
	by := domain.ClassChanger{Operator: a.User == uuid.Nil && a.Staff, ID: a.User, Class: a.Class}
	if !by.Operator && !by.Class.Staff() {
		return domain.User{}, domain.CheckClassChange(by, domain.User{}, class) // refused before the user is looked up
	}
	u, last, err := c.user(ctx, op, name)
	if err != nil {
		return u, err
	}
	if err := domain.CheckClassChange(by, u, class); err != nil {
		return u, err
	}
	ev := domain.UserClassSet{UserID: u.ID, Class: class}
	if err := c.change(ctx, op, a, domain.UserSubject(u.ID), last, ev); err != nil {
		return u, err
	}
	u.Apply(ev)
	return c.withPasskey(u), nil
}
