package app

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/djembe/djembe/internal/instance"
	"github.com/nats-io/nats.go"
)

// TestTheEmbeddedNATSRefusesOtherLocalUsers starts a serve and, as another
// uid (nobody), tries what a local attacker would: read the credentials
// and connect to the NATS port without them. Both must fail. Without root
// (no other uid to become), it makes the same attempts as this uid with no
// credential.
func TestTheEmbeddedNATSRefusesOtherLocalUsers(t *testing.T) {
	data := dataDir(t)
	m := start(t, data)
	natsURL := m.Instance().Runtime.NATSURL
	creds := filepath.Join(data, instance.CredentialsFile)
	if fi, err := os.Stat(creds); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("%s: mode %v (%v), want 0600", creds, fi.Mode().Perm(), err)
	}
	if os.Geteuid() != 0 {
		if err := attackNATS(natsURL, ""); err != nil {
			t.Fatal(err)
		}
		return
	}
	bin := copyTestBinary(t)
	cmd := exec.Command(bin, "-test.run=^TestAttackAsNobody$", "-test.v")
	cmd.Env = append(os.Environ(), "DJEMBE_ATTACK_NATS="+natsURL, "DJEMBE_ATTACK_CREDS="+creds)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestAttackAsNobody") {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
}

// TestAttackAsNobody is the other uid's half of the test above; it runs
// only when that test starts it.
func TestAttackAsNobody(t *testing.T) {
	url := os.Getenv("DJEMBE_ATTACK_NATS")
	if url == "" {
		t.Skip("started by TestTheEmbeddedNATSRefusesOtherLocalUsers only")
	}
	if err := attackNATS(url, os.Getenv("DJEMBE_ATTACK_CREDS")); err != nil {
		t.Fatal(err)
	}
}

// attackNATS reads the credentials file (when named) and connects without
// a credential, as a user who has none; it returns what succeeded.
func attackNATS(url, creds string) error {
	if creds != "" {
		if _, err := os.ReadFile(creds); !errors.Is(err, fs.ErrPermission) {
			return errors.New("reading the NATS credentials did not fail with permission denied: " + errString(err))
		}
	}
	nc, err := nats.Connect(url, nats.Timeout(5*time.Second))
	if err == nil {
		nc.Close()
		return errors.New("connected to NATS without a credential")
	}
	if !strings.Contains(err.Error(), "Authorization Violation") {
		return errors.New("connecting without a credential failed, but not for authorization: " + err.Error())
	}
	return nil
}

func errString(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}

// copyTestBinary copies this test binary where another uid may run it.
func copyTestBinary(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "djembe-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "app.test")
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}
