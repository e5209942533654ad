package app

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/internal/testenv"
)

// syncBuffer is a log destination several goroutines write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLogsNameChangesAndRefusalsButNoSecret runs a serve through
// registrations, uploads, announces good and bad (a too-long one among
// them), scrapes and a passkey rotation: its log has a JSON line for each
// change (type, actor, subject) and the refusals counted by reason, and no
// passkey anywhere.
func TestLogsNameChangesAndRefusalsButNoSecret(t *testing.T) {
	var logs syncBuffer
	m := New(Config{Instance: instance.Config{DataDir: dataDir(t)}, Web: "127.0.0.1:0", Ops: "127.0.0.1:0", Trackers: []string{"127.0.0.1:0"},
		Roles: Roles{Tracker: true, Projectors: true}, Log: &logs, RefusalLogPeriod: 100 * time.Millisecond})
	if err := m.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	<-m.Ready()
	ctx, c := context.Background(), m.Commands()
	reg, added, announce := aliceSharesATorrent(t, m)
	h := added.Torrent.InfoHash
	q := url.Values{"info_hash": {string(h[:])}, "peer_id": {"-TR3000-000000000001"}, "port": {"51413"},
		"uploaded": {"0"}, "downloaded": {"0"}, "left": {"0"}, "event": {"started"}}
	unknown := strings.Repeat("ab", 16)
	testenv.Eventually(t, "the tracker knows alice", func() bool {
		return !strings.Contains(fetch(t, announce+"?"+q.Encode()), "failure reason")
	})
	for _, target := range []string{
		announce + "?" + q.Encode() + "&port=0",                                            // accepted again (first port counts)
		strings.Replace(announce, string(reg.User.Passkey), unknown, 1) + "?" + q.Encode(), // unknown passkey
		announce + "?info_hash=short",                                                      // malformed
		announce + "?" + q.Encode() + "&x=" + strings.Repeat("y", 9000),                    // too long
		strings.Replace(announce, "announce", "scrape", 1) + "?info_hash=" + url.QueryEscape(string(h[:])),
	} {
		fetch(t, target)
	}
	if _, err := c.RotatePasskey(ctx, commands.Operator, "alice"); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	}()
	testenv.Eventually(t, "the change and refusal lines", func() bool {
		l := logs.String()
		return strings.Contains(l, `"type":"PasskeyRotated"`) && strings.Contains(l, `"unknown_passkey":1`) && strings.Contains(l, `"too_long":1`)
	})
	m.Close()
	l := logs.String()
	for _, want := range []string{`"msg":"change","type":"UserRegistered","actor":"operator","subject":"` + domain.ClaimSubject(domain.NameClaim(m.Instance().Secret, "alice")) + `"`,
		`"type":"TorrentRegistered","actor":"operator","subject":"djembe.torrent.` + h.String(), `"msg":"tracker refusals"`, `"malformed_param":1`} {
		if !strings.Contains(l, want) {
			t.Errorf("the log lacks %s:\n%s", want, l)
		}
	}
	for _, secret := range []string{string(reg.User.Passkey), unknown, reg.Password, "alice"} {
		if strings.Contains(l, secret) {
			t.Fatalf("a secret (%s) is in the log:\n%s", secret, l)
		}
	}
}

func fetch(t *testing.T, u string) string {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}
