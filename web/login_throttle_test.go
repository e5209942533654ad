package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"testing"
)

// loginAttempt posts the login form to h from remote, with headers.
func (ls *liveSite) loginAttempt(h http.Handler, name, password, remote string, headers ...string) (int, string, string) {
	ls.t.Helper()
	rec := ls.serve(h, liveRequest{method: "POST", path: "/login", remote: remote, headers: headers,
		form: url.Values{"name": {name}, "password": {password}}})
	msg := ""
	if m := regexp.MustCompile(`<p class="alert" role="alert">([^<]*)</p>`).FindStringSubmatch(rec.Body.String()); m != nil {
		msg = m[1]
	}
	return rec.Code, msg, rec.Header().Get("Retry-After")
}

var tryAgain = regexp.MustCompile(`; try again in ([0-9]+) minutes?\.$`)

// Failed logins are rows in PostgreSQL: five for an account through one
// web.New still refuse it, right password and all, through a second one
// on the same database (a restart, or another web process), and the
// message says when to try again. The table holds no name or address.
func TestLoginThrottleSurvivesARestart(t *testing.T) {
	ls := newLiveSite(t, Deps{})
	ls.register("alice", false)
	for i := 0; i < LoginFailuresPerAccount; i++ {
		if code, msg, _ := ls.loginAttempt(ls.h, "alice", "wrong password", "192.0.2.1:4000"); code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d %q", i+1, code, msg)
		}
	}
	restarted := ls.site(Deps{})
	code, msg, retry := ls.loginAttempt(restarted, "ALICE", "alice's password", "192.0.2.2:4000")
	m := tryAgain.FindStringSubmatch(msg)
	if code != http.StatusTooManyRequests || m == nil || msg[:len("Too many failed logins for this account")] != "Too many failed logins for this account" {
		t.Fatalf("after a restart: %d %q; want 429 saying when to try again", code, msg)
	}
	mins, _ := strconv.Atoi(m[1])
	secs, err := strconv.Atoi(retry)
	if err != nil || secs <= 0 || secs > 2*15*60 || (secs+59)/60 != mins {
		t.Errorf("Retry-After %q for %q", retry, msg)
	}
	if code, msg, _ := ls.loginAttempt(restarted, "bob", "whatever password", "192.0.2.2:4000"); code != http.StatusUnauthorized {
		t.Errorf("another account: %d %q", code, msg)
	}

	rows, err := ls.pool.Query(t.Context(), `SELECT key_hash FROM login_failures`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var key []byte
		if err := rows.Scan(&key); err != nil {
			t.Fatal(err)
		}
		n++
		for _, clear := range []string{"alice", "192.0.2.1", "bob"} {
			if bytes.Contains(key, []byte(clear)) {
				t.Errorf("a key holds %q in clear", clear)
			}
		}
	}
	if n != 2*(LoginFailuresPerAccount+1) {
		t.Errorf("%d rows for %d failures (an account's and an address's each)", n, LoginFailuresPerAccount+1)
	}
}

// Behind a reverse proxy: an X-Forwarded-For from a peer that is not a
// trusted proxy is ignored (its failures count against the peer, whatever
// address it claims); from a trusted proxy, the forwarded client is
// throttled, each client on its own.
func TestLoginThrottleByForwardedAddress(t *testing.T) {
	ls := newLiveSite(t, Deps{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	ls.register("alice", false)

	// An untrusted peer rotating the address it claims.
	for i := 0; i < LoginFailuresPerAddress; i++ {
		xff := fmt.Sprintf("X-Forwarded-For: 203.0.113.%d", i+1)
		if code, msg, _ := ls.loginAttempt(ls.h, fmt.Sprintf("nobody%d", i), "wrong password", "198.51.100.9:5000", xff); code != http.StatusUnauthorized {
			t.Fatalf("untrusted failure %d: %d %q", i+1, code, msg)
		}
	}
	code, msg, _ := ls.loginAttempt(ls.h, "alice", "alice's password", "198.51.100.9:5000", "X-Forwarded-For: 203.0.113.200")
	if code != http.StatusTooManyRequests || !tryAgain.MatchString(msg) || msg[:len("Too many failed logins from your address")] != "Too many failed logins from your address" {
		t.Fatalf("the untrusted peer after %d failures: %d %q", LoginFailuresPerAddress, code, msg)
	}

	// Through the trusted proxy: the client the proxy reports counts.
	for i := 0; i < LoginFailuresPerAddress; i++ {
		if code, msg, _ := ls.loginAttempt(ls.h, fmt.Sprintf("someone%d", i), "wrong password", "10.0.0.1:5000",
			"X-Forwarded-For: 198.51.100.77, 203.0.113.5, 10.0.0.2"); code != http.StatusUnauthorized {
			t.Fatalf("forwarded failure %d: %d %q", i+1, code, msg)
		}
	}
	if code, msg, _ := ls.loginAttempt(ls.h, "alice", "alice's password", "10.0.0.1:5000", "X-Forwarded-For: 203.0.113.5"); code != http.StatusTooManyRequests || !tryAgain.MatchString(msg) {
		t.Errorf("the forwarded client 203.0.113.5 after %d failures: %d %q", LoginFailuresPerAddress, code, msg)
	}
	if code, msg, _ := ls.loginAttempt(ls.h, "alice", "alice's password", "10.0.0.1:5000", "X-Forwarded-For: 203.0.113.6"); code != http.StatusSeeOther {
		t.Errorf("another client through the same proxy: %d %q; want signed in", code, msg)
	}
	if code, msg, _ := ls.loginAttempt(ls.h, "alice", "alice's password", "10.0.0.1:5000"); code != http.StatusSeeOther {
		t.Errorf("the proxy itself, forwarding nobody: %d %q; want signed in", code, msg)
	}
}
