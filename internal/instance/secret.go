package instance

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
)

// SecretFile holds the server secret passkeys are derived with, in the
// data directory, readable by its owner only. Nodes that share a log need
// the same one (Config.SecretFile).
const SecretFile = "server.secret"

// loadSecret reads the server secret, generating it first when the file
// is the data directory's own and does not exist yet. A secret named in
// the configuration must exist: generating one there would give a node
// passkeys the others refuse.
func loadSecret(cfg Config) (domain.ServerSecret, error) {
	path, given := cfg.SecretFile, cfg.SecretFile != ""
	if !given {
		path = filepath.Join(cfg.DataDir, SecretFile)
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !given {
		return createSecret(path)
	}
	if err != nil {
		return nil, fmt.Errorf("server secret: %w", err)
	}
	secret, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(secret) < 32 {
		return nil, fmt.Errorf("server secret %s: want at least 64 hex characters (32 bytes)", path)
	}
	return secret, nil
}

func createSecret(path string) (domain.ServerSecret, error) {
	secret := make([]byte, 32)
	rand.Read(secret) // never fails (crypto/rand)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(hex.EncodeToString(secret)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write the server secret: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("write the server secret: %w", err)
	}
	return secret, nil
}

// Keys are the write side's: the server secret, and the vault of users'
// keys in this instance's database.
func (inst *Instance) Keys() commands.Keys {
	return commands.Keys{Secret: inst.Secret, Vault: inst.Pool}
}

// checkSecret records the secret's fingerprint in a log that has none yet,
// and refuses a secret other than the one the log records: passkeys and
// name claims derived with it would match nobody else's.
func checkSecret(ctx context.Context, log *eventlog.Log, secret domain.ServerSecret, cfg Config) error {
	mine := secret.Fingerprint()
	for {
		rec, ok, err := log.FirstOnSubject(ctx, domain.SubjectSecret)
		if err != nil {
			return err
		}
		if !ok {
			_, err := log.Append(ctx, domain.SubjectSecret, domain.ServerSecretSet{Fingerprint: mine}, eventlog.ExpectNew())
			if errors.Is(err, eventlog.ErrConflict) {
				continue // another node recorded one meanwhile: compare with it
			}
			return err
		}
		e, err := rec.Decode()
		if err != nil {
			return fmt.Errorf("the log's server secret record: %w", err)
		}
		if e.(domain.ServerSecretSet).Fingerprint != mine {
			where := cfg.SecretFile
			if where == "" {
				where = filepath.Join(cfg.DataDir, SecretFile)
			}
			return domain.E("", domain.KindInvalid, "the log was started with another server secret than %s: give every node "+
				"on this log that one (DJEMBE_SECRET_FILE), or passkeys and names would not match", where)
		}
		return nil
	}
}
