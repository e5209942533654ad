package projections

import (
	"context"
	_ "embed"

	"github.com/djembe/djembe/domain"
	"github.com/jackc/pgx/v5"
)

// Accounts is the accounts read model: accounts.users (invites left, the
// RSS key's nonce), accounts.invites, accounts.tokens and
// accounts.registration. It keeps no secret: invite codes and tokens as
// their SHA-256, RSS keys as nonces (the key needs the server secret too).
// The site looks up API tokens and RSS keys here (UserByToken,
// UserByRSSKey); the commands that must take effect at once there
// (revoking a token, rotating an RSS key) return once this projection has
// applied them.
type Accounts struct{}

//go:embed sql/accounts.sql
var accountsSchema string

func (Accounts) Name() string   { return "accounts" }
func (Accounts) Version() int   { return 1 }
func (Accounts) Schema() string { return accountsSchema }

func (Accounts) Consumes() []string {
	return []string{domain.TypeUserRegistered, domain.TypeInvitesGranted, domain.TypeInviteCreated,
		domain.TypeInviteUsed, domain.TypeInviteReturned, domain.TypeTokenCreated, domain.TypeTokenRevoked,
		domain.TypeRSSKeyRotated, domain.TypeRegistrationSet}
}

func (Accounts) Apply(ctx context.Context, tx pgx.Tx, evs []Event) error {
	b := &pgx.Batch{}
	for _, ev := range evs {
		seq, at := int64(ev.Seq), ev.Meta.Time
		switch e := ev.Event.(type) {
		case domain.UserRegistered:
			b.Queue(`INSERT INTO users (user_id, rss_nonce, seq) VALUES ($1, $2, $3)`,
				e.UserID, string(domain.DefaultRSSNonce(e.UserID)), seq)
		case domain.InvitesGranted:
			b.Queue(`UPDATE users SET invites_left = GREATEST(0, invites_left + $2), seq = $3 WHERE user_id = $1`,
				e.UserID, e.Count, seq)
		case domain.InviteCreated:
			b.Queue(`INSERT INTO invites (invite_id, code_hash, by_user, free, created_at, seq) VALUES ($1, $2, $3, $4, $5, $6)`,
				e.InviteID, e.CodeHash, e.UserID, e.Free, at, seq)
			if !e.Free {
				b.Queue(`UPDATE users SET invites_left = GREATEST(0, invites_left - 1), seq = $2 WHERE user_id = $1`, e.UserID, seq)
			}
		case domain.InviteUsed:
			b.Queue(`UPDATE invites SET used_by = $2, used_at = $3, seq = $4 WHERE code_hash = $1`, e.CodeHash, e.UserID, at, seq)
		case domain.InviteReturned:
			b.Queue(`UPDATE invites SET used_by = NULL, used_at = NULL, seq = $2 WHERE code_hash = $1`, e.CodeHash, seq)
		case domain.TokenCreated:
			b.Queue(`INSERT INTO tokens (token_id, user_id, label, hash, created_at, seq) VALUES ($1, $2, $3, $4, $5, $6)`,
				e.TokenID, e.UserID, e.Label, e.Hash, at, seq)
		case domain.TokenRevoked:
			b.Queue(`UPDATE tokens SET revoked_at = $3, seq = $4 WHERE token_id = $1 AND user_id = $2 AND revoked_at IS NULL`,
				e.TokenID, e.UserID, at, seq)
		case domain.RSSKeyRotated:
			b.Queue(`UPDATE users SET rss_nonce = $2, seq = $3 WHERE user_id = $1`, e.UserID, string(e.Nonce), seq)
		case domain.RegistrationSet:
			b.Queue(`INSERT INTO registration (open, seq) VALUES ($1, $2)
				ON CONFLICT (only_row) DO UPDATE SET open = EXCLUDED.open, seq = EXCLUDED.seq`, e.Open, seq)
		}
	}
	if b.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, b).Close()
}
