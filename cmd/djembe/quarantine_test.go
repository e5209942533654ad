package main

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/instance"
	"github.com/google/uuid"
)

// withInstance runs fn on the data directory's log and database, with no
// command running.
func withInstance(t *testing.T, data string, fn func(inst *instance.Instance)) {
	t.Helper()
	inst, err := instance.Open(context.Background(), instance.Config{DataDir: data}, instance.Client)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	fn(inst)
}

// TestQuarantineCommands: list shows what the projectors skipped, status
// counts it, skip acknowledges an entry, release rebuilds the projections
// that skipped one (which quarantine it again while it still fails, and
// include it once it applies), and bad sequences are refused.
func TestQuarantineCommands(t *testing.T) {
	ctx := context.Background()
	data := dataDir(t)
	alice := decode(t, djembe(t, "", "user", "add", "alice", "--data", data))
	id := uuid.MustParse(alice["id"].(string))
	var garbage, misplaced uint64
	withInstance(t, data, func(inst *instance.Instance) {
		var err error
		if garbage, err = inst.Log.Append(ctx, domain.UserSubject(id), domain.UserDisabled{},
			eventlog.RawVersion(1, []byte("garbage"))); err != nil {
			t.Fatal(err)
		}
		if misplaced, err = inst.Log.Append(ctx, domain.UserSubject(id), domain.UserRegistered{UserID: uuid.New(), Name: "mallory"}); err != nil {
			t.Fatal(err)
		}
	})

	list := decode(t, djembe(t, "", "quarantine", "list", "--data", data))
	entries := list["entries"].([]any)
	if len(entries) != 2 || list["counts"].(map[string]any)["quarantined"] != 2.0 {
		t.Fatalf("quarantine list: %v", list)
	}
	for i, seq := range []uint64{garbage, misplaced} {
		e := entries[i].(map[string]any)
		if e["seq"] != float64(seq) || e["subject"] != domain.UserSubject(id) || e["state"] != "quarantined" ||
			!slices.Contains(e["consumers"].([]any), any("users")) {
			t.Fatalf("entry %d: %v", i, e)
		}
	}
	if st := decode(t, djembe(t, "", "status", "--data", data)); st["quarantine"].(map[string]any)["quarantined"] != 2.0 {
		t.Fatalf("status: %v", st)
	}

	skipped := decode(t, djembe(t, "", "quarantine", "skip", itoa(misplaced), "--data", data))
	if skipped["entry"].(map[string]any)["state"] != "skipped" {
		t.Fatalf("skip: %v", skipped)
	}
	released := decode(t, djembe(t, "", "quarantine", "release", itoa(garbage), "--data", data))
	if e := released["entry"].(map[string]any); e["state"] != "quarantined" || released["rebuilt"].([]any)[0] != "users" {
		t.Fatalf("releasing an event that still fails: %v", released)
	}
	counts := decode(t, djembe(t, "", "status", "--data", data))["quarantine"].(map[string]any)
	if counts["quarantined"] != 1.0 || counts["skipped"] != 1.0 || counts["released"] != 0.0 {
		t.Fatalf("status after skip and release: %v", counts)
	}

	// An older build that could not apply alice's registration skipped it;
	// this one can: releasing it rebuilds users with her in it.
	withInstance(t, data, func(inst *instance.Instance) {
		if _, err := inst.Pool.Exec(ctx, `DELETE FROM users.users;
			INSERT INTO quarantine (seq, subject, type, version, error, consumers) VALUES (1, 'djembe.username.alice', 'UserRegistered', 2, 'old build', '{users}')`); err != nil {
			t.Fatal(err)
		}
	})
	released = decode(t, djembe(t, "", "quarantine", "release", "1", "--data", data))
	if e := released["entry"].(map[string]any); e["state"] != "released" {
		t.Fatalf("releasing an event that applies: %v", released)
	}
	if shown := decode(t, djembe(t, "", "user", "show", "alice", "--data", data)); shown["name"] != "alice" {
		t.Fatalf("after the release alice is %v", shown)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"quarantine", "skip", "999"}, "no quarantined event at sequence 999"},
		{[]string{"quarantine", "release", "x"}, "not a log sequence"},
		{[]string{"quarantine", "skip"}, "usage"},
		{[]string{"quarantine", "forget", "1"}, "unknown quarantine command"},
	} {
		r := djembe(t, "", append(tc.args, "--data", data)...)
		if r.code != exitInput || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("djembe %v: exit %d, %q; want exit %d and %q", tc.args, r.code, r.stderr, exitInput, tc.want)
		}
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
