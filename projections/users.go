package projections

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/vault"
	"github.com/jackc/pgx/v5"
)

// Users is the users read model: users.users, one row per registered user.
type Users struct{}

//go:embed sql/users.sql
var usersSchema string

func (Users) Name() string   { return "users" }
func (Users) Version() int   { return 4 }
func (Users) Schema() string { return usersSchema }

func (Users) Consumes() []string {
	return []string{domain.TypeUserRegistered, domain.TypePasskeyRotated, domain.TypeUserDisabled,
		domain.TypeUserEnabled, domain.TypeLeechingSet, domain.TypeUserForgotten,
		domain.TypeRatioWatchStarted, domain.TypeRatioWatchEnded,
		domain.TypePasswordChanged, domain.TypeUserClassSet}
}

// personal is r's personal data: its plain fields before v3, else opened
// from its seal with the user's key from the vault (read in tx). A user
// whose key is destroyed (forgotten), or whose seal does not open, is
// AnonymousName with no password hash, so a replay after a forget gives
// the table the live projection had after it.
func personal(ctx context.Context, tx pgx.Tx, r domain.UserRegistered) (domain.Personal, error) {
	if p, plain := r.Personal(); plain {
		return p, nil
	}
	b, err := vault.Open(ctx, tx, r.UserID, r.Sealed)
	var p domain.Personal
	switch {
	case err == nil && json.Unmarshal(b, &p) == nil && domain.ValidateUsername(p.Name) == nil:
		return p, nil
	case err != nil && !errors.Is(err, vault.ErrForgotten) && !errors.Is(err, vault.ErrUnsealable):
		return p, err // the database, not the seal: try again
	}
	return domain.Personal{Name: domain.AnonymousName(r.UserID)}, nil
}

func (Users) Apply(ctx context.Context, tx pgx.Tx, evs []Event) error {
	b := &pgx.Batch{}
	for _, ev := range evs {
		seq := int64(ev.Seq)
		switch e := ev.Event.(type) {
		case domain.UserRegistered:
			p, err := personal(ctx, tx, e)
			if err != nil {
				return err
			}
			class := domain.RegisteredClass(e.Admin)
			b.Queue(`INSERT INTO users (id, name, name_key, passkey_nonce, passkey, password_hash, class, admin, registered_at, seq)
				VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6, $7, $8, $9, $10)`,
				e.UserID, p.Name, domain.UsernameKey(p.Name), string(e.PasskeyNonce), string(e.Passkey), p.PasswordHash,
				class.Code(), class.Staff(), ev.Meta.Time, seq)
		case domain.UserClassSet:
			b.Queue(`UPDATE users SET class = $2, admin = $3, seq = $4 WHERE id = $1`, e.UserID, e.Class.Code(), e.Class.Staff(), seq)
		case domain.UserForgotten:
			anon := domain.AnonymousName(e.UserID)
			b.Queue(`UPDATE users SET name = $2, name_key = $2, password_hash = '', forgotten = true, disabled = true,
				disabled_reason = 'forgotten', seq = $3 WHERE id = $1`, e.UserID, anon, seq)
		case domain.PasskeyRotated:
			b.Queue(`UPDATE users SET passkey_nonce = $2, passkey = NULLIF($3, ''), seq = $4 WHERE id = $1`,
				e.UserID, string(e.Nonce), string(e.Passkey), seq)
		case domain.PasswordChanged:
			hash, err := changedPassword(ctx, tx, e)
			if err != nil {
				return err
			}
			b.Queue(`UPDATE users SET password_hash = $2, seq = $3 WHERE id = $1 AND NOT forgotten`, e.UserID, hash, seq)
		case domain.UserDisabled:
			b.Queue(`UPDATE users SET disabled = true, disabled_reason = $2, seq = $3 WHERE id = $1`, e.UserID, e.Reason, seq)
		case domain.UserEnabled:
			b.Queue(`UPDATE users SET disabled = false, disabled_reason = '', seq = $2 WHERE id = $1`, e.UserID, seq)
		case domain.LeechingSet:
			b.Queue(`UPDATE users SET can_leech = $2, leech_disabled_by_watch = $3, leech_reason = $4, seq = $5 WHERE id = $1`,
				e.UserID, e.CanLeech, !e.CanLeech && e.ByRatioWatch, e.Reason, seq)
		case domain.RatioWatchStarted:
			b.Queue(`UPDATE users SET ratio_watch = true, ratio_watch_started_at = $2, ratio_watch_deadline = $3,
				ratio_watch_downloaded = $4, ratio_watch_times = ratio_watch_times + 1, seq = $5 WHERE id = $1`,
				e.UserID, ev.Meta.Time, e.Deadline, clamp(e.Downloaded), seq)
		case domain.RatioWatchEnded:
			b.Queue(`UPDATE users SET ratio_watch = false, ratio_watch_started_at = NULL, ratio_watch_deadline = NULL,
				ratio_watch_downloaded = 0, seq = $2 WHERE id = $1`, e.UserID, seq)
		}
	}
	if b.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, b).Close()
}
