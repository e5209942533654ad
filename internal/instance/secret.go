package instance

import (
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
