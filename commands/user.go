package commands

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"
)

// RegisterUser is the input of Commands.RegisterUser.
type RegisterUser struct {
	Name     string
	Password string // empty: generate one (returned once, in Registration)
	Admin    bool   // only staff may make an administrator
}

// Registration is what registering a user gives back.
type Registration struct {
	User     domain.User
	Password string // the generated password; empty when one was given
}

// RegisterUser registers a user under a name nobody has (without regard to
// case), with a new passkey and the password hashed with bcrypt.
func (c *Commands) RegisterUser(ctx context.Context, a Actor, in RegisterUser) (Registration, error) {
	const op = "register user"
	if err := domain.ValidateUsername(in.Name); err != nil {
		return Registration{}, domain.FieldE(op, "name", domain.KindInvalid, "invalid username %q: %v", in.Name, err)
	}
	if in.Admin && !a.Staff {
		return Registration{}, domain.FieldE(op, "admin", domain.KindForbidden, "only staff may make an administrator")
	}
	password, generated := in.Password, in.Password == ""
	if generated {
		password = newPassword()
	}
	if err := domain.ValidatePassword(password); err != nil {
		return Registration{}, domain.FieldE(op, "password", domain.KindInvalid, "%v", err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return Registration{}, domain.E(op, domain.KindInternal, "hash the password: %v", err)
	}
	passkey, err := domain.NewPasskey()
	if err != nil {
		return Registration{}, domain.Wrap(op, err)
	}
	ev := domain.UserRegistered{UserID: uuid.New(), Name: in.Name, Admin: in.Admin, Passkey: passkey, PasswordHash: string(hash)}
	if err := c.claim(ctx, op, a, domain.UsernameSubject(in.Name), ev); errors.Is(err, errTaken) {
		return Registration{}, domain.FieldE(op, "name", domain.KindConflict, "username %q is taken", in.Name)
	} else if err != nil {
		return Registration{}, err
	}
	r := Registration{User: domain.NewUser(ev)}
	if generated {
		r.Password = password
	}
	return r, nil
}

// newPassword is 120 random bits, URL-safe: 20 characters.
func newPassword() string {
	var b [15]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// RotatePasskey gives the user named name a new passkey; the tracker
// refuses the old one within a second. A user may rotate their own.
func (c *Commands) RotatePasskey(ctx context.Context, a Actor, name string) (domain.User, error) {
	return c.changeUser(ctx, "rotate passkey", a, name, false, func(u domain.User) (domain.Event, error) {
		pk, err := domain.NewPasskey()
		return domain.PasskeyRotated{UserID: u.ID, Passkey: pk}, err
	})
}

// DisableUser stops a user from announcing (and logging in); reason is
// what the tracker tells their client. Staff only.
func (c *Commands) DisableUser(ctx context.Context, a Actor, name, reason string) (domain.User, error) {
	return c.changeUser(ctx, "disable user", a, name, true, func(u domain.User) (domain.Event, error) {
		return domain.UserDisabled{UserID: u.ID, Reason: reason}, nil
	})
}

// EnableUser lifts DisableUser. Staff only.
func (c *Commands) EnableUser(ctx context.Context, a Actor, name string) (domain.User, error) {
	return c.changeUser(ctx, "enable user", a, name, true, func(u domain.User) (domain.Event, error) {
		return domain.UserEnabled{UserID: u.ID}, nil
	})
}

// SetLeeching allows or forbids a user to download (they may always seed).
// Staff only.
func (c *Commands) SetLeeching(ctx context.Context, a Actor, name string, canLeech bool) (domain.User, error) {
	return c.changeUser(ctx, "set leeching", a, name, true, func(u domain.User) (domain.Event, error) {
		return domain.LeechingSet{UserID: u.ID, CanLeech: canLeech}, nil
	})
}

// changeUser loads a user, checks the actor may change them, decides the
// event and appends it on the user's subject; it returns the user as changed.
func (c *Commands) changeUser(ctx context.Context, op string, a Actor, name string, staff bool,
	decide func(domain.User) (domain.Event, error)) (domain.User, error) {
	if staff {
		if err := a.staffOnly(op); err != nil {
			return domain.User{}, err
		}
	}
	u, last, err := c.user(ctx, op, name)
	if err != nil {
		return u, err
	}
	if !a.mayChange(u.ID) {
		return u, domain.E(op, domain.KindForbidden, "you may change only your own account")
	}
	ev, err := decide(u)
	if err != nil {
		return u, domain.Wrap(op, fmt.Errorf("decide: %w", err))
	}
	if err := c.change(ctx, op, a, domain.UserSubject(u.ID), last, ev); err != nil {
		return u, err
	}
	u.Apply(ev)
	return u, nil
}
