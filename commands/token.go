package commands

import (
	"context"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// CreatedToken is an API token just created. Token is shown this once:
// the log and the read models keep only its SHA-256.
type CreatedToken struct {
	ID    uuid.UUID
	Label string
	Token string
}

// CreateToken creates an API token for the user named name, labelled
// label (what the user calls it: "seedbox", "autodl"). A user creates
// their own; staff anyone's. At most domain.MaxTokens live at once.
// It returns once the accounts read model has applied it, so the token
// works at once (should that wait fail, the token still works once a
// projector applies it, and is returned all the same).
func (c *Commands) CreateToken(ctx context.Context, a Actor, name, label string) (CreatedToken, error) {
	const op = "create token"
	if err := domain.ValidateTokenLabel(label); err != nil {
		return CreatedToken{}, domain.FieldE(op, "label", domain.KindInvalid, "%v", err)
	}
	u, acc, last, err := c.activeAccount(ctx, op, a, name)
	if err != nil {
		return CreatedToken{}, err
	}
	if acc.LiveTokens() >= domain.MaxTokens {
		return CreatedToken{}, domain.E(op, domain.KindForbidden, "%s has %d tokens already: revoke one first", u.Name, domain.MaxTokens)
	}
	token, hash := domain.NewToken()
	ev := domain.TokenCreated{UserID: u.ID, TokenID: uuid.New(), Label: label, Hash: hash}
	seq, err := c.changeSeq(ctx, op, a, domain.UserSubject(u.ID), last, ev)
	if err != nil {
		return CreatedToken{}, err
	}
	_ = c.awaitApplied(ctx, AccountsReadModel, seq) // best effort: see above
	return CreatedToken{ID: ev.TokenID, Label: label, Token: token}, nil
}

// RevokeToken ends the API token id of the user named name, for good. A
// user revokes their own; staff anyone's. It returns once the accounts
// read model, which the site and the API look tokens up in, has applied
// the revocation: from then on the token is refused. If no projector
// applies it within AwaitTimeout the revocation stands in the log and the
// error (KindUnavailable) says it is not in effect yet.
func (c *Commands) RevokeToken(ctx context.Context, a Actor, name string, id uuid.UUID) error {
	const op = "revoke token"
	u, acc, last, err := c.activeAccount(ctx, op, a, name)
	if err != nil {
		return err
	}
	for _, t := range acc.Tokens {
		if t.ID != id {
			continue
		}
		if t.Revoked {
			return domain.FieldE(op, "token", domain.KindConflict, "token %s of %s is revoked already", id, u.Name)
		}
		seq, err := c.changeSeq(ctx, op, a, domain.UserSubject(u.ID), last, domain.TokenRevoked{UserID: u.ID, TokenID: id})
		if err != nil {
			return err
		}
		return c.awaitEffect(ctx, op, AccountsReadModel, seq)
	}
	return domain.FieldE(op, "token", domain.KindNotFound, "%s has no token %s", u.Name, id)
}

// RSSKey is the current RSS key of the user named name. A user reads
// their own; staff anyone's.
func (c *Commands) RSSKey(ctx context.Context, a Actor, name string) (domain.RSSKey, error) {
	const op = "read RSS key"
	u, acc, _, err := c.activeAccount(ctx, op, a, name)
	if err != nil {
		return "", err
	}
	return c.keys.Secret.RSSKey(u.ID, acc.RSSNonce), nil
}

// RotateRSSKey gives the user named name a new RSS key and returns it; the
// old one is refused from then on (it returns once the accounts read
// model has applied the rotation; see RevokeToken for when that wait
// fails: the new key is returned with the error). A user rotates their
// own; staff anyone's.
func (c *Commands) RotateRSSKey(ctx context.Context, a Actor, name string) (domain.RSSKey, error) {
	const op = "rotate RSS key"
	u, _, last, err := c.activeAccount(ctx, op, a, name)
	if err != nil {
		return "", err
	}
	ev := domain.RSSKeyRotated{UserID: u.ID, Nonce: domain.NewRSSNonce()}
	seq, err := c.changeSeq(ctx, op, a, domain.UserSubject(u.ID), last, ev)
	if err != nil {
		return "", err
	}
	return c.keys.Secret.RSSKey(u.ID, ev.Nonce), c.awaitEffect(ctx, op, AccountsReadModel, seq)
}
