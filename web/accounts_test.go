package web

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The account views' samples for TestEveryViewRenders: forms with an
// error beside a field and one for the whole form, an invite just made.
func init() {
	bad := newForm()
	bad.Values["name"] = "alice"
	bad.fail("", "Wrong username or password.")
	bad.fail("password", "Enter your password.")
	viewSamples["login"] = loginPage{Form: bad, Next: "/invites"}
	reg := newForm()
	reg.Values["name"] = "bob"
	reg.fail("password2", "The two passwords differ: type the same one twice.")
	reg.fail("invite", "this invite has been used already")
	viewSamples["register"] = registerPage{Form: reg, Invite: "djb1.abc"}
	closed := newForm()
	closed.fail("invite", "This invite code is not valid.")
	viewSamples["register_closed"] = registerPage{Form: closed}
	used, at := time.Now().Add(-time.Hour), time.Now()
	viewSamples["invites"] = invitesPage{Form: newForm(), Left: 2, Code: "djb1.abc", Link: "https://djembe.example/register?invite=djb1.abc",
		Invites: []projections.InviteRow{{ID: uuid.New(), CreatedAt: at}, {ID: uuid.New(), CreatedAt: used, Free: true,
			UsedBy: &projections.InviteUser{ID: uuid.New(), Name: "carol"}, UsedAt: &at}}}
}

// A login's next is followed only to a path on the site itself.
func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"": "/", "/": "/", "/invites": "/invites", "/torrents?page=2": "/torrents?page=2",
		"//evil.example/x": "/", "/\\evil.example": "/", "https://evil.example/": "/", "evil": "/",
		"/a\r\nLocation: x": "/", "javascript:alert(1)": "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// The throttle's count falls as httprate's sliding window moves: five
// failures in a window block the account until the count is below five,
// and the wait it names is when that is. The same in memory and in
// PostgreSQL.
func TestLoginThrottleWait(t *testing.T) {
	for store, pool := range map[string]*pgxpool.Pool{"memory": nil, "postgres": testenv.DB(t)} {
		t.Run(store, func(t *testing.T) { testLoginThrottleWait(t, newLoginThrottle(pool, liveSecret)) })
	}
}

func testLoginThrottleWait(t *testing.T, lt *loginThrottle) {
	ctx := t.Context()
	blocked := func(name, addr string, at time.Time) (string, time.Duration) {
		t.Helper()
		msg, wait, err := lt.blocked(ctx, name, addr, at)
		if err != nil {
			t.Fatal(err)
		}
		return msg, wait
	}
	failed := func(name, addr string, at time.Time) {
		t.Helper()
		if err := lt.failed(ctx, name, addr, at); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Date(2026, 1, 1, 10, 3, 0, 0, time.UTC) // 3 minutes into a 15-minute window
	for i := 0; i < LoginFailuresPerAccount; i++ {
		if msg, _ := blocked("alice", "192.0.2.1", start); msg != "" {
			t.Fatalf("blocked after %d failures: %s", i, msg)
		}
		failed("Alice", "192.0.2.1", start)
	}
	msg, wait := blocked("ALICE", "192.0.2.9", start)
	// blocked until the window ends (12 minutes) and the five weigh less
	// than 4.5 (httprate's rounding): a tenth into the next window (1.5
	// minutes) — 13.5 minutes and a second.
	if msg != "Too many failed logins for this account; try again in 14 minutes." || wait != 13*time.Minute+31*time.Second {
		t.Fatalf("after five failures: %q, %v", msg, wait)
	}
	if msg, _ := blocked("bob", "192.0.2.9", start); msg != "" {
		t.Errorf("another account from another address: %s", msg)
	}
	if msg, _ := blocked("alice", "192.0.2.1", start.Add(wait)); msg != "" {
		t.Errorf("after the wait it named: %s", msg)
	}
	if msg, _ := blocked("alice", "192.0.2.1", start.Add(wait-2*time.Second)); msg == "" {
		t.Error("not blocked just before the wait it named")
	}
	for i := 0; i < LoginFailuresPerAddress; i++ {
		failed("user"+string(rune('a'+i)), "192.0.2.7", start)
	}
	if msg, _ := blocked("bob", "192.0.2.7", start); msg != "Too many failed logins from your address; try again in 13 minutes." {
		t.Errorf("after 20 failures from an address: %q", msg)
	}
}

// clientAddress is the connection's peer, an IPv6 one by its /64; a
// trusted proxy's X-Forwarded-For names the right-most address that is no
// trusted proxy (else X-Real-IP), anyone else's is ignored.
func TestClientAddress(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	for _, tc := range []struct {
		remote  string
		headers []string
		want    string
	}{
		{"192.0.2.1:5000", nil, "192.0.2.1"},
		{"[2001:db8::1]:443", nil, "2001:db8::"},
		{"[2001:db8::2:1]:443", nil, "2001:db8::"},
		{"192.0.2.1:5000", []string{"X-Forwarded-For: 203.0.113.5"}, "192.0.2.1"},
		{"192.0.2.1:5000", []string{"X-Real-IP: 203.0.113.5"}, "192.0.2.1"},
		{"10.0.0.1:5000", []string{"X-Forwarded-For: 203.0.113.5"}, "203.0.113.5"},
		{"10.0.0.1:5000", []string{"X-Forwarded-For: 198.51.100.1, 203.0.113.5, 10.0.0.2"}, "203.0.113.5"},
		{"10.0.0.1:5000", []string{"X-Forwarded-For: 198.51.100.1", "X-Forwarded-For: 10.9.9.9"}, "198.51.100.1"},
		{"10.0.0.1:5000", []string{"X-Forwarded-For: 2001:db8:1:2:3::9"}, "2001:db8:1:2::"},
		{"[fd00::1]:443", []string{"X-Forwarded-For: ::ffff:203.0.113.7"}, "203.0.113.7"},
		{"10.0.0.1:5000", []string{"X-Forwarded-For: 203.0.113.5, bogus"}, "10.0.0.1"},
		{"10.0.0.1:5000", []string{"X-Forwarded-For: 10.0.0.3", "X-Real-IP: 203.0.113.8"}, "203.0.113.8"},
		{"10.0.0.1:5000", nil, "10.0.0.1"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		for _, hv := range tc.headers {
			name, value, _ := strings.Cut(hv, ": ")
			r.Header.Add(name, value)
		}
		if got := clientAddress(r, trusted); got != tc.want {
			t.Errorf("%s %v: %q, want %q", tc.remote, tc.headers, got, tc.want)
		}
	}
}
