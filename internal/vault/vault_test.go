package vault_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"

	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/internal/vault"
	"github.com/google/uuid"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

func TestSealOpenDestroy(t *testing.T) {
	ctx, db := context.Background(), testenv.DB(t)
	alice, bob := uuid.New(), uuid.New()
	secret := []byte(`{"name":"alice"}`)
	sealed, err := vault.Seal(ctx, db, alice, secret)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("alice")) {
		t.Fatal("the sealed bytes hold the plaintext")
	}
	again, err := vault.Seal(ctx, db, alice, secret)
	if err != nil || bytes.Equal(again, sealed) {
		t.Fatalf("a second seal: %x (%v); want other bytes (a fresh nonce)", again, err)
	}
	for _, s := range [][]byte{sealed, again} {
		if got, err := vault.Open(ctx, db, alice, s); err != nil || !bytes.Equal(got, secret) {
			t.Fatalf("open: %q, %v", got, err)
		}
	}
	if _, err := vault.Seal(ctx, db, bob, []byte("x")); err != nil {
		t.Fatal(err)
	}
	tampered := append([]byte(nil), sealed...)
	tampered[len(tampered)-1] ^= 1
	for name, open := range map[string]func() ([]byte, error){
		"alice's data as bob's": func() ([]byte, error) { return vault.Open(ctx, db, bob, sealed) },
		"tampered data":         func() ([]byte, error) { return vault.Open(ctx, db, alice, tampered) },
		"a truncated blob":      func() ([]byte, error) { return vault.Open(ctx, db, alice, sealed[:5]) },
	} {
		if got, err := open(); err == nil {
			t.Errorf("%s opened: %q", name, got)
		}
	}
	if err := vault.Destroy(ctx, db, alice); err != nil {
		t.Fatal(err)
	}
	if _, err := vault.Open(ctx, db, alice, sealed); !errors.Is(err, vault.ErrForgotten) {
		t.Fatalf("open after destroy: %v, want ErrForgotten", err)
	}
	if got, err := vault.Open(ctx, db, bob, mustSeal(t, db, bob)); err != nil || string(got) != "x" {
		t.Fatalf("bob's key went with alice's: %q, %v", got, err)
	}
	if err := vault.Destroy(ctx, db, alice); err != nil {
		t.Fatalf("destroying a destroyed key: %v", err)
	}
}

func mustSeal(t *testing.T, db vault.Querier, id uuid.UUID) []byte {
	t.Helper()
	b, err := vault.Seal(context.Background(), db, id, []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
