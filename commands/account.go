package commands

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/vault"
)

// loadAccount is loadUser with the account the user's subject holds
// besides (invites, tokens, RSS key). A PasswordChanged is opened with the
// user's key: the user's PasswordHash is the last one that opens ("" when
// the last does not: the user was forgotten).
func (c *Commands) loadAccount(ctx context.Context, op, name string) (u domain.User, acc domain.Account, last uint64, err error) {
	if err := domain.ValidateUsername(name); err != nil {
		return u, acc, 0, domain.FieldE(op, "user", domain.KindInvalid, "invalid username %q: %v", name, err)
	}
	reg, found, err := c.registration(ctx, op, name)
	if err != nil {
		return u, acc, 0, err
	}
	if !found {
		return u, acc, 0, domain.FieldE(op, "user", domain.KindNotFound, "no user named %q", name)
	}
	if u, err = c.openUser(ctx, op, reg); err != nil {
		return u, acc, 0, err
	}
	u, acc, last, err = c.applyUserSubject(ctx, op, u)
	return c.withPasskey(u), acc, last, err
}

// applyUserSubject applies the changes on u's subject to u, and folds its
// account; last is the subject's last sequence.
func (c *Commands) applyUserSubject(ctx context.Context, op string, u domain.User) (domain.User, domain.Account, uint64, error) {
	acc := domain.Account{UserID: u.ID}
	changes, last, err := c.read(ctx, op, domain.UserSubject(u.ID))
	if err != nil {
		return u, acc, 0, err
	}
	for _, e := range changes {
		if pc, ok := e.(domain.PasswordChanged); ok && pc.UserID == u.ID && !u.Forgotten {
			if u.PasswordHash, err = c.openPassword(ctx, op, pc); err != nil {
				return u, acc, 0, err
			}
		}
		u.Apply(e)
		acc.Apply(e)
	}
	return u, acc, last, nil
}

// openPassword is the hash a PasswordChanged seals; "" when the user's key
// is gone or the seal is not theirs.
func (c *Commands) openPassword(ctx context.Context, op string, e domain.PasswordChanged) (string, error) {
	b, err := vault.Open(ctx, c.keys.Vault, e.UserID, e.Sealed)
	if errors.Is(err, vault.ErrForgotten) || errors.Is(err, vault.ErrUnsealable) {
		return "", nil
	}
	var p domain.Personal
	if err == nil {
		err = json.Unmarshal(b, &p)
	}
	if err != nil {
		return "", domain.E(op, domain.KindUnavailable, "open user %s's password: %v", e.UserID, err)
	}
	return p.PasswordHash, nil
}

// activeAccount is loadAccount refusing a forgotten user (not found) and,
// unless the actor is staff, one the actor may not change.
func (c *Commands) activeAccount(ctx context.Context, op string, a Actor, name string) (domain.User, domain.Account, uint64, error) {
	u, acc, last, err := c.loadAccount(ctx, op, name)
	switch {
	case err != nil:
		return u, acc, last, err
	case u.Forgotten:
		return u, acc, 0, domain.FieldE(op, "user", domain.KindNotFound, "no user named %q", name)
	case !a.mayChange(u.ID):
		return u, acc, 0, domain.E(op, domain.KindForbidden, "you may change only your own account")
	}
	return u, acc, last, nil
}

// userByID folds user id's subject onto a bare User of that id (no name,
// no registration): enough to know whether they are disabled or forgotten
// and what their account holds.
func (c *Commands) userByID(ctx context.Context, op string, id domain.UserID) (domain.User, domain.Account, uint64, error) {
	return c.applyUserSubject(ctx, op, domain.User{ID: id})
}
