package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/demo"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/projections"
)

// TestDemoFillsAFreshSiteOnce runs `djembe demo` against a running serve
// and reads what the site would show: the users log in with the printed
// passwords, the catalog spans the categories, ratios, a ratio history of
// weeks, a swarm chart and a user on ratio watch are there when the
// command returns, and a second run is refused and appends nothing.
func TestDemoFillsAFreshSiteOnce(t *testing.T) {
	data := dataDir(t)
	// Announces every 30 minutes, as the defaults: the live peers stay
	// while the test runs, and no reap changes the log under it.
	rt := startServe(t, data, "--interval", "30m")
	r := djembe(t, "", "demo", "--data", data)
	if r.code != 0 {
		t.Fatalf("demo: exit %d\n%s", r.code, r.stderr)
	}
	t.Logf("demo's progress:\n%s", r.stderr)
	var out demo.Report
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("demo printed %q: %v", r.stdout, err)
	}
	if out.Web != "http://"+rt.WebAddr {
		t.Errorf("web %q, want the serve's http://%s", out.Web, rt.WebAddr)
	}
	for _, want := range []string{"users registered", "torrents added", "announces appended"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("no progress line with %q in:\n%s", want, r.stderr)
		}
	}

	ctx := context.Background()
	inst, err := instance.Open(ctx, instance.Config{DataDir: data}, instance.Client)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	c := commands.New(inst.Log, inst.Keys())
	staff := 0
	ids := map[string]domain.UserID{}
	for _, u := range out.Users {
		if u.Staff {
			staff++
		}
		got, err := c.LogIn(ctx, u.Name, u.Password)
		switch {
		case u.Disabled != "" && !errors.Is(err, commands.ErrAccountDisabled):
			t.Errorf("log in as disabled %s: %v", u.Name, err)
		case u.Disabled == "" && (err != nil || got.Staff() != u.Staff):
			t.Errorf("log in as %s: %+v, %v", u.Name, got, err)
		}
		id, err := projections.UserIDByName(ctx, inst.Pool, u.Name)
		if err != nil {
			t.Fatal(err)
		}
		ids[u.Name] = id
	}
	if len(out.Users) < 13 || staff != 1 {
		t.Fatalf("%d users, %d staff: %+v", len(out.Users), staff, out.Users)
	}

	var torrents, categories int
	if err := inst.Pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT category) FROM catalog.torrents`).Scan(&torrents, &categories); err != nil {
		t.Fatal(err)
	}
	if torrents < 300 || categories < 5 {
		t.Errorf("the catalog holds %d torrents in %d categories", torrents, categories)
	}

	var both, longHistory, below int
	for name, id := range ids {
		s, err := projections.UserStanding(ctx, inst.Pool, nil, id)
		if err != nil {
			t.Fatal(err)
		}
		if s.Uploaded > 0 && s.Downloaded > 0 {
			both++
		}
		if s.Downloaded > 20<<30 && s.Ratio < s.Required && !s.Disabled {
			below++
			if !s.Watch.On {
				t.Errorf("%s is below the required ratio (%.2f < %.2f) but not on watch", name, s.Ratio, s.Required)
			}
		}
		days, err := projections.RatioHistory(ctx, inst.Pool, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(days) >= 14 {
			longHistory++
		}
	}
	if both < 8 || longHistory == 0 || below == 0 {
		t.Errorf("%d users with credited upload and download, %d with a ratio history of 14 days or more, %d below their required ratio", both, longHistory, below)
	}

	var popular []byte
	var seeders, leechers int
	if err := inst.Pool.QueryRow(ctx, `SELECT info_hash, seeders, leechers FROM swarm.torrents ORDER BY snatches DESC LIMIT 1`).Scan(&popular, &seeders, &leechers); err != nil {
		t.Fatal(err)
	}
	points, err := projections.SwarmHistory(ctx, inst.Pool, domain.InfoHash(popular), time.Now().Add(-30*24*time.Hour), time.Now())
	if err != nil || len(points) < 10 {
		t.Errorf("the most snatched torrent's swarm history has %d points (%v)", len(points), err)
	}
	var live int
	if err := inst.Pool.QueryRow(ctx, `SELECT count(*) FROM swarm.torrents WHERE seeders + leechers > 0`).Scan(&live); err != nil || live == 0 {
		t.Errorf("%d torrents have peers now (%v)", live, err)
	}

	before := logLength(t, data)
	again := djembe(t, "", "demo", "--data", data)
	if again.code != exitInput || !strings.Contains(again.stderr, "not fresh") || again.stdout != "" {
		t.Errorf("a second demo: exit %d, stdout %q, stderr %q", again.code, again.stdout, again.stderr)
	}
	if after := logLength(t, data); after != before {
		t.Errorf("the refused demo appended %d events", after-before)
	}
}

// TestDemoWithoutServe fills a data directory no serve holds: the command
// starts the embedded servers, runs the projectors itself, starts no live
// peer, and prints the default site address.
func TestDemoWithoutServe(t *testing.T) {
	data := dataDir(t)
	r := djembe(t, "", "demo", "--data", data, "--seed", "7")
	if r.code != 0 {
		t.Fatalf("demo: exit %d\n%s", r.code, r.stderr)
	}
	var out demo.Report
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || out.Web != demo.DefaultSiteURL || len(out.Users) < 13 {
		t.Fatalf("demo printed %q (%v)", r.stdout, err)
	}
	if !strings.Contains(r.stderr, "no peer is live") {
		t.Errorf("stderr does not say no peer is live:\n%s", r.stderr)
	}
	shown := decode(t, djembe(t, "", "user", "show", "kestrel", "--data", data))
	if up, down := shown["uploaded"].(float64), shown["downloaded"].(float64); up <= 5*down || down == 0 {
		t.Errorf("kestrel uploaded %.0f and downloaded %.0f bytes", up, down)
	}
}
