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
	Admin        bool          `json:"admin"` // staff: a Moderator or Administrator
	Class        domain.Class  `json:"class"`
	Disabled     bool          `json:"disabled"`
	CanLeech     bool          `json:"can_leech"`
	RegisteredAt time.Time     `json:"registered_at"`
	RatioRow
}

// ShowUser reads a user by name (any case) with their ratio totals and
// their passkey, derived with secret (the read model holds only its nonce).
func ShowUser(ctx context.Context, q RowQuerier, secret domain.ServerSecret, name string) (UserRow, error) {
	var u UserRow
	var nonce, legacy, class string
	err := q.QueryRow(ctx, `SELECT id, name, passkey_nonce, COALESCE(passkey, ''), admin, class, disabled, can_leech, registered_at
		FROM users.users WHERE name_key = $1`, domain.UsernameKey(name)).
		Scan(&u.ID, &u.Name, &nonce, &legacy, &u.Admin, &class, &u.Disabled, &u.CanLeech, &u.RegisteredAt)
	u.Class = ClassOf(class)
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

// ClassOf is the class whose code the users read model keeps (User for
// one this build does not know).
func ClassOf(code string) domain.Class {
	var c domain.Class
	if c.UnmarshalText([]byte(code)) != nil {
		return domain.ClassUser
	}
	return c
}
