package projections

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/vault"
	"github.com/jackc/pgx/v5"
)

// changedPassword is the password hash e seals, opened with the user's key
// from the vault (read in tx). It is "" when the key is destroyed (the
// user was forgotten since) or the seal is not the user's: the old hash
// must not keep working, and a replay after a forget gives the table the
// live projection had.
func changedPassword(ctx context.Context, tx pgx.Tx, e domain.PasswordChanged) (string, error) {
	b, err := vault.Open(ctx, tx, e.UserID, e.Sealed)
	var p domain.Personal
	switch {
	case err == nil && json.Unmarshal(b, &p) == nil:
		return p.PasswordHash, nil
	case err != nil && !errors.Is(err, vault.ErrForgotten) && !errors.Is(err, vault.ErrUnsealable):
		return "", err // the database, not the seal: try again
	}
	return "", nil
}
