// Package vault seals users' personal data for the log, with one key per
// user kept outside it (in PostgreSQL, vault.user_keys), so that deleting
// the key makes what the log holds of the user unreadable for good:
// crypto-shredding. The log itself can never be rewritten.
//
// Sealed bytes are AES-256-GCM: a 12-byte random nonce, then the
// ciphertext and tag. The user's id is the additional data, so a sealed
// blob copied onto another user's event does not open.
package vault

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/djembe/djembe/domain"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrForgotten is returned by Open for a user whose key is gone: they were
// forgotten (or never had one).
var ErrForgotten = errors.New("the user's key is destroyed: they were forgotten")

// ErrUnsealable is returned by Open for bytes that are not a seal of this
// user's key: cut short, altered, or another user's.
var ErrUnsealable = errors.New("not sealed with this user's key")

// Querier is a pool, a connection or a transaction.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Seal encrypts plaintext with user id's key, creating the key first if
// the user has none yet.
func Seal(ctx context.Context, q Querier, id domain.UserID, plaintext []byte) ([]byte, error) {
	fresh := make([]byte, 32)
	rand.Read(fresh) // never fails (crypto/rand)
	if _, err := q.Exec(ctx, `INSERT INTO vault.user_keys (user_id, key) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, fresh); err != nil {
		return nil, fmt.Errorf("vault: create key: %w", err)
	}
	aead, err := userAEAD(ctx, q, id)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return aead.Seal(nonce, nonce, plaintext, id[:]), nil
}

// Open decrypts what Seal gave for user id; ErrForgotten when the key is
// destroyed.
func Open(ctx context.Context, q Querier, id domain.UserID, sealed []byte) ([]byte, error) {
	aead, err := userAEAD(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, fmt.Errorf("vault: open user %s's data: %w (too short)", id, ErrUnsealable)
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], id[:])
	if err != nil {
		return nil, fmt.Errorf("vault: open user %s's data: %w", id, ErrUnsealable)
	}
	return plain, nil
}

// Destroy deletes user id's key: nothing sealed with it opens again. It
// is not an error when there is none.
func Destroy(ctx context.Context, q Querier, id domain.UserID) error {
	if _, err := q.Exec(ctx, `DELETE FROM vault.user_keys WHERE user_id = $1`, id); err != nil {
		return fmt.Errorf("vault: destroy key: %w", err)
	}
	return nil
}

func userAEAD(ctx context.Context, q Querier, id domain.UserID) (cipher.AEAD, error) {
	var key []byte
	err := q.QueryRow(ctx, `SELECT key FROM vault.user_keys WHERE user_id = $1`, id).Scan(&key)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrForgotten
	}
	if err != nil {
		return nil, fmt.Errorf("vault: read key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	return cipher.NewGCM(block)
}
