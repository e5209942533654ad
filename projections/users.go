package projections

import (
	"context"
	_ "embed"

	"github.com/djembe/djembe/domain"
	"github.com/jackc/pgx/v5"
)

// Users is the users read model: users.users, one row per registered user.
type Users struct{}

//go:embed sql/users.sql
var usersSchema string

func (Users) Name() string   { return "users" }
func (Users) Version() int   { return 1 }
func (Users) Schema() string { return usersSchema }

func (Users) Consumes() []string {
	return []string{domain.TypeUserRegistered, domain.TypePasskeyRotated, domain.TypeUserDisabled,
		domain.TypeUserEnabled, domain.TypeLeechingSet}
}

func (Users) Apply(ctx context.Context, tx pgx.Tx, evs []Event) error {
	b := &pgx.Batch{}
	for _, ev := range evs {
		seq := int64(ev.Seq)
		switch e := ev.Event.(type) {
		case domain.UserRegistered:
			b.Queue(`INSERT INTO users (id, name, name_key, passkey, password_hash, admin, registered_at, seq)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				e.UserID, e.Name, domain.UsernameKey(e.Name), string(e.Passkey), e.PasswordHash, e.Admin, ev.Meta.Time, seq)
		case domain.PasskeyRotated:
			b.Queue(`UPDATE users SET passkey = $2, seq = $3 WHERE id = $1`, e.UserID, string(e.Passkey), seq)
		case domain.UserDisabled:
			b.Queue(`UPDATE users SET disabled = true, disabled_reason = $2, seq = $3 WHERE id = $1`, e.UserID, e.Reason, seq)
		case domain.UserEnabled:
			b.Queue(`UPDATE users SET disabled = false, disabled_reason = '', seq = $2 WHERE id = $1`, e.UserID, seq)
		case domain.LeechingSet:
			b.Queue(`UPDATE users SET can_leech = $2, seq = $3 WHERE id = $1`, e.UserID, e.CanLeech, seq)
		}
	}
	if b.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, b).Close()
}
