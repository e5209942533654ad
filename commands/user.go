package commands

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/vault"
	"github.com/google/uuid"
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
// case), with a new passkey and the password hashed with argon2id
// (DefaultArgon2id). The log gets the name's keyed hash, the passkey's
// nonce, and the name and hash sealed with a key of the user's own (see
// domain.UserRegistered). A name claimed before names were sealed (in
// plain) stays taken. Anyone may register through the site by Register
// (when registration is open) or RegisterWithInvite.
func (c *Commands) RegisterUser(ctx context.Context, a Actor, in RegisterUser) (Registration, error) {
	const op = "register user"
	p, err := c.prepareRegistration(ctx, op, a, in)
	if err != nil {
		return Registration{}, err
	}
	return c.claimName(ctx, op, a, p)
}

// preparedRegistration is a registration validated and hashed, with its
// user id chosen, that claimName appends.
type preparedRegistration struct {
	in       RegisterUser
	id       domain.UserID
	password string // the generated one, or ""
	hash     string
}

// prepareRegistration validates in, refuses a name taken now, and hashes
// the password (generated when in has none).
func (c *Commands) prepareRegistration(ctx context.Context, op string, a Actor, in RegisterUser) (preparedRegistration, error) {
	p := preparedRegistration{in: in, id: uuid.New()}
	if err := domain.ValidateUsername(in.Name); err != nil {
		return p, domain.FieldE(op, "name", domain.KindInvalid, "invalid username %q: %v", in.Name, err)
	}
	if in.Admin && !a.Staff {
		return p, domain.FieldE(op, "admin", domain.KindForbidden, "only staff may make an administrator")
	}
	password := in.Password
	if password == "" {
		password = newPassword()
		p.password = password
	}
	if err := domain.ValidatePassword(password); err != nil {
		return p, domain.FieldE(op, "password", domain.KindInvalid, "%v", err)
	}
	if _, found, err := c.registration(ctx, op, in.Name); err != nil {
		return p, err
	} else if found {
		return p, errNameTaken(op, in.Name)
	}
	p.hash = hashPassword(password, DefaultArgon2id)
	return p, nil
}

func errNameTaken(op, name string) error {
	return domain.FieldE(op, "name", domain.KindConflict, "username %q is taken", name)
}

// claimName appends p's UserRegistered on its name's claim subject: the
// name is taken once, whoever asks at the same time.
func (c *Commands) claimName(ctx context.Context, op string, a Actor, p preparedRegistration) (Registration, error) {
	personal := domain.Personal{Name: p.in.Name, PasswordHash: p.hash}
	ev := domain.UserRegistered{UserID: p.id, Admin: p.in.Admin, PasskeyNonce: domain.NewPasskeyNonce(),
		Claim: domain.NameClaim(c.keys.Secret, p.in.Name)}
	var err error
	if ev.Sealed, err = c.seal(ctx, op, ev.UserID, personal); err != nil {
		return Registration{}, err
	}
	if err := c.claim(ctx, op, a, domain.ClaimSubject(ev.Claim), ev); err != nil {
		_ = vault.Destroy(ctx, c.keys.Vault, ev.UserID) // sealed nothing stored; best effort
		if errors.Is(err, errTaken) {
			return Registration{}, errNameTaken(op, p.in.Name)
		}
		return Registration{}, err
	}
	return Registration{User: c.withPasskey(domain.NewUser(ev, personal)), Password: p.password}, nil
}

// withPasskey sets u.Passkey to the passkey u's nonce derives (an old
// registration's own passkey when it has no nonce).
func (c *Commands) withPasskey(u domain.User) domain.User {
	u.Passkey = c.keys.Secret.UserPasskey(u)
	return u
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
		return domain.PasskeyRotated{UserID: u.ID, Nonce: domain.NewPasskeyNonce()}, nil
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
	return c.withPasskey(u), nil
}

// Forgotten is what forgetting a user did.
type Forgotten struct {
	User domain.User // as they are now: AnonymousName, disabled
	// PlainInLog is true for a user registered before personal data was
	// sealed: the log still holds their name and password hash in plain,
	// and nothing can remove them from it.
	PlainInLog bool
}

// ForgetUser forgets the user named name at their request: it appends
// UserForgotten (the read models and the tracker replace their name with
// an anonymous one, drop their password hash and refuse their passkey),
// then destroys their key, so what the log holds of them never opens
// again. Their torrents and totals stay, under the anonymous name. Staff
// only. Forgetting a forgotten user destroys the key again, in case a
// crash came between the two steps.
func (c *Commands) ForgetUser(ctx context.Context, a Actor, name string) (Forgotten, error) {
	const op = "forget user"
	if err := a.staffOnly(op); err != nil {
		return Forgotten{}, err
	}
	reg, found, err := c.registration(ctx, op, name)
	if err != nil {
		return Forgotten{}, err
	}
	if !found {
		return Forgotten{}, domain.FieldE(op, "user", domain.KindNotFound, "no user named %q", name)
	}
	u, last, err := c.loadUser(ctx, op, name)
	if err != nil {
		return Forgotten{}, err
	}
	if !u.Forgotten {
		ev := domain.UserForgotten{UserID: u.ID}
		if err := c.change(ctx, op, a, domain.UserSubject(u.ID), last, ev); err != nil {
			return Forgotten{}, err
		}
		u.Apply(ev)
	}
	if err := vault.Destroy(ctx, c.keys.Vault, u.ID); err != nil {
		return Forgotten{}, domain.E(op, domain.KindUnavailable, "the user is forgotten, but their key could not be destroyed (%v): run this again", err)
	}
	_, plain := reg.Personal()
	return Forgotten{User: u, PlainInLog: plain}, nil
}
