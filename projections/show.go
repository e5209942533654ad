package projections

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// UserRow is a user as `djembe user show` and the profile page show it.
type UserRow struct {
	ID           domain.UserID `json:"id"`
	Name         string        `json:"name"`
	Passkey      string        `json:"passkey"`
	Admin        bool          `json:"admin"`
	Disabled     bool          `json:"disabled"`
	CanLeech     bool          `json:"can_leech"`
	RegisteredAt time.Time     `json:"registered_at"`
	RatioRow
}

// ShowUser reads a user by name (any case) with their ratio totals and
// their passkey, derived with secret (the read model holds only its nonce).
func ShowUser(ctx context.Context, q RowQuerier, secret domain.ServerSecret, name string) (UserRow, error) {
	var u UserRow
	var nonce, legacy string
	err := q.QueryRow(ctx, `SELECT id, name, passkey_nonce, COALESCE(passkey, ''), admin, disabled, can_leech, registered_at
		FROM users.users WHERE name_key = $1`, domain.UsernameKey(name)).
		Scan(&u.ID, &u.Name, &nonce, &legacy, &u.Admin, &u.Disabled, &u.CanLeech, &u.RegisteredAt)
	u.Passkey = string(secret.Passkey(u.ID, domain.PasskeyNonce(nonce), domain.Passkey(legacy)))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, domain.FieldE("show user", "user", domain.KindNotFound, "no user named %q", name)
	}
	if err != nil {
		return u, fmt.Errorf("read user %q: %w", name, err)
	}
	u.RatioRow, err = UserRatio(ctx, q, u.ID)
	u.RatioRow.UserID = uuid.Nil // printed once, as id
	return u, err
}
