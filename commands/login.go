package commands

import (
	"context"
	"errors"

	"github.com/djembe/djembe/domain"
)

// Why a login was refused. Each is wrapped in a domain.Error, so a door
// can tell them apart by errors.Is as well as by kind.
var (
	// ErrBadCredentials (KindInvalid) is a name nobody has or a password
	// that does not match: the same error, after the same work, so that
	// neither the answer nor its time tells which names exist. It is the
	// failure the site counts to throttle logins.
	ErrBadCredentials = errors.New("wrong username or password")
	// ErrAccountDisabled (KindForbidden) is a right password of a
	// disabled account.
	ErrAccountDisabled = errors.New("this account is disabled")
	// ErrAccountForgotten (KindForbidden) is a name whose owner asked to be
	// forgotten: the account is closed for good.
	ErrAccountForgotten = errors.New("this account was closed at its owner's request and cannot log in")
)

// LogIn checks a name and password and returns the user. The password is
// verified against the user's argon2id hash, or a bcrypt hash from before
// argon2id, in constant time; a name nobody has (or one that is not a
// valid name) is verified against a dummy argon2id hash, so it takes about
// as long as a wrong password, and both give ErrBadCredentials. A disabled
// user with the right password gets ErrAccountDisabled (with the reason),
// a forgotten one ErrAccountForgotten. A bcrypt hash (or argon2id with
// other parameters) that verifies is replaced at once by one of
// DefaultArgon2id: PasswordChanged, sealed. Should that append fail (the
// user changed meanwhile, the log is busy) the login still succeeds and
// the next one tries again.
func (c *Commands) LogIn(ctx context.Context, name, password string) (domain.User, error) {
	const op = "log in"
	u, last, err := c.loadUser(ctx, op, name)
	if k := domain.KindOf(err); err != nil && k != domain.KindNotFound && k != domain.KindInvalid {
		return domain.User{}, err // the log or the vault: not the asker's doing
	}
	if err != nil || u.PasswordHash == "" {
		burnDummy(password)
		if err == nil && u.Forgotten {
			return domain.User{}, &domain.Error{Op: op, Kind: domain.KindForbidden, Field: "name", Err: ErrAccountForgotten}
		}
		return domain.User{}, badCredentials(op)
	}
	ok, stale := verifyPassword(u.PasswordHash, password)
	if !ok {
		return domain.User{}, badCredentials(op)
	}
	if u.Disabled {
		msg := ErrAccountDisabled
		if u.DisabledReason != "" {
			msg = errors.Join(ErrAccountDisabled, errors.New("reason: "+u.DisabledReason))
		}
		return domain.User{}, &domain.Error{Op: op, Kind: domain.KindForbidden, Field: "name", Err: msg}
	}
	if stale {
		if ev, hash, err := c.passwordChanged(ctx, op, u.ID, password); err == nil {
			if c.change(ctx, op, UserActor(u.ID, false), domain.UserSubject(u.ID), last, ev) == nil {
				u.PasswordHash = hash
			}
		}
	}
	return u, nil
}

func badCredentials(op string) error {
	return &domain.Error{Op: op, Kind: domain.KindInvalid, Field: "password", Err: ErrBadCredentials}
}

// ChangePassword sets the password of the user named name to newPassword.
// A user changing their own gives the old one (verified as LogIn does);
// staff changing another's need not. It appends PasswordChanged, the new
// argon2id hash sealed with the user's key.
func (c *Commands) ChangePassword(ctx context.Context, a Actor, name, oldPassword, newPassword string) (domain.User, error) {
	const op = "change password"
	if err := domain.ValidatePassword(newPassword); err != nil {
		return domain.User{}, domain.FieldE(op, "new_password", domain.KindInvalid, "%v", err)
	}
	u, _, last, err := c.activeAccount(ctx, op, a, name)
	if err != nil {
		return u, err
	}
	if !a.Staff || a.User == u.ID {
		if ok, _ := verifyPassword(u.PasswordHash, oldPassword); !ok {
			return domain.User{}, &domain.Error{Op: op, Kind: domain.KindInvalid, Field: "old_password",
				Err: errors.New("the current password is wrong")}
		}
	}
	ev, hash, err := c.passwordChanged(ctx, op, u.ID, newPassword)
	if err != nil {
		return u, err
	}
	if err := c.change(ctx, op, a, domain.UserSubject(u.ID), last, ev); err != nil {
		return u, err
	}
	u.PasswordHash = hash
	return u, nil
}

// passwordChanged hashes password and seals the hash with user id's key.
func (c *Commands) passwordChanged(ctx context.Context, op string, id domain.UserID, password string) (domain.PasswordChanged, string, error) {
	hash := hashPassword(password, DefaultArgon2id)
	sealed, err := c.seal(ctx, op, id, domain.Personal{PasswordHash: hash})
	return domain.PasswordChanged{UserID: id, Sealed: sealed}, hash, err
}
