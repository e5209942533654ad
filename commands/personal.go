package commands

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/vault"
)

// registration reads the UserRegistered that claimed name: on its keyed
// claim subject, or on the plain one of registrations from before names
// were sealed.
func (c *Commands) registration(ctx context.Context, op, name string) (reg domain.UserRegistered, found bool, err error) {
	for _, subject := range []string{domain.ClaimSubject(domain.NameClaim(c.keys.Secret, name)), domain.UsernameSubject(name)} {
		claim, _, err := c.read(ctx, op, subject)
		if err != nil || len(claim) == 0 {
			if err != nil {
				return reg, false, err
			}
			continue
		}
		reg, ok := claim[0].(domain.UserRegistered)
		if !ok {
			return reg, false, domain.E(op, domain.KindInternal, "the name %q was claimed by a %s", name, claim[0].EventType())
		}
		return reg, true, nil
	}
	return reg, false, nil
}

// openUser is the user reg creates, with their personal data opened from
// its seal (a forgotten user when their key is destroyed).
func (c *Commands) openUser(ctx context.Context, op string, reg domain.UserRegistered) (domain.User, error) {
	p, plain := reg.Personal()
	if plain {
		return domain.NewUser(reg, p), nil
	}
	b, err := vault.Open(ctx, c.keys.Vault, reg.UserID, reg.Sealed)
	if errors.Is(err, vault.ErrForgotten) {
		return domain.NewForgottenUser(reg), nil
	}
	if err == nil {
		err = json.Unmarshal(b, &p)
	}
	if err != nil {
		return domain.User{}, domain.E(op, domain.KindInternal, "open user %s's personal data: %v", reg.UserID, err)
	}
	return domain.NewUser(reg, p), nil
}

// seal seals p with the user's key (created now), for their registration.
func (c *Commands) seal(ctx context.Context, op string, id domain.UserID, p domain.Personal) ([]byte, error) {
	b, _ := json.Marshal(p)
	sealed, err := vault.Seal(ctx, c.keys.Vault, id, b)
	if err != nil {
		return nil, domain.E(op, domain.KindUnavailable, "the vault of users' keys is unavailable (%v); try again", err)
	}
	return sealed, nil
}
