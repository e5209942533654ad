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

// Queries of the accounts read model (with the users one, for names and
// whether an account may act).

// ErrBadToken is the refusal (KindForbidden) of an API token or RSS key
// that is malformed, unknown or revoked.
var ErrBadToken = errors.New("not a valid key: it is unknown, revoked or rotated")

// AccountUser is who an API token or RSS key belongs to.
type AccountUser struct {
	ID       domain.UserID `json:"id"`
	Name     string        `json:"name"`
	Admin    bool          `json:"admin"`
	CanLeech bool          `json:"can_leech"`
	TokenID  uuid.UUID     `json:"token_id"` // the token used (UserByToken); uuid.Nil for an RSS key
}

// UserByToken is the user an API token belongs to: it hashes the token and
// looks the hash up. A malformed, unknown or revoked token is refused with
// ErrBadToken, as is a disabled or forgotten user's (with a message of its
// own). A revocation is in effect here as soon as commands.RevokeToken has
// returned: it waits for this read model to apply it.
func UserByToken(ctx context.Context, q RowQuerier, token string) (AccountUser, error) {
	const op = "check API token"
	if !domain.ValidToken(token) {
		return AccountUser{}, badKey(op)
	}
	var u AccountUser
	var revoked, disabled, forgotten bool
	err := q.QueryRow(ctx, `SELECT t.token_id, t.revoked_at IS NOT NULL, u.id, u.name, u.admin, u.can_leech, u.disabled, u.forgotten
		FROM accounts.tokens t JOIN users.users u ON u.id = t.user_id WHERE t.hash = $1`, domain.SecretHash(token)).
		Scan(&u.TokenID, &revoked, &u.ID, &u.Name, &u.Admin, &u.CanLeech, &disabled, &forgotten)
	switch {
	case errors.Is(err, pgx.ErrNoRows) || (err == nil && revoked):
		return AccountUser{}, badKey(op)
	case err != nil:
		return AccountUser{}, fmt.Errorf("%s: %w", op, err)
	}
	return u, mayAct(op, disabled, forgotten)
}

// UserByRSSKey is the user an RSS key belongs to: it finds the user by the
// key's nonce, then checks the rest against the key derived with secret,
// in constant time. A malformed key or an old one (rotated since) is
// refused with ErrBadToken, as is a disabled or forgotten user's.
func UserByRSSKey(ctx context.Context, q RowQuerier, secret domain.ServerSecret, key string) (AccountUser, error) {
	const op = "check RSS key"
	nonce, ok := domain.RSSKey(key).Nonce()
	if !ok {
		return AccountUser{}, badKey(op)
	}
	var u AccountUser
	var disabled, forgotten bool
	err := q.QueryRow(ctx, `SELECT u.id, u.name, u.admin, u.can_leech, u.disabled, u.forgotten
		FROM accounts.users a JOIN users.users u ON u.id = a.user_id WHERE a.rss_nonce = $1`, string(nonce)).
		Scan(&u.ID, &u.Name, &u.Admin, &u.CanLeech, &disabled, &forgotten)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return AccountUser{}, badKey(op)
	case err != nil:
		return AccountUser{}, fmt.Errorf("%s: %w", op, err)
	case !secret.CheckRSSKey(u.ID, nonce, domain.RSSKey(key)):
		return AccountUser{}, badKey(op)
	}
	return u, mayAct(op, disabled, forgotten)
}

func badKey(op string) error {
	return &domain.Error{Op: op, Kind: domain.KindForbidden, Err: ErrBadToken}
}

func mayAct(op string, disabled, forgotten bool) error {
	switch {
	case forgotten:
		return domain.E(op, domain.KindForbidden, "this account was closed at its owner's request")
	case disabled:
		return domain.E(op, domain.KindForbidden, "this account is disabled")
	}
	return nil
}

// AccountRow is what the profile shows of a user's account to its owner
// and staff.
type AccountRow struct {
	InvitesLeft int           `json:"invites_left"`
	RSSKey      domain.RSSKey `json:"rss_key"`
	InvitedBy   *InviteUser   `json:"invited_by,omitempty"`
}

// InviteUser names a user at one end of an invite.
type InviteUser struct {
	ID   domain.UserID `json:"id"`
	Name string        `json:"name"`
}

// Account reads user id's account, with their RSS key derived with secret.
func Account(ctx context.Context, q RowQuerier, secret domain.ServerSecret, id domain.UserID) (AccountRow, error) {
	var a AccountRow
	var nonce string
	err := q.QueryRow(ctx, `SELECT invites_left, rss_nonce FROM accounts.users WHERE user_id = $1`, id).Scan(&a.InvitesLeft, &nonce)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, domain.FieldE("read account", "user", domain.KindNotFound, "no user with id %s", id)
	}
	if err != nil {
		return a, fmt.Errorf("read account %s: %w", id, err)
	}
	a.RSSKey = secret.RSSKey(id, domain.RSSNonce(nonce))
	var by InviteUser
	err = q.QueryRow(ctx, `SELECT i.by_user, COALESCE(u.name, '') FROM accounts.invites i LEFT JOIN users.users u ON u.id = i.by_user
		WHERE i.used_by = $1`, id).Scan(&by.ID, &by.Name)
	if err == nil {
		a.InvitedBy = &by
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return a, fmt.Errorf("read account %s: %w", id, err)
	}
	return a, nil
}

// InviteRow is one invite a user created: unused (UsedBy nil) or used.
// The code itself is not kept anywhere.
type InviteRow struct {
	ID        uuid.UUID   `json:"id"`
	CreatedAt time.Time   `json:"created_at"`
	Free      bool        `json:"free"` // created by staff, not counted against the user
	UsedBy    *InviteUser `json:"used_by,omitempty"`
	UsedAt    *time.Time  `json:"used_at,omitempty"`
}

// Invites lists the invites user id created, unused first, then used, each
// newest first.
func Invites(ctx context.Context, q RowQuerier, id domain.UserID) ([]InviteRow, error) {
	rows, err := q.Query(ctx, `SELECT i.invite_id, i.created_at, i.free, i.used_by, COALESCE(u.name, ''), i.used_at
		FROM accounts.invites i LEFT JOIN users.users u ON u.id = i.used_by
		WHERE i.by_user = $1 ORDER BY i.used_by IS NOT NULL, i.created_at DESC, i.invite_id`, id)
	if err != nil {
		return nil, fmt.Errorf("read invites: %w", err)
	}
	out := []InviteRow{}
	for rows.Next() {
		var r InviteRow
		var usedBy uuid.NullUUID
		var name string
		if err := rows.Scan(&r.ID, &r.CreatedAt, &r.Free, &usedBy, &name, &r.UsedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read invites: %w", err)
		}
		if usedBy.Valid {
			r.UsedBy = &InviteUser{ID: usedBy.UUID, Name: name}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// TokenRow is one API token as its owner sees it: never the token (it is
// not kept), only what names it.
type TokenRow struct {
	ID        uuid.UUID  `json:"id"`
	Label     string     `json:"label"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Tokens lists user id's API tokens, live ones first, each newest first.
func Tokens(ctx context.Context, q RowQuerier, id domain.UserID) ([]TokenRow, error) {
	rows, err := q.Query(ctx, `SELECT token_id, label, created_at, revoked_at FROM accounts.tokens
		WHERE user_id = $1 ORDER BY revoked_at IS NOT NULL, created_at DESC, token_id`, id)
	if err != nil {
		return nil, fmt.Errorf("read tokens: %w", err)
	}
	out := []TokenRow{}
	for rows.Next() {
		var r TokenRow
		if err := rows.Scan(&r.ID, &r.Label, &r.CreatedAt, &r.RevokedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read tokens: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RegistrationOpen reports whether anyone may register without an invite
// (closed until staff open it).
func RegistrationOpen(ctx context.Context, q RowQuerier) (bool, error) {
	var open bool
	err := q.QueryRow(ctx, `SELECT open FROM accounts.registration`).Scan(&open)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read registration setting: %w", err)
	}
	return open, nil
}

// UserIDByName is the id of the user named name (any case).
func UserIDByName(ctx context.Context, q RowQuerier, name string) (domain.UserID, error) {
	var id domain.UserID
	err := q.QueryRow(ctx, `SELECT id FROM users.users WHERE name_key = $1`, domain.UsernameKey(name)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return id, domain.FieldE("find user", "user", domain.KindNotFound, "no user named %q", name)
	}
	if err != nil {
		return id, fmt.Errorf("find user %q: %w", name, err)
	}
	return id, nil
}

// InvitesLeft is how many invites user id may still create.
func InvitesLeft(ctx context.Context, q RowQuerier, id domain.UserID) (int, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT invites_left FROM accounts.users WHERE user_id = $1`, id).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, domain.FieldE("read invites left", "user", domain.KindNotFound, "no user with id %s", id)
	}
	if err != nil {
		return 0, fmt.Errorf("read invites left of %s: %w", id, err)
	}
	return n, nil
}
