package web

import (
	"math"
	"strconv"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/go-chi/httprate"
)

// Failed logins are throttled: LoginFailuresPerAccount wrong passwords for
// one name, or LoginFailuresPerAddress from one address, within
// LoginFailureWindow, and that name or address may not try again until
// the count has fallen (httprate's sliding window: the failures of the
// window before count for the part of it still inside the last
// LoginFailureWindow).
const (
	LoginFailuresPerAccount = 5
	LoginFailuresPerAddress = 20
	LoginFailureWindow      = 15 * time.Minute
)

// loginThrottle counts failed logins per account and per address, in
// memory (a restart forgets them), with go-chi/httprate's counters.
type loginThrottle struct {
	account, address *failureLimit
}

func newLoginThrottle() *loginThrottle {
	return &loginThrottle{
		account: newFailureLimit(LoginFailuresPerAccount, LoginFailureWindow),
		address: newFailureLimit(LoginFailuresPerAddress, LoginFailureWindow),
	}
}

// blocked is the message refusing a login for name from address, and how
// long until it may be tried again; "" when it may be tried now.
func (t *loginThrottle) blocked(name, address string, now time.Time) (string, time.Duration) {
	if wait := t.account.wait(accountKey(name), now); wait > 0 {
		return "Too many failed logins for this account; try again in " + minutes(wait) + ".", wait
	}
	if wait := t.address.wait(address, now); wait > 0 {
		return "Too many failed logins from your address; try again in " + minutes(wait) + ".", wait
	}
	return "", 0
}

// failed counts a failed login for name from address.
func (t *loginThrottle) failed(name, address string, now time.Time) {
	t.account.add(accountKey(name), now)
	t.address.add(address, now)
}

// accountKey is the key failures for a name count under: its key as a
// username (any case), whether or not anyone has the name, so the
// throttle tells nothing of which names exist.
func accountKey(name string) string { return "account:" + domain.UsernameKey(name) }

// minutes is d as the message says it: "1 minute", "12 minutes".
func minutes(d time.Duration) string {
	m := int(math.Ceil(d.Minutes()))
	if m <= 1 {
		return "1 minute"
	}
	return strconv.Itoa(m) + " minutes"
}

// failureLimit is a limit of failures per key on httprate's local counter,
// whose windows are aligned to the clock (a window starts at a multiple of
// its length), so the time until a key is let through again is known.
type failureLimit struct {
	limit   int
	window  time.Duration
	counter httprate.LimitCounter
}

func newFailureLimit(limit int, window time.Duration) *failureLimit {
	c := httprate.NewLocalLimitCounter(window)
	c.Config(limit, window)
	return &failureLimit{limit: limit, window: window, counter: c}
}

func (l *failureLimit) add(key string, now time.Time) {
	_ = l.counter.IncrementBy(key, now.UTC().Truncate(l.window), 1) // the local counter does not fail
}

// rate is httprate's sliding-window count of key's failures at now: this
// window's, and the last window's weighted by the share of it still inside
// the last window length.
func (l *failureLimit) rate(key string, now time.Time) (float64, int, int) {
	cur := now.UTC().Truncate(l.window)
	curr, prev, _ := l.counter.Get(key, cur, cur.Add(-l.window))
	elapsed := now.Sub(cur)
	return float64(prev)*float64(l.window-elapsed)/float64(l.window) + float64(curr), curr, prev
}

// wait is how long until key may fail again without passing the limit: 0
// when it may now. Its count must fall below limit: within this window by
// the last window's share shrinking, else after it ends, by this window's.
func (l *failureLimit) wait(key string, now time.Time) time.Duration {
	rate, curr, prev := l.rate(key, now)
	free := float64(l.limit) - 0.5 // httprate rounds the count: below limit-0.5 it is under the limit
	if rate < free {
		return 0
	}
	cur := now.UTC().Truncate(l.window)
	if float64(curr) < free {
		// prev*(W-e)/W + curr < free  ⇔  e > W*(1-(free-curr)/prev)
		at := cur.Add(time.Duration(float64(l.window) * (1 - (free-float64(curr))/float64(prev))))
		return after(at.Sub(now))
	}
	at := cur.Add(l.window).Add(time.Duration(float64(l.window) * (1 - free/float64(curr))))
	return after(at.Sub(now))
}

// after is the first whole second after d.
func after(d time.Duration) time.Duration {
	return d.Round(time.Millisecond).Truncate(time.Second) + time.Second
}
