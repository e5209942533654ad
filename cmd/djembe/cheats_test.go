package main

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/instance"
	"github.com/google/uuid"
)

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 3, 10, 15, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Time
		err  bool
	}{
		{"7d", now.Add(-7 * 24 * time.Hour), false},
		{"0d", now, false},
		{"48h", now.Add(-48 * time.Hour), false},
		{"90m", now.Add(-90 * time.Minute), false},
		{"2026-01-02", time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), false},
		{"-1d", time.Time{}, true},
		{"-3h", time.Time{}, true},
		{"d", time.Time{}, true},
		{"7 days", time.Time{}, true},
		{"2026-13-01", time.Time{}, true},
		{"99999999999d", time.Time{}, true},
		{"", time.Time{}, true},
	} {
		got, err := parseSince(tc.in, now)
		if (err != nil) != tc.err || !got.Equal(tc.want) {
			t.Errorf("parseSince(%q) = %v, %v; want %v (error %v)", tc.in, got, err, tc.want, tc.err)
		}
	}
}

// TestCheatsReport runs `djembe cheats` on a data directory whose log holds
// a forged claim of 2^63-1 bytes into an empty swarm (appended directly,
// as the tracker would record it): the report lists the forger, and a
// --since after the forgery lists nobody. A malformed --since is refused.
func TestCheatsReport(t *testing.T) {
	data := dataDir(t)
	added := decode(t, djembe(t, "", "user", "add", "forger", "--data", data))
	id := uuid.MustParse(added["id"].(string))
	h := domain.InfoHash{0xf0, 0x7e}
	yesterday := time.Now().Add(-24 * time.Hour)
	forged := domain.Announce{TimeMillis: yesterday.UnixMilli(), InfoHash: h, UserID: id, Event: domain.EventNone, Prev: domain.PeerSeeder,
		Credit: domain.Credit{RawUp: math.MaxInt64, Caps: domain.CapUpRate | domain.CapUpEmpty}}
	appendBatch(t, data, forged)

	rep := decode(t, djembe(t, "", "cheats", "--data", data))
	users := rep["users"].([]any)
	if len(users) != 1 || users[0].(map[string]any)["name"] != "forger" {
		t.Fatalf("cheats listed users %v, want the forger", users)
	}
	if ts := rep["torrents"].([]any); len(ts) != 1 || ts[0].(map[string]any)["info_hash"] != h.String() {
		t.Fatalf("cheats listed torrents %v, want %s", ts, h)
	}
	if want := time.Now().Add(-7 * 24 * time.Hour).UTC().Truncate(24 * time.Hour).Format(time.RFC3339); rep["since"] != want {
		t.Fatalf("since %v, want %s (seven days back, at midnight UTC)", rep["since"], want)
	}
	later := time.Now().Add(24 * time.Hour).UTC().Format(time.DateOnly)
	rep = decode(t, djembe(t, "", "cheats", "--since", later, "--data", data))
	if len(rep["users"].([]any)) != 0 || len(rep["torrents"].([]any)) != 0 {
		t.Fatalf("cheats --since %s listed %v", later, rep)
	}
	r := djembe(t, "", "cheats", "--since", "last week", "--data", data)
	if r.code != exitInput || !strings.Contains(r.stderr, "--since") {
		t.Fatalf("cheats --since 'last week': exit %d, stderr %q", r.code, r.stderr)
	}
}

// appendBatch appends one announce batch to the data directory's log.
func appendBatch(t *testing.T, data string, anns ...domain.Announce) {
	t.Helper()
	ctx := context.Background()
	inst, err := instance.Open(ctx, instance.Config{DataDir: data}, instance.Client)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	if _, err := inst.Log.Append(ctx, domain.AnnounceSubject("t1"), &domain.AnnounceBatch{Node: "t1", Announces: anns}); err != nil {
		t.Fatal(err)
	}
}
